// Package pcsc is the Transmitter over a real reader, through the PC/SC
// service (pcscd on Linux, winscard.dll on Windows) with github.com/ebfe/scard.
package pcsc

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ebfe/scard"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Context is a connection to the PC/SC service.
type Context struct {
	ctx *scard.Context
}

// Establish connects to the PC/SC service.
func Establish() (*Context, error) {
	c, err := scard.EstablishContext()
	if err != nil {
		return nil, mapError("connect to the PC/SC service", err)
	}
	return &Context{ctx: c}, nil
}

// Close releases the connection to the service.
func (c *Context) Close() error { return c.ctx.Release() }

// Readers lists the connected readers, in the order PC/SC gives them.
func (c *Context) Readers() ([]string, error) {
	r, err := c.ctx.ListReaders()
	if err != nil {
		return nil, mapError("list readers", err)
	}
	if len(r) == 0 {
		return nil, chiperr.New(chiperr.NoReader, "list readers", "")
	}
	return r, nil
}

// Card is a card connected through a reader.
type Card struct {
	card   *scard.Card
	reader string
}

// Connect connects to the card on the named reader (shared mode, T=1 or T=0).
func (c *Context) Connect(reader string) (*Card, error) {
	card, err := c.ctx.Connect(reader, scard.ShareShared, scard.ProtocolT0|scard.ProtocolT1)
	if err != nil {
		return nil, mapError("connect to the card", err)
	}
	return &Card{card: card, reader: reader}, nil
}

// Reader is the name of the reader the card is on.
func (c *Card) Reader() string { return c.reader }

// ATR returns the card's answer to reset (for a contactless card, the one the reader builds from the ATS).
func (c *Card) ATR() ([]byte, error) {
	st, err := c.card.Status()
	if err != nil {
		return nil, mapError("card status", err)
	}
	return st.Atr, nil
}

// Transmit sends one APDU. PC/SC calls cannot be interrupted, so when ctx
// ends first the call is abandoned (its result is dropped) and a Timeout or
// Canceled error is returned; the caller should then Close the card.
func (c *Card) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		b, err := c.card.Transmit(apdu)
		ch <- result{b, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			err := mapError("transmit APDU", r.err)
			if chiperr.KindOf(err) == chiperr.Transport {
				// Readers report a card that left the field in several ways
				// (SCARD_E_NOT_TRANSACTED, SCARD_F_COMM_ERROR...): ask.
				if gone := c.mute(ctx); chiperr.KindOf(gone) == chiperr.CardRemoved {
					return nil, gone
				}
			}
			return nil, err
		}
		if len(r.b) < 2 {
			return nil, c.mute(ctx)
		}
		return r.b, nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, chiperr.Wrap(chiperr.Timeout, "transmit APDU", ctx.Err())
		}
		return nil, chiperr.Wrap(chiperr.Canceled, "transmit APDU", ctx.Err())
	}
}

