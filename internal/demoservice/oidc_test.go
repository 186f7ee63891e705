package demoservice

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

const testACR = "urn:example:acr:test"

// testOP is a small OpenID Provider for the relying party's unit tests:
// discovery, JWKS, a token endpoint that checks PKCE and signs an ID
// token shaped by the test, and a JSON userinfo.
type testOP struct {
	srv *httptest.Server
	key *ecdsa.PrivateKey

	mu sync.Mutex
	// challenge and nonce are the last authorization request's.
	challenge, nonce string
	// issuer, nonceOverride and acr shape the next ID token ("" = right one).
	issuer, nonceOverride, acr string
	tokenCalls                 int
}

func newTestOP(t *testing.T) *testOP {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	op := &testOP{key: key, acr: testACR}
	op.srv = httptest.NewServer(http.HandlerFunc(op.serve))
	t.Cleanup(op.srv.Close)
	return op
}

func (op *testOP) serve(w http.ResponseWriter, r *http.Request) {
	iss := op.srv.URL
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		json.NewEncoder(w).Encode(map[string]any{"issuer": iss, "authorization_endpoint": iss + "/authorize",
			"token_endpoint": iss + "/token", "jwks_uri": iss + "/jwks", "userinfo_endpoint": iss + "/userinfo",
			"id_token_signing_alg_values_supported": []string{"ES256"}})
	case "/jwks":
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: op.key.Public(), KeyID: "k1", Algorithm: "ES256", Use: "sig"}}})
	case "/token":
		op.token(w, r)
	case "/userinfo":
		if r.Header.Get("Authorization") != "Bearer at-1" {
			http.Error(w, `{"error":"invalid_token"}`, http.StatusUnauthorized)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"sub": "pairwise-1", "given_name": "CAMILLE", "family_name": "EXEMPLE", "birthdate": "1990-07-14"})
	default:
		http.NotFound(w, r)
	}
}

