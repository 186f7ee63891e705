package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cnie-reader/cnie-reader/assertion/store"
	"github.com/cnie-reader/cnie-reader/assertion/store/redisstore"
	"github.com/cnie-reader/cnie-reader/assertion/store/storetest"
	"github.com/cnie-reader/cnie-reader/internal/redistest"
)

// TestConformance runs the suite on a real redis-server (miniredis under
// -short), each test under a prefix of its own.
func TestConformance(t *testing.T) {
	srv := redistest.Start(t)
	var n atomic.Int32
	storetest.Run(t, func(t *testing.T) storetest.Subject {
		s := open(t, fmt.Sprintf("%s?prefix=conformance%d:", srv.URL(), n.Add(1)))
		return storetest.Subject{Store: s, Wait: srv.Wait}
	})
}

// TestPrefix: keys live under the prefix, and stores with other prefixes
// on the same server do not see them.
func TestPrefix(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	a, b := open(t, srv.URL()+"?prefix=a:"), open(t, srv.URL()+"?prefix=b:")
	if a.Prefix() != "a:" {
		t.Fatalf("Prefix = %q", a.Prefix())
	}
	if ok, err := a.PutNew(ctx, "code:1", []byte("A"), time.Minute); err != nil || !ok {
		t.Fatalf("PutNew = %v, %v", ok, err)
	}
	if ok, err := b.PutNew(ctx, "code:1", []byte("B"), time.Minute); err != nil || !ok {
		t.Fatalf("PutNew under another prefix = %v, %v", ok, err)
	}
	raw, err := a.Client().Get(ctx, "a:code:1").Result()
	if err != nil || raw != "A" {
		t.Fatalf("raw GET a:code:1 = %q, %v", raw, err)
	}
	ttl, err := a.Client().PTTL(ctx, "a:code:1").Result()
	if err != nil || ttl <= 0 || ttl > time.Minute {
		t.Fatalf("PTTL = %v, %v: the entry has no lifetime", ttl, err)
	}
	if _, err := a.Client().Get(ctx, "code:1").Result(); !errors.Is(err, redis.Nil) {
		t.Fatalf("a key outside the prefix: %v", err)
	}
	def := open(t, srv.URL())
	if def.Prefix() != redisstore.DefaultPrefix {
		t.Fatalf("default prefix %q", def.Prefix())
	}
}

// TestOpenRefuses: bad URLs are Misconfigured and never repeat a password.
func TestOpenRefuses(t *testing.T) {
	ctx := context.Background()
	for _, u := range []string{
		"http://user:s3cret@localhost:6379",
		"redis-sentinel://user:s3cret@localhost:26379/0",
		"redis://user:s3cret@localhost:6379/notadb",
		"redis://user:s3cret@localhost:6379/0?unknown_option=1",
		"redis-sentinel://localhost:26379/0?password=s3cret&sentinel_password=s3cret",
		"redis://user:s3cret@%zz",
		"mem ory",
	} {
		s, err := redisstore.Open(ctx, u)
		if s != nil || store.KindOf(err) != store.Misconfigured {
			t.Errorf("Open(%q) = %v, %v; want Misconfigured", u, s, err)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Open(%q): the error repeats the password: %v", u, err)
		}
	}
}

// TestOpenUnreachable: a server that is not there is Unavailable, soon, and
// the error names the server without its password.
func TestOpenUnreachable(t *testing.T) {
	srv := redistest.Start(t)
	addr := srv.Addr
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := redisstore.Open(context.Background(), "redis://:s3cret@"+addr+"/0?dial_timeout=1s&max_retries=-1")
	if store.KindOf(err) != store.Unavailable || !strings.Contains(err.Error(), addr) || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("Open of a stopped server: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %s", d)
	}
}

