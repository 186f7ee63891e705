// Package intake is the door on this computer that a service sends the
// browser to: http://127.0.0.1:24780/authorize?client_id=…&request=<JWS>
// (the port moves up to 24789 when taken). It accepts only what it must:
// loopback Host headers (no DNS rebinding), top-level navigations (no
// script of a web page can start it in the background), no CORS, bounded
// URLs and bodies, rate limits that junk cannot spend for valid requests,
// one request at a time, and only requests that package request verifies. It never reads a card itself: it hands
// the verified request to the Holder, who decides.
package intake

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
)

// DefaultPort is the intake's port; FallbackPorts follow it when taken.
const (
	DefaultPort   = 24780
	FallbackPorts = 9
)

// Limits.
const (
	MaxURL      = request.MaxRequestSize + 2048
	MaxBody     = request.MaxRequestSize + 2048
	HolderLimit = 10 * time.Minute // the holder's whole decision, card read included
)

// Holder decides on a verified request: asks the holder, reads the card and
// answers the service. It returns where the browser goes next (the
// service's redirect_uri), or "" to show a local page.
type Holder interface {
	Handle(ctx context.Context, req *request.Request) (redirect string, err error)
}

// HolderFunc adapts a function to Holder.
type HolderFunc func(ctx context.Context, req *request.Request) (string, error)

// Handle calls f.
func (f HolderFunc) Handle(ctx context.Context, req *request.Request) (string, error) {
	return f(ctx, req)
}

// Server is the intake.
type Server struct {
	Verifier *request.Verifier
	Holder   Holder
	// Lang chooses the language of the pages ("fr" or "en").
	Lang string
	// Rate takes this many requests to the holder per minute (20 when 0).
	Rate int
	// FailRate answers this many requests refused after verification
	// (failed, or busy) per minute with their own error (60 when 0);
	// beyond, they get 429. See check.
	FailRate int
	// OnError, if set, hears of every refused request (the support screen
	// shows the last one); it must not block.
	OnError func(error)
	// Describe words a refusal for the page in lang: the holder's sentence
	// and the support hint (app/problem.Intake, set where the intake is
	// wired). Without it the page shows the error's technical text.
	Describe func(lang string, err error) (message, hint string)
	// Done words, in lang, the page shown once the holder has answered
	// when the service gave no address to go back to (set where the
	// intake is wired). Without it the page says "done".
	Done func(lang string) string

	port    atomic.Int64 // read by URL from any goroutine
	mu      sync.Mutex
	busy    bool
	taken   budget
	refused budget
}

// Ports are the intake's ports, in the order it tries them.
func Ports() []int {
	var ps []int
	for p := DefaultPort; p <= DefaultPort+FallbackPorts; p++ {
		ps = append(ps, p)
	}
	return ps
}

// Listen takes the default port, or the next free one of the range.
func Listen() (net.Listener, error) {
	var last error
	for _, p := range Ports() {
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err == nil {
			return l, nil
		}
		last = err
	}
	return nil, fmt.Errorf("intake: ports %d-%d all taken: %w", DefaultPort, DefaultPort+FallbackPorts, last)
}

// Serve answers on l until ctx ends.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	s.port.Store(int64(l.Addr().(*net.TCPAddr).Port))
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: HolderLimit + time.Minute, MaxHeaderBytes: 32 << 10}
	shut := make(chan struct{})
	go func() {
		defer close(shut)
		<-ctx.Done()
		// Gracefully: the answer being written (the redirect back to the
		// service) still reaches the browser.
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	err := hs.Serve(l)
	if errors.Is(err, http.ErrServerClosed) {
		// hs.Serve returns as soon as Shutdown starts; wait until it has
		// finished, or a caller that exits next (serve --once) cuts the
		// last answer off.
		<-shut
		return nil
	}
	return err
}

// URL is the intake's authorize address, for a service to send browsers to.
func (s *Server) URL() string { return fmt.Sprintf("http://127.0.0.1:%d/authorize", s.port.Load()) }

// SetPort tells the server its port when it serves through another
// listener than Serve's (tests with httptest).
func (s *Server) SetPort(p int) { s.port.Store(int64(p)) }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// No CORS headers, ever; nothing may embed or cache these pages.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.URL.Path == "/status" && r.Method == http.MethodGet && s.loopbackHost(r.Host) {
		// Lets a cnie-reader:// link find this running application.
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("CNIE Reader intake"))
		return
	}
	req, err := s.intake(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	defer s.release()
	ctx, cancel := context.WithTimeout(r.Context(), HolderLimit)
	defer cancel()
	redirect, err := s.Holder.Handle(ctx, req)
	switch {
	case err != nil:
		s.fail(w, err)
	case redirect != "":
		http.Redirect(w, r, redirect, http.StatusSeeOther)
	default:
		s.page(w, http.StatusOK, s.done())
	}
}

