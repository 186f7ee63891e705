package store

import (
	"context"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/kinderr"
)

// Bounds every implementation enforces alike, before the backend sees the
// call: the same input is refused the same way in memory and in Redis.
const (
	// MaxKeySize bounds a key, in bytes. Keys are opaque bytes (NUL,
	// newlines and glob characters included): Redis keys are binary-safe.
	MaxKeySize = 1024
	// MaxValueSize bounds a value: a login's interaction or verified claims
	// are a few kilobytes, an assertion with a face some tens.
	MaxValueSize = 1 << 20
	// MinTTL is the shortest lifetime: Redis counts in milliseconds.
	MinTTL = time.Millisecond
)

// CheckPut refuses what no implementation stores (PutNew, Set): a context
// already done, a bad key, a lifetime under [MinTTL], a too large value.
func CheckPut(ctx context.Context, op, key string, value []byte, ttl time.Duration) error {
	if err := CheckKey(ctx, op, key); err != nil {
		return err
	}
	if ttl < MinTTL {
		return kinderr.Newf(BadTTL, op, "%s is shorter than %s", ttl, MinTTL)
	}
	if len(value) > MaxValueSize {
		return kinderr.Newf(TooLarge, op, "%d bytes, at most %d", len(value), MaxValueSize)
	}
	return nil
}

// CheckKey refuses a context already done, an empty key or one longer
// than [MaxKeySize] (Get, Take, Delete).
func CheckKey(ctx context.Context, op, key string) error {
	if err := ctx.Err(); err != nil {
		return kinderr.Wrap(Canceled, op, err)
	}
	switch {
	case key == "":
		return kinderr.New(BadKey, op, "empty key")
	case len(key) > MaxKeySize:
		return kinderr.Newf(BadKey, op, "%d bytes, at most %d", len(key), MaxKeySize)
	}
	return nil
}
