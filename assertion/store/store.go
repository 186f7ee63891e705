// Package store keeps the short-lived state of the online journey — nonces
// already seen, one-time codes, a login's interaction — with a lifetime on
// every entry. Two implementations: [Memory] (one process, nothing to
// install, bounded) and Redis (assertion/store/redisstore, several
// processes). Both refuse the same bad input the same way ([CheckPut],
// [CheckKey]: key and value sizes, lifetimes) and fail with an [*Error]
// of a [Kind]; assertion/store/storetest is the suite both pass.
package store

import (
	"context"
	"time"
)

// Store is a key-value store whose every entry expires. Keys are opaque
// strings chosen by the caller (prefixed by what they hold, e.g.
// "code:…"); values are bytes the caller encodes. Implementations are safe
// for concurrent use.
type Store interface {
	// PutNew stores value under key for ttl only if key is absent (Redis
	// SET NX): false when it was already there. This is how a nonce or a
	// code is spent once, across processes.
	PutNew(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error)
	// Set stores value under key for ttl, replacing what was there.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// Get returns the value under key, or ErrNotFound.
	Get(ctx context.Context, key string) ([]byte, error)
	// Take returns the value under key and deletes it in one step (Redis
	// GETDEL), or ErrNotFound: two callers never both take it.
	Take(ctx context.Context, key string) ([]byte, error)
	// Delete removes key; deleting an absent key is not an error.
	Delete(ctx context.Context, key string) error
}

// ErrNotFound: no entry under this key (never stored, expired, or taken).
// It is the kind [NotFound]: errors.Is(err, ErrNotFound) holds for every
// not-found answer of every implementation.
var ErrNotFound error = NotFound
