// Package storetest is the conformance suite every [store.Store] runs: the
// memory store and Redis (real redis-server, and miniredis under -short)
// answer the same calls the same way.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion/store"
)

// Subject is one empty store under test.
type Subject struct {
	Store store.Store
	// Wait lets d pass for the store's entries: time.Sleep when nil (a
	// real server), a clock moved forward for a fake one.
	Wait func(d time.Duration)
}

// Open returns a fresh, empty store for one test.
type Open func(t *testing.T) Subject

// Run runs the whole suite on the stores open makes.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		run  func(*testing.T, Subject)
	}{
		{"PutNewOnce", putNewOnce},
		{"SetReplaces", setReplaces},
		{"Expiry", expiry},
		{"TakeOnce", takeOnce},
		{"TakeOnceConcurrent", takeOnceConcurrent},
		{"PutNewOnceConcurrent", putNewOnceConcurrent},
		{"DeleteIdempotent", deleteIdempotent},
		{"Canceled", canceled},
		{"Limits", limits},
		{"HostileKeys", hostileKeys},
		{"ValuesCopied", valuesCopied},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, open(t)) })
	}
}

// wait lets d pass for s's entries.
func (s Subject) wait(d time.Duration) {
	if s.Wait != nil {
		s.Wait(d)
		return
	}
	time.Sleep(d)
}

const long = time.Minute

func putNewOnce(t *testing.T, s Subject) {
	ctx := context.Background()
	ok, err := s.Store.PutNew(ctx, "code:a", []byte("first"), long)
	if err != nil || !ok {
		t.Fatalf("first PutNew = %v, %v; want true, nil", ok, err)
	}
	ok, err = s.Store.PutNew(ctx, "code:a", []byte("second"), long)
	if err != nil || ok {
		t.Fatalf("second PutNew = %v, %v; want false, nil", ok, err)
	}
	wantValue(t, s, "code:a", "first")
	// Another key is another entry.
	if ok, err := s.Store.PutNew(ctx, "code:b", []byte("other"), long); err != nil || !ok {
		t.Fatalf("PutNew of another key = %v, %v", ok, err)
	}
	wantValue(t, s, "code:a", "first")
}

func setReplaces(t *testing.T, s Subject) {
	ctx := context.Background()
	if err := s.Store.Set(ctx, "k", []byte("one"), long); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.Set(ctx, "k", []byte("two"), long); err != nil {
		t.Fatal(err)
	}
	wantValue(t, s, "k", "two")
	// An empty value is a value, not an absence.
	if err := s.Store.Set(ctx, "empty", nil, long); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Store.Get(ctx, "empty"); err != nil || len(v) != 0 {
		t.Fatalf("Get(empty) = %q, %v; want empty, nil", v, err)
	}
}

func expiry(t *testing.T, s Subject) {
	ctx := context.Background()
	const ttl = 150 * time.Millisecond
	if ok, err := s.Store.PutNew(ctx, "nonce:short", []byte("x"), ttl); err != nil || !ok {
		t.Fatalf("PutNew = %v, %v", ok, err)
	}
	if err := s.Store.Set(ctx, "set:short", []byte("y"), ttl); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.Set(ctx, "set:long", []byte("z"), long); err != nil {
		t.Fatal(err)
	}
	wantValue(t, s, "nonce:short", "x")
	s.wait(ttl + 100*time.Millisecond)
	wantNotFound(t, s, "nonce:short")
	if _, err := s.Store.Take(ctx, "set:short"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Take after expiry: %v, want ErrNotFound", err)
	}
	wantValue(t, s, "set:long", "z")
	// Once expired, the key is new again.
	if ok, err := s.Store.PutNew(ctx, "nonce:short", []byte("again"), long); err != nil || !ok {
		t.Fatalf("PutNew after expiry = %v, %v; want true, nil", ok, err)
	}
	wantValue(t, s, "nonce:short", "again")
}

func takeOnce(t *testing.T, s Subject) {
	ctx := context.Background()
	if _, err := s.Store.Take(ctx, "code:none"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Take of an absent key: %v, want ErrNotFound", err)
	}
	if err := s.Store.Set(ctx, "code:1", []byte("grant"), long); err != nil {
		t.Fatal(err)
	}
	v, err := s.Store.Take(ctx, "code:1")
	if err != nil || string(v) != "grant" {
		t.Fatalf("Take = %q, %v", v, err)
	}
	if _, err := s.Store.Take(ctx, "code:1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second Take: %v, want ErrNotFound", err)
	}
	wantNotFound(t, s, "code:1")
}

// workers is how many goroutines race for one entry.
const workers = 32

