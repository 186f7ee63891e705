package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/answer"
	"github.com/cnie-reader/cnie-reader/assertion/intake"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/assertion/store"
	"github.com/cnie-reader/cnie-reader/internal/demoservice"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/provider"
	"github.com/cnie-reader/cnie-reader/reader"
)

// The clients of the test provider: a service with a secret whose
// userinfo comes signed, and one authenticating with private_key_jwt.
const (
	secretClient = "service-secret"
	clientSecret = "a-long-enough-secret-for-the-test-client-0123456789"
	jwtClient    = "service-jwt"
)

// oidcWorld is one provider, the application's intake on loopback with a
// holder who consents at once and reads the virtual card, and the
// settings of a relying party.
type oidcWorld struct {
	issuer, appURL, redirect string
	provider                 *provider.Provider
	logs                     *syncBuffer
	// requests are the requests the application was shown.
	mu       sync.Mutex
	requests []*request.Request
	// jwtKey signs the private_key_jwt client's assertions.
	jwtKey any
	// refuse makes the holder say no.
	refuse bool
	// served counts the requests each provider process served.
	served []int
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// newOIDCWorld starts the application and the provider; ttl bounds the
// provider's interactions (0: the default).
func newOIDCWorld(t *testing.T, ttl time.Duration) *oidcWorld {
	t.Helper()
	return newOIDCWorldWith(t, worldOptions{ttl: ttl})
}

// worldOptions shape the provider side: several processes behind one
// issuer (a round-robin balancer) sharing a store and a key file.
type worldOptions struct {
	ttl time.Duration
	// backends is the number of provider processes (1 when 0).
	backends int
	// store is what they share (each its own memory when nil).
	store func() store.Store
}

func newOIDCWorldWith(t *testing.T, o worldOptions) *oidcWorld {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	w := &oidcWorld{logs: &syncBuffer{}, redirect: "http://localhost:1/cb"}

	// The application: the intake, a holder who says yes.
	al := listen(t)
	w.appURL = fmt.Sprintf("http://127.0.0.1:%d/authorize", al.Addr().(*net.TCPAddr).Port)
	app := &intake.Server{Verifier: &request.Verifier{AllowLoopbackHTTP: true},
		Holder: intake.HolderFunc(w.consent), Lang: "en"}
	go app.Serve(ctx, al)

	// The provider, trusting the virtual card's DEMO CSCA.
	card, err := sim.NewNamed(sim.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	trust, err := core.TrustStore(t.TempDir(), card)
	if err != nil {
		t.Fatal(err)
	}
	pl := listen(t)
	w.issuer = fmt.Sprintf("http://localhost:%d", pl.Addr().(*net.TCPAddr).Port)
	id, err := demoservice.NewIdentity(time.Now(), "localhost")
	if err != nil {
		t.Fatal(err)
	}
	jwks, key := clientJWKS(t)
	w.jwtKey = key
	cfg, err := provider.ParseConfig([]byte(fmt.Sprintf(`{"name": "CNIE test provider", "clients": [
		{"client_id": %q, "client_name": "Service A", "redirect_uris": [%q], "client_secret": %q,
		 "userinfo_signed_response_alg": "ES256", "post_logout_redirect_uris": ["http://localhost:1/bye"]},
		{"client_id": %q, "client_name": "Service B", "redirect_uris": [%q], "jwks": %s, "sector": "b.example"}]}`,
		secretClient, w.redirect, clientSecret, jwtClient, w.redirect, jwks)))
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "keys.json")
	var backends []http.Handler
	for i := 0; i < max(1, o.backends); i++ {
		// Each process reads the one key file, as at its start.
		keys, err := provider.LoadKeys(keyFile, false)
		if err != nil {
			t.Fatal(err)
		}
		var st store.Store
		if o.store != nil {
			st = o.store()
		}
		p, err := provider.New(provider.Options{Issuer: w.issuer, Config: cfg, Keys: keys, Trust: trust, Store: st,
			Identity: provider.Identity{Key: id.Key, Chain: id.Chain}, AppURL: w.appURL, InteractionTTL: o.ttl,
			Log: slog.New(slog.NewTextHandler(w.logs, &slog.HandlerOptions{Level: slog.LevelDebug})).With("process", i)})
		if err != nil {
			t.Fatal(err)
		}
		w.provider = p
		backends = append(backends, p)
	}
	hs := &http.Server{Handler: w.balance(backends)}
	go hs.Serve(pl)
	t.Cleanup(func() { hs.Close() })
	return w
}

// balance sends each request to the next process in turn, and counts
// what each served.
func (w *oidcWorld) balance(backends []http.Handler) http.Handler {
	w.served = make([]int, len(backends))
	var next int
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		i := next
		next = (next + 1) % len(backends)
		w.served[i]++
		w.mu.Unlock()
		backends[i].ServeHTTP(rw, r)
	})
}

