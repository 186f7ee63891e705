package request_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/assertion/store"
	"github.com/cnie-reader/cnie-reader/assertion/store/redisstore"
	"github.com/cnie-reader/cnie-reader/internal/redistest"
)

// replays are the replay sets every test here runs on: the default (in
// memory) and Redis (real redis-server; miniredis under -short).
func replays(t *testing.T) map[string]func(t *testing.T) request.Replay {
	srv := redistest.Start(t)
	rs := openRedis(t, srv.URL())
	return map[string]func(t *testing.T) request.Replay{
		"memory": func(*testing.T) request.Replay { return &request.StoreReplay{} },
		"redis": func(t *testing.T) request.Replay {
			return &request.StoreReplay{Store: rs, Prefix: "replay-" + t.Name() + ":"}
		},
	}
}

func TestReplayOnce(t *testing.T) {
	ctx := context.Background()
	for name, open := range replays(t) {
		t.Run(name, func(t *testing.T) {
			r := open(t)
			key := "x509_san_dns:service.example\x00" + strings.Repeat("n", 5000) // a hostile nonce: long
			if seen, err := r.Has(ctx, key); err != nil || seen {
				t.Fatalf("Has before Add = %v, %v", seen, err)
			}
			if fresh, err := r.Add(ctx, key, time.Minute); err != nil || !fresh {
				t.Fatalf("first Add = %v, %v", fresh, err)
			}
			if seen, err := r.Has(ctx, key); err != nil || !seen {
				t.Fatalf("Has after Add = %v, %v", seen, err)
			}
			if fresh, err := r.Add(ctx, key, time.Minute); err != nil || fresh {
				t.Fatalf("second Add = %v, %v", fresh, err)
			}
			// An already-past lifetime still records the key, briefly.
			if fresh, err := r.Add(ctx, "other", -time.Second); err != nil || !fresh {
				t.Fatalf("Add with a past lifetime = %v, %v", fresh, err)
			}
		})
	}
}

func TestReplayConcurrent(t *testing.T) {
	ctx := context.Background()
	for name, open := range replays(t) {
		t.Run(name, func(t *testing.T) {
			r := open(t)
			var won atomic.Int32
			var wg sync.WaitGroup
			for range 32 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if fresh, err := r.Add(ctx, "client\x00nonce", time.Minute); err != nil {
						t.Error(err)
					} else if fresh {
						won.Add(1)
					}
				}()
			}
			wg.Wait()
			if won.Load() != 1 {
				t.Fatalf("%d goroutines spent one nonce", won.Load())
			}
		})
	}
}

// TestReplayHashesKeys: the store holds a hash under the prefix, never the
// nonce itself.
func TestReplayHashesKeys(t *testing.T) {
	m := &store.Memory{}
	r := &request.StoreReplay{Store: m, Prefix: "p:"}
	if _, err := r.Add(context.Background(), "client\x00secret-nonce", time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Get(context.Background(), "p:client\x00secret-nonce"); !errors.Is(err, store.ErrNotFound) {
		t.Fatal("the nonce is stored in clear")
	}
	if m.Len() != 1 {
		t.Fatalf("Len = %d", m.Len())
	}
}

// TestReplayBounded: the default memory set keeps at most Max keys.
func TestReplayBounded(t *testing.T) {
	ctx := context.Background()
	r := &request.StoreReplay{Max: 2}
	for _, k := range []string{"a", "b", "c"} {
		if fresh, err := r.Add(ctx, k, time.Minute); err != nil || !fresh {
			t.Fatalf("Add(%s) = %v, %v", k, fresh, err)
		}
	}
	n := 0
	for _, k := range []string{"a", "b", "c"} {
		if seen, _ := r.Has(ctx, k); seen {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("%d keys remembered, Max is 2", n)
	}
}

// TestAcceptAcrossProcesses: two verifiers sharing one Redis (two
// processes of a service) accept a request once between them.
func TestAcceptAcrossProcesses(t *testing.T) {
	srv := redistest.Start(t)
	now := time.Now()
	jws := sign(t, good(now), "service.example")
	var verifiers [2]*request.Verifier
	var reqs [2]*request.Request
	for i := range verifiers {
		verifiers[i] = &request.Verifier{Seen: request.NewReplay(openRedis(t, srv.URL()))}
		req, err := verifiers[i].Verify(jws)
		if err != nil {
			t.Fatal(err)
		}
		reqs[i] = req
	}
	var accepted atomic.Int32
	var wg sync.WaitGroup
	for i, v := range verifiers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch err := v.Accept(reqs[i]); {
			case err == nil:
				accepted.Add(1)
			case !errors.Is(err, assertion.Replayed):
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if accepted.Load() != 1 {
		t.Fatalf("accepted %d times", accepted.Load())
	}
	other := &request.Verifier{Seen: request.NewReplay(openRedis(t, srv.URL()))}
	check(t, other, jws, assertion.Replayed)
}

// TestStoreDown: a replay store that fails fails the verification with its
// error, never a pass and never "replayed".
func TestStoreDown(t *testing.T) {
	srv := redistest.Start(t)
	rs := openRedis(t, srv.URL()+"?max_retries=-1")
	v := &request.Verifier{Seen: request.NewReplay(rs)}
	req, err := v.Verify(sign(t, good(time.Now()), "service.example"))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	err = v.Accept(req)
	if store.KindOf(err) != store.Unavailable || errors.Is(err, assertion.Replayed) {
		t.Fatalf("Accept with the store down: %v", err)
	}
	if _, err := v.Verify(sign(t, good(time.Now()), "service.example")); store.KindOf(err) != store.Unavailable {
		t.Fatalf("Verify with the store down: %v", err)
	}
}

func openRedis(t *testing.T, url string) *redisstore.Store {
	t.Helper()
	s, err := redisstore.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}