// intake checks the HTTP request and the request object; on success the
// server is busy until release.
func (s *Server) intake(r *http.Request) (*request.Request, error) {
	if !s.loopbackHost(r.Host) {
		return nil, assertion.Errorf(assertion.WrongHost, "intake", "Host %q", r.Host)
	}
	if len(r.URL.RawQuery) > MaxURL || len(r.RequestURI) > MaxURL {
		return nil, assertion.Errorf(assertion.TooLarge, "intake", "URL of %d bytes", len(r.RequestURI))
	}
	if r.URL.Path != "/authorize" {
		return nil, assertion.Errorf(assertion.Malformed, "intake", "path %q", r.URL.Path)
	}
	// A navigation by the person, not a fetch by a page's script.
	if m := r.Header.Get("Sec-Fetch-Mode"); m != "" && m != "navigate" {
		return nil, assertion.Errorf(assertion.NotNavigation, "intake", "Sec-Fetch-Mode %q", m)
	}
	if d := r.Header.Get("Sec-Fetch-Dest"); d != "" && d != "document" {
		return nil, assertion.Errorf(assertion.NotNavigation, "intake", "Sec-Fetch-Dest %q", d)
	}
	var form url.Values
	switch r.Method {
	case http.MethodGet:
		form = r.URL.Query()
	case http.MethodPost:
		if r.ContentLength > MaxBody {
			return nil, assertion.Errorf(assertion.TooLarge, "intake", "body of %d bytes", r.ContentLength)
		}
		r.Body = http.MaxBytesReader(nil, r.Body, MaxBody)
		if err := r.ParseForm(); err != nil {
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				return nil, assertion.Errorf(assertion.TooLarge, "intake", "body beyond %d bytes", MaxBody)
			}
			return nil, assertion.Wrap(assertion.Malformed, "intake", err)
		}
		form = r.PostForm
	default:
		return nil, assertion.Errorf(assertion.Malformed, "intake", "method %s", r.Method)
	}
	return s.check(form)
}

// Default rate limits, per minute.
const (
	defaultRate     = 20
	defaultFailRate = 60
)

// check verifies the request object within the rate limits, which are
// there so that a page cannot flood the holder with consent prompts. Only
// verification tells a valid request from junk, so no count that junk can
// raise may refuse a request before it is verified: 25 junk navigations
// used to lock a real request out. Hence two budgets:
//   - structural refusals (Host, path, method, sizes, Sec-Fetch, no
//     request, not a compact JWS) are free: they count for nothing;
//   - requests taken to the holder spend Rate, which bounds the prompts;
//     junk cannot spend it, nor valid requests refused as busy. Once it is
//     spent nothing is verified in the window: nothing could be taken;
//   - requests refused after verification (failed, or busy) spend
//     FailRate; beyond it they are answered 429, which tells a flooding
//     page to stop, while a valid request among them is still verified
//     and taken. What each costs is one signature check, no dearer than
//     the HTTP request itself.
func (s *Server) check(form url.Values) (*request.Request, error) {
	jws, err := structure(form)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	spent := s.taken.spent(s.Rate, defaultRate)
	s.mu.Unlock()
	if spent {
		return nil, assertion.Errorf(assertion.RateLimited, "intake", "more than %d requests a minute", limit(s.Rate, defaultRate))
	}
	req, err := verify(jws, form.Get("client_id"), s.Verifier)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil && s.busy {
		err = assertion.Errorf(assertion.Busy, "intake", "")
	}
	if err != nil {
		if !s.refused.take(s.FailRate, defaultFailRate) {
			return nil, assertion.Errorf(assertion.RateLimited, "intake", "more than %d refused requests a minute (last: %v)",
				limit(s.FailRate, defaultFailRate), err)
		}
		return nil, err
	}
	if !s.taken.take(s.Rate, defaultRate) {
		return nil, assertion.Errorf(assertion.RateLimited, "intake", "more than %d requests a minute", limit(s.Rate, defaultRate))
	}
	// Taken to the holder: only now is the nonce spent.
	if err := s.Verifier.Accept(req); err != nil {
		return nil, err
	}
	s.busy = true
	return req, nil
}

// Parse reads the authorize parameters: client_id and the request object
// by value ("request"; "request_uri" is not fetched: the application does
// not go to addresses a page gives it before the holder agreed).
func Parse(form url.Values, v *request.Verifier) (*request.Request, error) {
	jws, err := structure(form)
	if err != nil {
		return nil, err
	}
	return verify(jws, form.Get("client_id"), v)
}

