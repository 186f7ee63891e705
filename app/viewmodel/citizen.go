package viewmodel

import (
	"sync"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/document"
)

// Citizen is the holder's journey: reader, CAN, card, reading, result.
type Citizen struct {
	observable
	App     *App
	Wizard  *Wizard
	Reading *Reading

	cardChoice
	mu   sync.Mutex
	slot *demoSlot
	// challengeFor binds the chip's signature to a service's request
	// during the online journey; nil otherwise.
	challengeFor func(*document.Document) ([]byte, error)
}

// defaultSteps is the journey without a service.
var defaultSteps = []StepID{StepReader, StepCAN, StepPlace, StepReading, StepResult}

// NewCitizen starts the journey at its first step.
func NewCitizen(app *App) *Citizen {
	c := &Citizen{App: app, Wizard: NewWizard(defaultSteps...),
		Reading: NewReading(app), slot: newDemoSlot(app.Demo())}
	c.changed = c.notify
	c.Reading.Subscribe(c.followReading)
	app.Subscribe(c.notify)
	c.Wizard.Subscribe(c.notify)
	c.Reading.Subscribe(c.notify)
	return c
}

// followReading moves the wizard with the read: waiting for the card,
// reading, then the step after reading (the result, or a step a journey
// inserted there); a failure stays on the reading step.
func (c *Citizen) followReading() {
	cur := c.Wizard.Current()
	if cur != StepPlace && cur != StepReading {
		return
	}
	switch c.Reading.State().Phase {
	case Waiting:
		c.Wizard.GoTo(StepPlace)
	case InProgress, Failed:
		c.Wizard.GoTo(StepReading)
	case Done:
		c.Wizard.GoTo(c.Wizard.After(StepReading))
	}
}

// DemoCAN is the public CAN of the DEMO card.
func (c *Citizen) DemoCAN() string { return c.App.Demo().DemoCAN() }

// SourceReady tells whether the journey can go on: a reader is there, or
// the DEMO card is chosen.
func (c *Citizen) SourceReady() bool {
	if c.UsingDemo() {
		return true
	}
	_, ok := c.App.ReaderSource()
	return ok
}

// SubmitCAN starts the read when the CAN (or the MRZ) is complete.
func (c *Citizen) SubmitCAN() bool {
	if _, ok := c.secret(); !ok {
		return false
	}
	return c.start()
}

// DemoMRZ is the DEMO card's MRZ fields, shown as a hint.
func (c *Citizen) DemoMRZ() (doc, birth, expiry string) { return c.App.Demo().DemoMRZ() }

func (c *Citizen) start() bool {
	var src core.Source
	if c.UsingDemo() {
		c.slot.Lift()
		src = c.slot
	} else {
		s, ok := c.App.ReaderSource()
		if !ok {
			c.Wizard.GoTo(StepReader)
			return false
		}
		src = s
	}
	c.mu.Lock()
	challengeFor := c.challengeFor
	c.mu.Unlock()
	secret, _ := c.secret()
	c.Wizard.GoTo(StepPlace)
	c.Reading.StartWith(src, secret, challengeFor)
	return true
}

// LayDemoCard puts the virtual card on the virtual reader.
func (c *Citizen) LayDemoCard() { c.slot.Lay() }

// Cancel stops the read the holder started and goes back, quietly, to
// the step it was started from: a choice, not a failure.
func (c *Citizen) Cancel() {
	c.Reading.Clear()
	c.Wizard.GoTo(StepCAN)
}

// Retry goes back to where the problem can be fixed: the CAN step for a
// refused CAN, the reader step when the reader went away, else a new read.
func (c *Citizen) Retry() {
	p := c.Reading.State().Problem
	c.Reading.Clear()
	switch {
	case p != nil && (p.Kind == chiperr.AccessDenied || p.Kind == chiperr.BadInput):
		c.SetCAN("")
		c.Wizard.GoTo(StepCAN)
	case p != nil && (p.Kind == chiperr.NoReader || p.Kind == chiperr.ReaderRemoved || p.Kind == chiperr.NoService):
		c.Wizard.GoTo(StepReader)
	default:
		c.start()
	}
}

// Finish forgets everything about the holder and returns to the start
// of the journey without a service.
func (c *Citizen) Finish() {
	c.Reading.Clear()
	c.SetCAN("")
	c.mu.Lock()
	c.challengeFor = nil
	c.mu.Unlock()
	c.Wizard.Reset(defaultSteps...)
}

// beginOnline turns the journey into a service's: its steps, and the
// chip's signature bound to the request.
func (c *Citizen) beginOnline(challengeFor func(*document.Document) ([]byte, error)) {
	c.Reading.Clear()
	c.SetCAN("")
	c.mu.Lock()
	c.challengeFor = challengeFor
	c.mu.Unlock()
	c.Wizard.Reset(StepRequest, StepReader, StepCAN, StepPlace, StepReading, StepConsent, StepSent)
}

// Identity is the result to show, or false before a successful read.
func (c *Citizen) Identity() (Identity, *core.ReadResult, bool) {
	st := c.Reading.State()
	if st.Phase != Done || st.Result == nil {
		return Identity{}, nil, false
	}
	return IdentityOf(st.Result, time.Now()), st.Result, true
}
