package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/luikyv/go-oidc/pkg/goidc"

	"github.com/cnie-reader/cnie-reader/assertion/store"
)

// Keys of the store, by what they hold. Secrets (codes, tokens, callback
// ids) appear only hashed (hashKey).
const (
	keyAuthnSession  = "oidc:as:"       // authn session by id
	keyAuthnCallback = "oidc:as-cb:"    // → authn session id, by hashed callback id
	keyAuthnCode     = "oidc:as-code:"  // → authn session id, by hashed code; taken once
	keyGrantSession  = "oidc:gs:"       // grant session by id
	keyGrantToken    = "oidc:gs-tok:"   // → grant session id, by hashed token id
	keyGrantCode     = "oidc:gs-code:"  // → grant session id, by hashed code (revocation)
	codeLifetime     = 30 * time.Second // FranceConnect's; the library's constant is 60 s
)

// errNotFound is what the library gets for anything absent or expired.
var errNotFound = errors.New("provider: not found")

// authnSessions keeps the library's authentication sessions (a login from
// /authorize until its code is redeemed) in a store.Store.
type authnSessions struct {
	s   store.Store
	now func() time.Time
}

func ttlUntil(now time.Time, expiresAt int) time.Duration {
	d := time.Unix(int64(expiresAt), 0).Sub(now)
	if d < time.Second {
		d = time.Second
	}
	return d
}

func (a *authnSessions) Save(ctx context.Context, as *goidc.AuthnSession) error {
	now := a.now()
	if as.AuthCode != "" {
		// The code's lifetime is ours: 30 s at most.
		if limit := int(now.Add(codeLifetime).Unix()); as.ExpiresAtTimestamp > limit {
			as.ExpiresAtTimestamp = limit
		}
	}
	b, err := json.Marshal(as)
	if err != nil {
		return err
	}
	ttl := ttlUntil(now, as.ExpiresAtTimestamp)
	if err := a.s.Set(ctx, keyAuthnSession+as.ID, b, ttl); err != nil {
		return err
	}
	if as.CallbackID != "" {
		if err := a.s.Set(ctx, hashKey(keyAuthnCallback, as.CallbackID), []byte(as.ID), ttl); err != nil {
			return err
		}
	}
	if as.AuthCode != "" {
		// PutNew: a code is indexed once; the token endpoint takes it.
		if _, err := a.s.PutNew(ctx, hashKey(keyAuthnCode, as.AuthCode), []byte(as.ID), ttl); err != nil {
			return err
		}
	}
	return nil
}

func (a *authnSessions) byID(ctx context.Context, id string) (*goidc.AuthnSession, error) {
	b, err := a.s.Get(ctx, keyAuthnSession+id)
	if err != nil {
		return nil, notFound(err)
	}
	var as goidc.AuthnSession
	if err := json.Unmarshal(b, &as); err != nil {
		return nil, fmt.Errorf("provider: stored session: %w", err)
	}
	integralNumbers(as.AdditionalIDTokenClaims, as.AdditionalUserInfoClaims, as.AdditionalTokenClaims, as.Storage)
	return &as, nil
}

func (a *authnSessions) SessionByCallbackID(ctx context.Context, callbackID string) (*goidc.AuthnSession, error) {
	id, err := a.s.Get(ctx, hashKey(keyAuthnCallback, callbackID))
	if err != nil {
		return nil, notFound(err)
	}
	as, err := a.byID(ctx, string(id))
	// Once the code is issued the callback id is cleared: a stale index
	// must not reach the session.
	if err != nil || as.CallbackID != callbackID {
		return nil, errNotFound
	}
	return as, nil
}

// SessionByAuthCode takes the code's index (GETDEL): of two redemptions,
// even on two processes, one only finds the session; the other gets
// invalid_grant and the library revokes what the first was issued.
func (a *authnSessions) SessionByAuthCode(ctx context.Context, code string) (*goidc.AuthnSession, error) {
	id, err := a.s.Take(ctx, hashKey(keyAuthnCode, code))
	if err != nil {
		return nil, notFound(err)
	}
	as, err := a.byID(ctx, string(id))
	if err != nil || as.AuthCode != code {
		return nil, errNotFound
	}
	return as, nil
}

