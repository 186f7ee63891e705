package sm

import (
	"context"
	"errors"
	"sync"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// Channel is an iso7816.Transmitter that protects every command with a
// Session, sends it through the transport below and unprotects the answer.
// It serialises callers, since the SSC orders every exchange.
type Channel struct {
	mu sync.Mutex
	t  iso7816.Transmitter
	s  *Session
}

// Wrap puts secure messaging with session s on top of transport t.
func Wrap(t iso7816.Transmitter, s *Session) *Channel {
	return &Channel{t: t, s: s}
}

// Switch replaces the session, e.g. with the keys of Chip Authentication.
// The old session is not wiped: the caller decides.
func (c *Channel) Switch(s *Session) {
	c.mu.Lock()
	c.s = s
	c.mu.Unlock()
}

// Session returns the current session.
func (c *Channel) Session() *Session {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.s
}

// Resume takes the current session back after a command the card refused
// outside secure messaging or the reader could not carry (Session.Resume).
func (c *Channel) Resume() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.s == nil {
		return chiperr.New(chiperr.SecurityStatus, "SM resume", "no secure messaging session")
	}
	return c.s.Resume()
}

// Transmit protects apdu, sends it and returns the unprotected response
// (data followed by SW1 SW2).
func (c *Channel) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	const op = "SM transmit"
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := ctx.Err(); err != nil {
		kind := chiperr.Canceled
		if errors.Is(err, context.DeadlineExceeded) {
			kind = chiperr.Timeout
		}
		return nil, chiperr.Wrap(kind, op, err)
	}
	if c.s == nil {
		return nil, chiperr.New(chiperr.SecurityStatus, op, "no secure messaging session")
	}
	prot, err := c.s.Protect(apdu)
	if err != nil {
		return nil, err
	}
	resp, err := c.t.Transmit(ctx, prot)
	if err != nil {
		// Whether the card saw the command is unknown, so is its SSC.
		c.s.broken = true
		return nil, err
	}
	return c.s.Unprotect(resp)
}
