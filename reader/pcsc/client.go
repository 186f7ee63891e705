package pcsc

import (
	"sync"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Client is a connection to the PC/SC service that heals itself: when pcscd
// is restarted (or was not there yet), the next call establishes a new
// context instead of failing forever. The GUI and long-running commands
// hold one Client for their whole life.
type Client struct {
	mu  sync.Mutex
	ctx *Context
}

// Context returns a context, establishing a new one when the service went
// away. pcsc-lite's own validity check does not always notice a restarted
// pcscd (the old handle still lists readers), so callers go through Do,
// which starts again on the first NoService error.
func (c *Client) Context() (*Context, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx != nil {
		if ok, err := c.ctx.ctx.IsValid(); ok && err == nil {
			return c.ctx, nil
		}
		c.ctx.Close()
		c.ctx = nil
	}
	ctx, err := Establish()
	if err != nil {
		return nil, err
	}
	c.ctx = ctx
	return ctx, nil
}

// Do runs f with a valid context; if f fails because the service stopped
// under it, the context is dropped and f runs once more on a new one.
func (c *Client) Do(f func(*Context) error) error {
	for attempt := 0; ; attempt++ {
		ctx, err := c.Context()
		if err != nil {
			return err
		}
		err = f(ctx)
		if attempt > 0 || !serviceLost(err) {
			return err
		}
		c.drop(ctx)
	}
}

func serviceLost(err error) bool { return chiperr.KindOf(err) == chiperr.NoService }

func (c *Client) drop(ctx *Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx == ctx {
		c.ctx.Close()
		c.ctx = nil
	}
}

// Close releases the context.
func (c *Client) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx != nil {
		c.ctx.Close()
		c.ctx = nil
	}
}
