// Package vpcd serves a card to pcscd through vsmartcard's virtual reader
// driver (vpcd). vpcd listens on TCP (35963 for its first slot); the virtual
// card connects to it as a client. Each message, in both directions, is a
// 2-byte big-endian length followed by the payload. A 1-byte payload from
// vpcd is a control code (0 power off, 1 power on, 2 reset, 4 "send your
// ATR"); anything longer is a command APDU that the card answers with a
// response APDU, framed the same way.
//
// vpcd is a test and demonstration aid: it listens on all interfaces, so
// nothing in the product depends on it.
package vpcd

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// DefaultAddr is vpcd's first slot on this machine.
const DefaultAddr = "127.0.0.1:35963"

// Control codes sent by vpcd.
const (
	ctrlPowerOff = 0
	ctrlPowerOn  = 1
	ctrlReset    = 2
	ctrlATR      = 4
)

// Card is what vpcd talks to: an APDU transmitter with an ATR and a power switch.
type Card interface {
	iso7816.Transmitter
	ATR() []byte
	// Reset powers the card off and on: sessions and access rights are lost.
	Reset()
}

// Serve connects to vpcd at addr and answers its requests with card until
// ctx ends or card returns an error (the card is then "removed": the
// connection is closed, which vpcd reports as no card, and Serve returns the
// error). When vpcd closes the connection itself (pcscd stopped or
// restarted), Serve connects again, as vsmartcard's own virtual cards do,
// until ctx ends.
func Serve(ctx context.Context, addr string, card Card) error {
	served := false
	for {
		connected, err := serveOnce(ctx, addr, card)
		served = served || connected
		if ctx.Err() != nil {
			return nil
		}
		// A first connection that fails is the caller's error (wrong
		// address, no pcscd); later, pcscd may be restarting: keep trying.
		if err != nil && (connected || !served) {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(redialDelay):
		}
	}
}

// redialDelay paces reconnections, so a vpcd that keeps refusing us is
// not hammered.
const redialDelay = 200 * time.Millisecond

// errCard marks an error of the card itself, which ends Serve.
type errCard struct{ error }

func (e errCard) Unwrap() error { return e.error }

func serveOnce(ctx context.Context, addr string, card Card) (connected bool, err error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false, fmt.Errorf("vpcd: connect to %s: %w", addr, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	err = serveConn(ctx, conn, card)
	var ce errCard
	if errors.As(err, &ce) {
		return true, ce.error
	}
	return true, nil // the connection ended: vpcd went away or dropped us
}

// maxMessage is the largest frame the 2-byte length allows.
const maxMessage = 0xFFFF

func serveConn(ctx context.Context, conn net.Conn, card Card) error {
	r := bufio.NewReader(conn)
	var hdr [2]byte
	for {
		quickAck(conn)
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("vpcd: read: %w", err)
		}
		n := int(binary.BigEndian.Uint16(hdr[:]))
		msg := make([]byte, n)
		if _, err := io.ReadFull(r, msg); err != nil {
			return fmt.Errorf("vpcd: read: %w", err)
		}
		if n == 1 {
			switch msg[0] {
			case ctrlPowerOff, ctrlPowerOn, ctrlReset:
				card.Reset()
			case ctrlATR:
				if err := send(conn, card.ATR()); err != nil {
					return err
				}
			}
			continue
		}
		// pcscd has its own transmit timeout; give the card a generous bound
		// so that a stalling profile stalls for real but not forever.
		tctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		resp, err := card.Transmit(tctx, msg)
		cancel()
		if err != nil {
			return errCard{fmt.Errorf("vpcd: card: %w", err)}
		}
		if err := send(conn, resp); err != nil {
			return err
		}
	}
}

func send(w io.Writer, b []byte) error {
	if len(b) > maxMessage {
		return fmt.Errorf("vpcd: response of %d bytes does not fit a frame", len(b))
	}
	out := make([]byte, 2+len(b))
	binary.BigEndian.PutUint16(out, uint16(len(b)))
	copy(out[2:], b)
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("vpcd: write: %w", err)
	}
	return nil
}
