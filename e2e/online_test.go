package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/internal/demoservice"
	"github.com/cnie-reader/cnie-reader/internal/sim"
)

// syncBuffer is the terminal's screen, read while serve writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestBrowserDemoServiceServe is the online journey end to end.
func TestBrowserDemoServiceServe(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the browser test runs in `make test`")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	// The demo service, trusting the virtual card's demo CSCA.
	card, err := sim.NewNamed(sim.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	store, err := core.TrustStore(t.TempDir(), card)
	if err != nil {
		t.Fatal(err)
	}
	appPort := freePort(t)
	sl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("http://localhost:%d", sl.Addr().(*net.TCPAddr).Port)
	svc, err := demoservice.New("localhost", base, fmt.Sprintf("http://127.0.0.1:%d/authorize", appPort), store)
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: svc}
	go hs.Serve(sl)
	defer hs.Close()

	// The application, headless, asking consent on its terminal.
	app := startHeadlessApp(t, appPort)
	b := openBrowser(ctx, t, base+"/")
	if err := b.Click(ctx, "#prove"); err != nil {
		t.Fatal(err)
	}
	// The holder reads the full list of what leaves, then says yes.
	screen := app.consent(t)
	for _, want := range []string{"localhost", "DEMO", "Photo", "EF.SOD"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the terminal does not show %q:\n%s", want, screen)
		}
	}
	outcome, err := b.WaitText(ctx, "#outcome", "DEMO")
	if err != nil {
		t.Fatalf("%v\nterminal:\n%s", err, app.term.String())
	}
	if !strings.Contains(outcome, "Identity verified") {
		t.Errorf("outcome %q", outcome)
	}
	identity, err := b.Text(ctx, "#identity")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"DEMO", "CAMILLE", "1990-07-14", "EXEMPLEVILLE"} {
		if !strings.Contains(identity, want) {
			t.Errorf("the service page does not show %q: %s", want, identity)
		}
	}
	if p, _ := b.Text(ctx, "#presence"); !strings.Contains(p, "Chip present") {
		t.Errorf("presence: %q", p)
	}
	if path := os.Getenv("E2E_SCREENSHOT"); path != "" {
		if err := b.Screenshot(ctx, path); err != nil {
			t.Error(err)
		}
	}
	app.waitDone(t)
}
