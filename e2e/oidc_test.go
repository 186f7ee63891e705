package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/cnie-reader/cnie-reader/assertion/pivot"
	"github.com/cnie-reader/cnie-reader/provider"
)

// TestOIDCLoginWithGoClient: a service using coreos/go-oidc and x/oauth2
// logs a citizen in through the provider with the virtual card; it checks
// the ID token (ES256, kid, nonce, acr, amr, auth_time) and the signed
// userinfo with the provider's JWKS.
func TestOIDCLoginWithGoClient(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := newOIDCWorld(t, 0)
	op, conf := w.rp(t, ctx)
	state, nonce, pkce := randomString(16), randomString(24), oauth2.GenerateVerifier()
	b := newBrowser(t, w.stopAtService)
	back := w.login(t, b, conf.AuthCodeURL(state, authParams(nonce, pkce, pivot.ACRDemoPresent)...))
	if back.Query().Get("state") != state || back.Query().Get("code") == "" {
		t.Fatalf("back at the service with %s", back)
	}

	// What the application was shown: the provider, DEMO, naming the service.
	w.mu.Lock()
	req := w.requests[0]
	w.mu.Unlock()
	if !req.Demo || req.Host != "localhost" || !strings.Contains(req.Purpose, "Service A") {
		t.Errorf("the application's request: demo %v host %q purpose %q", req.Demo, req.Host, req.Purpose)
	}
	if rp := req.RelyingParty; rp == nil || rp.Name != "Service A" || rp.Host != "localhost" {
		t.Errorf("the request does not name the service logged in to: %+v", rp)
	}

	tok, err := conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(pkce))
	if err != nil {
		t.Fatalf("exchange: %v\n%s", err, w.logs.String())
	}
	if tok.RefreshToken != "" {
		t.Error("a refresh token was issued")
	}
	if life := time.Until(tok.Expiry); life > provider.TokenLifetime+time.Second || life < provider.TokenLifetime-10*time.Second {
		t.Errorf("the access token lives %s", life)
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := op.Verifier(&oidc.Config{ClientID: secretClient, SupportedSigningAlgs: []string{oidc.ES256}}).Verify(ctx, raw)
	if err != nil {
		t.Fatalf("the ID token does not verify with the JWKS: %v", err)
	}
	if idt.Nonce != nonce {
		t.Errorf("nonce %q", idt.Nonce)
	}
	var claims struct {
		ACR      string   `json:"acr"`
		AMR      []string `json:"amr"`
		AuthTime int64    `json:"auth_time"`
	}
	if err := idt.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	if claims.ACR != pivot.ACRDemoPresent || !slices.Equal(claims.AMR, []string{"sc", "hwk"}) ||
		time.Since(time.Unix(claims.AuthTime, 0)) > time.Minute {
		t.Errorf("ID token claims %+v", claims)
	}
	if kid := jwsHeader(t, raw)["kid"]; kid == "" || kid != w.provider.CurrentKID() {
		t.Errorf("ID token kid %q", kid)
	}

	// userinfo: signed (the client registered ES256), verified by go-oidc.
	hreq, _ := http.NewRequestWithContext(ctx, http.MethodGet, op.UserInfoEndpoint(), nil)
	tok.SetAuthHeader(hreq)
	resp, err := http.DefaultClient.Do(hreq)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/jwt") {
		t.Fatalf("userinfo is %q, not a signed JWT: %s", ct, body)
	}
	ui, err := op.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	if ui.Subject != idt.Subject || strings.Contains(ui.Subject, "DEMO0") {
		t.Errorf("userinfo sub %q, ID token sub %q", ui.Subject, idt.Subject)
	}
	var pivot map[string]any
	if err := ui.Claims(&pivot); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"family_name": "DEMO", "given_name": "CAMILLE MARIE", "birthdate": "1990-07-14", "gender": "female"} {
		if got, _ := pivot[k].(string); got != want {
			t.Errorf("userinfo %s = %q, want %q (all: %v)", k, got, want, pivot)
		}
	}
	checkNoPersonalData(t, w.logs.String())

	// RP-initiated logout: back to the registered address, state kept.
	b = newBrowser(t, func(*url.URL) bool { return true })
	resp, _ = b.get(t, w.issuer+"/logout?"+url.Values{"id_token_hint": {raw}, "post_logout_redirect_uri": {"http://localhost:1/bye"}, "state": {"s1"}}.Encode())
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "http://localhost:1/bye?state=s1" {
		t.Errorf("logout: %s %q", resp.Status, loc)
	}
	resp, _ = b.get(t, w.issuer+"/logout?"+url.Values{"id_token_hint": {raw}, "post_logout_redirect_uri": {"http://localhost:1/elsewhere"}}.Encode())
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Errorf("logout to an unregistered address: %s %q", resp.Status, resp.Header.Get("Location"))
	}
}

// jwsHeader decodes a compact JWS's protected header.
func jwsHeader(t *testing.T, jws string) map[string]string {
	t.Helper()
	head, _, _ := strings.Cut(jws, ".")
	b, err := base64URL(head)
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]string
	_ = json.Unmarshal(b, &h)
	return h
}

// checkNoPersonalData: the DEMO identity's names, number and dates never
// reach the provider's logs.
func checkNoPersonalData(t *testing.T, logs string) {
	t.Helper()
	if !strings.Contains(logs, "login completed") && !strings.Contains(logs, "evidence") && !strings.Contains(logs, "login started") {
		t.Fatalf("the provider logged nothing: the test would prove nothing:\n%s", logs)
	}
	for _, pd := range []string{"CAMILLE", "MARIE", "DEMO00001", "1990-07-14", "19900714", "900714", "EXEMPLEVILLE"} {
		if strings.Contains(strings.ToUpper(logs), pd) {
			t.Errorf("the provider's logs hold %q:\n%s", pd, logs)
		}
	}
}
