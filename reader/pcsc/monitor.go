package pcsc

import (
	"context"
	"slices"
	"time"

	"github.com/ebfe/scard"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// pnpNotification is the pseudo-reader whose state changes when a reader is
// plugged or unplugged (pcsc-lite and WinSCard both know it).
const pnpNotification = `\\?PnP?\Notification`

// ReaderState is what PC/SC says about one reader.
type ReaderState struct {
	Name      string `json:"name"`
	Present   bool   `json:"card_present"`
	Empty     bool   `json:"empty"`
	Mute      bool   `json:"card_mute"`
	InUse     bool   `json:"in_use"`
	Exclusive bool   `json:"exclusive"`
	ATR       []byte `json:"atr,omitempty"`
	flags     scard.StateFlag
}

func stateOf(rs scard.ReaderState) ReaderState {
	f := rs.EventState
	return ReaderState{
		Name: rs.Reader, Present: f&scard.StatePresent != 0, Empty: f&scard.StateEmpty != 0,
		Mute: f&scard.StateMute != 0, InUse: f&scard.StateInuse != 0, Exclusive: f&scard.StateExclusive != 0,
		ATR: append([]byte(nil), rs.Atr...), flags: f &^ scard.StateChanged,
	}
}

// States reads the current state of every reader.
func (c *Context) States() ([]ReaderState, error) {
	names, err := c.Readers()
	if err != nil {
		return nil, err
	}
	rs := make([]scard.ReaderState, len(names))
	for i, n := range names {
		rs[i] = scard.ReaderState{Reader: n, CurrentState: scard.StateUnaware}
	}
	if err := c.ctx.GetStatusChange(rs, 0); err != nil {
		return nil, mapError("read reader states", err)
	}
	out := make([]ReaderState, len(rs))
	for i := range rs {
		out[i] = stateOf(rs[i])
	}
	return out, nil
}

// WaitForChange blocks until the readers differ from known: a reader
// plugged or unplugged, a card put on or taken off. It returns the new
// states. ctx cancels the wait.
func (c *Context) WaitForChange(ctx context.Context, known []ReaderState) ([]ReaderState, error) {
	stop := context.AfterFunc(ctx, func() { c.ctx.Cancel() })
	defer stop()
	rs := []scard.ReaderState{{Reader: pnpNotification, CurrentState: scard.StateFlag(len(known)) << 16}}
	for _, k := range known {
		rs = append(rs, scard.ReaderState{Reader: k.Name, CurrentState: k.flags})
	}
	for {
		// pcsc-lite answers SCARD_E_TIMEOUT after the period; waking up now
		// and then also notices a pcscd that went away.
		err := c.ctx.GetStatusChange(rs, 2*time.Second)
		if ctx.Err() != nil {
			return nil, chiperr.Wrap(chiperr.Canceled, "wait for a reader or a card", ctx.Err())
		}
		if err == scard.ErrTimeout {
			continue
		}
		if err != nil && err != scard.ErrUnknownReader && err != scard.ErrReaderUnavailable {
			return nil, mapError("wait for a reader or a card", err)
		}
		// Whatever changed (even a reader that disappeared), read afresh.
		now, serr := c.States()
		if serr != nil && chiperr.KindOf(serr) != chiperr.NoReader {
			return nil, serr
		}
		if !sameStates(now, known) {
			return now, nil
		}
		if err != nil {
			// A driver without PnP notification answers at once: do not spin.
			select {
			case <-ctx.Done():
			case <-time.After(250 * time.Millisecond):
			}
		}
		for i := range rs {
			rs[i].CurrentState = rs[i].EventState &^ scard.StateChanged
		}
	}
}

func sameStates(a, b []ReaderState) bool {
	return slices.EqualFunc(a, b, func(x, y ReaderState) bool {
		return x.Name == y.Name && x.flags&(scard.StatePresent|scard.StateEmpty|scard.StateMute) == y.flags&(scard.StatePresent|scard.StateEmpty|scard.StateMute)
	})
}

// WaitForCard waits until a card is on the named reader.
func (c *Context) WaitForCard(ctx context.Context, reader string) error {
	for {
		states, err := c.States()
		if err != nil && chiperr.KindOf(err) != chiperr.NoReader {
			return err
		}
		for _, s := range states {
			if s.Name == reader && s.Present {
				return nil
			}
		}
		if _, err := c.WaitForChange(ctx, states); err != nil {
			return err
		}
	}
}
