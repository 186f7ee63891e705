package sim

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// Fault is a way for the virtual card to misbehave on purpose, so that every
// error path of the reader is exercised.
type Fault int

const (
	NoFault Fault = iota
	// FaultBadMAC flips a bit of the MAC in the answer to a protected READ BINARY.
	FaultBadMAC
	// FaultTruncated cuts the answer to a protected READ BINARY in the middle.
	FaultTruncated
	// FaultWrongStatus answers 6F00 (no precise diagnosis) to a READ BINARY.
	FaultWrongStatus
	// FaultHugeLength personalises DG2 with a header claiming 16 MiB.
	FaultHugeLength
	// FaultStall stops answering once the first file is being read.
	FaultStall
	// FaultRemoved behaves as if the card left the field during a read.
	FaultRemoved
	// FaultBadPoint sends a PACE mapping point that is not on the curve.
	FaultBadPoint
	// FaultSlowPACE keeps the terminal waiting SlowPACEDelay before its
	// first answer to GENERAL AUTHENTICATE, as a real chip does after wrong
	// CAN attempts; then it answers normally.
	FaultSlowPACE
)

// SlowPACEDelay is FaultSlowPACE's wait: above the reader's 5 s notice,
// well below its 60 s limit during access control.
const SlowPACEDelay = 6 * time.Second

var faultNames = map[Fault]string{
	NoFault: "none", FaultBadMAC: "bad-mac", FaultTruncated: "truncated", FaultWrongStatus: "wrong-status",
	FaultHugeLength: "huge-length", FaultStall: "stall", FaultRemoved: "removed", FaultBadPoint: "bad-point",
	FaultSlowPACE: "slow-pace",
}

func (f Fault) String() string { return faultNames[f] }

// faultyCard wraps a Card and misbehaves at the right moment. The card's own
// logic stays correct; the damage is done on the wire, as with a real fault.
type faultyCard struct {
	*Card
	fault Fault
	// trigger counts the READ BINARY commands after access control (where
	// the read-time faults fire on the third one, in the middle of a file).
	mu    sync.Mutex
	reads int
	fired bool // a wire fault strikes once: the card put back reads fine
	gone  bool
	slow  bool // FaultSlowPACE has made the terminal wait
}

// errStalled is what a stalled card ends with when the terminal gives up.
var errStalled = errors.New("virtual card stalled on purpose")

// triggerRead is the READ BINARY on which read-time faults fire.
const triggerRead = 3

func (f *faultyCard) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	f.mu.Lock()
	isRead := len(apdu) >= 4 && (apdu[1] == 0xB0 || apdu[1] == 0xB1) && apdu[0]&0x0C == 0x0C
	if isRead {
		f.reads++
	}
	fire := isRead && f.reads == triggerRead && !f.fired
	if fire {
		f.fired = true
	}
	if f.fault == FaultRemoved && (f.gone || fire) {
		f.gone = true
		f.mu.Unlock()
		return nil, chiperr.New(chiperr.CardRemoved, "virtual card", "card removed on purpose (profile fault)")
	}
	f.mu.Unlock()

	if f.fault == FaultSlowPACE && len(apdu) >= 4 && apdu[1] == 0x86 {
		f.mu.Lock()
		wait := !f.slow
		f.slow = true
		f.mu.Unlock()
		if wait {
			select {
			case <-time.After(SlowPACEDelay):
			case <-ctx.Done():
				return nil, chiperr.Wrap(chiperr.Timeout, "virtual card", ctx.Err())
			}
		}
	}
	if fire && f.fault == FaultStall {
		<-ctx.Done()
		return nil, chiperr.Wrap(chiperr.Timeout, "virtual card", errStalled)
	}
	out, err := f.Card.Transmit(ctx, apdu)
	if err != nil || len(out) < 2 {
		return out, err
	}
	switch {
	case fire && f.fault == FaultBadMAC:
		out[len(out)-3] ^= 0x01 // last byte of DO'8E'
	case fire && f.fault == FaultTruncated:
		out = append(out[:(len(out)-2)/2], out[len(out)-2:]...)
	case fire && f.fault == FaultWrongStatus:
		out = []byte{0x6F, 0x00}
	case f.fault == FaultBadPoint && len(apdu) >= 4 && apdu[1] == 0x86 && isMappingAnswer(out):
		// GA step 2: 7C L 82 L 04 X Y — damage Y so the point leaves the curve.
		out[len(out)-3] ^= 0x01
	}
	return out, nil
}

// isMappingAnswer recognises the chip's answer to PACE GA step 2 (7C { 82 point }).
func isMappingAnswer(out []byte) bool {
	outer, _, err := ber.ParseTLV(out[:len(out)-2])
	if err != nil || outer.Tag != 0x7C {
		return false
	}
	inner, _, err := ber.ParseTLV(outer.Value)
	return err == nil && inner.Tag == 0x82 && len(inner.Value) > 2
}

// Reset is the card put back on the reader: it answers again.
func (f *faultyCard) Reset() {
	f.mu.Lock()
	f.gone, f.reads = false, 0 // fired stays: the fault does not come back
	f.mu.Unlock()
	f.Card.Reset()
}

// Chip is what New returns: a virtual card, possibly faulty, usable
// in-process and by the vpcd server.
type Chip interface {
	iso7816.Transmitter
	ATR() []byte
	Reset()
	Profile() *Profile
	// DemoCSCA and DemoCRL are the card's demo trust anchor and CRL (DER),
	// for a trust store in demo mode.
	DemoCSCA() []byte
	DemoCRL() []byte
}
