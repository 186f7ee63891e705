package store

import (
	"container/heap"
	"context"
	"sync"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/kinderr"
)

// Default bounds of a [Memory] whose fields are zero.
const (
	DefaultMaxEntries = 100_000
	DefaultMaxBytes   = 64 << 20
)

// entryOverhead approximates what an entry costs beside its key and value
// (map slot, entry struct, heap slot), so that many tiny entries count too.
const entryOverhead = 96

// Memory is the in-memory [Store]: one process, nothing to install. Its
// zero value is ready to use.
//
// It is bounded: when a new entry would pass MaxEntries or MaxBytes, the
// entries closest to their expiry go first (Redis's volatile-ttl policy),
// after those already expired. Expired entries are swept as writes come,
// so no goroutine runs behind it.
type Memory struct {
	// MaxEntries bounds the number of entries (DefaultMaxEntries when 0).
	MaxEntries int
	// MaxBytes bounds keys and values together, with an allowance per
	// entry (DefaultMaxBytes when 0).
	MaxBytes int64
	// Now is the clock (time.Now when nil); tests move it.
	Now func() time.Time

	mu      sync.Mutex
	entries map[string]*entry
	expiry  expiryHeap
	bytes   int64
}

var _ Store = (*Memory)(nil)

// PutNew stores value under key for ttl only if no live entry holds key.
func (m *Memory) PutNew(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	if err := CheckPut(ctx, "put new", key, value, ttl); err != nil {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if m.live(key, now) != nil {
		return false, nil
	}
	return true, m.insert("put new", key, value, now.Add(ttl), now)
}

// Set stores value under key for ttl, replacing what was there.
func (m *Memory) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := CheckPut(ctx, "set", key, value, ttl); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if e := m.entries[key]; e != nil {
		m.remove(e)
	}
	return m.insert("set", key, value, now.Add(ttl), now)
}

// Get returns a copy of the value under key, or ErrNotFound.
func (m *Memory) Get(ctx context.Context, key string) ([]byte, error) {
	if err := CheckKey(ctx, "get", key); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.live(key, m.now())
	if e == nil {
		return nil, ErrNotFound
	}
	return append([]byte(nil), e.value...), nil
}

// Take returns the value under key and removes it, or ErrNotFound.
func (m *Memory) Take(ctx context.Context, key string) ([]byte, error) {
	if err := CheckKey(ctx, "take", key); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.live(key, m.now())
	if e == nil {
		return nil, ErrNotFound
	}
	m.remove(e)
	return e.value, nil
}

// Delete removes key, if it is there.
func (m *Memory) Delete(ctx context.Context, key string) error {
	if err := CheckKey(ctx, "delete", key); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if e := m.entries[key]; e != nil {
		m.remove(e)
	}
	return nil
}

// Len is the number of live entries.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep(m.now())
	return len(m.entries)
}

func (m *Memory) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// live returns the entry under key if it has not expired (an expired one
// is removed on the way).
func (m *Memory) live(key string, now time.Time) *entry {
	e := m.entries[key]
	if e == nil {
		return nil
	}
	if !now.Before(e.expires) {
		m.remove(e)
		return nil
	}
	return e
}

// insert adds an entry for a key that holds none, making room first. The
// value is copied: the caller may reuse its slice.
func (m *Memory) insert(op, key string, value []byte, expires, now time.Time) error {
	maxEntries, maxBytes := m.MaxEntries, m.MaxBytes
	if maxEntries <= 0 {
		maxEntries = DefaultMaxEntries
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	size := int64(len(key) + len(value) + entryOverhead)
	if size > maxBytes {
		return kinderr.Newf(TooLarge, op, "%d bytes, the store holds at most %d", size, maxBytes)
	}
	m.sweep(now)
	for len(m.entries) >= maxEntries || m.bytes+size > maxBytes {
		m.remove(m.expiry[0])
	}
	if m.entries == nil {
		m.entries = map[string]*entry{}
	}
	e := &entry{key: key, value: append([]byte(nil), value...), expires: expires, size: size}
	m.entries[key] = e
	heap.Push(&m.expiry, e)
	m.bytes += size
	return nil
}

// sweep removes the entries that have expired: they sit at the heap's top.
func (m *Memory) sweep(now time.Time) {
	for len(m.expiry) > 0 && !now.Before(m.expiry[0].expires) {
		m.remove(m.expiry[0])
	}
}

func (m *Memory) remove(e *entry) {
	heap.Remove(&m.expiry, e.index)
	delete(m.entries, e.key)
	m.bytes -= e.size
}

type entry struct {
	key     string
	value   []byte
	expires time.Time
	size    int64
	index   int // in the expiry heap
}

// expiryHeap orders entries by expiry, the soonest first.
type expiryHeap []*entry

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].expires.Before(h[j].expires) }
func (h expiryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *expiryHeap) Push(x any) {
	e := x.(*entry)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *expiryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return e
}
