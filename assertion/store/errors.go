package store

import (
	"context"
	"errors"

	"github.com/cnie-reader/cnie-reader/internal/kinderr"
)

// Kind classifies what a store operation ran into. Details never hold a key
// or a value (they may be a code or a nonce): only their sizes.
type Kind int

const (
	_ Kind = iota
	// NotFound: no entry under the key (never stored, expired, or taken).
	NotFound
	// BadKey: an empty key, or one longer than [MaxKeySize].
	BadKey
	// BadTTL: a lifetime shorter than [MinTTL].
	BadTTL
	// TooLarge: a value longer than [MaxValueSize], or one the memory
	// store's byte bound cannot hold even when emptied.
	TooLarge
	// Canceled: the caller's context was canceled or ran out; the
	// operation may or may not have happened when the server had it.
	Canceled
	// Unavailable: the server could not be reached, or refused or failed
	// the command (out of memory, read-only replica…).
	Unavailable
	// Misconfigured: the store's URL or settings are wrong.
	Misconfigured

	// numKinds ends the list: a kind added above it is in [Kinds] at once.
	numKinds
)

// Kinds lists every kind, in order.
func Kinds() []Kind { return kinderr.Kinds(numKinds) }

var names = [numKinds]string{
	NotFound:      "not found",
	BadKey:        "bad key",
	BadTTL:        "bad ttl",
	TooLarge:      "value too large",
	Canceled:      "canceled",
	Unavailable:   "unavailable",
	Misconfigured: "misconfigured",
}

// Error names the kind in lowercase English, so a Kind works with errors.Is.
func (k Kind) Error() string { return kinderr.Name(names[:], k, "store error") }

// Scope puts "store" in front of the store's errors.
func (Kind) Scope() string { return "store" }

// Error is a failed store operation: Op is the operation ("put", "take"…),
// Detail says what was wrong without the key or the value.
type Error = kinderr.Error[Kind]

// KindOf returns the kind of a store error, or 0.
func KindOf(err error) Kind { return kinderr.KindOf[Kind](err) }

// Fail is the error of op caused by err: a context's end is [Canceled]
// (errors.Is(err, context.Canceled) still holds), anything else is
// [Unavailable]. Implementations use it for their backend's errors.
func Fail(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return kinderr.Wrap(Canceled, op, err)
	}
	return kinderr.Wrap(Unavailable, op, err)
}
