// Package viewmodel holds the logic of every screen, without any widget:
// what the screen shows, what its buttons do, and the work they start in the
// background. The Fyne screens (package gui) only draw a view model's state
// and forward clicks; tests drive view models directly and through the
// screens with Fyne's headless test driver.
//
// Threading: methods are called from the UI goroutine; background work
// updates the state under the view model's lock and then calls the
// listeners, from its own goroutine. A listener that touches widgets must
// hop to the UI goroutine (fyne.Do).
package viewmodel

import "sync"

// observable calls its listeners when the state changed.
type observable struct {
	mu        sync.Mutex
	listeners []func()
}

// Subscribe adds a listener, called after every change.
func (o *observable) Subscribe(f func()) {
	o.mu.Lock()
	o.listeners = append(o.listeners, f)
	o.mu.Unlock()
}

func (o *observable) notify() {
	o.mu.Lock()
	ls := append([]func(){}, o.listeners...)
	o.mu.Unlock()
	for _, f := range ls {
		f()
	}
}
