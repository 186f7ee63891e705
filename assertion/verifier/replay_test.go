package verifier_test

import (
	"context"
	"errors"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/assertion/store"
	"github.com/cnie-reader/cnie-reader/assertion/store/redisstore"
	"github.com/cnie-reader/cnie-reader/assertion/verifier"
	"github.com/cnie-reader/cnie-reader/internal/redistest"
)

// TestReplayAcrossProcesses: two verifiers of one service sharing a Redis
// accept an assertion once between them.
func TestReplayAcrossProcesses(t *testing.T) {
	srv := redistest.Start(t)
	f := newFlow(t, profile(t, "cnie"), nil)
	b, err := f.token.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	one := &verifier.Verifier{Store: f.v.Store, Seen: request.NewReplay(openRedis(t, srv.Addr))}
	two := &verifier.Verifier{Store: f.v.Store, Seen: request.NewReplay(openRedis(t, srv.Addr))}
	if _, err := one.VerifyContext(context.Background(), b, f.claims.State, f.expected()); err != nil {
		t.Fatal(err)
	}
	_, err = two.Verify(b, f.claims.State, f.expected())
	wantKind(t, err, assertion.Replayed)
}

// TestReplayStoreDown: with its replay store unreachable the verifier
// fails with the store's error: no pass, and no refusal either.
func TestReplayStoreDown(t *testing.T) {
	srv := redistest.Start(t)
	s := openRedis(t, srv.Addr)
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	f := newFlow(t, profile(t, "cnie"), nil)
	f.v.Seen = request.NewReplay(s)
	_, err := f.verify(t)
	if store.KindOf(err) != store.Unavailable || verifier.ReasonOf(err) != 0 || errors.Is(err, assertion.Replayed) {
		t.Fatalf("verify with the store down: %v", err)
	}
}

func openRedis(t *testing.T, addr string) *redisstore.Store {
	s := redisstore.New(redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1}), "verifier-test:")
	t.Cleanup(func() { _ = s.Close() })
	return s
}