// PAR and CIBA are not offered.
func (a *authnSessions) SessionByPushedAuthReqID(context.Context, string) (*goidc.AuthnSession, error) {
	return nil, errNotFound
}

func (a *authnSessions) SessionByCIBAAuthID(context.Context, string) (*goidc.AuthnSession, error) {
	return nil, errNotFound
}

func (a *authnSessions) Delete(ctx context.Context, id string) error {
	if as, err := a.byID(ctx, id); err == nil && as.CallbackID != "" {
		if err := a.s.Delete(ctx, hashKey(keyAuthnCallback, as.CallbackID)); err != nil {
			return err
		}
	}
	return a.s.Delete(ctx, keyAuthnSession+id)
}

// grantSessions keeps what a redeemed code granted (the access token's
// record, with the userinfo claims) for the token's 60 s.
type grantSessions struct {
	s   store.Store
	now func() time.Time
}

func (g *grantSessions) Save(ctx context.Context, gs *goidc.GrantSession) error {
	b, err := json.Marshal(gs)
	if err != nil {
		return err
	}
	ttl := ttlUntil(g.now(), gs.ExpiresAtTimestamp)
	if err := g.s.Set(ctx, keyGrantSession+gs.ID, b, ttl); err != nil {
		return err
	}
	if err := g.s.Set(ctx, hashKey(keyGrantToken, gs.TokenID), []byte(gs.ID), ttl); err != nil {
		return err
	}
	if gs.AuthCode != "" {
		return g.s.Set(ctx, hashKey(keyGrantCode, gs.AuthCode), []byte(gs.ID), ttl)
	}
	return nil
}

func (g *grantSessions) byID(ctx context.Context, id string) (*goidc.GrantSession, error) {
	b, err := g.s.Get(ctx, keyGrantSession+id)
	if err != nil {
		return nil, notFound(err)
	}
	var gs goidc.GrantSession
	if err := json.Unmarshal(b, &gs); err != nil {
		return nil, fmt.Errorf("provider: stored grant: %w", err)
	}
	integralNumbers(gs.AdditionalIDTokenClaims, gs.AdditionalUserInfoClaims, gs.AdditionalTokenClaims)
	return &gs, nil
}

func (g *grantSessions) SessionByTokenID(ctx context.Context, tokenID string) (*goidc.GrantSession, error) {
	id, err := g.s.Get(ctx, hashKey(keyGrantToken, tokenID))
	if err != nil {
		return nil, notFound(err)
	}
	gs, err := g.byID(ctx, string(id))
	if err != nil || gs.TokenID != tokenID {
		return nil, errNotFound
	}
	return gs, nil
}

// No refresh tokens are issued.
func (g *grantSessions) SessionByRefreshToken(context.Context, string) (*goidc.GrantSession, error) {
	return nil, errNotFound
}

func (g *grantSessions) Delete(ctx context.Context, id string) error {
	if gs, err := g.byID(ctx, id); err == nil {
		if err := g.s.Delete(ctx, hashKey(keyGrantToken, gs.TokenID)); err != nil {
			return err
		}
	}
	return g.s.Delete(ctx, keyGrantSession+id)
}

// DeleteByAuthCode revokes what a code issued (called on its reuse).
func (g *grantSessions) DeleteByAuthCode(ctx context.Context, code string) error {
	id, err := g.s.Take(ctx, hashKey(keyGrantCode, code))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return g.Delete(ctx, string(id))
}

func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	return err
}

// integralNumbers turns the whole float64 numbers JSON decoding gives back
// into int64: go-jose writes a float64 like 1.7e+09, and auth_time must
// stay an integer in the tokens.
func integralNumbers(maps ...map[string]any) {
	for _, m := range maps {
		for k, v := range m {
			switch x := v.(type) {
			case float64:
				if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
					m[k] = int64(x)
				}
			case map[string]any:
				integralNumbers(x)
			}
		}
	}
}
