package browser

import (
	"context"
	"errors"
	"fmt"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// startBrowser starts Chromium for one test and stops it at cleanup. A
// missing Chromium fails the test: a skipped end-to-end test hides a broken
// setup.
func startBrowser(t *testing.T) *Browser {
	t.Helper()
	if testing.Short() {
		t.Skip("starts Chromium; not in -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	b, err := Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// serve starts an httptest server on 127.0.0.1 for one test.
func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

func html(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!doctype html><html><head><title>t</title></head><body>%s</body></html>", body)
}

func timeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestMissingChromiumIsAnError(t *testing.T) {
	t.Setenv(ExecEnv, "")
	old := execCandidates
	execCandidates = []string{filepath.Join(t.TempDir(), "no-chromium-here")}
	defer func() { execCandidates = old }()

	b, err := Start(context.Background())
	if err == nil {
		b.Close()
		t.Fatal("Start succeeded without a browser")
	}
	if !errors.Is(err, ErrNoChromium) || !strings.Contains(err.Error(), "apt-get install chromium") {
		t.Fatalf("error does not say what to install: %v", err)
	}

	t.Setenv(ExecEnv, filepath.Join(t.TempDir(), "bogus"))
	if _, err := Start(context.Background()); !errors.Is(err, ErrNoChromium) || !strings.Contains(err.Error(), ExecEnv) {
		t.Fatalf("bad %s not reported: %v", ExecEnv, err)
	}
}

func TestClickChangesText(t *testing.T) {
	b := startBrowser(t)
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		html(w, `<p id="msg">before</p>
<button id="go" onclick="setTimeout(() => document.getElementById('msg').textContent = 'after the click', 200)">Go</button>`)
	}))
	ctx := timeout(t, 10*time.Second)

	if err := b.Open(ctx, s.URL); err != nil {
		t.Fatal(err)
	}
	if got, err := b.Text(ctx, "#msg"); err != nil || got != "before" {
		t.Fatalf("Text = %q, %v; want before", got, err)
	}
	if err := b.Click(ctx, "#go"); err != nil {
		t.Fatal(err)
	}
	got, err := b.WaitText(ctx, "#msg", "after")
	if err != nil {
		t.Fatal(err)
	}
	if got != "after the click" {
		t.Fatalf("WaitText = %q", got)
	}
}

// TestSlowCrossOriginPostRedirect is the shape of the real flows: a button
// on one origin posts to another that answers only after a few seconds,
// with a 303 back to the first origin.
func TestSlowCrossOriginPostRedirect(t *testing.T) {
	b := startBrowser(t)

	var first *httptest.Server
	var posted atomic.Value
	second := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "want POST", http.StatusMethodNotAllowed)
			return
		}
		posted.Store(r.FormValue("code"))
		time.Sleep(3 * time.Second)
		http.Redirect(w, r, first.URL+"/done?code="+r.FormValue("code"), http.StatusSeeOther)
	}))
	// Another host name as well as another port, so it is another origin
	// in every respect: localhost vs 127.0.0.1.
	_, port, _ := net.SplitHostPort(second.Listener.Addr().String())
	secondURL := "http://localhost:" + port + "/slow"

	first = serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			html(w, `<form method="post" action="`+secondURL+`">
<input type="hidden" name="code" value="42"><button type="submit">Send</button></form>`)
		case "/done":
			html(w, `<h1>Back</h1><p id="result">done: `+r.URL.Query().Get("code")+`</p>`)
		default:
			http.NotFound(w, r)
		}
	}))

	ctx := timeout(t, 15*time.Second)
	if err := b.Open(ctx, first.URL); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := b.Click(ctx, "button"); err != nil {
		t.Fatal(err)
	}
	got, err := b.WaitText(ctx, "#result", "done: 42")
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 3*time.Second {
		t.Errorf("final page after %v, before the slow server answered", d)
	}
	if got != "done: 42" {
		t.Errorf("WaitText = %q", got)
	}
	if v, _ := posted.Load().(string); v != "42" {
		t.Errorf("second server got code %q, want 42", v)
	}
	url, err := b.URL(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := first.URL + "/done?code=42"; url != want {
		t.Errorf("URL = %q, want %q", url, want)
	}
}

