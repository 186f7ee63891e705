package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/cnie-reader/cnie-reader/assertion/pivot"
	"github.com/cnie-reader/cnie-reader/assertion/store"
	"github.com/cnie-reader/cnie-reader/assertion/store/redisstore"
	"github.com/cnie-reader/cnie-reader/internal/redistest"
)

// TestOIDCTwoProcessesShareRedis: two provider processes behind one
// issuer, sharing a real redis-server and the key file; every request of
// a login goes to the other process than the last (authorize, the
// application's answer, the browser's return, the token, userinfo), and
// the login completes; a code reused across them is refused.
func TestOIDCTwoProcessesShareRedis(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv := redistest.StartReal(t)
	w := newOIDCWorldWith(t, worldOptions{backends: 2, store: func() store.Store {
		s, err := redisstore.Open(ctx, srv.URL())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}})
	op, conf := w.rp(t, ctx)
	pkce, nonce := oauth2.GenerateVerifier(), randomString(24)
	back := w.login(t, newBrowser(t, w.stopAtService), conf.AuthCodeURL("st", authParams(nonce, pkce, pivot.ACRDemoPresent)...))
	tok, err := conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(pkce))
	if err != nil {
		t.Fatalf("exchange: %v\n%s", err, w.logs.String())
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := op.Verifier(&oidc.Config{ClientID: secretClient}).Verify(ctx, raw)
	if err != nil || idt.Nonce != nonce {
		t.Fatalf("ID token: %v", err)
	}
	if _, err := op.UserInfo(ctx, oauth2.StaticTokenSource(tok)); err != nil {
		t.Fatalf("userinfo on the other process: %v", err)
	}
	if _, err := conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(pkce)); oauthError(err) != "invalid_grant" {
		t.Errorf("code reused on the other process: %v", err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.served[0] < 3 || w.served[1] < 3 {
		t.Errorf("the processes served %v requests: not a shared login", w.served)
	}
	checkNoPersonalData(t, w.logs.String())
}
