package reader

import (
	"context"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// After wrong CAN or MRZ attempts a real chip delays its answers during
// access control, longer after each one (up to about a minute), and a
// terminal that gives up early only makes the next attempt wait longer.
const (
	// DefaultAccessTimeout bounds the wait for one answer during PACE or BAC.
	DefaultAccessTimeout = 60 * time.Second
	// DefaultSlowNotice is how long one answer during access control may
	// take before the holder is told why (Progress.Slow).
	DefaultSlowNotice = 5 * time.Second
)

type accessKey struct{}

// accessControl marks the exchanges made with ctx as access control: they
// wait longer for the card and tell the holder when it is slow.
func accessControl(ctx context.Context) context.Context {
	return context.WithValue(ctx, accessKey{}, true)
}

// patience is a Transmitter decorator, right on the transport, that bounds
// the wait for each answer: timeout while reading files, accessTimeout
// during access control, where after notice it calls slow(true), and
// slow(false) once the answer is there.
type patience struct {
	t                      iso7816.Transmitter
	timeout, accessTimeout time.Duration // 0: none
	notice                 time.Duration
	slow                   func(on bool)
}

func (p *patience) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	access := ctx.Value(accessKey{}) != nil
	timeout := p.timeout
	if access {
		timeout = p.accessTimeout
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	if !access || p.slow == nil || p.notice <= 0 {
		return p.t.Transmit(ctx, apdu)
	}
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := p.t.Transmit(ctx, apdu)
		done <- result{b, err}
	}()
	wait := time.NewTimer(p.notice)
	defer wait.Stop()
	// The notice is given from this goroutine, the reading one, as Progress promises.
	select {
	case r := <-done:
		return r.b, r.err
	case <-wait.C:
		p.slow(true)
	}
	r := <-done
	p.slow(false)
	return r.b, r.err
}

// reporter passes progress on and remembers the last report, so that a
// notice about a slow card repeats where the read is.
type reporter struct {
	f    func(Progress)
	last Progress
}

func (r *reporter) report(p Progress) {
	r.last = p
	if r.f != nil {
		r.f(p)
	}
}

func (r *reporter) slow(on bool) {
	p := r.last
	p.Slow = on
	if r.f != nil {
		r.f(p)
	}
}