// mute explains an answer without a status word. Some drivers (vpcd among
// them) report a card that left the field this way rather than with
// SCARD_W_REMOVED_CARD, and pcscd notices the absence a moment later: ask
// the reader's state for up to a second before calling the card mute.
func (c *Card) mute(ctx context.Context) error {
	const op = "transmit APDU"
	for i := 0; i < 10; i++ {
		st, err := c.card.Status()
		if err != nil {
			if k := mapError(op, err); chiperr.KindOf(k) != chiperr.Transport {
				return k
			}
			return chiperr.Wrap(chiperr.CardRemoved, op, err)
		}
		if st.State&scard.Present == 0 {
			return chiperr.New(chiperr.CardRemoved, op, "the reader reports no card after an empty answer")
		}
		select {
		case <-ctx.Done():
			return chiperr.Wrap(chiperr.Timeout, op, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	return chiperr.New(chiperr.Timeout, op, "the card answered nothing (no status word): card mute")
}

// Close disconnects, resetting the card so no session survives us.
func (c *Card) Close() error { return c.card.Disconnect(scard.ResetCard) }

// Reconnect resets the card and connects again, for a new read after an
// error (a reset also ends any secure messaging session the card held). A
// card reset by someone else (SCARD_W_RESET_CARD) is recovered the same way.
func (c *Card) Reconnect() error {
	err := c.card.Reconnect(scard.ShareShared, scard.ProtocolT0|scard.ProtocolT1, scard.ResetCard)
	if err != nil {
		return mapError("reconnect to the card", err)
	}
	return nil
}

// mapError turns a PC/SC error code into a chip error kind a person
// understands; the detail names the code so support can look it up.
func mapError(op string, err error) error {
	var code scard.Error
	if !errors.As(err, &code) {
		return chiperr.Wrap(chiperr.Transport, op, err)
	}
	kind := chiperr.Transport
	switch code {
	case scard.ErrNoService, scard.ErrServiceStopped, scard.ErrInvalidHandle:
		// An invalid handle is what a context gets after pcscd restarted.
		kind = chiperr.NoService
	case scard.ErrNoReadersAvailable:
		kind = chiperr.NoReader
	case scard.ErrUnknownReader, scard.ErrReaderUnavailable:
		kind = chiperr.ReaderRemoved
	case scard.ErrNoSmartcard:
		kind = chiperr.NoCard
	case scard.ErrRemovedCard:
		kind = chiperr.CardRemoved
	case scard.ErrUnresponsiveCard, scard.ErrUnpoweredCard, scard.ErrInvalidAtr:
		kind = chiperr.CardMute
	case scard.ErrSharingViolation:
		kind = chiperr.Busy
	case scard.ErrTimeout:
		kind = chiperr.Timeout
	case scard.ErrCancelled:
		kind = chiperr.Canceled
	}
	return &chiperr.Error{Kind: kind, Op: op, Detail: CodeName(code), Err: err}
}

// codeNames are the PC/SC return codes a user or a support agent may meet,
// by the names pcsc-lite and WinSCard document them under.
var codeNames = map[scard.Error]string{
	scard.ErrCancelled: "SCARD_E_CANCELLED", scard.ErrInvalidHandle: "SCARD_E_INVALID_HANDLE",
	scard.ErrInvalidParameter: "SCARD_E_INVALID_PARAMETER", scard.ErrNoMemory: "SCARD_E_NO_MEMORY",
	scard.ErrInsufficientBuffer: "SCARD_E_INSUFFICIENT_BUFFER", scard.ErrUnknownReader: "SCARD_E_UNKNOWN_READER",
	scard.ErrTimeout: "SCARD_E_TIMEOUT", scard.ErrSharingViolation: "SCARD_E_SHARING_VIOLATION",
	scard.ErrNoSmartcard: "SCARD_E_NO_SMARTCARD", scard.ErrProtoMismatch: "SCARD_E_PROTO_MISMATCH",
	scard.ErrNotReady: "SCARD_E_NOT_READY", scard.ErrSystemCancelled: "SCARD_E_SYSTEM_CANCELLED",
	scard.ErrCommError: "SCARD_F_COMM_ERROR", scard.ErrUnknownError: "SCARD_F_UNKNOWN_ERROR",
	scard.ErrInvalidAtr: "SCARD_E_INVALID_ATR", scard.ErrNotTransacted: "SCARD_E_NOT_TRANSACTED",
	scard.ErrReaderUnavailable: "SCARD_E_READER_UNAVAILABLE", scard.ErrPciTooSmall: "SCARD_E_PCI_TOO_SMALL",
	scard.ErrReaderUnsupported: "SCARD_E_READER_UNSUPPORTED", scard.ErrCardUnsupported: "SCARD_E_CARD_UNSUPPORTED",
	scard.ErrNoService: "SCARD_E_NO_SERVICE", scard.ErrServiceStopped: "SCARD_E_SERVICE_STOPPED",
	scard.ErrNoReadersAvailable: "SCARD_E_NO_READERS_AVAILABLE", scard.ErrCommDataLost: "SCARD_F_COMM_DATA_LOST",
	scard.ErrUnsupportedCard: "SCARD_W_UNSUPPORTED_CARD", scard.ErrUnresponsiveCard: "SCARD_W_UNRESPONSIVE_CARD",
	scard.ErrUnpoweredCard: "SCARD_W_UNPOWERED_CARD", scard.ErrResetCard: "SCARD_W_RESET_CARD",
	scard.ErrRemovedCard: "SCARD_W_REMOVED_CARD",
}

// CodeName gives the documented name of a PC/SC code with its value, e.g.
// "SCARD_E_NO_SERVICE (0x8010001D)".
func CodeName(code scard.Error) string {
	if n, ok := codeNames[code]; ok {
		return fmt.Sprintf("%s (0x%08X)", n, uint32(code))
	}
	return fmt.Sprintf("PC/SC 0x%08X", uint32(code))
}

// ATS asks the reader for the contactless card's Answer To Select with the
// PC/SC pseudo-APDU GET DATA (FF CA 01 00 00, PC/SC Part 3 §3.2.2.1.3). The
// reader answers it itself; readers (and the virtual reader) that do not
// know it answer 6A81 or 6D00, reported as Unsupported.
func (c *Card) ATS(ctx context.Context) ([]byte, error) {
	resp, err := c.Transmit(ctx, []byte{0xFF, 0xCA, 0x01, 0x00, 0x00})
	if err != nil {
		return nil, err
	}
	n := len(resp)
	if resp[n-2] != 0x90 || resp[n-1] != 0x00 || n == 2 {
		return nil, chiperr.Newf(chiperr.Unsupported, "GET DATA (ATS)", "reader answered %X", resp[n-2:])
	}
	return resp[:n-2], nil
}