func TestScreenshotIsPNG(t *testing.T) {
	b := startBrowser(t)
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Taller than the window, to show the shot is of the whole page.
		html(w, `<div style="height:2000px;background:linear-gradient(red,blue)">tall</div>`)
	}))
	ctx := timeout(t, 10*time.Second)
	if err := b.Open(ctx, s.URL); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "shot.png")
	if err := b.Screenshot(ctx, path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if h := img.Bounds().Dy(); h < 2000 {
		t.Errorf("screenshot is %v, want the full 2000px page", img.Bounds())
	}
}

func TestWaitTextTimeoutShowsPage(t *testing.T) {
	b := startBrowser(t)
	filler := strings.Repeat("lorem ipsum ", 1000) // well over the 2 KB quoted
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		html(w, `<p id="status">Carte non détectée</p><div>`+filler+`</div>`)
	}))
	ctx := timeout(t, 10*time.Second)
	if err := b.Open(ctx, s.URL); err != nil {
		t.Fatal(err)
	}

	short, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := b.WaitText(short, "#status", "Lecture réussie")
	if err == nil {
		t.Fatal("WaitText found text that is not there")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("WaitText returned after %v, ctx gave it 1.5s", d)
	}
	msg := err.Error()
	t.Logf("error (%d bytes): %.300s…", len(msg), msg)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error does not wrap DeadlineExceeded: %v", err)
	}
	for _, want := range []string{"Lecture réussie", "Carte non détectée", s.URL, "more bytes"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q", want)
		}
	}
	if len(msg) > 3000 {
		t.Errorf("error is %d bytes; page text should be trimmed to ~2 KB", len(msg))
	}

	// A selector that matches nothing says so.
	short2, cancel2 := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel2()
	if _, err := b.Text(short2, "#nope"); err == nil || !strings.Contains(err.Error(), `no element matches "#nope"`) {
		t.Errorf("missing element: %v", err)
	}
	// An invalid selector fails at once instead of waiting out ctx.
	if _, err := b.Text(ctx, "p[["); err == nil || ctx.Err() != nil {
		t.Errorf("invalid selector: %v", err)
	}
}

// TestCloseLeavesNothing checks that Close removes the temporary directory
// and that no Chromium process (helpers, crashpad) still uses it.
func TestCloseLeavesNothing(t *testing.T) {
	b := startBrowser(t)
	dir := b.dir
	b.Close()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s still there after Close: %v", dir, err)
	}
	if runtime.GOOS == "linux" {
		procs, _ := os.ReadDir("/proc")
		for _, p := range procs {
			cmdline, err := os.ReadFile(filepath.Join("/proc", p.Name(), "cmdline"))
			if err == nil && strings.Contains(string(cmdline), dir) {
				t.Errorf("process %s survived Close: %.200q", p.Name(), cmdline)
			}
		}
	}
	b.Close() // a second Close is harmless
}

// TestStartTimeout checks that Start gives up with ctx and cleans up,
// whether ctx ends before or during the launch.
func TestStartTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium; not in -short")
	}
	for _, d := range []time.Duration{0, 100 * time.Millisecond} {
		before, _ := filepath.Glob(filepath.Join(os.TempDir(), "cnie-browser-*"))
		ctx, cancel := context.WithTimeout(context.Background(), d)
		start := time.Now()
		b, err := Start(ctx)
		cancel()
		if err == nil {
			b.Close()
			t.Logf("%v: Chromium started before the deadline", d)
			continue
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%v: %v", d, err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("%v: Start returned after %v", d, took)
		}
		after, _ := filepath.Glob(filepath.Join(os.TempDir(), "cnie-browser-*"))
		if len(after) > len(before) {
			t.Errorf("%v: temp dirs left: before %v, after %v", d, before, after)
		}
	}
}
