package viewmodel

import (
	"context"
	"sync"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/internal/version"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/trace"
)

// Phase is where a read is.
type Phase int

const (
	Idle       Phase = iota
	Waiting          // connecting, or waiting for the card to be laid
	InProgress       // reading the chip
	Done
	Failed
)

// ReadStep is one named step of the progress list.
type ReadStep int

const (
	StepSecure       ReadStep = iota // PACE/BAC and secure messaging
	StepIdentity                     // EF.COM, EF.SOD, DG1
	StepPhoto                        // DG2
	StepAuthenticity                 // CA, AA and the trust check
	stepCount
)

// StepKeys are the translation keys of the steps, in order.
var StepKeys = [stepCount]string{"read.step.secure", "read.step.identity", "read.step.photo", "read.step.authenticity"}

// ReadingState is a snapshot of a read.
type ReadingState struct {
	Phase    Phase
	Current  ReadStep // meaningful while InProgress
	Fraction float64  // 0..1
	Result   *core.ReadResult
	Problem  *Problem
	Demo     bool
	// Slow: the card has kept the reader waiting during access control,
	// as it does after wrong attempts; the screen says why (reading.slow_card).
	Slow bool
}

// StepDone tells whether step s is finished.
func (s ReadingState) StepDone(step ReadStep) bool {
	return s.Phase == Done || (s.Phase == InProgress && step < s.Current)
}

// Reading runs one card read at a time in the background.
type Reading struct {
	observable
	app *App

	mu     sync.Mutex
	state  ReadingState
	cancel context.CancelFunc
	gen    int // bumped by Start, Cancel and Clear: late updates of an old run are dropped
}

// NewReading makes a read runner that reports problems and traces to app.
func NewReading(app *App) *Reading { return &Reading{app: app} }

// State is a snapshot.
func (r *Reading) State() ReadingState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state
}

// Start reads the card of src with secret. A read in progress is canceled.
func (r *Reading) Start(src core.Source, secret reader.Secret) { r.StartWith(src, secret, nil) }

// StartWith is Start with the Active Authentication challenge computed
// from what is read (a service's request); random when nil.
func (r *Reading) StartWith(src core.Source, secret reader.Secret, challengeFor func(*document.Document) ([]byte, error)) {
	ctx, cancel := context.WithCancel(context.Background())
	r.mu.Lock()
	if r.cancel != nil {
		r.cancel()
	}
	r.state.Result.Wipe()
	r.gen++
	gen := r.gen
	r.cancel = cancel
	r.state = ReadingState{Phase: Waiting, Demo: src.Demo()}
	r.mu.Unlock()
	r.notify()

	tr := trace.New(version.Get().Short())
	opts := core.ReadOptions{
		TrustDir:     r.app.Env.TrustDir,
		Trace:        tr,
		ChallengeFor: challengeFor,
		Connected: func() {
			r.update(gen, func(s *ReadingState) { s.Phase, s.Current = InProgress, StepSecure })
		},
		Progress: func(p reader.Progress) {
			r.update(gen, func(s *ReadingState) { s.progress(p) })
		},
	}
	go func() {
		defer cancel()
		res, err := core.ReadCard(ctx, src, secret, opts)
		r.app.recordTrace(tr)
		var p *Problem
		if err != nil {
			p = ProblemOf(err)
		}
		kept := r.update(gen, func(s *ReadingState) {
			if err != nil {
				s.Phase, s.Problem = Failed, p
				return
			}
			s.Phase, s.Fraction, s.Result = Done, 1, res
		})
		if !kept {
			res.Wipe() // canceled or cleared meanwhile: nobody will show it
		} else if p != nil {
			r.app.recordProblem(p) // a read the user stopped (Clear) is no problem
		}
	}()
}

// update applies f if the run gen is still the current one.
func (r *Reading) update(gen int, f func(*ReadingState)) bool {
	r.mu.Lock()
	if gen != r.gen {
		r.mu.Unlock()
		return false
	}
	f(&r.state)
	r.mu.Unlock()
	r.notify()
	return true
}

// Cancel stops the read in progress; the state becomes Failed with a
// "canceled" problem, so the screen can offer to try again.
func (r *Reading) Cancel() {
	r.mu.Lock()
	if r.cancel == nil || (r.state.Phase != Waiting && r.state.Phase != InProgress) {
		r.mu.Unlock()
		return
	}
	r.cancel()
	r.mu.Unlock()
	// The goroutine reports the cancellation as the read's own error.
}

// fail shows p as the outcome of a read that could not start.
func (r *Reading) fail(p *Problem) {
	r.mu.Lock()
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
	}
	r.gen++
	r.state.Result.Wipe()
	r.state = ReadingState{Phase: Failed, Problem: p}
	r.mu.Unlock()
	r.notify()
}

// Clear wipes the result and returns to Idle.
func (r *Reading) Clear() {
	r.mu.Lock()
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
	}
	r.gen++
	r.state.Result.Wipe()
	r.state = ReadingState{}
	r.mu.Unlock()
	r.notify()
}

// progress applies a report of the reader.
func (s *ReadingState) progress(p reader.Progress) {
	s.Phase, s.Current, s.Fraction, s.Slow = InProgress, stepOf(p), fractionOf(p), p.Slow
}

func stepOf(p reader.Progress) ReadStep {
	switch p.Step {
	case reader.StepConnect:
		return StepSecure
	case reader.StepIdentity:
		return StepIdentity
	case reader.StepPhoto:
		return StepPhoto
	default:
		return StepAuthenticity
	}
}

// fractionOf places a progress report on one bar: the photo, by far the
// biggest file, gets the widest span.
func fractionOf(p reader.Progress) float64 {
	span := map[reader.Step][2]float64{
		reader.StepConnect: {0, 0.2}, reader.StepIdentity: {0.2, 0.4}, reader.StepPhoto: {0.4, 0.8},
		reader.StepAuthenticity: {0.8, 0.9}, core.StepVerify: {0.9, 1},
	}[p.Step]
	f := span[0]
	if p.Total > 0 && p.Done <= p.Total {
		f += (span[1] - span[0]) * float64(p.Done) / float64(p.Total)
	}
	return f
}
