package demoservice

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/cnie-reader/cnie-reader/internal/kinderr"
)

// OIDC mode: the demo service as an ordinary OpenID Connect relying party
// (coreos/go-oidc and x/oauth2). It knows nothing of cards: it sends the
// browser to an issuer and gets back an ID token and claims, exactly as a
// service that integrates FranceConnect would.

// CallbackPath is where the provider sends the browser back; the client's
// registered redirect_uri is the service's base followed by it.
const CallbackPath = "/oidc/callback"

// loginCookie holds the id of the browser's login in progress. Named apart
// from any provider cookie: on loopback every port shares cookies.
const loginCookie = "demo_service_login"

// loginTTL bounds a login in progress, as the provider bounds its own.
const loginTTL = 10 * time.Minute

// maxPendingLogins bounds the logins kept at once.
const maxPendingLogins = 10000

// ScopeIdentitePivot is the scope that asks for the pivot identity.
const ScopeIdentitePivot = "identite_pivot"

// OIDCConfig is what a relying party is configured with: the issuer, its
// client credentials, and what it asks for.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL (discovery is under it).
	Issuer string
	// ClientID and ClientSecret authenticate the service (client_secret_post).
	ClientID, ClientSecret string
	// Base is the service's own address as browsers reach it; the
	// redirect_uri is Base + CallbackPath.
	Base string
	// Scopes asked; openid and identite_pivot when empty.
	Scopes []string
	// ACRValues are the levels the service accepts (acr_values); an ID
	// token with another acr is refused.
	ACRValues []string
	// HTTPClient talks to the provider; http.DefaultClient when nil.
	HTTPClient *http.Client
	// Log receives refusal reasons (never claims); silent when nil.
	Log *slog.Logger
}

// OIDCService is the demo web site in OIDC mode. Its handler serves:
//
//	GET  /               the page with the "log in with the identity card" button
//	POST /oidc/login     starts the code flow (PKCE, state, nonce, acr_values)
//	GET  /oidc/callback  verifies what came back and shows who logged in
type OIDCService struct {
	cfg    OIDCConfig
	logins *pendingLogins
	now    func() time.Time

	mu sync.Mutex
	op *oidc.Provider // discovered at the first login, kept once found
}

// NewOIDC makes the OIDC-mode service. Discovery waits for the first
// login, so the service may start before its provider.
func NewOIDC(cfg OIDCConfig) (*OIDCService, error) {
	switch {
	case cfg.Issuer == "":
		return nil, errors.New("demoservice: oidc: no issuer")
	case cfg.ClientID == "":
		return nil, errors.New("demoservice: oidc: no client id")
	case cfg.Base == "":
		return nil, errors.New("demoservice: oidc: no base address")
	case len(cfg.ACRValues) == 0:
		return nil, errors.New("demoservice: oidc: no acr values")
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{oidc.ScopeOpenID, ScopeIdentitePivot}
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &OIDCService{cfg: cfg, logins: newPendingLogins(maxPendingLogins, loginTTL), now: time.Now}, nil
}

// RedirectURL is the redirect_uri to register with the provider.
func (s *OIDCService) RedirectURL() string { return strings.TrimRight(s.cfg.Base, "/") + CallbackPath }

func (s *OIDCService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	switch {
	case r.URL.Path == "/" && r.Method == http.MethodGet:
		renderStatus(w, http.StatusOK, oidcHomePage, nil)
	case r.URL.Path == "/oidc/login" && r.Method == http.MethodPost:
		s.login(w, r)
	case r.URL.Path == CallbackPath && r.Method == http.MethodGet:
		s.callback(w, r)
	default:
		http.NotFound(w, r)
	}
}

// provider returns the discovered provider, discovering it on first use.
func (s *OIDCService) provider(ctx context.Context) (*oidc.Provider, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.op != nil {
		return s.op, nil
	}
	op, err := oidc.NewProvider(oidc.ClientContext(ctx, s.cfg.HTTPClient), s.cfg.Issuer)
	if err != nil {
		return nil, kinderr.Wrap(ProviderUnreachable, "discovery", err)
	}
	s.op = op
	return op, nil
}

// oauth2Config is the x/oauth2 view of the client.
func (s *OIDCService) oauth2Config(op *oidc.Provider) *oauth2.Config {
	ep := op.Endpoint()
	ep.AuthStyle = oauth2.AuthStyleInParams // client_secret_post, as FranceConnect
	return &oauth2.Config{ClientID: s.cfg.ClientID, ClientSecret: s.cfg.ClientSecret, Endpoint: ep,
		RedirectURL: s.RedirectURL(), Scopes: s.cfg.Scopes}
}

// login starts the authorization code flow and remembers, for this
// browser only, what must come back.
func (s *OIDCService) login(w http.ResponseWriter, r *http.Request) {
	op, err := s.provider(r.Context())
	if err != nil {
		s.refuse(w, err)
		return
	}
	p := pendingLogin{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier()}
	id := random()
	s.logins.put(id, p, s.now())
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: id, Path: "/oidc/", MaxAge: int(loginTTL.Seconds()),
		HttpOnly: true, Secure: strings.HasPrefix(s.cfg.Base, "https:"), SameSite: http.SameSiteLaxMode})
	u := s.oauth2Config(op).AuthCodeURL(p.State, oidc.Nonce(p.Nonce), oauth2.S256ChallengeOption(p.Verifier),
		oauth2.SetAuthURLParam("acr_values", strings.Join(s.cfg.ACRValues, " ")))
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// callback checks what the provider sent back and shows the person
// logged in, or why not.
func (s *OIDCService) callback(w http.ResponseWriter, r *http.Request) {
	var p pendingLogin
	ok := false
	if c, err := r.Cookie(loginCookie); err == nil {
		p, ok = s.logins.take(c.Value, s.now())
	}
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/oidc/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	if !ok {
		s.refuse(w, kinderr.New(NoLogin, "callback", ""))
		return
	}
	v, err := s.finish(r.Context(), p, r)
	if err != nil {
		s.refuse(w, err)
		return
	}
	s.cfg.Log.Info("login", "acr", v.ACR)
	renderStatus(w, http.StatusOK, oidcResultPage, v)
}

