// Package browser drives a headless Chromium for end-to-end tests.
//
// It is a thin layer over chromedp that fixes the things every test would
// otherwise get wrong on this project's machines: the flags that keep
// Chromium from hanging on a closed network, a throw-away profile, waits
// that survive navigations, and errors that say what the page showed.
//
// A Browser has a single tab; its methods are not meant to be called from
// several goroutines at once.
package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/chromedp/chromedp"
)

// DebugEnv names the environment variable that turns on chromedp's logging
// and Chromium's own output, both on stderr. The value "cdp" also logs every
// DevTools protocol message. Unset, the package is silent.
const DebugEnv = "BROWSER_DEBUG"

// ExecEnv names the environment variable that chooses the Chromium
// executable, for machines where it is not /usr/bin/chromium.
const ExecEnv = "CHROMIUM"

// execCandidates is where Start looks when ExecEnv is unset: Debian's
// path first, then the names other distributions use. A variable so that
// the tests can simulate a machine without Chromium.
var execCandidates = []string{"/usr/bin/chromium", "chromium", "chromium-browser"}

// maxPageText bounds the page text quoted in errors: enough to recognise
// the page, short enough to keep a failing test's output readable.
const maxPageText = 2048

// pollInterval is how often WaitText looks at the page again.
const pollInterval = 100 * time.Millisecond

// ErrNoChromium is wrapped by the error of Start when no executable is
// found, so callers can recognise it (and fail, not skip, the test).
var ErrNoChromium = errors.New("chromium not found")

// Browser is one running headless Chromium with one tab, started by Start
// and stopped by Close.
type Browser struct {
	tab         context.Context // chromedp context of the tab; every action derives from it
	cancelTab   context.CancelFunc
	cancelAlloc context.CancelFunc
	dir         string // temporary; holds the profile and Chromium's XDG dirs, removed by Close
	closeOnce   sync.Once
}

// findExec returns the Chromium executable: ExecEnv if set, else the first
// of execCandidates that exists.
func findExec() (string, error) {
	if p := os.Getenv(ExecEnv); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("%w: %s=%q: %v (install it with `apt-get install chromium`, or fix %s)",
				ErrNoChromium, ExecEnv, p, err, ExecEnv)
		}
		return path, nil
	}
	for _, c := range execCandidates {
		if path, err := exec.LookPath(c); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("%w: looked for %s (and $PATH); install the Debian package with `apt-get install chromium`, or set %s",
		ErrNoChromium, strings.Join(execCandidates, ", "), ExecEnv)
}

// Start launches headless Chromium with a fresh empty profile and opens
// one blank tab. ctx bounds only the start; the browser runs until Close.
// A missing executable is an error wrapping ErrNoChromium.
func Start(ctx context.Context) (*Browser, error) {
	path, err := findExec()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "cnie-browser-")
	if err != nil {
		return nil, fmt.Errorf("browser: temp dir: %w", err)
	}

	debug := os.Getenv(DebugEnv)
	var output io.Writer = io.Discard
	if debug != "" {
		output = os.Stderr
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		// The network is closed: each of these stops a background lookup
		// or download that would otherwise stall start-up or navigation.
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true), // we often run as root in containers
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		// /dev/shm is tiny in many containers and Chromium crashes when it
		// fills; Debian's wrapper only adds this when it can measure it.
		chromedp.Flag("disable-dev-shm-usage", true),
		// Tests run in a hidden tab: keep timers and rendering at full speed.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-hang-monitor", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(1280, 900), // stable screenshots
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		// Debian's Chromium starts crashpad whatever the flags, and it
		// writes to ~/.config/chromium: keep that in the temp dir too.
		chromedp.Env("XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
			"XDG_CACHE_HOME="+filepath.Join(dir, "cache")),
		chromedp.ModifyCmdFunc(setProcAttr),
		chromedp.CombinedOutput(output),
	}

	// The browser must outlive ctx (often a start-up timeout), so its
	// contexts hang off a copy of ctx that is never cancelled.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.WithoutCancel(ctx), opts...)
	tab, cancelTab := chromedp.NewContext(allocCtx, logOptions(debug)...)
	// chromedp's cancel funcs are not idempotent: after a failed start a
	// second call blocks forever. Start and shutdown may both call them.
	cancelTab = sync.OnceFunc(cancelTab)
	cancelAlloc = sync.OnceFunc(cancelAlloc)
	b := &Browser{tab: tab, cancelTab: cancelTab, cancelAlloc: cancelAlloc, dir: dir}

	started := make(chan error, 1)
	go func() { started <- chromedp.Do(tab) }() // the first Run launches Chromium
	select {
	case err = <-started:
	case <-ctx.Done():
		cancelTab()
		<-started
		err = ctx.Err()
	}
	if err != nil {
		b.shutdown(false)
		return nil, fmt.Errorf("browser: starting %s: %w", path, err)
	}
	return b, nil
}

