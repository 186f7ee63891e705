package chiperr_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// TestKindsEveryKind checks that Kinds reaches the last declared kind and
// that every kind has its own lowercase technical name.
func TestKindsEveryKind(t *testing.T) {
	kinds := chiperr.Kinds()
	if len(kinds) == 0 || kinds[len(kinds)-1] < chiperr.Busy {
		t.Fatalf("Kinds() stops at %v; the last declared kind is %d", kinds, chiperr.Busy)
	}
	seen := map[string]chiperr.Kind{}
	for i, k := range kinds {
		if int(k) != i+1 {
			t.Errorf("Kinds()[%d] = %d", i, k)
		}
		name := k.Error()
		if name == fmt.Sprintf("chip error %d", int(k)) || name != strings.ToLower(name) {
			t.Errorf("kind %d: name %q, want a lowercase name of its own", k, name)
		}
		if prev, ok := seen[name]; ok {
			t.Errorf("kinds %d and %d share the name %q", prev, k, name)
		}
		seen[name] = k
	}
}

func TestUnknownKindFallsBack(t *testing.T) {
	k := chiperr.Kind(9999)
	if got := k.Error(); got != "chip error 9999" {
		t.Errorf("Error() = %q", got)
	}
}

// Error() is technical: "op: kind (detail)", lowercase, no holder sentence.
func TestErrorIsTechnical(t *testing.T) {
	e := chiperr.Newf(chiperr.TooLarge, "read file", "file %04X announces %d bytes", 0x0102, 1<<24)
	want := "read file: announced length out of bounds (file 0102 announces 16777216 bytes)"
	if e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
	wrapped := fmt.Errorf("parse EF.SOD: %w", chiperr.New(chiperr.Malformed, "", "bad tag"))
	if got := wrapped.Error(); got != "parse EF.SOD: malformed chip data (bad tag)" {
		t.Errorf("wrapped Error() = %q", got)
	}
}

// linked is an error of another family that links itself to a kind by its
// Is method, as iso7816.StatusError does (chiperr cannot import iso7816).
type linked struct{ k chiperr.Kind }

func (e linked) Error() string        { return "status word" }
func (e linked) Is(target error) bool { k, ok := target.(chiperr.Kind); return ok && k == e.k }

func TestWrapKeepsInnerKind(t *testing.T) {
	inner := chiperr.New(chiperr.Integrity, "SM unprotect", "MAC mismatch")
	err := chiperr.Wrap(chiperr.Status, "READ BINARY", inner)
	if chiperr.KindOf(err) != chiperr.Integrity {
		t.Errorf("KindOf = %d, want Integrity", chiperr.KindOf(err))
	}
	if !errors.Is(err, chiperr.Integrity) {
		t.Error("errors.Is(err, Integrity) = false")
	}
	if errors.Is(err, chiperr.Status) {
		t.Error("the outer kind must not replace the inner one")
	}
	if !errors.Is(err, inner) {
		t.Error("the cause is lost")
	}
	var ce *chiperr.Error
	if !errors.As(err, &ce) || ce.Op != "READ BINARY" {
		t.Errorf("outer error = %#v", ce)
	}
	// Two levels deep.
	err2 := chiperr.Wrap(chiperr.Transport, "read DG2", err)
	if chiperr.KindOf(err2) != chiperr.Integrity || !errors.Is(err2, chiperr.Integrity) {
		t.Error("kind lost two levels deep")
	}
}

func TestWrapForeignError(t *testing.T) {
	if chiperr.Wrap(chiperr.Transport, "op", nil) != nil {
		t.Error("Wrap(nil) must be nil")
	}
	err := chiperr.Wrap(chiperr.Canceled, "read file", context.Canceled)
	if !errors.Is(err, chiperr.Canceled) || !errors.Is(err, context.Canceled) {
		t.Errorf("Wrap of a plain error: %v", err)
	}
	if !strings.HasSuffix(err.Error(), ": context canceled") {
		t.Errorf("Error() = %q, cause missing", err.Error())
	}
}

func TestKindOfLinked(t *testing.T) {
	sw := linked{chiperr.FileNotFound}
	if chiperr.KindOf(sw) != chiperr.FileNotFound {
		t.Errorf("KindOf(linked) = %d", chiperr.KindOf(sw))
	}
	err := chiperr.Wrap(chiperr.Status, "SELECT file", sw)
	if chiperr.KindOf(err) != chiperr.FileNotFound || !errors.Is(err, chiperr.FileNotFound) {
		t.Errorf("Wrap lost the kind of a linked error: %v", err)
	}
	if chiperr.KindOf(errors.New("plain")) != 0 || chiperr.KindOf(nil) != 0 {
		t.Error("KindOf of a non-chip error must be 0")
	}
	wrapped := fmt.Errorf("context: %w", chiperr.New(chiperr.Timeout, "", ""))
	if chiperr.KindOf(wrapped) != chiperr.Timeout || !errors.Is(wrapped, chiperr.Timeout) {
		t.Error("kind lost through fmt.Errorf %w")
	}
}

func TestIsOnlyMatchesKinds(t *testing.T) {
	e := chiperr.New(chiperr.Timeout, "", "")
	if errors.Is(e, chiperr.Canceled) {
		t.Error("Timeout matched Canceled")
	}
	if errors.Is(e, errors.New(chiperr.Timeout.Error())) {
		t.Error("matched an unrelated error with the same text")
	}
}
