package e2e

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"

	"github.com/cnie-reader/cnie-reader/assertion/pivot"
)

// oauthError is the OIDC error code of a failed exchange.
func oauthError(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return re.ErrorCode
	}
	return ""
}

// TestOIDCUnregisteredRedirectURI: no redirect, an error page with the code.
func TestOIDCUnregisteredRedirectURI(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w := newOIDCWorld(t, 0)
	_, conf := w.rp(t, ctx)
	conf.RedirectURL = "http://localhost:1/elsewhere"
	b := newBrowser(t, func(*url.URL) bool { return true })
	resp, body := b.get(t, conf.AuthCodeURL("st", authParams(randomString(24), oauth2.GenerateVerifier(), pivot.ACRDemoPresent)...))
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || !strings.Contains(body, `id="error">invalid_request<`) {
		t.Fatalf("%s %q\n%s", resp.Status, resp.Header.Get("Location"), body)
	}
}

// TestOIDCNonceStateACRRequired: refused back at the service with
// invalid_request (the redirect_uri is registered: the error goes there).
func TestOIDCNonceStateACRRequired(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w := newOIDCWorld(t, 0)
	_, conf := w.rp(t, ctx)
	pkce := oauth2.S256ChallengeOption(oauth2.GenerateVerifier())
	acr := oauth2.SetAuthURLParam("acr_values", pivot.ACRDemoPresent)
	for name, u := range map[string]string{
		"no nonce":    conf.AuthCodeURL("st", pkce, acr),
		"short nonce": conf.AuthCodeURL("st", pkce, acr, oauth2.SetAuthURLParam("nonce", strings.Repeat("n", 21))),
		"no acr":      conf.AuthCodeURL("st", pkce, oauth2.SetAuthURLParam("nonce", randomString(24))),
		"eidas acr":   conf.AuthCodeURL("st", pkce, oauth2.SetAuthURLParam("nonce", randomString(24)), oauth2.SetAuthURLParam("acr_values", "eidas2")),
		"no pkce":     conf.AuthCodeURL("st", acr, oauth2.SetAuthURLParam("nonce", randomString(24))),
	} {
		resp, body := newBrowser(t, w.stopAtService).get(t, u)
		loc, err := resp.Location()
		if err != nil || loc.Query().Get("error") != "invalid_request" || loc.Query().Get("state") != "st" || loc.Query().Has("code") {
			t.Errorf("%s: %s %v\n%s", name, resp.Status, loc, body)
		}
	}
	resp, body := newBrowser(t, w.stopAtService).get(t, conf.AuthCodeURL("", pkce, acr, oauth2.SetAuthURLParam("nonce", randomString(24))))
	if loc, err := resp.Location(); err != nil || loc.Query().Get("error") != "invalid_request" {
		t.Errorf("no state: %s %v\n%s", resp.Status, loc, body)
	}
}

// TestOIDCReusedCodeRevokes: a code redeemed twice is refused the second
// time, and the access token it first gave stops working.
func TestOIDCReusedCodeRevokes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w := newOIDCWorld(t, 0)
	op, conf := w.rp(t, ctx)
	pkce := oauth2.GenerateVerifier()
	back := w.login(t, newBrowser(t, w.stopAtService), conf.AuthCodeURL("st", authParams(randomString(24), pkce, pivot.ACRDemoPresent)...))
	tok, err := conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(pkce))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := op.UserInfo(ctx, oauth2.StaticTokenSource(tok)); err != nil {
		t.Fatalf("userinfo before the reuse: %v", err)
	}
	_, err = conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(pkce))
	if oauthError(err) != "invalid_grant" {
		t.Fatalf("reused code: %v", err)
	}
	if _, err := op.UserInfo(ctx, oauth2.StaticTokenSource(tok)); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("the token of a reused code still works: %v", err)
	}
}

// TestOIDCWrongPKCEVerifier: invalid_grant, and the code is spent.
func TestOIDCWrongPKCEVerifier(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w := newOIDCWorld(t, 0)
	_, conf := w.rp(t, ctx)
	pkce := oauth2.GenerateVerifier()
	back := w.login(t, newBrowser(t, w.stopAtService), conf.AuthCodeURL("st", authParams(randomString(24), pkce, pivot.ACRDemoPresent)...))
	_, err := conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier()))
	if oauthError(err) != "invalid_grant" {
		t.Fatalf("wrong verifier: %v", err)
	}
	if _, err := conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(pkce)); oauthError(err) != "invalid_grant" {
		t.Fatalf("the code survived a wrong verifier: %v", err)
	}
}

// TestOIDCAlgNone: a client assertion signed "none" is refused with
// invalid_client; a request object at /authorize with
// request_not_supported, whatever its alg.
func TestOIDCAlgNone(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w := newOIDCWorld(t, 0)
	_, conf := w.rp(t, ctx)
	pkce := oauth2.GenerateVerifier()
	conf.ClientID = jwtClient
	back := w.login(t, newBrowser(t, w.stopAtService), conf.AuthCodeURL("st", authParams(randomString(24), pkce, pivot.ACRDemoPresent)...))
	code := back.Query().Get("code")
	none := unsignedJWT(t, map[string]any{"iss": jwtClient, "sub": jwtClient, "aud": w.issuer + "/token", "jti": randomString(12),
		"iat": time.Now().Unix(), "exp": time.Now().Add(time.Minute).Unix()})
	if status, body := tokenRequest(t, conf.Endpoint.TokenURL, code, pkce, none); status != http.StatusUnauthorized && status != http.StatusBadRequest || !strings.Contains(body, "invalid_client") {
		t.Errorf("alg none client assertion: %d %s", status, body)
	}
	// The code was not spent by the refused client: the real key redeems it.
	signed := signedAssertion(t, w.jwtKey.(*ecdsa.PrivateKey), w.issuer)
	if status, body := tokenRequest(t, conf.Endpoint.TokenURL, code, pkce, signed); status != http.StatusOK || !strings.Contains(body, "id_token") {
		t.Errorf("private_key_jwt: %d %s", status, body)
	}

	req := unsignedJWT(t, map[string]any{"client_id": jwtClient, "redirect_uri": w.redirect, "response_type": "code", "scope": "openid"})
	resp, body := newBrowser(t, func(*url.URL) bool { return true }).get(t, w.issuer+"/authorize?"+url.Values{
		"client_id": {jwtClient}, "response_type": {"code"}, "scope": {"openid"}, "request": {req}}.Encode())
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "request_not_supported") {
		t.Errorf("alg none request object: %s\n%s", resp.Status, body)
	}
}

func unsignedJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	return "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + strings.TrimRight(encodeB64(b), "=") + "."
}

func signedAssertion(t *testing.T, key *ecdsa.PrivateKey, issuer string) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: key, KeyID: "client-1"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tok, err := jwt.Signed(s).Claims(jwt.Claims{Issuer: jwtClient, Subject: jwtClient, Audience: jwt.Audience{issuer + "/token"},
		ID: randomString(12), IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(time.Minute))}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// tokenRequest redeems a code as a private_key_jwt client does.
func tokenRequest(t *testing.T, tokenURL, code, verifier, assertion string) (int, string) {
	t.Helper()
	resp, err := http.PostForm(tokenURL, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {verifier},
		"redirect_uri": {"http://localhost:1/cb"}, "client_id": {jwtClient},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {assertion}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
