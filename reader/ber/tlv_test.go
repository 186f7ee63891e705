package ber

import (
	"bytes"
	"errors"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

func TestParseTLV(t *testing.T) {
	for _, c := range []struct {
		in    string
		tag   uint32
		value string
		rest  string
	}{
		{"5F01 04 30313037 FF", 0x5F01, "30313037", "FF"},
		{"61 00", 0x61, "", ""},
		{"7F61 81 01 AA", 0x7F61, "AA", ""},
		{"5F8101 01 BB 00", 0x5F8101, "BB", "00"},
		{"04 82 0001 CC", 0x04, "CC", ""},
		{"30 83 000001 DD", 0x30, "DD", ""},
	} {
		tl, rest, err := ParseTLV(testhex.Bytes(t, c.in))
		if err != nil || tl.Tag != c.tag || !bytes.Equal(tl.Value, testhex.Bytes(t, c.value)) || !bytes.Equal(rest, testhex.Bytes(t, c.rest)) {
			t.Errorf("%s: %X %X %X %v", c.in, tl.Tag, tl.Value, rest, err)
		}
	}
	for in, kind := range map[string]chiperr.Kind{
		"":               chiperr.Malformed,
		"5F":             chiperr.Malformed,
		"5F81818101":     chiperr.Malformed, // tag of 5 bytes
		"61":             chiperr.Malformed,
		"61 80 0000":     chiperr.Malformed, // indefinite length
		"61 84 00000001": chiperr.TooLarge,
		"61 82 01":       chiperr.Malformed,
		"61 03 0102":     chiperr.Malformed,
		"61 83 100001":   chiperr.TooLarge, // above MaxLength
	} {
		if _, _, err := ParseTLV(testhex.Bytes(t, in)); !errors.Is(err, kind) {
			t.Errorf("%q: %v, want %v", in, err, kind)
		}
	}
}

func TestConstructed(t *testing.T) {
	for tag, want := range map[uint32]bool{0x61: true, 0x5F1F: false, 0x7F61: true, 0x04: false, 0x30: true} {
		if got := (Element{Tag: tag}).Constructed(); got != want {
			t.Errorf("%X: %v", tag, got)
		}
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000} {
		v := bytes.Repeat([]byte{0xA5}, n)
		for _, tag := range []uint32{0x61, 0x5F1F, 0x7F4E, 0x5F8101} {
			enc := Encode(tag, v[:n/2], v[n/2:])
			tl, rest, err := ParseTLV(enc)
			if err != nil || tl.Tag != tag || !bytes.Equal(tl.Value, v) || len(rest) != 0 || !bytes.Equal(tl.Raw, enc) {
				t.Fatalf("tag %X length %d: %v", tag, n, err)
			}
			h, l, err := HeaderLength(enc[:min(len(enc), 8)])
			if err != nil || l != n || h+l != len(enc) {
				t.Fatalf("HeaderLength tag %X length %d: %d %d %v", tag, n, h, l, err)
			}
		}
	}
}

func TestFindAndParseAll(t *testing.T) {
	b := testhex.Bytes(t, "5F0102AAAA 5C026175 5F3601BB")
	if f, ok, err := Find(b, 0x5C); err != nil || !ok || !bytes.Equal(f.Value, []byte{0x61, 0x75}) {
		t.Errorf("Find 5C: %v %v", ok, err)
	}
	if _, ok, err := Find(b, 0x5F1F); ok || err != nil {
		t.Errorf("Find absent: %v %v", ok, err)
	}
	if _, err := ParseAll(append(b, 0x5C)); !errors.Is(err, chiperr.Malformed) {
		t.Errorf("trailing garbage: %v", err)
	}
}

func TestHeaderLengthErrors(t *testing.T) {
	for in, kind := range map[string]chiperr.Kind{
		"":           chiperr.Malformed,
		"5F":         chiperr.Malformed,
		"61":         chiperr.Malformed,
		"61 80":      chiperr.Malformed,
		"61 85":      chiperr.TooLarge,
		"61 82 01":   chiperr.Malformed,
		"7F 81 8101": chiperr.Malformed,
	} {
		if _, _, err := HeaderLength(testhex.Bytes(t, in)); !errors.Is(err, kind) {
			t.Errorf("%q: %v, want %v", in, err, kind)
		}
	}
}

func FuzzParseTLV(f *testing.F) {
	for _, s := range []string{"5F010430313037", "6100", "7F618101AA", "61820001CC", "6180", "5F"} {
		f.Add(testhex.Bytes(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tl, rest, err := ParseTLV(b)
		checkKind(t, err)
		if err != nil {
			return
		}
		if len(tl.Raw)+len(rest) != len(b) || !bytes.HasPrefix(b, tl.Raw) || len(tl.Value) > MaxLength {
			t.Fatal("element and rest do not cover the input")
		}
		// Re-encoding gives the same tag and value (lengths become minimal).
		tl2, _, err := ParseTLV(Encode(tl.Tag, tl.Value))
		if err != nil || tl2.Tag != tl.Tag || !bytes.Equal(tl2.Value, tl.Value) {
			t.Fatalf("re-encoding: %v", err)
		}
		if h, l, err := HeaderLength(b); err != nil || h+l != len(tl.Raw) {
			t.Fatalf("HeaderLength disagrees: %d+%d vs %d, %v", h, l, len(tl.Raw), err)
		}
		_, _ = ParseAll(b)
	})
}