// logOptions silences chromedp (it logs to the standard logger by
// default) unless debugging was asked for.
func logOptions(debug string) []chromedp.ContextOption {
	if debug == "" {
		quiet := func(string, ...any) {}
		return []chromedp.ContextOption{chromedp.WithLogf(quiet), chromedp.WithErrorf(quiet)}
	}
	l := log.New(os.Stderr, "browser: ", log.LstdFlags|log.Lmicroseconds)
	opts := []chromedp.ContextOption{chromedp.WithLogf(l.Printf), chromedp.WithErrorf(l.Printf)}
	if debug == "cdp" {
		opts = append(opts, chromedp.WithDebugf(l.Printf))
	}
	return opts
}

// Close stops the browser and any helper process it left, and removes its
// temporary profile. It is safe to call more than once and on a nil
// *Browser, so it fits a defer or t.Cleanup right after Start.
func (b *Browser) Close() {
	if b == nil {
		return
	}
	b.closeOnce.Do(func() { b.shutdown(true) })
}

// shutdown ends Chromium, gracefully when asked and possible, then makes
// sure no process of it survives and deletes the profile.
func (b *Browser) shutdown(graceful bool) {
	if graceful {
		// A graceful close lets Chromium's helpers exit on their own;
		// bounded, because a wedged browser must not hang the test.
		ctx, cancel := context.WithTimeout(b.tab, 3*time.Second)
		_ = chromedp.Cancel(ctx)
		cancel()
	}
	b.cancelTab()
	b.cancelAlloc() // kills the main process if still alive and waits for it
	killLeftovers(b.dir)
	// A helper killed just now may still hold a file for a moment.
	deadline := time.Now().Add(3 * time.Second)
	for os.RemoveAll(b.dir) != nil && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
}

// run executes f against the tab, bounded by the caller's ctx. chromedp
// needs contexts derived from its own, so ctx's deadline and cancellation
// are copied onto one; a failure after ctx ended wraps ctx.Err() so
// errors.Is(err, context.DeadlineExceeded) works.
func (b *Browser) run(ctx context.Context, f func(ctx context.Context) error) error {
	rctx, cancel := context.WithCancel(b.tab)
	defer cancel()
	if d, ok := ctx.Deadline(); ok {
		var cancelD context.CancelFunc
		rctx, cancelD = context.WithDeadline(rctx, d)
		defer cancelD()
	}
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	err := f(rctx)
	if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
		err = fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	return err
}

// Open navigates the tab to url and waits for the page's load event.
func (b *Browser) Open(ctx context.Context, url string) error {
	err := b.run(ctx, func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.Navigate(url))
	})
	if err != nil {
		return fmt.Errorf("browser: open %s: %w", url, err)
	}
	return nil
}

// Click waits until the first element matching cssSelector is visible and
// clicks it with a real mouse event. It does not wait for any navigation
// the click starts; follow it with WaitText on the next page.
func (b *Browser) Click(ctx context.Context, cssSelector string) error {
	err := b.run(ctx, func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.Click(chromedp.CSS(cssSelector)))
	})
	if err != nil {
		return b.withPage(fmt.Errorf("browser: click %q: %w", cssSelector, err))
	}
	return nil
}

// probe is what readJS reports about the element.
type probe struct {
	Found bool   `json:"found"`
	Text  string `json:"text"`
	Error string `json:"error"` // an invalid selector: retrying cannot help
}

// readJS reads the innerText of the first element matching the selector
// given as a JSON string; innerText is what a user sees, not hidden markup.
const readJS = `(() => {
	try {
		const e = document.querySelector(%s);
		return e === null ? {found: false} : {found: true, text: e.innerText};
	} catch (err) {
		return {found: false, error: String(err)};
	}
})()`