// consent is the holder: yes at once, the virtual card read with the
// request's challenge, the answer posted to the provider.
func (w *oidcWorld) consent(ctx context.Context, req *request.Request) (string, error) {
	w.mu.Lock()
	w.requests = append(w.requests, req)
	refuse := w.refuse
	w.mu.Unlock()
	if refuse {
		return answer.Refuse(ctx, nil, req)
	}
	scope := assertion.NewScope(req.Asked)
	src := core.DemoSource{}
	res, err := core.ReadCard(ctx, src, reader.Secret{CAN: src.DemoCAN()}, core.ReadOptions{ChallengeFor: answer.ChallengeFor(req, scope), SkipFace: true})
	if err != nil {
		return "", err
	}
	defer res.Wipe()
	tok, err := answer.Build(req, scope, &res.Doc.Document, res.Report)
	if err != nil {
		return "", err
	}
	return answer.Send(ctx, nil, req, tok)
}

// rp is a relying party as a service writes it: coreos/go-oidc and
// x/oauth2, nothing of ours.
func (w *oidcWorld) rp(t *testing.T, ctx context.Context) (*oidc.Provider, *oauth2.Config) {
	t.Helper()
	op, err := oidc.NewProvider(ctx, w.issuer)
	if err != nil {
		t.Fatal(err)
	}
	ep := op.Endpoint()
	ep.AuthStyle = oauth2.AuthStyleInParams // client_secret_post
	return op, &oauth2.Config{ClientID: secretClient, ClientSecret: clientSecret, Endpoint: ep, RedirectURL: w.redirect,
		Scopes: []string{oidc.ScopeOpenID, provider.ScopeIdentitePivot}}
}

// userAgent is a browser: it keeps cookies and stops where stop says (the service's
// redirect_uri by default: the browser would leave the provider there).
type userAgent struct {
	c *http.Client
}

func newBrowser(t *testing.T, stop func(*url.URL) bool) *userAgent {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &userAgent{c: &http.Client{Jar: jar, Timeout: time.Minute, CheckRedirect: func(r *http.Request, via []*http.Request) error {
		if stop(r.URL) || len(via) > 10 {
			return http.ErrUseLastResponse
		}
		return nil
	}}}
}

func (b *userAgent) get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

var appLink = regexp.MustCompile(`id="open-app" href="([^"]+)"`)

// startLogin opens the authorization URL and returns the link to the
// application that the page shows.
func (w *oidcWorld) startLogin(t *testing.T, b *userAgent, authURL string) string {
	t.Helper()
	resp, body := b.get(t, authURL)
	m := appLink.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("authorize: %s %s\n%s", resp.Status, resp.Header.Get("Location"), body)
	}
	if !strings.Contains(body, "Prouver mon identité avec ma carte") || !strings.Contains(body, "CNIE test provider") {
		t.Errorf("the card page does not say what it is for:\n%s", body)
	}
	link := html.UnescapeString(m[1])
	if !strings.HasPrefix(link, w.appURL+"?") {
		t.Fatalf("the page links to %q, not the application", link)
	}
	return link
}

// login runs a whole login in browser b and returns the redirect to the
// service (code and state in its query).
func (w *oidcWorld) login(t *testing.T, b *userAgent, authURL string) *url.URL {
	t.Helper()
	resp, body := b.get(t, w.startLogin(t, b, authURL))
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("no redirect back to the service: %s\n%s\nprovider logs:\n%s", resp.Status, body, w.logs.String())
	}
	return loc
}

func (w *oidcWorld) stopAtService(u *url.URL) bool { return strings.HasPrefix(u.String(), w.redirect) }

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// authParams are a FranceConnect-shaped authorization request's options.
func authParams(nonce, verifier string, acr string) []oauth2.AuthCodeOption {
	return []oauth2.AuthCodeOption{oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("acr_values", acr)}
}

var _ = bytes.NewReader
