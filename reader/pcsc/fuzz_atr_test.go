package pcsc

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// FuzzParseATR checks that ParseATR never panics, fails only with
// Malformed or TooLarge, and that what it decodes rebuilds the input byte
// for byte; the classification of whatever it accepts must not panic
// either, whatever EF.CardAccess comes with it.
func FuzzParseATR(f *testing.F) {
	for _, v := range realATRs {
		f.Add(testhex.Bytes(f, v.atr), []byte(nil))
	}
	f.Add(testhex.Bytes(f, atrCNIE), cardAccessPACE(f))
	f.Add(tooManyGroups(), []byte{0x31, 0x00})
	f.Add(testhex.Bytes(f, "3B 84 80 01 01 11 20 03 36 90 00"), []byte{0x31, 0x03, 0x30, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, b, cardAccess []byte) {
		a, err := ParseATR(b)
		if err != nil {
			if !errors.Is(err, chiperr.Malformed) && !errors.Is(err, chiperr.TooLarge) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		if !bytes.Equal(rebuild(a), b) || !bytes.Equal(a.Raw, b) {
			t.Fatalf("decoded ATR does not rebuild % X", b)
		}
		if len(b)-len(a.Trailing) > MaxATR {
			t.Fatalf("accepted a %d-byte ATR", len(b)-len(a.Trailing))
		}
		if a.HasTCK != (a.Protocols[0] != 0 || len(a.Protocols) > 1) {
			t.Fatalf("TCK present %v with protocols %v", a.HasTCK, a.Protocols)
		}
		if a.Storage != nil && !a.Contactless {
			t.Fatal("storage card without a contactless ATR")
		}
		if code, _ := a.Description(); !slices.Contains(ATRCodes, code) || a.String() == "" {
			t.Fatal("empty description")
		}
		if strings.Count(a.String(), " ") != len(b)-1 {
			t.Fatalf("String %q does not show every byte", a.String())
		}
		for _, sel := range []bool{false, true} {
			if k, note := Classify(a, cardAccess, sel); !slices.Contains(CardNotes, note) || (sel && k != CardCNIE && k != CardICAODocument) {
				t.Fatalf("Classify: %v %q", k, note)
			}
		}
		GuessFromATR(a)
	})
}

// rebuild encodes an ATR back from its decoded fields.
func rebuild(a *ATR) []byte {
	out := []byte{0x3B, a.T0}
	if a.Inverse {
		out[0] = 0x3F
	}
	for _, g := range a.Groups {
		for i, v := range []byte{g.TA, g.TB, g.TC, g.TD} {
			if g.Y&(1<<i) != 0 {
				out = append(out, v)
			}
		}
	}
	out = append(out, a.Historical...)
	if a.HasTCK {
		out = append(out, a.TCK)
	}
	return append(out, a.Trailing...)
}
