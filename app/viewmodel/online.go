package viewmodel

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/answer"
	"github.com/cnie-reader/cnie-reader/assertion/request"
)

// OnlinePhase is where a service's request stands.
type OnlinePhase int

const (
	NoRequest OnlinePhase = iota
	Asking                // on the screens: request, reading, consent
	Sending               // posting the answer
	Answered              // sent or refused; Outcome says which
)

// OnlineState is a snapshot of the online journey.
type OnlineState struct {
	Phase   OnlinePhase
	Request *request.Request
	// Refused: the holder said no (only the refusal was sent).
	Refused bool
	Problem *Problem
	// ChipSigned: what was sent carries the chip's signature of the request
	// (false: the chip has no Active Authentication; set once sent).
	ChipSigned bool
}

// Online is the journey a service starts: it implements intake.Holder,
// so the loopback intake hands it each verified request; the citizen
// screens then ask the holder, and nothing leaves without "Send".
type Online struct {
	observable
	Citizen *Citizen
	// Client posts to the service (a 30-second client when nil).
	Client *http.Client

	mu    sync.Mutex
	state OnlineState
	scope *assertion.Scope
	done  chan outcome
}

type outcome struct {
	redirect string
	err      error
}

// NewOnline attaches the online journey to the citizen's.
func NewOnline(c *Citizen) *Online {
	o := &Online{Citizen: c}
	c.Reading.Subscribe(o.notify)
	return o
}

// Handle is called by the intake with a verified request; it returns
// when the holder has sent, refused or given up (ctx).
func (o *Online) Handle(ctx context.Context, req *request.Request) (string, error) {
	done := make(chan outcome, 1)
	scope := assertion.NewScope(req.Asked)
	o.mu.Lock()
	if o.state.Phase == Asking || o.state.Phase == Sending {
		o.mu.Unlock()
		return "", assertion.Errorf(assertion.Busy, "online", "")
	}
	o.state = OnlineState{Phase: Asking, Request: req}
	o.scope, o.done = scope, done
	o.mu.Unlock()
	o.Citizen.beginOnline(answer.ChallengeFor(req, scope))
	o.notify()
	select {
	case r := <-done:
		return r.redirect, r.err
	case <-ctx.Done():
		o.finish(outcome{err: assertion.Wrap(assertion.Refused, "online", ctx.Err())}, true)
		return "", ctx.Err()
	}
}

// State is a snapshot.
func (o *Online) State() OnlineState {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.state
}

// Scope is what the request asks and the holder's switches.
func (o *Online) Scope() *assertion.Scope {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.scope
}

// SetOptional turns an optional datum on or off; only before the read,
// since the chip's signature covers the list of groups sent.
func (o *Online) SetOptional(d assertion.Datum, on bool) bool {
	o.mu.Lock()
	ok := o.scope != nil && o.state.Phase == Asking && o.Citizen.Reading.State().Phase == Idle && o.scope.Switch(d, on)
	o.mu.Unlock()
	if ok {
		o.notify()
	}
	return ok
}

// Continue goes from the request to the reader.
func (o *Online) Continue() { o.Citizen.Wizard.GoTo(StepReader) }

// Leaves lists what leaves: described before the read, with the values
// once read.
func (o *Online) Leaves() []assertion.Item {
	scope := o.Scope()
	if scope == nil {
		return nil
	}
	st := o.Citizen.Reading.State()
	if st.Phase == Done && st.Result != nil {
		// Parsed once by the reader: nothing is parsed again here.
		doc := st.Result.Doc
		items := scope.LeavesOf(doc.MRZ, doc.DG11, doc.ActiveAuth.Challenge != nil, time.Now())
		for i := range items {
			items[i].Value = shownValue(items[i].What, items[i].Value)
		}
		return items
	}
	return scope.Leaves(true, time.Now())
}

// shownValue writes a date in words ("14 juillet 1990"), as every other
// screen does; the rest as it leaves.
func shownValue(what, v string) string {
	layout := map[string]string{string(assertion.BirthDate): "2006-01-02", string(assertion.ExpiryDate): "2006-01-02",
		assertion.ItemFullBirthDate: "20060102"}[what]
	if layout == "" {
		return v
	}
	if t, err := time.Parse(layout, v); err == nil {
		return i18n.Current().Date(t)
	}
	return v
}

// Refuse sends the refusal (no data) and ends the request.
func (o *Online) Refuse() {
	req := o.begin()
	if req == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		redirect, err := answer.Refuse(ctx, o.Client, req)
		o.finish(outcome{redirect: redirect, err: err}, true)
	}()
}

// Send builds the assertion from the read and posts it.
func (o *Online) Send() {
	st := o.Citizen.Reading.State()
	if st.Phase != Done || st.Result == nil {
		return
	}
	req := o.begin()
	if req == nil {
		return
	}
	scope := o.Scope()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		tok, err := answer.Build(req, scope, &st.Result.Doc.Document, st.Result.Report)
		redirect := ""
		if err == nil {
			o.mu.Lock()
			o.state.ChipSigned = tok.ChipPresence.Provable
			o.mu.Unlock()
			redirect, err = answer.Send(ctx, o.Client, req, tok)
		}
		o.finish(outcome{redirect: redirect, err: err}, false)
	}()
}

// begin moves to Sending, once.
func (o *Online) begin() *request.Request {
	o.mu.Lock()
	if o.state.Phase != Asking {
		o.mu.Unlock()
		return nil
	}
	o.state.Phase = Sending
	req := o.state.Request
	o.mu.Unlock()
	o.notify()
	return req
}

// finish records the outcome, wipes the read, and releases the intake.
func (o *Online) finish(r outcome, refused bool) {
	o.mu.Lock()
	if o.state.Phase == Answered || o.state.Phase == NoRequest {
		o.mu.Unlock()
		return
	}
	o.state.Phase, o.state.Refused = Answered, refused
	if r.err != nil && assertion.KindOf(r.err) != assertion.Refused {
		o.state.Problem = ProblemOf(r.err)
	}
	done := o.done
	o.mu.Unlock()
	o.Citizen.Reading.Clear() // nothing of the holder stays once answered
	if r.err != nil {
		o.Citizen.App.recordProblem(ProblemOf(r.err))
	}
	o.Citizen.Wizard.GoTo(StepSent)
	done <- r
	o.notify()
}

// Close ends the online journey's screens (after the sent step).
func (o *Online) Close() {
	o.mu.Lock()
	if o.state.Phase == Asking {
		o.mu.Unlock()
		o.Refuse()
		return
	}
	o.state = OnlineState{}
	o.mu.Unlock()
	o.Citizen.Finish()
	o.notify()
}
