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
			return nil, mapError("transmit APDU", r.err)
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

// mapError turns a PC/SC error code into a chip error kind a person understands.
func mapError(op string, err error) error {
	var code scard.Error
	if !errors.As(err, &code) {
		return chiperr.Wrap(chiperr.Transport, op, err)
	}
	kind := chiperr.Transport
	switch code {
	case scard.ErrNoService, scard.ErrServiceStopped:
		kind = chiperr.NoService
	case scard.ErrNoReadersAvailable, scard.ErrUnknownReader, scard.ErrReaderUnavailable:
		kind = chiperr.NoReader
	case scard.ErrNoSmartcard:
		kind = chiperr.NoCard
	case scard.ErrRemovedCard, scard.ErrResetCard:
		kind = chiperr.CardRemoved
	case scard.ErrUnresponsiveCard, scard.ErrTimeout:
		kind = chiperr.Timeout
	}
	return &chiperr.Error{Kind: kind, Op: op, Detail: fmt.Sprintf("PC/SC 0x%08X", uint32(code)), Err: err}
}