// structure is Parse's free part: the parameters and the shape of a
// compact JWS (three base64url parts), nothing decoded or verified.
func structure(form url.Values) (string, error) {
	if form.Has("request_uri") {
		return "", assertion.Errorf(assertion.Unsupported, "intake", "request_uri is not fetched: send the request by value")
	}
	jws := form.Get("request")
	if jws == "" {
		return "", assertion.Errorf(assertion.Unsigned, "intake", "no request object")
	}
	if len(form["request"]) != 1 || len(form["client_id"]) > 1 {
		return "", assertion.Errorf(assertion.Malformed, "intake", "repeated parameters")
	}
	if len(jws) > request.MaxRequestSize {
		return "", assertion.Errorf(assertion.TooLarge, "intake", "request object of %d bytes", len(jws))
	}
	parts := strings.Split(jws, ".")
	if len(parts) != 3 {
		return "", assertion.Errorf(assertion.Unsigned, "intake", "not a compact JWS")
	}
	for _, p := range parts {
		if p == "" || strings.IndexFunc(p, notBase64URL) >= 0 {
			return "", assertion.Errorf(assertion.Unsigned, "intake", "not a compact JWS")
		}
	}
	return jws, nil
}

func notBase64URL(r rune) bool {
	return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
}

// verify is Parse's costly part: the signature and everything signed.
func verify(jws, clientID string, v *request.Verifier) (*request.Request, error) {
	req, err := v.Verify(jws)
	if err != nil {
		return nil, err
	}
	if clientID != req.ClientID {
		return nil, assertion.Errorf(assertion.HostMismatch, "intake", "client_id %q differs from the signed %q", clientID, req.ClientID)
	}
	return req, nil
}

func (s *Server) release() {
	s.mu.Lock()
	s.busy = false
	s.mu.Unlock()
}

// budget is a fixed-window rate limit: enough for a person, not for a
// page that hammers the door. The server's mu guards it.
type budget struct {
	window time.Time
	count  int
}

// take counts one more in the minute; false beyond n (def when 0).
func (b *budget) take(n, def int) bool {
	if now := time.Now(); now.Sub(b.window) > time.Minute {
		b.window, b.count = now, 0
	}
	b.count++
	return b.count <= limit(n, def)
}

// spent tells whether the minute's budget is used up.
func (b *budget) spent(n, def int) bool {
	return time.Since(b.window) <= time.Minute && b.count >= limit(n, def)
}

func limit(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

func (s *Server) loopbackHost(host string) bool {
	h, p, err := net.SplitHostPort(host)
	if err != nil || p != strconv.FormatInt(s.port.Load(), 10) {
		return false
	}
	return h == "127.0.0.1" || h == "localhost" || h == "[::1]" || h == "::1"
}

var statusOf = map[assertion.Kind]int{
	assertion.WrongHost: http.StatusMisdirectedRequest, assertion.NotNavigation: http.StatusForbidden,
	assertion.TooLarge: http.StatusRequestEntityTooLarge, assertion.Busy: http.StatusConflict,
	assertion.RateLimited: http.StatusTooManyRequests, assertion.Refused: http.StatusOK, assertion.Network: http.StatusBadGateway,
}

func (s *Server) fail(w http.ResponseWriter, err error) {
	if s.OnError != nil && assertion.KindOf(err) != assertion.Refused {
		s.OnError(err)
	}
	code, ok := statusOf[assertion.KindOf(err)]
	if !ok {
		code = http.StatusBadRequest
	}
	msg, hint := err.Error(), ""
	if s.Describe != nil {
		msg, hint = s.Describe(s.lang(), err)
	}
	s.page(w, code, msg, hint)
}

func (s *Server) lang() string {
	if s.Lang == "en" {
		return "en"
	}
	return "fr"
}

// done is the sentence of the page shown once the holder has answered.
func (s *Server) done() string {
	if s.Done == nil {
		return "done"
	}
	return s.Done(s.lang())
}

func (s *Server) page(w http.ResponseWriter, code int, lines ...string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><html lang=%q><meta charset=utf-8><title>CNIE Reader</title>", s.lang())
	b.WriteString(`<body style="font-family:sans-serif;max-width:40em;margin:3em auto"><h1>CNIE Reader</h1>`)
	for i, l := range lines {
		if l == "" {
			continue
		}
		if i == 0 {
			fmt.Fprintf(&b, "<p id=message><strong>%s</strong></p>", html.EscapeString(l))
		} else {
			fmt.Fprintf(&b, "<p><small>%s</small></p>", html.EscapeString(l))
		}
	}
	b.WriteString("</body></html>")
	w.Write([]byte(b.String()))
}