// TestServerGoesAway: once the server is gone, calls fail Unavailable
// (never NotFound: a code must not look redeemed or unknown when it is
// only unreachable).
func TestServerGoesAway(t *testing.T) {
	srv := redistest.Start(t)
	s := open(t, srv.URL()+"?max_retries=-1&dial_timeout=500ms")
	ctx := context.Background()
	if err := s.Set(ctx, "k", []byte("v"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	_, errPut := s.PutNew(ctx, "n", []byte("v"), time.Minute)
	_, errTake := s.Take(ctx, "k")
	_, errGet := s.Get(ctx, "k")
	for name, err := range map[string]error{"PutNew": errPut, "Take": errTake, "Get": errGet, "Delete": s.Delete(ctx, "k")} {
		if store.KindOf(err) != store.Unavailable || errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s against a stopped server: %v; want Unavailable", name, err)
		}
	}
}

// TestDeadline: a call that outlives its context's deadline ends with it
// and says Canceled (the one connection is held by a blocking command).
func TestDeadline(t *testing.T) {
	srv := redistest.Start(t)
	s := open(t, srv.URL()+"?pool_size=1")
	busy := make(chan error, 1)
	go func() { busy <- s.Client().BLPop(context.Background(), time.Second, "empty-list").Err() }()
	time.Sleep(100 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Take(ctx, "k")
	if store.KindOf(err) != store.Canceled || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Take past its deadline: %v; want Canceled", err)
	}
	if d := time.Since(start); d > 700*time.Millisecond {
		t.Fatalf("Take returned after %s, its deadline was 200ms", d)
	}
	if err := <-busy; !errors.Is(err, redis.Nil) {
		t.Fatalf("BLPOP: %v", err)
	}
}

func TestOpenAny(t *testing.T) {
	ctx := context.Background()
	for _, spec := range []string{"", "memory"} {
		s, closeStore, err := redisstore.OpenAny(ctx, spec)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := s.(*store.Memory); !ok {
			t.Fatalf("OpenAny(%q) = %T, want the memory store", spec, s)
		}
		if err := closeStore(); err != nil {
			t.Fatal(err)
		}
	}
	srv := redistest.Start(t)
	s, closeStore, err := redisstore.OpenAny(ctx, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*redisstore.Store); !ok {
		t.Fatalf("OpenAny(redis URL) = %T", s)
	}
	if err := closeStore(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := redisstore.OpenAny(ctx, "memcached://localhost"); store.KindOf(err) != store.Misconfigured {
		t.Fatalf("OpenAny(memcached) = %v", err)
	}
}

// BenchmarkRedisPutNewTake: one client goroutine per core.
func BenchmarkRedisPutNewTake(b *testing.B) {
	storetest.Bench(b, benchStore(b))
}

// BenchmarkRedisPutNewTake8: eight per core, as a busy server's handlers
// would be: round trips overlap.
func BenchmarkRedisPutNewTake8(b *testing.B) {
	s := benchStore(b)
	b.SetParallelism(8)
	storetest.Bench(b, s)
}

func benchStore(b *testing.B) *redisstore.Store {
	srv := redistest.StartReal(b)
	s, err := redisstore.Open(context.Background(), srv.URL())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

func open(t *testing.T, url string) *redisstore.Store {
	t.Helper()
	s, err := redisstore.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// TestSentinel: a redis-sentinel:// URL reaches the master through a real
// Sentinel, and the store passes the suite there too.
func TestSentinel(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: Sentinel needs real redis-server processes")
	}
	master := redistest.StartReal(t)
	sentinel := redistest.StartSentinel(t, master, "cnie")
	var n atomic.Int32
	storetest.Run(t, func(t *testing.T) storetest.Subject {
		s := open(t, fmt.Sprintf("redis-sentinel://%s/0?master_name=cnie&prefix=sentinel%d:", sentinel.Addr, n.Add(1)))
		return storetest.Subject{Store: s}
	})
	// What was stored through the sentinel is on the master.
	s := open(t, "redis-sentinel://"+sentinel.Addr+"?master_name=cnie&prefix=via-sentinel:")
	if err := s.Set(context.Background(), "k", []byte("v"), time.Minute); err != nil {
		t.Fatal(err)
	}
	direct := open(t, master.URL()+"?prefix=via-sentinel:")
	if v, err := direct.Get(context.Background(), "k"); err != nil || string(v) != "v" {
		t.Fatalf("on the master: %q, %v", v, err)
	}
	if _, err := redisstore.Open(context.Background(), "redis-sentinel://"+sentinel.Addr+"?master_name=unknown"); store.KindOf(err) != store.Unavailable {
		t.Fatalf("an unknown master: %v", err)
	}
}
