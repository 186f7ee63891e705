package e2e

import (
	"context"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/app/cli"
	"github.com/cnie-reader/cnie-reader/internal/browser"
)

// headlessApp is the application without a window (`serve --sim --once`)
// on port, its consent asked on a terminal the test reads and types into.
type headlessApp struct {
	term   syncBuffer
	stdin  *io.PipeWriter
	served chan int
}

// startHeadlessApp starts serve and waits until it listens.
func startHeadlessApp(t *testing.T, port int) *headlessApp {
	t.Helper()
	stdinR, stdinW := io.Pipe()
	t.Cleanup(func() { stdinW.Close() })
	a := &headlessApp{stdin: stdinW, served: make(chan int, 1)}
	go func() {
		a.served <- cli.MainIO([]string{"serve", "--sim", "--port", strconv.Itoa(port), "--once", "--allow-loopback-http"}, stdinR, &a.term, &a.term)
	}()
	waitFor(t, "serve to listen", 20*time.Second, func() bool { return strings.Contains(a.term.String(), "/authorize") })
	return a
}

// consent waits for the consent question, returns what the terminal
// showed until then, and answers yes.
func (a *headlessApp) consent(t *testing.T) (screen string) {
	t.Helper()
	waitFor(t, "the consent question", 30*time.Second, func() bool {
		s := a.term.String()
		return strings.Contains(s, "[o/N]") || strings.Contains(s, "[y/N]")
	})
	screen = a.term.String()
	if _, err := a.stdin.Write([]byte("o\n")); err != nil {
		t.Fatal(err)
	}
	return screen
}

// waitDone checks that serve --once stopped cleanly after its one answer.
func (a *headlessApp) waitDone(t *testing.T) {
	t.Helper()
	select {
	case code := <-a.served:
		if code != 0 {
			t.Errorf("serve exited %d:\n%s", code, a.term.String())
		}
	case <-time.After(10 * time.Second):
		t.Error("serve --once did not stop")
	}
}

// openBrowser starts headless Chromium on url; a missing browser fails
// the test (make test installs Debian's chromium).
func openBrowser(ctx context.Context, t *testing.T, url string) *browser.Browser {
	t.Helper()
	b, err := browser.Start(ctx)
	if err != nil {
		t.Fatalf("a real browser is required (make test installs Debian's chromium): %v", err)
	}
	t.Cleanup(b.Close)
	if err := b.Open(ctx, url); err != nil {
		t.Fatal(err)
	}
	return b
}
