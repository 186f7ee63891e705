package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/internal/demoservice"
)

// lockedBuffer is serve's terminal, written by serve and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeRefusalSendsOnlyTheRefusal: "n" on the terminal posts
// error=access_denied and no data; the card is never read.
func TestServeRefusalSendsOnlyTheRefusal(t *testing.T) {
	var mu sync.Mutex
	var posted []url.Values
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		posted = append(posted, r.PostForm)
		mu.Unlock()
		w.Write([]byte(`{"redirect_uri":"http://localhost/done"}`))
	}))
	defer svc.Close()
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	var term lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- MainIO([]string{"serve", "--sim", "--port", strconv.Itoa(port), "--once", "--allow-loopback-http"},
			strings.NewReader("n\n"), &term, &term)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(term.String(), "/authorize") {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s", term.String())
		}
		time.Sleep(10 * time.Millisecond)
	}

	id, err := demoservice.NewIdentity(time.Now(), "localhost")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	c := request.Claims{ClientID: "x509_san_dns:localhost", ResponseType: "vp_token", ResponseMode: "direct_post",
		ResponseURI: strings.Replace(svc.URL, "127.0.0.1", "localhost", 1) + "/cb", Nonce: "n1", State: "s1",
		IssuedAt: now.Unix(), Expires: now.Add(5 * time.Minute).Unix(), Purpose: "test",
		DCQL: request.Ask(assertion.Ask{Datum: assertion.FamilyName, Required: true})}
	jws, err := request.Sign(c, jose.ES256, id.Key, id.Chain)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d/authorize?", port) + url.Values{"client_id": {c.ClientID}, "request": {jws}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "http://localhost/done" {
		t.Fatalf("%s %q\n%s", resp.Status, resp.Header.Get("Location"), term.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(posted) != 1 || posted[0].Get("error") != "access_denied" || posted[0].Has("vp_token") || posted[0].Get("state") != "s1" {
		t.Fatalf("posted %v", posted)
	}
	if out := term.String(); !strings.Contains(out, "Refus") || strings.Contains(out, "Posez la carte") {
		t.Errorf("terminal:\n%s", out)
	}
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d", code)
	}
}

// watchedConn records what the intake writes on a connection, and when it
// closes it.
type watchedConn struct {
	net.Conn
	mu     sync.Mutex
	out    bytes.Buffer
	closed bool
}

func (c *watchedConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.out.Write(p)
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *watchedConn) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	return c.Conn.Close()
}

// watchedListener hands the intake watched connections.
type watchedListener struct {
	net.Listener
	mu    sync.Mutex
	conns []*watchedConn
}

func (l *watchedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	w := &watchedConn{Conn: c}
	l.mu.Lock()
	l.conns = append(l.conns, w)
	l.mu.Unlock()
	return w, nil
}

