package trace

import "time"

// SetClock replaces the trace's clock, so that tests get stable timings.
func SetClock(tr *Trace, now func() time.Time) {
	tr.mu.Lock()
	tr.now = now
	tr.mu.Unlock()
}
