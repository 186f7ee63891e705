package provider

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/luikyv/go-oidc/pkg/goidc"
	oidcprovider "github.com/luikyv/go-oidc/pkg/provider"

	"github.com/cnie-reader/cnie-reader/assertion/intake"
	"github.com/cnie-reader/cnie-reader/assertion/pivot"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/assertion/store"
	"github.com/cnie-reader/cnie-reader/assertion/verifier"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// Lifetimes of FranceConnect's profile.
const (
	TokenLifetime         = 60 * time.Second
	DefaultInteractionTTL = 10 * time.Minute
)

// Identity is what signs the provider's requests to the application: a
// key and its certificate chain (leaf first), whose leaf names the
// issuer's host in its DNS names.
type Identity struct {
	Key   crypto.Signer
	Chain []*x509.Certificate
}

// Options configure a provider.
type Options struct {
	// Issuer is the provider's URL (https, or http on loopback).
	Issuer string
	Config *Config
	Keys   *Keys
	// Store keeps every login's state; in memory when nil.
	Store store.Store
	// Trust are the CSCAs the evidence must chain to.
	Trust    *pki.Store
	Identity Identity
	// AppURL is the application's intake (intake.DefaultPort on loopback
	// when empty).
	AppURL string
	// InteractionTTL bounds a login (10 minutes when 0; never more).
	InteractionTTL time.Duration
	// Log hears what happens, never personal data (slog.Default when nil).
	Log *slog.Logger
}

// Provider is the OpenID Provider; it is an http.Handler.
type Provider struct {
	issuer, host, name, appURL string
	authorizePath              string
	secure                     bool
	ttl                        time.Duration
	clients                    map[string]*ClientConfig
	keys                       *Keys
	store                      store.Store
	verifier                   *verifier.Verifier
	identity                   Identity
	signAlg                    jose.SignatureAlgorithm
	log                        *slog.Logger
	now                        func() time.Time
	oidc                       http.Handler
	mux                        *http.ServeMux
}

// New makes a provider.
func New(o Options) (*Provider, error) {
	iss, err := url.Parse(o.Issuer)
	if err != nil || iss.Host == "" || iss.RawQuery != "" || iss.Fragment != "" || (iss.Path != "" && iss.Path != "/") {
		return nil, fmt.Errorf("provider: issuer %q must be a URL without path, query or fragment", o.Issuer)
	}
	if iss.Scheme != "https" && !(iss.Scheme == "http" && isLoopback(iss.Hostname())) {
		return nil, fmt.Errorf("provider: issuer %q must be https (http on loopback only)", o.Issuer)
	}
	switch {
	case o.Config == nil || o.Keys == nil || o.Trust == nil:
		return nil, errors.New("provider: config, keys and trust store are required")
	case o.Identity.Key == nil || len(o.Identity.Chain) == 0:
		return nil, errors.New("provider: a signing identity is required")
	case o.Identity.Chain[0].VerifyHostname(iss.Hostname()) != nil:
		return nil, fmt.Errorf("provider: the certificate does not name %q", iss.Hostname())
	}
	p := &Provider{issuer: strings.TrimSuffix(o.Issuer, "/"), host: strings.ToLower(iss.Hostname()), name: o.Config.Name,
		appURL: o.AppURL, secure: iss.Scheme == "https", ttl: o.InteractionTTL, keys: o.Keys, store: o.Store,
		identity: o.Identity, log: o.Log, now: time.Now, clients: map[string]*ClientConfig{}, authorizePath: "/authorize"}
	if p.appURL == "" {
		p.appURL = fmt.Sprintf("http://127.0.0.1:%d/authorize", intake.DefaultPort)
	}
	if p.ttl <= 0 || p.ttl > DefaultInteractionTTL {
		p.ttl = DefaultInteractionTTL
	}
	if p.store == nil {
		p.store = &store.Memory{}
	}
	if p.log == nil {
		p.log = slog.Default()
	}
	if p.signAlg, err = signatureAlg(o.Identity.Key); err != nil {
		return nil, err
	}
	// The answer's state is taken once from the store; the verifier's
	// replay set (client_id and nonce), in the same store, holds across
	// processes too.
	p.verifier = &verifier.Verifier{Store: o.Trust, Seen: &request.StoreReplay{Store: p.store, Prefix: "cnie:replay:"},
		Now: func() time.Time { return p.now() }}
	if p.oidc, err = p.library(o.Config); err != nil {
		return nil, err
	}
	p.mux = http.NewServeMux()
	p.mux.HandleFunc(pathResponse, p.response)
	p.mux.HandleFunc(pathReturn, p.back)
	p.mux.HandleFunc(pathEndSession, p.endSession)
	p.mux.HandleFunc("/.well-known/openid-configuration", p.discovery)
	p.mux.HandleFunc(p.authorizePath, p.authorize)
	p.mux.HandleFunc("/userinfo", p.userinfo)
	p.mux.Handle("/", p.oidc)
	return p, nil
}

