package provider

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/demoservice"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

const testSecret = "0123456789abcdef0123456789abcdef"

func newTestProvider(t *testing.T, logs io.Writer) (*Provider, *httptest.Server) {
	t.Helper()
	cfg, err := ParseConfig([]byte(`{"clients": [{"client_id": "svc", "client_name": "Service", "redirect_uris": ["http://localhost:1/cb"], "client_secret": "` + testSecret + `"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := NewKeys()
	if err != nil {
		t.Fatal(err)
	}
	id, err := demoservice.NewIdentity(time.Now(), "localhost")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	issuer := "http://localhost:" + strings.Split(srv.Listener.Addr().String(), ":")[1]
	p, err := New(Options{Issuer: issuer, Config: cfg, Keys: keys, Trust: pki.NewStore(), Identity: Identity{Key: id.Key, Chain: id.Chain},
		Log: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = p
	srv.Start()
	t.Cleanup(srv.Close)
	return p, srv
}

func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// TestResponseEndpointRefuses: the application's door answers JSON with
// OIDC codes to anything but a pending request's answer.
func TestResponseEndpointRefuses(t *testing.T) {
	_, srv := newTestProvider(t, io.Discard)
	for name, c := range map[string]struct {
		method, body string
		status       int
	}{
		"GET":           {http.MethodGet, "", http.StatusMethodNotAllowed},
		"no state":      {http.MethodPost, "vp_token=x", http.StatusBadRequest},
		"unknown state": {http.MethodPost, "vp_token=x&state=nope", http.StatusBadRequest},
		"huge":          {http.MethodPost, "state=s&vp_token=" + strings.Repeat("A", 4<<20), http.StatusBadRequest},
		"bad form":      {http.MethodPost, "%zz", http.StatusBadRequest},
	} {
		req, _ := http.NewRequest(c.method, srv.URL+pathResponse, strings.NewReader(c.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var e struct{ Error string }
		json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != c.status || e.Error != "invalid_request" {
			t.Errorf("%s: %s %q", name, resp.Status, e.Error)
		}
	}
}

// TestReturnWithoutCookie: the link back, without the cookie of its
// interaction, is refused with access_denied and no redirect.
func TestReturnWithoutCookie(t *testing.T) {
	_, srv := newTestProvider(t, io.Discard)
	resp, err := noRedirect().Get(srv.URL + pathReturn + "?response_code=abc")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || !bytes.Contains(body, []byte(`id="error">access_denied<`)) {
		t.Errorf("%s %s", resp.Status, body)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+pathReturn+"?response_code=abc", nil)
	req.AddCookie(&http.Cookie{Name: cookieInteraction, Value: "forged"})
	resp, err = noRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !bytes.Contains(body, []byte(`id="error">invalid_request<`)) {
		t.Errorf("forged cookie: %s %s", resp.Status, body)
	}
}

// TestHostileInputNeverFails: random parameters on every endpoint get a
// 4xx (or a page), never a 5xx nor a dropped connection.
func TestHostileInputNeverFails(t *testing.T) {
	var logs bytes.Buffer
	_, srv := newTestProvider(t, &logs)
	junk := []string{"", "x", "%00", strings.Repeat("é", 600), "svc", "http://localhost:1/cb", "code", "openid identite_pivot",
		"S256", "none", "eyJhbGciOiJub25lIn0.e30.", "\r\nSet-Cookie: a=b", "<script>", "-1", "99999999999999999999"}
	names := []string{"client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "acr_values", "code_challenge",
		"code_challenge_method", "prompt", "request", "request_uri", "code", "grant_type", "code_verifier", "client_secret",
		"client_assertion", "client_assertion_type", "id_token_hint", "post_logout_redirect_uri", "response_code", "vp_token", "error"}
	paths := []string{"/authorize", "/token", "/userinfo", "/jwks", pathResponse, pathReturn, pathEndSession, "/.well-known/openid-configuration", "/authorize/x"}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 600; i++ {
		v := url.Values{}
		for j := r.IntN(8); j > 0; j-- {
			v.Add(names[r.IntN(len(names))], junk[r.IntN(len(junk))])
		}
		path := paths[r.IntN(len(paths))]
		var req *http.Request
		if r.IntN(2) == 0 {
			req, _ = http.NewRequest(http.MethodGet, srv.URL+path+"?"+v.Encode(), nil)
		} else {
			req, _ = http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if r.IntN(3) == 0 {
			req.Header.Set("Authorization", "Bearer "+url.QueryEscape(junk[r.IntN(len(junk))]))
		}
		resp, err := noRedirect().Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", req.Method, path, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Errorf("%s %s %v: %s", req.Method, path, v, resp.Status)
		}
	}
	if strings.Contains(logs.String(), "panic") {
		t.Errorf("a handler panicked:\n%s", logs.String())
	}
}
