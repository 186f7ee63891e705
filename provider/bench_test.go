package provider

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/cnie-reader/cnie-reader/assertion/pivot"
	"github.com/cnie-reader/cnie-reader/assertion/store"
	"github.com/cnie-reader/cnie-reader/assertion/store/redisstore"
	"github.com/cnie-reader/cnie-reader/internal/demoservice"
	"github.com/cnie-reader/cnie-reader/internal/redistest"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// benchWorld is a provider whose card step is replaced by stored
// evidence: what is measured is the provider's own work per login.
type benchWorld struct {
	p   *Provider
	key *ecdsa.PrivateKey
}

func newBenchWorld(b *testing.B, st store.Store) *benchWorld {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	jwks, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "c1", Algorithm: "ES256", Use: "sig"}}})
	cfg, err := ParseConfig([]byte(`{"clients": [{"client_id": "svc", "redirect_uris": ["https://svc.example/cb"], "jwks": ` + string(jwks) + `}]}`))
	if err != nil {
		b.Fatal(err)
	}
	keys, _ := NewKeys()
	id, _ := demoservice.NewIdentity(time.Now(), "idp.example")
	p, err := New(Options{Issuer: "https://idp.example", Config: cfg, Keys: keys, Trust: pki.NewStore(), Store: st,
		Identity: Identity{Key: id.Key, Chain: id.Chain}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	return &benchWorld{p: p, key: key}
}

func (w *benchWorld) serve(r *http.Request) *http.Response {
	rec := httptest.NewRecorder()
	w.p.ServeHTTP(rec, r)
	return rec.Result()
}

// login is one whole login: /authorize, the evidence stored as
// /cnie/response would, /cnie/return, /token (private_key_jwt), /userinfo.
func (w *benchWorld) login(b *testing.B) {
	verifier := randomID()
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"client_id": {"svc"}, "redirect_uri": {"https://svc.example/cb"}, "response_type": {"code"},
		"scope": {"openid identite_pivot"}, "state": {"st"}, "nonce": {randomID()}, "acr_values": {pivot.ACRChipPresent},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	resp := w.serve(httptest.NewRequest(http.MethodGet, "https://idp.example/authorize?"+q.Encode(), nil))
	i := slices.IndexFunc(resp.Cookies(), func(c *http.Cookie) bool { return c.Name == cookieInteraction })
	if resp.StatusCode != http.StatusOK || i < 0 {
		b.Fatalf("authorize: %s", resp.Status)
	}
	cookie := resp.Cookies()[i]

	ctx := b.Context()
	ix, err := w.p.loadInteraction(ctx, cookie.Value, false)
	if err != nil {
		b.Fatal(err)
	}
	code := randomID()
	ix.ResponseCode = hashKey("", code)
	ix.Evidence = &evidence{Subject: "sub", Claims: map[string]any{"family_name": "X", "given_name": "Y", "birthdate": "2000-01-01"},
		ACR: pivot.ACRChipPresent, AMR: []string{"sc", "hwk"}, AuthTime: time.Now().Unix()}
	if err := w.p.saveInteraction(ctx, cookie.Value, ix); err != nil {
		b.Fatal(err)
	}

	back := httptest.NewRequest(http.MethodGet, "https://idp.example"+pathReturn+"?response_code="+code, nil)
	back.AddCookie(cookie)
	resp = w.serve(back)
	loc, err := resp.Location()
	if err != nil || loc.Query().Get("code") == "" {
		b.Fatalf("return: %s %v", resp.Status, loc)
	}

	s, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: w.key, KeyID: "c1"}}, nil)
	now := time.Now()
	assertion, _ := jwt.Signed(s).Claims(jwt.Claims{Issuer: "svc", Subject: "svc", Audience: jwt.Audience{"https://idp.example/token"},
		ID: randomID(), IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(time.Minute))}).Serialize()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "code_verifier": {verifier},
		"redirect_uri": {"https://svc.example/cb"}, "client_id": {"svc"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {assertion}}
	tr := httptest.NewRequest(http.MethodPost, "https://idp.example/token", strings.NewReader(form.Encode()))
	tr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp = w.serve(tr)
	var tok struct {
		AccessToken string `json:"access_token"`
		IDToken     string `json:"id_token"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	if resp.StatusCode != http.StatusOK || tok.IDToken == "" {
		b.Fatalf("token: %s", resp.Status)
	}
	ui := httptest.NewRequest(http.MethodGet, "https://idp.example/userinfo", nil)
	ui.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	if resp = w.serve(ui); resp.StatusCode != http.StatusOK {
		b.Fatalf("userinfo: %s", resp.Status)
	}
}

// BenchmarkLogin measures completed logins (in memory, the chip step
// replaced by stored evidence), with their p50 and p99 latency. Run it
// on one core: go test -run - -bench Login -cpu 1 ./provider
func BenchmarkLogin(b *testing.B) { benchLogins(b, newBenchWorld(b, nil)) }

// BenchmarkLoginRedis is the same with a real redis-server as the store
// (one round trip per store call: the figure scale-out pays).
func BenchmarkLoginRedis(b *testing.B) {
	srv := redistest.StartReal(b)
	st, err := redisstore.Open(b.Context(), srv.URL())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	benchLogins(b, newBenchWorld(b, st))
}

func benchLogins(b *testing.B, w *benchWorld) {
	var lat []time.Duration
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		w.login(b)
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	var total time.Duration
	for _, d := range lat {
		total += d
	}
	b.ReportMetric(float64(len(lat))/total.Seconds(), "logins/s")
}