func takeOnceConcurrent(t *testing.T, s Subject) {
	ctx := context.Background()
	for round := range 20 {
		key := fmt.Sprintf("code:race:%d", round)
		if err := s.Store.Set(ctx, key, []byte("grant"), long); err != nil {
			t.Fatal(err)
		}
		var won atomic.Int32
		race(t, func() error {
			v, err := s.Store.Take(ctx, key)
			switch {
			case errors.Is(err, store.ErrNotFound):
				return nil
			case err != nil:
				return err
			case string(v) != "grant":
				return fmt.Errorf("took %q", v)
			}
			won.Add(1)
			return nil
		})
		if n := won.Load(); n != 1 {
			t.Fatalf("round %d: %d goroutines took the entry, want exactly 1", round, n)
		}
	}
}

func putNewOnceConcurrent(t *testing.T, s Subject) {
	ctx := context.Background()
	for round := range 20 {
		key := fmt.Sprintf("nonce:race:%d", round)
		var won atomic.Int32
		race(t, func() error {
			ok, err := s.Store.PutNew(ctx, key, []byte("seen"), long)
			if ok {
				won.Add(1)
			}
			return err
		})
		if n := won.Load(); n != 1 {
			t.Fatalf("round %d: %d goroutines stored the nonce, want exactly 1", round, n)
		}
	}
}

// race runs f on [workers] goroutines released at once.
func race(t *testing.T, f func() error) {
	t.Helper()
	var start, done sync.WaitGroup
	start.Add(1)
	errs := make(chan error, workers)
	for range workers {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			if err := f(); err != nil {
				errs <- err
			}
		}()
	}
	start.Done()
	done.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func deleteIdempotent(t *testing.T, s Subject) {
	ctx := context.Background()
	if err := s.Store.Delete(ctx, "never"); err != nil {
		t.Fatalf("Delete of an absent key: %v", err)
	}
	if err := s.Store.Set(ctx, "k", []byte("v"), long); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := s.Store.Delete(ctx, "k"); err != nil {
			t.Fatalf("Delete #%d: %v", i+1, err)
		}
	}
	wantNotFound(t, s, "k")
	if ok, err := s.Store.PutNew(ctx, "k", []byte("new"), long); err != nil || !ok {
		t.Fatalf("PutNew after Delete = %v, %v", ok, err)
	}
}

// canceled: a done context fails every call with Canceled and changes
// nothing.
func canceled(t *testing.T, s Subject) {
	bg := context.Background()
	if err := s.Store.Set(bg, "kept", []byte("v"), long); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(bg)
	cancel()
	expired, cancel2 := context.WithDeadline(bg, time.Now().Add(-time.Second))
	defer cancel2()
	for _, c := range []struct {
		ctx  context.Context
		want error
	}{{ctx, context.Canceled}, {expired, context.DeadlineExceeded}} {
		calls := map[string]error{}
		_, calls["PutNew"] = s.Store.PutNew(c.ctx, "new", []byte("v"), long)
		calls["Set"] = s.Store.Set(c.ctx, "kept", []byte("changed"), long)
		_, calls["Get"] = s.Store.Get(c.ctx, "kept")
		_, calls["Take"] = s.Store.Take(c.ctx, "kept")
		calls["Delete"] = s.Store.Delete(c.ctx, "kept")
		for name, err := range calls {
			if !errors.Is(err, c.want) || store.KindOf(err) != store.Canceled {
				t.Errorf("%s with a done context: %v; want kind Canceled wrapping %v", name, err, c.want)
			}
		}
	}
	wantValue(t, s, "kept", "v")
	wantNotFound(t, s, "new")
}

// limits: the same bad input is refused the same way by every store.
func limits(t *testing.T, s Subject) {
	ctx := context.Background()
	big := bytes.Repeat([]byte{'v'}, store.MaxValueSize+1)
	longKey := strings.Repeat("k", store.MaxKeySize+1)
	calls := []struct {
		name string
		err  func() error
		want store.Kind
	}{
		{"PutNew large value", func() error { _, err := s.Store.PutNew(ctx, "big", big, long); return err }, store.TooLarge},
		{"Set large value", func() error { return s.Store.Set(ctx, "big", big, long) }, store.TooLarge},
		{"PutNew empty key", func() error { _, err := s.Store.PutNew(ctx, "", []byte("v"), long); return err }, store.BadKey},
		{"Set long key", func() error { return s.Store.Set(ctx, longKey, []byte("v"), long) }, store.BadKey},
		{"Get empty key", func() error { _, err := s.Store.Get(ctx, ""); return err }, store.BadKey},
		{"Take long key", func() error { _, err := s.Store.Take(ctx, longKey); return err }, store.BadKey},
		{"Delete empty key", func() error { return s.Store.Delete(ctx, "") }, store.BadKey},
		{"PutNew zero ttl", func() error { _, err := s.Store.PutNew(ctx, "k", []byte("v"), 0); return err }, store.BadTTL},
		{"Set negative ttl", func() error { return s.Store.Set(ctx, "k", []byte("v"), -time.Second) }, store.BadTTL},
		{"Set sub-millisecond ttl", func() error { return s.Store.Set(ctx, "k", []byte("v"), time.Microsecond) }, store.BadTTL},
	}
	for _, c := range calls {
		err := c.err()
		if got := store.KindOf(err); got != c.want {
			t.Errorf("%s: %v (kind %v); want kind %v", c.name, err, got, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), longKey) || len(err.Error()) > 200) {
			t.Errorf("%s: the error holds the key or value: %.80q…", c.name, err.Error())
		}
	}
	wantNotFound(t, s, "big")
	wantNotFound(t, s, "k")
	// The largest value and key allowed are stored whole.
	max := bytes.Repeat([]byte{0xff}, store.MaxValueSize)
	maxKey := strings.Repeat("k", store.MaxKeySize)
	if err := s.Store.Set(ctx, maxKey, max, long); err != nil {
		t.Fatalf("Set of the largest key and value: %v", err)
	}
	if v, err := s.Store.Take(ctx, maxKey); err != nil || !bytes.Equal(v, max) {
		t.Fatalf("Take of the largest value: %d bytes, %v", len(v), err)
	}
}

