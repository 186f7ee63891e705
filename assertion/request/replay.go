package request

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"sync"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion/store"
)

// Replay remembers keys (a client and a nonce) until each expires: how a
// request, or an answer, is accepted once. [StoreReplay] is the one
// implementation, over any [store.Store]: in memory by default, Redis to
// share it between processes.
type Replay interface {
	// Has tells whether key was recorded and has not expired.
	Has(ctx context.Context, key string) (bool, error)
	// Add records key for ttl; false when it was already there. Two
	// callers racing with one key never both get true.
	Add(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// StoreReplay is a [Replay] over a [store.Store]. Its zero value keeps
// keys in memory, in a [store.Memory] bounded by Max.
type StoreReplay struct {
	// Store holds the keys; a store.Memory of Max entries when nil.
	Store store.Store
	// Max bounds the default memory store (store.DefaultMaxEntries when 0):
	// beyond it, the keys closest to their expiry go first.
	Max int
	// Prefix is put in front of every key in the store ("replay:" when
	// empty), so that one store holds the replay set beside other state.
	Prefix string

	once sync.Once
	s    store.Store
}

var _ Replay = (*StoreReplay)(nil)

// NewReplay returns a replay set kept in s.
func NewReplay(s store.Store) *StoreReplay { return &StoreReplay{Store: s} }

// Has tells whether key was recorded and has not expired.
func (r *StoreReplay) Has(ctx context.Context, key string) (bool, error) {
	_, err := r.store().Get(ctx, r.key(key))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	}
	return false, err
}

// Add records key for ttl (at least [store.MinTTL]); false when it was
// already there (SET NX: atomic, across processes with Redis).
func (r *StoreReplay) Add(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	return r.store().PutNew(ctx, r.key(key), []byte{1}, max(ttl, store.MinTTL))
}

func (r *StoreReplay) store() store.Store {
	r.once.Do(func() {
		r.s = r.Store
		if r.s == nil {
			r.s = &store.Memory{MaxEntries: r.Max}
		}
	})
	return r.s
}

// key hashes what the caller remembers: a client_id and a nonce come from
// the network and may be long or hold any byte; their hash is neither, and
// the store holds no nonce in clear.
func (r *StoreReplay) key(k string) string {
	prefix := r.Prefix
	if prefix == "" {
		prefix = "replay:"
	}
	sum := sha256.Sum256([]byte(k))
	return prefix + base64.RawURLEncoding.EncodeToString(sum[:])
}