// WaitText waits until the innerText of the first element matching
// cssSelector contains substring, and returns that text. It keeps looking
// across navigations (clicks, form posts, redirects), so it is the way to
// wait for the page a click leads to. When ctx ends first, the error wraps
// ctx.Err() and quotes the page's current URL and text.
func (b *Browser) WaitText(ctx context.Context, cssSelector, substring string) (string, error) {
	sel, err := json.Marshal(cssSelector)
	if err != nil {
		return "", fmt.Errorf("browser: selector %q: %w", cssSelector, err)
	}
	expr := fmt.Sprintf(readJS, sel)
	var last probe
	var lastErr error
	for {
		var p probe
		// One evaluation at a time, each bounded by ctx: while a page is
		// being replaced the evaluation can fail, and we just try again.
		lastErr = b.run(ctx, func(ctx context.Context) error {
			var err error
			p, err = chromedp.Run(ctx, chromedp.Evaluate[probe](expr))
			return err
		})
		if lastErr == nil {
			if p.Error != "" {
				return "", fmt.Errorf("browser: selector %q: %s", cssSelector, p.Error)
			}
			last = p
			if p.Found && strings.Contains(p.Text, substring) {
				return p.Text, nil
			}
		}
		if b.tab.Err() != nil { // Chromium died or was closed: nothing to wait for
			return "", fmt.Errorf("browser: waiting for %q in %q: browser is gone: %w", substring, cssSelector, lastErr)
		}
		select {
		case <-ctx.Done():
			var what string
			switch {
			case last.Found:
				what = fmt.Sprintf("%q has text %q", cssSelector, trim(last.Text, 200))
			case lastErr != nil && !errors.Is(lastErr, ctx.Err()):
				what = fmt.Sprintf("last read failed: %v", lastErr)
			default:
				what = fmt.Sprintf("no element matches %q", cssSelector)
			}
			return "", b.withPage(fmt.Errorf("browser: waiting for %q in %q: %w (%s)",
				substring, cssSelector, ctx.Err(), what))
		case <-time.After(pollInterval):
		}
	}
}

// Text waits until an element matches cssSelector and returns its
// innerText; see WaitText for how it waits and fails.
func (b *Browser) Text(ctx context.Context, cssSelector string) (string, error) {
	return b.WaitText(ctx, cssSelector, "")
}

// Screenshot saves a PNG of the whole page, not just the viewport, to path.
func (b *Browser) Screenshot(ctx context.Context, path string) error {
	var png []byte
	err := b.run(ctx, func(ctx context.Context) error {
		var err error
		png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 means PNG
		return err
	})
	if err != nil {
		return fmt.Errorf("browser: screenshot: %w", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return fmt.Errorf("browser: screenshot: %w", err)
	}
	return nil
}

// URL returns the address of the page the tab shows now (after redirects).
func (b *Browser) URL(ctx context.Context) (string, error) {
	var url string
	err := b.run(ctx, func(ctx context.Context) error {
		var err error
		url, err = chromedp.Run(ctx, chromedp.Location())
		return err
	})
	if err != nil {
		return "", fmt.Errorf("browser: url: %w", err)
	}
	return url, nil
}

// pageJS returns the address and visible text of the current page, for
// error messages.
const pageJS = `({url: location.href, text: document.body ? document.body.innerText : document.documentElement.outerHTML})`

// withPage appends the current URL and page text to err, so a failing
// test shows what the browser was looking at. It uses its own short
// timeout: the caller's ctx has usually just expired.
func (b *Browser) withPage(err error) error {
	ctx, cancel := context.WithTimeout(b.tab, 2*time.Second)
	defer cancel()
	page, perr := chromedp.Run(ctx, chromedp.Evaluate[struct {
		URL  string `json:"url"`
		Text string `json:"text"`
	}](pageJS))
	if perr != nil {
		return fmt.Errorf("%w\n(page unreadable: %v)", err, perr)
	}
	return fmt.Errorf("%w\npage %s shows:\n%s", err, page.URL, trim(page.Text, maxPageText))
}

// trim shortens s to about max bytes on a rune boundary, saying how much
// was cut.
func trim(s string, max int) string {
	s = strings.TrimSpace(s)
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… [%d more bytes]", s[:cut], len(s)-cut)
}