// loggedIn is what the result page shows of a completed login.
type loggedIn struct {
	Issuer, Subject, ACR string
	AMR                  []string
	Rows                 [][2]string
	Refusal              *refusalView
}

// pivotClaims are the userinfo claims the page shows, in this order.
var pivotClaims = []string{"given_name", "family_name", "birthdate", "gender", "birthplace", "birthcountry"}

// finish checks state, redeems the code with the PKCE verifier, verifies
// the ID token (signature, issuer, audience, expiry, nonce, acr) and reads
// the claims.
func (s *OIDCService) finish(ctx context.Context, p pendingLogin, r *http.Request) (*loggedIn, error) {
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(p.State)) != 1 {
		return nil, kinderr.New(StateMismatch, "callback", "")
	}
	if code := q.Get("error"); code != "" {
		return nil, kinderr.New(ProviderError, "callback", oidcErrorCode(code))
	}
	op, err := s.provider(ctx)
	if err != nil {
		return nil, err
	}
	ctx = oidc.ClientContext(ctx, s.cfg.HTTPClient)
	tok, err := s.oauth2Config(op).Exchange(ctx, q.Get("code"), oauth2.VerifierOption(p.Verifier))
	if err != nil {
		return nil, kinderr.Wrap(ExchangeFailed, "token", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, kinderr.New(BadIDToken, "token", "no id_token")
	}
	idt, err := op.Verifier(&oidc.Config{ClientID: s.cfg.ClientID, SupportedSigningAlgs: []string{oidc.ES256, oidc.RS256}}).Verify(ctx, raw)
	if err != nil {
		return nil, kinderr.Wrap(BadIDToken, "id token", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(p.Nonce)) != 1 {
		return nil, kinderr.New(NonceMismatch, "id token", "")
	}
	var c struct {
		ACR string   `json:"acr"`
		AMR []string `json:"amr"`
	}
	if err := idt.Claims(&c); err != nil {
		return nil, kinderr.Wrap(BadIDToken, "id token claims", err)
	}
	if !slices.Contains(s.cfg.ACRValues, c.ACR) {
		return nil, kinderr.Newf(ACRNotAsked, "id token", "acr %q", c.ACR)
	}
	ui, err := op.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return nil, kinderr.Wrap(UserinfoFailed, "userinfo", err)
	}
	if ui.Subject != idt.Subject { // OpenID Connect Core 5.3.2
		return nil, kinderr.New(UserinfoFailed, "userinfo", "sub differs from the id token's")
	}
	var claims map[string]any
	if err := ui.Claims(&claims); err != nil {
		return nil, kinderr.Wrap(UserinfoFailed, "userinfo claims", err)
	}
	v := &loggedIn{Issuer: idt.Issuer, Subject: idt.Subject, ACR: c.ACR, AMR: c.AMR}
	for _, name := range pivotClaims {
		if val, ok := claims[name]; ok {
			v.Rows = append(v.Rows, [2]string{oidcWords.Claims[name] + " (" + name + ")", fmt.Sprint(val)})
		}
	}
	return v, nil
}

// oidcErrorCode keeps an error code from the wire only if it has the
// shape of one (RFC 6749 4.1.2.1), so the page shows no injected text.
func oidcErrorCode(code string) string {
	if len(code) > 64 || strings.Trim(code, "abcdefghijklmnopqrstuvwxyz_") != "" {
		return "invalid_error_code"
	}
	return code
}

// refusalView is the refusal page's data.
type refusalView struct {
	Reason, Words, ProviderCode string
}

// refuse shows why the login failed, and logs the reason's name alone.
func (s *OIDCService) refuse(w http.ResponseWriter, err error) {
	var le *LoginError
	v := &refusalView{Reason: "unexpected"}
	if errors.As(err, &le) {
		v.Reason = le.Kind.Error()
		if le.Kind == ProviderError {
			v.ProviderCode = le.Detail
		}
	}
	v.Words = oidcWords.Reasons[v.Reason]
	s.cfg.Log.Warn("login refused", "reason", v.Reason)
	status := http.StatusBadRequest
	if errors.Is(err, ProviderUnreachable) {
		status = http.StatusBadGateway
	}
	renderStatus(w, status, oidcResultPage, &loggedIn{Refusal: v})
}
