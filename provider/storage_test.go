package provider

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/luikyv/go-oidc/pkg/goidc"

	"github.com/cnie-reader/cnie-reader/assertion/store"
)

// TestCodeLivesThirtySecondsAndIsTakenOnce: whatever lifetime the library
// gives a code, it is stored for 30 s at most, and of concurrent
// redemptions one only finds its session.
func TestCodeLivesThirtySecondsAndIsTakenOnce(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	mem := &store.Memory{Now: func() time.Time { return now }}
	a := &authnSessions{s: mem, now: func() time.Time { return now }}
	ctx := context.Background()
	as := &goidc.AuthnSession{ID: "s1", AuthCode: "code-1", ExpiresAtTimestamp: int(now.Add(time.Minute).Unix())}
	if err := a.Save(ctx, as); err != nil {
		t.Fatal(err)
	}
	if got := time.Unix(int64(as.ExpiresAtTimestamp), 0).Sub(now); got != codeLifetime {
		t.Errorf("the code lives %s", got)
	}
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s, err := a.SessionByAuthCode(ctx, "code-1"); err == nil && s.ID == "s1" {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Errorf("%d redemptions found the session", wins.Load())
	}

	// Past 30 s the code is gone even if never redeemed.
	as2 := &goidc.AuthnSession{ID: "s2", AuthCode: "code-2", ExpiresAtTimestamp: int(now.Add(time.Minute).Unix())}
	a.Save(ctx, as2)
	now = now.Add(codeLifetime + time.Second)
	if _, err := a.SessionByAuthCode(ctx, "code-2"); err == nil {
		t.Error("a code redeemed after 30 s")
	}
}

// TestStoreHoldsNoSecretInKeys: codes, tokens and callback ids appear in
// the store's keys only hashed.
func TestStoreHoldsNoSecretInKeys(t *testing.T) {
	for _, k := range []string{hashKey(keyAuthnCode, "code-1"), hashKey(keyGrantToken, "tok"), hashKey(keyAuthnCallback, "cb")} {
		for _, secret := range []string{"code-1", "tok", "cb"} {
			if len(k) < 40 || containsWord(k, secret) {
				t.Errorf("key %q", k)
			}
		}
	}
}

func containsWord(k, w string) bool {
	for i := 0; i+len(w) <= len(k); i++ {
		if k[i:i+len(w)] == w && (i == 0 || k[i-1] == ':') {
			return true
		}
	}
	return false
}
