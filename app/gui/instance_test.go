package gui

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

// freePorts are two ports nothing listens on, for a test's own range.
func freePorts(t *testing.T) []int {
	t.Helper()
	var ports []int
	for range 2 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
		l.Close()
	}
	return ports
}

// TestSecondLaunchShowsTheFirst: two launches on the same ports (the
// intake's range): the first holds the port; the second finds it, asks it
// to come forward, and gets ErrAlreadyRunning; the first is asked to show,
// and still serves its intake on the same port.
func TestSecondLaunchShowsTheFirst(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ports := freePorts(t)
	first, err := claimInstance(ctx, ports)
	if err != nil {
		t.Fatal(err)
	}
	var shown atomic.Int32
	first.setShow(func() { shown.Add(1) })
	first.setIntake(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "intake "+r.URL.Path) }))

	second, err := claimInstance(ctx, ports)
	if !errors.Is(err, ErrAlreadyRunning) || second != nil {
		t.Fatalf("second launch: %v, %v", second, err)
	}
	if shown.Load() != 1 {
		t.Errorf("the first window was asked to show %d times", shown.Load())
	}
	resp, err := http.Get("http://127.0.0.1:" + strconv.Itoa(first.Port()) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "intake /status" {
		t.Errorf("the intake answers %q", b)
	}
}

// TestShowNeedsItsHeader: a plain POST (what a web page can send to the
// loopback without a preflight) does not pull the window forward.
func TestShowNeedsItsHeader(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in, err := claimInstance(ctx, freePorts(t))
	if err != nil {
		t.Fatal(err)
	}
	var shown atomic.Int32
	in.setShow(func() { shown.Add(1) })
	in.setIntake(http.NotFoundHandler())
	resp, err := http.Post("http://127.0.0.1:"+strconv.Itoa(in.Port())+showPath, "text/plain", strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if shown.Load() != 0 {
		t.Error("a POST without the header brought the window forward")
	}
}

// TestPortTakenByAnotherProgram: a port held by something else is skipped.
func TestPortTakenByAnotherProgram(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	other := &http.Server{Handler: http.NotFoundHandler(), ReadHeaderTimeout: time.Second}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go other.Serve(l)
	defer other.Close()
	ports := append([]int{l.Addr().(*net.TCPAddr).Port}, freePorts(t)[0])
	in, err := claimInstance(ctx, ports)
	if err != nil {
		t.Fatal(err)
	}
	if in.Port() != ports[1] {
		t.Errorf("port %d, want %d", in.Port(), ports[1])
	}
}

// TestWindowSize: the window takes up to 1280×800 of the screen, never
// more than the screen less its margins; at 1024×768 it is 1000×700.
func TestWindowSize(t *testing.T) {
	for _, c := range []struct{ screen, want fyne.Size }{
		{fyne.NewSize(1024, 768), fyne.NewSize(1000, 700)},
		{fyne.NewSize(1366, 768), fyne.NewSize(1280, 700)},
		{fyne.NewSize(1920, 1080), fyne.NewSize(1280, 800)},
		{fyne.NewSize(800, 600), fyne.NewSize(776, 532)},
	} {
		got := windowSize(c.screen)
		if got != c.want || got.Width > c.screen.Width || got.Height > c.screen.Height {
			t.Errorf("screen %v: window %v, want %v", c.screen, got, c.want)
		}
	}
}

// TestAnotherSessionKeepsItsWindow: a launch by another user, or on
// another display, does not pull this window forward: it opens its own, on
// the next port.
func TestAnotherSessionKeepsItsWindow(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	was := sessionKey
	t.Cleanup(func() { sessionKey = was })
	sessionKey = func() string { return "1000|:0|" }
	ports := freePorts(t)
	first, err := claimInstance(ctx, ports)
	if err != nil {
		t.Fatal(err)
	}
	var shown atomic.Int32
	first.setShow(func() { shown.Add(1) })
	first.setIntake(http.NotFoundHandler())
	sessionKey = func() string { return "1001|:1|" }
	second, err := claimInstance(ctx, ports)
	if err != nil {
		t.Fatalf("another session's launch: %v", err)
	}
	if second.Port() != ports[1] || shown.Load() != 0 {
		t.Errorf("port %d (want %d), first window shown %d times", second.Port(), ports[1], shown.Load())
	}
}
