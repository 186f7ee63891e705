// Package uiloop is a UI goroutine for Fyne's headless test driver. In the
// application, fyne.Do queues work for the one goroutine that draws; the
// test driver runs it at once on the caller's goroutine, so background
// updates would draw beside the test's own clicks. A Loop restores the
// application's rule: one goroutine draws, everything else queues.
package uiloop

import (
	"context"
	"sync"
)

// Loop runs queued functions one at a time, in order, on its goroutine.
type Loop struct {
	mu      sync.Mutex
	queue   []func()
	wake    chan struct{}
	stopped chan struct{} // closed when the loop has returned
}

// Start runs a loop until ctx ends; what is queued then is dropped, so a
// test's window is not drawn once the test has moved on (its app may be
// gone: Fyne's test app is swapped per test).
func Start(ctx context.Context) *Loop {
	l := &Loop{wake: make(chan struct{}, 1), stopped: make(chan struct{})}
	go l.run(ctx)
	return l
}

// Wait returns when the loop has stopped (its context ended) and the
// function it was running, if any, has returned.
func (l *Loop) Wait() { <-l.stopped }

// Do queues f and returns at once, like fyne.Do; it may be called from the
// loop itself.
func (l *Loop) Do(f func()) {
	l.mu.Lock()
	l.queue = append(l.queue, f)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Run runs f on the loop and waits for it. Never call it from the loop.
func (l *Loop) Run(f func()) {
	done := make(chan struct{})
	l.Do(func() {
		defer close(done)
		f()
	})
	select {
	case <-done:
	case <-l.stopped:
	}
}

func (l *Loop) run(ctx context.Context) {
	defer close(l.stopped)
	for {
		l.mu.Lock()
		batch := l.queue
		l.queue = nil
		l.mu.Unlock()
		for _, f := range batch {
			if ctx.Err() != nil {
				return
			}
			f()
		}
		if len(batch) > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-l.wake:
		}
	}
}

// Flush waits until nothing is queued: the updates that earlier work set
// off, and those they set off in turn, have all run.
func (l *Loop) Flush() {
	for {
		var empty bool
		l.Run(func() {
			l.mu.Lock()
			empty = len(l.queue) == 0
			l.mu.Unlock()
		})
		if empty {
			return
		}
		select {
		case <-l.stopped:
			return
		default:
		}
	}
}