// TestServeOnceDeliversTheLastPage: serve --once returns only once its last
// answer (the redirect back to the service) is written out and the
// connection closed, so that the process exiting next cuts nothing off.
// The race was lost about one run in eight: several rounds observe it.
func TestServeOnceDeliversTheLastPage(t *testing.T) {
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"redirect_uri":"http://localhost/done"}`))
	}))
	defer svc.Close()
	id, err := demoservice.NewIdentity(time.Now(), "localhost")
	if err != nil {
		t.Fatal(err)
	}
	listeners := make(chan *watchedListener, 1)
	defer func(old func(net.Listener) net.Listener) { watchIntake = old }(watchIntake)
	watchIntake = func(l net.Listener) net.Listener {
		w := &watchedListener{Listener: l}
		listeners <- w
		return w
	}
	for round := 0; round < 12; round++ {
		var term lockedBuffer
		done := make(chan int, 1)
		go func() {
			done <- MainIO([]string{"serve", "--sim", "--port", "-1", "--once", "--allow-loopback-http"}, strings.NewReader("n\n"), &term, &term)
		}()
		var l *watchedListener
		select {
		case l = <-listeners:
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, term.String())
		}
		now := time.Now()
		c := request.Claims{ClientID: "x509_san_dns:localhost", ResponseType: "vp_token", ResponseMode: "direct_post",
			ResponseURI: strings.Replace(svc.URL, "127.0.0.1", "localhost", 1) + "/cb", Nonce: fmt.Sprint("n", round), State: "s",
			IssuedAt: now.Unix(), Expires: now.Add(5 * time.Minute).Unix(), Purpose: "test",
			DCQL: request.Ask(assertion.Ask{Datum: assertion.FamilyName, Required: true})}
		jws, err := request.Sign(c, jose.ES256, id.Key, id.Chain)
		if err != nil {
			t.Fatal(err)
		}
		got := make(chan error, 1)
		go func() {
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := client.Get("http://" + l.Addr().String() + "/authorize?" + url.Values{"client_id": {c.ClientID}, "request": {jws}}.Encode())
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode != http.StatusSeeOther {
					err = fmt.Errorf("%s", resp.Status)
				}
			}
			got <- err
		}()
		var code int
		select {
		case code = <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("serve --once did not return: %s", term.String())
		}
		// What the intake had written and closed when Main returned: all
		// a browser gets once the process is gone.
		l.mu.Lock()
		conns := l.conns
		l.mu.Unlock()
		for _, wc := range conns {
			wc.mu.Lock()
			out, closed := wc.out.String(), wc.closed
			wc.mu.Unlock()
			if !closed {
				t.Fatalf("round %d: Main returned with a connection still open (written: %q)", round, out)
			}
			resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(out)), nil)
			if err != nil {
				t.Fatalf("round %d: Main returned before the answer was written (%v): %q", round, err, out)
			}
			body, err := io.ReadAll(resp.Body)
			if err != nil || resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "http://localhost/done" {
				t.Fatalf("round %d: Main returned before the answer was written (%v): %q %q", round, err, out, body)
			}
		}
		if len(conns) == 0 {
			t.Fatalf("round %d: no connection", round)
		}
		if err := <-got; err != nil {
			t.Fatalf("round %d: the browser got %v", round, err)
		}
		if code != 0 {
			t.Fatalf("round %d: serve exited %d: %s", round, code, term.String())
		}
	}
}

// TestDescribeEscapesServiceText: nothing a service wrote reaches the
// terminal raw (ESC would start a terminal sequence, U+202E reverses the
// text after it).
func TestDescribeEscapesServiceText(t *testing.T) {
	useLang(t, "en")
	var out strings.Builder
	h := &terminalHolder{out: &out, lang: "en"}
	asked := []assertion.Ask{{Datum: assertion.FamilyName, Required: true}}
	req := &request.Request{Claims: request.Claims{Purpose: "pay \x1b[2K\u202egnp.exe"},
		Name: "Bank\x1b]0;title\x07\u202eevil", Host: "bank.example\x1b[31m", Asked: asked}
	h.describe(req, assertion.NewScope(asked))
	got := out.String()
	if strings.ContainsAny(got, "\x1b\x07\u202e") {
		t.Fatalf("raw control characters printed: %q", got)
	}
	for _, want := range []string{`Bank\x1b]0;title\a\u202eevil`, `bank.example\x1b[31m`, `pay \x1b[2K\u202egnp.exe`} {
		if !strings.Contains(got, want) {
			t.Errorf("%q not shown (escaped) in %q", want, got)
		}
	}
}

// TestDescribeNamesTheServiceBehindAProvider: a request from an identity
// provider names first the service the holder logs in to, then the
// provider that signs for it.
func TestDescribeNamesTheServiceBehindAProvider(t *testing.T) {
	useLang(t, "en")
	var out strings.Builder
	h := &terminalHolder{out: &out, lang: "en"}
	asked := []assertion.Ask{{Datum: assertion.FamilyName, Required: true}}
	req := &request.Request{Name: "Identity provider", Host: "idp.example", Asked: asked}
	req.RelyingParty = &request.RelyingParty{Name: "Town hall", Host: "mairie.example"}
	h.describe(req, assertion.NewScope(asked))
	got := out.String()
	service, via := strings.Index(got, "Town hall (mairie.example)"), strings.Index(got, "identity provider Identity provider (idp.example)")
	if service < 0 || via < service {
		t.Fatalf("service then provider expected, got %q", got)
	}
}

// useLang loads the translations in lang for a test that calls the
// command's pieces directly (Main loads them itself).
func useLang(t *testing.T, lang string) {
	t.Helper()
	if err := i18n.Use(i18n.Locale{Lang: lang}); err != nil {
		t.Fatal(err)
	}
}
