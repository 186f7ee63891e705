package viewmodel

import (
	"context"
	"sync"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/internal/diag"
	"github.com/cnie-reader/cnie-reader/reader/trace"
)

// Env is what the application runs against; tests replace parts of it.
type Env struct {
	// Monitor watches the readers (core.PCSCMonitor in the application).
	Monitor core.Monitor
	// DemoProfile is the virtual card's profile (sim.DefaultProfile when empty).
	DemoProfile string
	// TrustDir holds the user's imported trust files (default when empty).
	TrustDir string
	// Diagnose runs the support diagnosis (diag.Run in the application).
	Diagnose func(ctx context.Context) *diag.Report
}

// App is the state every screen shares: the readers, the last problem and
// the last read's trace (for support). It holds no personal data.
type App struct {
	observable
	Env Env

	mu        sync.Mutex
	readers   core.ReaderStatus
	watching  bool
	lastErr   *Problem
	lastTrace *trace.Trace
	intake    string
}

// SetIntake records where services send browsers ("" with the reason in
// the last problem when it could not start).
func (a *App) SetIntake(url string) {
	a.mu.Lock()
	a.intake = url
	a.mu.Unlock()
	a.notify()
}

// Intake is the intake's address, or "".
func (a *App) Intake() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.intake
}

// NewApp makes the shared state; Start begins watching the readers.
func NewApp(env Env) *App {
	return &App{Env: env, readers: core.ReaderStatus{}}
}

// Start watches the readers until ctx ends.
func (a *App) Start(ctx context.Context) {
	if a.Env.Monitor == nil {
		return
	}
	a.mu.Lock()
	a.watching = true
	a.mu.Unlock()
	go a.Env.Monitor.Watch(ctx, func(s core.ReaderStatus) {
		a.mu.Lock()
		a.readers = s
		a.mu.Unlock()
		a.notify()
	})
}

// Readers is the last known reader status.
func (a *App) Readers() core.ReaderStatus {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.readers
}

// Demo is the built-in virtual card.
func (a *App) Demo() core.DemoSource { return core.DemoSource{Profile: a.Env.DemoProfile} }

// ReaderSource is the reader to use, if any.
func (a *App) ReaderSource() (core.Source, bool) {
	name, ok := a.Readers().Preferred()
	if !ok {
		return nil, false
	}
	return core.ReaderSource{Reader: name}, true
}

// recordProblem keeps the last failure for the support screen.
func (a *App) recordProblem(p *Problem) {
	a.mu.Lock()
	a.lastErr = p
	a.mu.Unlock()
	a.notify()
}

// ReportProblem shows a failure outside the screens' own work (the intake
// could not start) on the support screen.
func (a *App) ReportProblem(err error) { a.recordProblem(ProblemOf(err)) }

// recordTrace keeps the redacted trace of the last read.
func (a *App) recordTrace(t *trace.Trace) {
	a.mu.Lock()
	a.lastTrace = t
	a.mu.Unlock()
}

// LastProblem is the last failure any screen met, or nil.
func (a *App) LastProblem() *Problem {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.lastErr
}

// LastTrace is the redacted trace of the last read, or nil.
func (a *App) LastTrace() *trace.Trace {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.lastTrace
}
