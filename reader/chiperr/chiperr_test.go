package chiperr_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// allKinds walks the kinds from 1 until Kind.Error falls back to its
// "chip error N" default, so that a kind added without texts ends the walk
// early and is caught by TestKindCount.
func allKinds() []chiperr.Kind {
	var out []chiperr.Kind
	for k := chiperr.Kind(1); k < 1000; k++ {
		if k.Error() == fmt.Sprintf("chip error %d", int(k)) {
			break
		}
		out = append(out, k)
	}
	return out
}

// TestKindCount guards the walk above: every declared kind up to the last
// one (NoCard) has texts, so the walk reaches it.
func TestKindCount(t *testing.T) {
	kinds := allKinds()
	if len(kinds) == 0 || kinds[len(kinds)-1] < chiperr.NoCard {
		t.Fatalf("walk stopped after %d kinds; the last declared kind is %d", len(kinds), chiperr.NoCard)
	}
	for _, k := range []chiperr.Kind{
		chiperr.Malformed, chiperr.Integrity, chiperr.AccessDenied, chiperr.SecurityStatus,
		chiperr.FileNotFound, chiperr.WrongLength, chiperr.Unsupported, chiperr.TooLarge,
		chiperr.Timeout, chiperr.Canceled, chiperr.CardRemoved, chiperr.Transport,
		chiperr.Status, chiperr.BadInput, chiperr.NoService, chiperr.NoReader, chiperr.NoCard,
	} {
		if int(k) > len(kinds) {
			t.Errorf("kind %d has no texts", k)
		}
	}
}

func TestTextsEveryKind(t *testing.T) {
	seenFR, seenEN := map[string]chiperr.Kind{}, map[string]chiperr.Kind{}
	for _, k := range allKinds() {
		e := chiperr.New(k, "", "")
		fr, en := e.Message("fr"), e.Message("en")
		hfr, hen := e.Hint("fr"), e.Hint("en")
		for name, s := range map[string]string{"message fr": fr, "message en": en, "hint fr": hfr, "hint en": hen} {
			if strings.TrimSpace(s) == "" {
				t.Errorf("kind %d: empty %s", k, name)
			}
		}
		if fr == en {
			t.Errorf("kind %d: French and English messages are the same: %q", k, fr)
		}
		if hfr == hen {
			t.Errorf("kind %d: French and English hints are the same: %q", k, hfr)
		}
		if en != k.Error() {
			t.Errorf("kind %d: Message(en) %q differs from Error() %q", k, en, k.Error())
		}
		// French is the default language.
		if got := e.Message(""); got != fr {
			t.Errorf("kind %d: default message %q, want the French one", k, got)
		}
		if got := chiperr.KindMessage(k, "en"); got != en {
			t.Errorf("kind %d: KindMessage(en) = %q, want %q", k, got, en)
		}
		// Two kinds sharing a sentence could not be told apart by the holder.
		if prev, ok := seenFR[fr]; ok {
			t.Errorf("kinds %d and %d share the French message %q", prev, k, fr)
		}
		if prev, ok := seenEN[en]; ok {
			t.Errorf("kinds %d and %d share the English message %q", prev, k, en)
		}
		seenFR[fr], seenEN[en] = k, k
	}
}

func TestUnknownKindFallsBack(t *testing.T) {
	k := chiperr.Kind(9999)
	if got := k.Error(); got != "chip error 9999" {
		t.Errorf("Error() = %q", got)
	}
	if chiperr.KindMessage(k, "en") == "" || chiperr.KindMessage(k, "fr") == "" ||
		chiperr.KindMessage(k, "en") == chiperr.KindMessage(k, "fr") {
		t.Error("unknown kind needs a non-empty fallback in both languages")
	}
}

func TestHintCarriesDetail(t *testing.T) {
	e := chiperr.Newf(chiperr.TooLarge, "read file", "file %04X announces %d bytes", 0x0102, 1<<24)
	for _, lang := range []string{"fr", "en"} {
		if h := e.Hint(lang); !strings.Contains(h, "[file 0102 announces 16777216 bytes]") {
			t.Errorf("Hint(%s) = %q, detail missing", lang, h)
		}
	}
	want := "read file: The card announced an impossible data size. (file 0102 announces 16777216 bytes)"
	if e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
}

// kinded is an error of another package that maps itself onto a kind, as
// iso7816.StatusError does (chiperr cannot import iso7816).
type kinded struct{ k chiperr.Kind }

func (e kinded) Error() string           { return "status word" }
func (e kinded) Kind() chiperr.Kind      { return e.k }
func (e kinded) Is(target error) bool    { k, ok := target.(chiperr.Kind); return ok && k == e.k }
func (e kinded) Message(l string) string { return chiperr.KindMessage(e.k, l) }

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

func TestKindOfKinded(t *testing.T) {
	sw := kinded{chiperr.FileNotFound}
	if chiperr.KindOf(sw) != chiperr.FileNotFound {
		t.Errorf("KindOf(kinded) = %d", chiperr.KindOf(sw))
	}
	err := chiperr.Wrap(chiperr.Status, "SELECT file", sw)
	if chiperr.KindOf(err) != chiperr.FileNotFound || !errors.Is(err, chiperr.FileNotFound) {
		t.Errorf("Wrap lost the kind of a Kinded error: %v", err)
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