// hostileKeys: keys are opaque bytes. None is interpreted (glob, protocol
// framing, NUL), and keys that differ by one byte are different entries.
func hostileKeys(t *testing.T, s Subject) {
	ctx := context.Background()
	keys := []string{
		"*", "?", "[a-z]", "code:*", "\x00", "a\x00b", "a\x00c", "\r\nSET injected 1\r\n", "FLUSHALL",
		"é", "e\u0301", "\xff\xfe", " ", "key ", "key", "KEY", strings.Repeat("\x00", store.MaxKeySize),
		"{hash}tag", "prefix:", "../../etc/passwd", "\u202eevil",
	}
	for i, k := range keys {
		if ok, err := s.Store.PutNew(ctx, k, []byte{byte(i)}, long); err != nil || !ok {
			t.Fatalf("PutNew(%q) = %v, %v", k, ok, err)
		}
	}
	for i, k := range keys {
		v, err := s.Store.Get(ctx, k)
		if err != nil || !bytes.Equal(v, []byte{byte(i)}) {
			t.Errorf("Get(%q) = %v, %v; want [%d]", k, v, err, i)
		}
	}
	wantNotFound(t, s, "injected")
	wantNotFound(t, s, "code:x")
	// A glob key deleted does not delete what it would match.
	if err := s.Store.Delete(ctx, "*"); err != nil {
		t.Fatal(err)
	}
	wantValue(t, s, "code:*", string([]byte{3}))
	for i, k := range keys[1:] {
		if v, err := s.Store.Take(ctx, k); err != nil || !bytes.Equal(v, []byte{byte(i + 1)}) {
			t.Errorf("Take(%q) = %v, %v", k, v, err)
		}
	}
}

// valuesCopied: a caller that reuses its slices does not change what is
// stored, and binary values come back byte for byte.
func valuesCopied(t *testing.T, s Subject) {
	ctx := context.Background()
	v := []byte{0, 1, 2, '\r', '\n', 0xff}
	if err := s.Store.Set(ctx, "bin", v, long); err != nil {
		t.Fatal(err)
	}
	v[0] = 9
	got, err := s.Store.Get(ctx, "bin")
	if err != nil || !bytes.Equal(got, []byte{0, 1, 2, '\r', '\n', 0xff}) {
		t.Fatalf("Get = %v, %v", got, err)
	}
	got[1] = 9
	if again, _ := s.Store.Get(ctx, "bin"); !bytes.Equal(again, []byte{0, 1, 2, '\r', '\n', 0xff}) {
		t.Fatalf("changing what Get returned changed the entry: %v", again)
	}
}

func wantValue(t *testing.T, s Subject, key, want string) {
	t.Helper()
	v, err := s.Store.Get(context.Background(), key)
	if err != nil || string(v) != want {
		t.Fatalf("Get(%q) = %q, %v; want %q", key, v, err, want)
	}
}

func wantNotFound(t *testing.T, s Subject, key string) {
	t.Helper()
	if v, err := s.Store.Get(context.Background(), key); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get(%q) = %q, %v; want ErrNotFound", key, v, err)
	}
}

// Bench measures one PutNew and one Take of a fresh key per operation:
// how a one-time code is issued and redeemed.
func Bench(b *testing.B, s store.Store) {
	ctx := context.Background()
	value := bytes.Repeat([]byte{'v'}, 256)
	var n atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			key := fmt.Sprintf("bench:%d", n.Add(1))
			if ok, err := s.PutNew(ctx, key, value, long); err != nil || !ok {
				b.Fatalf("PutNew = %v, %v", ok, err)
			}
			if _, err := s.Take(ctx, key); err != nil {
				b.Fatalf("Take: %v", err)
			}
		}
	})
}