func (op *testOP) token(w http.ResponseWriter, r *http.Request) {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.tokenCalls++
	r.ParseForm()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if r.PostForm.Get("code") != "code-1" || r.PostForm.Get("client_secret") != "secret" ||
		base64.RawURLEncoding.EncodeToString(sum[:]) != op.challenge {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"error":"invalid_grant"}`)
		return
	}
	iss, nonce := op.srv.URL, op.nonce
	if op.issuer != "" {
		iss = op.issuer
	}
	if op.nonceOverride != "" {
		nonce = op.nonceOverride
	}
	now := time.Now()
	claims, _ := json.Marshal(map[string]any{"iss": iss, "aud": "client-1", "sub": "pairwise-1", "nonce": nonce,
		"acr": op.acr, "amr": []string{"sc", "hwk"}, "iat": now.Unix(), "exp": now.Add(time.Minute).Unix()})
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: op.key, KeyID: "k1"}}, nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	jws, err := signer.Sign(claims)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	idt, _ := jws.CompactSerialize()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": "at-1", "token_type": "Bearer", "expires_in": 60, "id_token": idt})
}

// rpWorld is the service in OIDC mode in front of a test provider, and a
// browser that stops at each redirect.
type rpWorld struct {
	op      *testOP
	svc     *httptest.Server
	browser *http.Client
}

func newRPWorld(t *testing.T) *rpWorld {
	op := newTestOP(t)
	w := &rpWorld{op: op}
	var rp *OIDCService
	w.svc = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { rp.ServeHTTP(rw, r) }))
	t.Cleanup(w.svc.Close)
	var err error
	rp, err = NewOIDC(OIDCConfig{Issuer: op.srv.URL, ClientID: "client-1", ClientSecret: "secret", Base: w.svc.URL, ACRValues: []string{testACR}})
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	w.browser = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return w
}

// start clicks the button and returns the authorization request sent to
// the provider, recording its challenge and nonce as the provider would.
func (w *rpWorld) start(t *testing.T) url.Values {
	t.Helper()
	resp, err := w.browser.Post(w.svc.URL+"/oidc/login", "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil || !strings.HasPrefix(loc.String(), w.op.srv.URL+"/authorize?") {
		t.Fatalf("login: %s %v", resp.Status, loc)
	}
	q := loc.Query()
	w.op.mu.Lock()
	w.op.challenge, w.op.nonce = q.Get("code_challenge"), q.Get("nonce")
	w.op.mu.Unlock()
	return q
}

// back brings the browser to the callback with query q.
func (w *rpWorld) back(t *testing.T, q url.Values) (int, string) {
	t.Helper()
	resp, err := w.browser.Get(w.svc.URL + CallbackPath + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func wantRefused(t *testing.T, status int, page, reason string) {
	t.Helper()
	if status != http.StatusBadRequest || !strings.Contains(page, `id="error">`+reason+`<`) || strings.Contains(page, "CAMILLE") {
		t.Fatalf("want refusal %s, got %d:\n%s", reason, status, page)
	}
}

func TestOIDCAuthorizationRequest(t *testing.T) {
	w := newRPWorld(t)
	q := w.start(t)
	for k, want := range map[string]string{"response_type": "code", "client_id": "client-1", "code_challenge_method": "S256",
		"redirect_uri": w.svc.URL + CallbackPath, "scope": "openid identite_pivot", "acr_values": testACR} {
		if q.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want)
		}
	}
	if len(q.Get("state")) < 22 || len(q.Get("nonce")) < 22 || len(q.Get("code_challenge")) != 43 || q.Get("state") == q.Get("nonce") {
		t.Errorf("state %q nonce %q challenge %q", q.Get("state"), q.Get("nonce"), q.Get("code_challenge"))
	}
}

func TestOIDCLoginShowsClaimsAndACR(t *testing.T) {
	w := newRPWorld(t)
	q := w.start(t)
	status, page := w.back(t, url.Values{"code": {"code-1"}, "state": {q.Get("state")}})
	if status != http.StatusOK || !strings.Contains(page, `id="acr">`+testACR+`<`) {
		t.Fatalf("%d:\n%s", status, page)
	}
	for _, want := range []string{"CAMILLE", "EXEMPLE", "1990-07-14", "pairwise-1", ">sc hwk<"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not show %q", want)
		}
	}
	// The login is spent: the same link again logs nobody in.
	status, page = w.back(t, url.Values{"code": {"code-1"}, "state": {q.Get("state")}})
	wantRefused(t, status, page, "no_login")
}

func TestOIDCStateMismatchRefused(t *testing.T) {
	w := newRPWorld(t)
	w.start(t)
	status, page := w.back(t, url.Values{"code": {"code-1"}, "state": {"another-state-of-an-attacker-0000"}})
	wantRefused(t, status, page, "state_mismatch")
	w.op.mu.Lock()
	defer w.op.mu.Unlock()
	if w.op.tokenCalls != 0 {
		t.Error("the code was redeemed despite the wrong state")
	}
}

func TestOIDCNonceMismatchRefused(t *testing.T) {
	w := newRPWorld(t)
	q := w.start(t)
	w.op.mu.Lock()
	w.op.nonceOverride = "a-nonce-of-another-login-000000"
	w.op.mu.Unlock()
	status, page := w.back(t, url.Values{"code": {"code-1"}, "state": {q.Get("state")}})
	wantRefused(t, status, page, "nonce_mismatch")
}

func TestOIDCOtherIssuerRefused(t *testing.T) {
	w := newRPWorld(t)
	q := w.start(t)
	w.op.mu.Lock()
	w.op.issuer = "https://other-issuer.example"
	w.op.mu.Unlock()
	status, page := w.back(t, url.Values{"code": {"code-1"}, "state": {q.Get("state")}})
	wantRefused(t, status, page, "bad_id_token")
}

func TestOIDCUnaskedACRRefused(t *testing.T) {
	w := newRPWorld(t)
	q := w.start(t)
	w.op.mu.Lock()
	w.op.acr = "eidas1"
	w.op.mu.Unlock()
	status, page := w.back(t, url.Values{"code": {"code-1"}, "state": {q.Get("state")}})
	wantRefused(t, status, page, "acr_not_asked")
}

func TestOIDCNoCookieRefused(t *testing.T) {
	w := newRPWorld(t)
	q := w.start(t)
	w.browser.Jar, _ = cookiejar.New(nil) // another browser: the relayed link
	status, page := w.back(t, url.Values{"code": {"code-1"}, "state": {q.Get("state")}})
	wantRefused(t, status, page, "no_login")
}

func TestOIDCProviderErrorShown(t *testing.T) {
	w := newRPWorld(t)
	q := w.start(t)
	status, page := w.back(t, url.Values{"error": {"access_denied"}, "state": {q.Get("state")}})
	wantRefused(t, status, page, "provider_error")
	if !strings.Contains(page, `id="provider-error">access_denied<`) {
		t.Errorf("the provider's code is not shown:\n%s", page)
	}
	q = w.start(t)
	_, page = w.back(t, url.Values{"error": {"<script>alert(1)</script>"}, "state": {q.Get("state")}})
	if strings.Contains(page, "script") || !strings.Contains(page, "invalid_error_code") {
		t.Errorf("an injected error code reached the page:\n%s", page)
	}
}

func TestOIDCUnreachableProvider(t *testing.T) {
	rp, err := NewOIDC(OIDCConfig{Issuer: "http://127.0.0.1:1", ClientID: "c", Base: "http://localhost:2", ACRValues: []string{testACR}})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	rp.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/oidc/login", nil))
	if rec.Code != http.StatusBadGateway || !strings.Contains(rec.Body.String(), "provider_unreachable") {
		t.Fatalf("%d\n%s", rec.Code, rec.Body.String())
	}
}

func TestOIDCConfigRefused(t *testing.T) {
	for _, c := range []OIDCConfig{{ClientID: "c", Base: "b", ACRValues: []string{"a"}}, {Issuer: "i", Base: "b", ACRValues: []string{"a"}},
		{Issuer: "i", ClientID: "c", ACRValues: []string{"a"}}, {Issuer: "i", ClientID: "c", Base: "b"}} {
		if _, err := NewOIDC(c); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

func TestOIDCEveryReasonWorded(t *testing.T) {
	for k := LoginKind(1); k < numLoginKinds; k++ {
		if oidcWords.Reasons[k.Error()] == "" {
			t.Errorf("no words for %s", k.Error())
		}
	}
	for _, c := range pivotClaims {
		if oidcWords.Claims[c] == "" {
			t.Errorf("no label for %s", c)
		}
	}
	if oidcWords.Reasons["unexpected"] == "" {
		t.Error("no words for unexpected")
	}
}