func signatureAlg(k crypto.Signer) (jose.SignatureAlgorithm, error) {
	switch pub := k.Public().(type) {
	case *ecdsa.PublicKey:
		if pub.Curve == elliptic.P256() {
			return jose.ES256, nil
		}
	case *rsa.PublicKey:
		return jose.PS256, nil
	}
	return "", errors.New("provider: the signing identity's key must be P-256 or RSA")
}

// library configures go-oidc with FranceConnect's profile.
func (p *Provider) library(c *Config) (http.Handler, error) {
	opts := []oidcprovider.Option{
		oidcprovider.WithAuthnSessionStorage(&authnSessions{s: p.store, now: p.now}),
		oidcprovider.WithGrantSessionStorage(&grantSessions{s: p.store, now: p.now}),
		oidcprovider.WithSignerFunc(p.keys.Signer),
		oidcprovider.WithScopes(goidc.ScopeOpenID, goidc.NewScope(ScopeIdentitePivot)),
		oidcprovider.WithOpenIDScopeRequired(),
		oidcprovider.WithAuthorizationCodeGrant(),
		oidcprovider.WithPKCERequired(goidc.CodeChallengeMethodSHA256),
		oidcprovider.WithTokenAuthnMethods(goidc.ClientAuthnSecretPost, goidc.ClientAuthnPrivateKeyJWT),
		oidcprovider.WithPrivateKeyJWTSignatureAlgs(goidc.ES256, goidc.RS256, goidc.PS256),
		oidcprovider.WithIDTokenSignatureAlgs(goidc.ES256),
		oidcprovider.WithUserInfoSignatureAlgs(goidc.ES256),
		oidcprovider.WithIDTokenLifetime(int(TokenLifetime.Seconds())),
		oidcprovider.WithTokenOptions(func(goidc.GrantInfo, *goidc.Client) goidc.TokenOptions {
			return goidc.NewOpaqueTokenOptions(48, int(TokenLifetime.Seconds()))
		}),
		oidcprovider.WithAuthenticationSessionTimeout(int(p.ttl.Seconds())),
		oidcprovider.WithClaims(string(pivot.Claims[0]), claimNames()...),
		oidcprovider.WithSubIdentifierTypes(goidc.SubIdentifierPublic),
		oidcprovider.WithIssuerResponseParameter(),
		oidcprovider.WithPolicies(goidc.NewPolicy("card", func(*http.Request, *goidc.Client, *goidc.AuthnSession) bool { return true }, p.authenticate)),
		oidcprovider.WithRenderErrorFunc(p.renderLibraryError),
		oidcprovider.WithNotifyErrorFunc(func(_ context.Context, err error) { p.log.Info("oidc error", "error", oidcCode(err)) }),
	}
	acrs := make([]goidc.ACR, len(pivot.ACRValues()))
	for i, v := range pivot.ACRValues() {
		acrs[i] = goidc.ACR(v)
	}
	opts = append(opts, oidcprovider.WithACRs(acrs[0], acrs[1:]...))
	for i := range c.Clients {
		cl, err := c.Clients[i].client()
		if err != nil {
			return nil, fmt.Errorf("provider: client %q: %w", c.Clients[i].ID, err)
		}
		p.clients[cl.ID] = &c.Clients[i]
		opts = append(opts, oidcprovider.WithStaticClient(cl))
	}
	// The library signs with the signer; the JWKS it publishes holds the
	// public keys only.
	op, err := oidcprovider.New(goidc.ProfileOpenID, p.issuer, p.keys.JWKS, opts...)
	if err != nil {
		return nil, fmt.Errorf("provider: %w", err)
	}
	return op.Handler(), nil
}

func oidcCode(err error) string {
	var e goidc.Error
	if errors.As(err, &e) {
		return string(e.Code) + ": " + e.Description
	}
	return "internal"
}

// renderLibraryError shows what cannot go back to the service (an unknown
// client, a redirect_uri not registered: never redirect there).
func (p *Provider) renderLibraryError(w http.ResponseWriter, r *http.Request, err error) error {
	var e goidc.Error
	if !errors.As(err, &e) {
		e = goidc.NewError(goidc.ErrorCodeInternalError, "internal error")
	}
	renderError(w, r, e.Code, e.Description)
	return nil
}

// ServeHTTP serves every endpoint.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		// Hostile input must never take the process down.
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			p.log.Error("panic while serving", "path", r.URL.Path)
			writeJSONError(w, http.StatusInternalServerError, goidc.ErrorCodeInternalError, "internal error")
		}
	}()
	p.mux.ServeHTTP(w, r)
}

// CurrentKID names the key that signs ID tokens and userinfo now.
func (p *Provider) CurrentKID() string { return p.keys.CurrentKID() }

// claimNames are the identite_pivot claims, for discovery.
func claimNames() []string {
	var out []string
	for _, c := range pivot.Claims {
		out = append(out, string(c))
	}
	return out
}
