package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion/store"
	"github.com/cnie-reader/cnie-reader/assertion/store/storetest"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newClock() *fakeClock { return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func TestMemoryConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Subject {
		return storetest.Subject{Store: &store.Memory{}}
	})
}

func TestMemoryConformanceFakeClock(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Subject {
		c := newClock()
		return storetest.Subject{Store: &store.Memory{Now: c.Now}, Wait: c.Advance}
	})
}

// TestMemoryBoundEntries: past MaxEntries, the entries closest to their
// expiry go first; expired ones before any live one.
func TestMemoryBoundEntries(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	m := &store.Memory{MaxEntries: 3, Now: c.Now}
	put := func(key string, ttl time.Duration) {
		t.Helper()
		if ok, err := m.PutNew(ctx, key, []byte(key), ttl); err != nil || !ok {
			t.Fatalf("PutNew(%s) = %v, %v", key, ok, err)
		}
	}
	put("late", 3*time.Minute)
	put("soon", time.Minute)
	put("middle", 2*time.Minute)
	put("new", 10*time.Minute) // evicts "soon"
	if _, err := m.Get(ctx, "soon"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the entry closest to expiry was kept: %v", err)
	}
	for _, k := range []string{"late", "middle", "new"} {
		if _, err := m.Get(ctx, k); err != nil {
			t.Errorf("Get(%s): %v", k, err)
		}
	}
	c.Advance(2*time.Minute + time.Second) // "middle" expires
	put("next", time.Second)               // takes the expired slot: nothing live goes
	for _, k := range []string{"late", "new", "next"} {
		if _, err := m.Get(ctx, k); err != nil {
			t.Errorf("Get(%s): %v", k, err)
		}
	}
	if n := m.Len(); n != 3 {
		t.Errorf("Len = %d, want 3", n)
	}
}

// TestMemoryBoundBytes: MaxBytes bounds keys and values; a value larger
// than the whole store is refused, not stored by emptying it.
func TestMemoryBoundBytes(t *testing.T) {
	ctx := context.Background()
	m := &store.Memory{MaxBytes: 4096}
	for i := range 100 {
		if err := m.Set(ctx, fmt.Sprintf("k%03d", i), make([]byte, 1000), time.Duration(i+1)*time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if n := m.Len(); n < 1 || n > 4 {
		t.Fatalf("Len = %d after 100 KB in a 4 KB store", n)
	}
	if _, err := m.Get(ctx, "k099"); err != nil {
		t.Errorf("the newest, longest-lived entry went: %v", err)
	}
	err := m.Set(ctx, "huge", make([]byte, 5000), time.Minute)
	if store.KindOf(err) != store.TooLarge {
		t.Fatalf("a value beyond MaxBytes: %v, want TooLarge", err)
	}
	if _, err := m.Get(ctx, "k099"); err != nil {
		t.Errorf("a refused value emptied the store: %v", err)
	}
}

// TestMemoryDefaultBound: the zero value is bounded too.
func TestMemoryDefaultBound(t *testing.T) {
	if testing.Short() {
		t.Skip("fills DefaultMaxEntries entries")
	}
	ctx := context.Background()
	m := &store.Memory{}
	for i := range store.DefaultMaxEntries + 1000 {
		if _, err := m.PutNew(ctx, fmt.Sprint(i), nil, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if n := m.Len(); n != store.DefaultMaxEntries {
		t.Fatalf("Len = %d, want %d", n, store.DefaultMaxEntries)
	}
}

// TestErrorsNameNoKey: errors say the operation and the kind, never the key.
func TestErrorsNameNoKey(t *testing.T) {
	ctx := context.Background()
	m := &store.Memory{}
	_, err := m.Get(ctx, "code:secret-value")
	if !errors.Is(err, store.ErrNotFound) || !errors.Is(err, store.NotFound) {
		t.Fatalf("Get of an absent key: %v", err)
	}
	err = m.Set(ctx, "code:secret-value", nil, 0)
	if err == nil || err.Error() != "store set: bad ttl (0s is shorter than 1ms)" {
		t.Fatalf("error text %q", err)
	}
	if err := store.Fail("take", context.Canceled); store.KindOf(err) != store.Canceled || !errors.Is(err, context.Canceled) {
		t.Errorf("Fail(canceled) = %v", err)
	}
	if err := store.Fail("take", errors.New("connection refused")); store.KindOf(err) != store.Unavailable {
		t.Errorf("Fail(network) = %v", err)
	}
	if store.Fail("take", nil) != nil {
		t.Error("Fail(nil) is not nil")
	}
	for _, k := range store.Kinds() {
		if k.Error() == "" || strings.HasPrefix(k.Error(), "store") {
			t.Errorf("kind %d is named %q", k, k.Error())
		}
	}
}

func BenchmarkMemoryPutNewTake(b *testing.B) {
	storetest.Bench(b, &store.Memory{})
}
