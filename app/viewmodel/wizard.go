package viewmodel

import (
	"slices"
	"sync"
)

// StepID names a wizard step. The screens map each id to a view, so a
// journey gains a step (a service's request before reading, a consent after
// it) by inserting an id, without touching the other steps.
type StepID string

// The citizen journey's steps.
const (
	StepReader  StepID = "reader"  // a reader is there, or how to plug one in
	StepCAN     StepID = "can"     // the 6-digit card access number
	StepPlace   StepID = "place"   // lay the card on the reader
	StepReading StepID = "reading" // progress, cancel, or what went wrong
	StepResult  StepID = "result"  // identity and verification
	// The online journey, when a service asks.
	StepRequest StepID = "request" // who asks, why, what leaves; optional data switches
	StepConsent StepID = "consent" // exactly what leaves, with the values: send or refuse
	StepSent    StepID = "sent"    // what happened
)

// Wizard is an ordered list of steps and the current one.
type Wizard struct {
	observable
	mu    sync.Mutex
	steps []StepID
	cur   int
}

// NewWizard starts at the first of steps.
func NewWizard(steps ...StepID) *Wizard { return &Wizard{steps: slices.Clone(steps)} }

// Reset replaces the steps and shows the first.
func (w *Wizard) Reset(steps ...StepID) {
	w.mu.Lock()
	w.steps, w.cur = slices.Clone(steps), 0
	w.mu.Unlock()
	w.notify()
}

// Steps lists the steps in order.
func (w *Wizard) Steps() []StepID {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.steps)
}

// Insert adds steps just before the step at (at the end when at is absent).
func (w *Wizard) Insert(at StepID, steps ...StepID) {
	w.mu.Lock()
	i := slices.Index(w.steps, at)
	if i < 0 {
		i = len(w.steps)
	}
	cur := w.steps[w.cur]
	w.steps = slices.Insert(w.steps, i, steps...)
	w.cur = slices.Index(w.steps, cur)
	w.mu.Unlock()
	w.notify()
}

// Current is the step shown.
func (w *Wizard) Current() StepID {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.steps[w.cur]
}

// Position is the 1-based place of the current step, and how many there are.
func (w *Wizard) Position() (int, int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cur + 1, len(w.steps)
}

// After is the step that follows id (id itself when it is the last).
func (w *Wizard) After(id StepID) StepID {
	w.mu.Lock()
	defer w.mu.Unlock()
	if i := slices.Index(w.steps, id); i >= 0 && i+1 < len(w.steps) {
		return w.steps[i+1]
	}
	return id
}

// GoTo shows step id; it reports false when there is no such step.
func (w *Wizard) GoTo(id StepID) bool {
	w.mu.Lock()
	i := slices.Index(w.steps, id)
	changed := i >= 0 && i != w.cur
	if changed {
		w.cur = i
	}
	w.mu.Unlock()
	if changed {
		w.notify()
	}
	return i >= 0
}

// Next moves to the following step, if any.
func (w *Wizard) Next() { w.move(+1) }

// Back moves to the previous step, if any.
func (w *Wizard) Back() { w.move(-1) }

func (w *Wizard) move(d int) {
	w.mu.Lock()
	n := w.cur + d
	ok := n >= 0 && n < len(w.steps)
	if ok {
		w.cur = n
	}
	w.mu.Unlock()
	if ok {
		w.notify()
	}
}
