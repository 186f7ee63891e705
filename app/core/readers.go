package core

import (
	"context"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
)

// ReaderStatus is what the status line says about readers.
type ReaderStatus struct {
	// Err is set when the PC/SC service cannot be reached (no pcscd).
	Err error
	// Readers are the usable readers: empty vpcd slots are left out.
	Readers []pcsc.ReaderState
}

// Level sums the status up.
type Level int

const (
	LevelNoService Level = iota // no PC/SC service
	LevelNoReader               // service up, no reader
	LevelReady                  // a reader, no card
	LevelCard                   // a card is on a reader
)

// Level is the overall state, the best reader winning.
func (s ReaderStatus) Level() Level {
	switch {
	case s.Err != nil:
		return LevelNoService
	case len(s.Readers) == 0:
		return LevelNoReader
	}
	for _, r := range s.Readers {
		if r.Present {
			return LevelCard
		}
	}
	return LevelReady
}

// Preferred is the reader to use: the first with a card, else the first.
func (s ReaderStatus) Preferred() (string, bool) {
	for _, r := range s.Readers {
		if r.Present {
			return r.Name, true
		}
	}
	if len(s.Readers) > 0 {
		return s.Readers[0].Name, true
	}
	return "", false
}

// HasCard tells whether the named reader has a card on it.
func (s ReaderStatus) HasCard(name string) bool {
	for _, r := range s.Readers {
		if r.Name == name {
			return r.Present
		}
	}
	return false
}

// Monitor reports reader changes to a callback until ctx ends.
type Monitor interface {
	Watch(ctx context.Context, report func(ReaderStatus))
}

// PCSCMonitor watches the real PC/SC service: readers plugged and
// unplugged, cards laid and taken, pcscd stopping and coming back.
type PCSCMonitor struct {
	// Retry is the pause before trying a missing service again (2 s when 0).
	Retry time.Duration
}

// Watch blocks until ctx is done, calling report on every change (and once
// at the start). report runs on Watch's goroutine.
func (m PCSCMonitor) Watch(ctx context.Context, report func(ReaderStatus)) {
	retry := m.Retry
	if retry == 0 {
		retry = 2 * time.Second
	}
	var client pcsc.Client
	defer client.Close()
	// known is nil until the states are read (again, after an error); then
	// each round waits for a change from them.
	var known []pcsc.ReaderState
	for ctx.Err() == nil {
		var states []pcsc.ReaderState
		err := client.Do(func(c *pcsc.Context) error {
			var err error
			if known == nil {
				states, err = c.States()
			} else {
				states, err = c.WaitForChange(ctx, known)
			}
			if chiperr.KindOf(err) == chiperr.NoReader {
				err = nil
			}
			if states == nil {
				states = []pcsc.ReaderState{} // read, and empty: wait from here
			}
			return err
		})
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			report(ReaderStatus{Err: err})
			known = nil
			sleep(ctx, retry)
			continue
		}
		report(ReaderStatus{Readers: usable(states)})
		known = states
	}
}

// usable leaves out the vpcd slots no virtual card is connected to.
func usable(states []pcsc.ReaderState) []pcsc.ReaderState {
	var out []pcsc.ReaderState
	for _, s := range states {
		if IsVirtualReader(s.Name) && !s.Present {
			continue
		}
		out = append(out, s)
	}
	return out
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
