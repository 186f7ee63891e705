package viewmodel

import (
	"context"
	"sync"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// demoSlot is the DEMO card as a reader would give it: Connect waits until
// the holder "lays" the virtual card with a click, as with a real one.
type demoSlot struct {
	core.DemoSource
	mu   sync.Mutex
	laid chan struct{}
}

func newDemoSlot(src core.DemoSource) *demoSlot {
	return &demoSlot{DemoSource: src, laid: make(chan struct{})}
}

// Lay puts the virtual card on the virtual reader.
func (d *demoSlot) Lay() {
	d.mu.Lock()
	defer d.mu.Unlock()
	select {
	case <-d.laid:
	default:
		close(d.laid)
	}
}

// Lift takes it off again, for the next read.
func (d *demoSlot) Lift() {
	d.mu.Lock()
	defer d.mu.Unlock()
	select {
	case <-d.laid:
		d.laid = make(chan struct{})
	default:
	}
}

func (d *demoSlot) Connect(ctx context.Context) (*core.Connection, error) {
	d.mu.Lock()
	laid := d.laid
	d.mu.Unlock()
	select {
	case <-laid:
		return d.DemoSource.Connect(ctx)
	case <-ctx.Done():
		return nil, chiperr.Wrap(chiperr.Canceled, "wait for the card", ctx.Err())
	}
}
