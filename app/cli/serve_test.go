package cli

import (
	"fmt"
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

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/demoservice"
	"github.com/cnie-reader/cnie-reader/assertion/request"
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
