package vds

import (
	"bytes"
	"errors"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// cat joins byte slices.
func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestParseMalformed(t *testing.T) {
	good := testhex.Bytes(t, bsiAnnexC) // 78 signed bytes, then ff 40 and 64 bytes
	s, _ := Parse(good)
	signed, sig := s.SignedData, s.Signature
	hdr := good[:18]
	sigZone := cat([]byte{0xFF, 0x40}, sig)
	cases := map[string]struct {
		in     []byte
		reason Reason
		kind   chiperr.Kind
	}{
		"empty":                {nil, Truncated, chiperr.Malformed},
		"bad magic":            {cat([]byte{0xDD}, good[1:]), NotVDS, chiperr.Malformed},
		"version 0x04":         {cat([]byte{0xDC, 0x04}, good[2:]), UnsupportedVersion, chiperr.Unsupported},
		"header cut":           {good[:10], Truncated, chiperr.Malformed},
		"no signature":         {signed, NoSignature, chiperr.Malformed},
		"signature cut":        {good[:len(good)-1], Truncated, chiperr.Malformed},
		"length beyond data":   {cat(hdr, []byte{0x03, 0x7F, 0x20, 0xd5}), Truncated, chiperr.Malformed},
		"length bytes missing": {cat(hdr, []byte{0x03, 0x82, 0x01}), Truncated, chiperr.Malformed},
		"tag without length":   {cat(hdr, []byte{0x03}), Truncated, chiperr.Malformed},
		"indefinite length":    {cat(hdr, []byte{0x03, 0x80}, sigZone), Malformed, chiperr.Malformed},
		"3-byte length":        {cat(hdr, []byte{0x03, 0x83, 0, 0, 1, 0}, sigZone), TooLarge, chiperr.TooLarge},
		"trailing byte":        {cat(good, []byte{0x00}), Malformed, chiperr.Malformed},
		"empty message zone":   {cat(hdr, sigZone), Malformed, chiperr.Malformed},
		"tag twice":            {cat(signed, signed[18:], sigZone), Malformed, chiperr.Malformed},
		"odd signature":        {cat(signed, []byte{0xFF, 0x3F}, sig[:63]), Malformed, chiperr.Malformed},
		"empty signature":      {cat(signed, []byte{0xFF, 0x00}), Malformed, chiperr.Malformed},
		"signature too long":   {cat(signed, []byte{0xFF, 0x81, 0x86}, make([]byte, 134)), Malformed, chiperr.Malformed},
		"bad C40 in MRZ":       {cat(hdr, []byte{0x02, 0x02, 0xFF, 0xFF}, sigZone), Malformed, chiperr.Malformed},
		"bad issue date":       {cat(good[:10], []byte{0xFF}, good[11:]), Malformed, chiperr.Malformed},
		"bad country C40":      {cat(good[:2], []byte{0x00, 0x00}, good[4:]), Malformed, chiperr.Malformed},
		"too large":            {make([]byte, MaxSize+1), TooLarge, chiperr.TooLarge},
	}
	for name, c := range cases {
		_, err := Parse(c.in)
		if !errors.Is(err, c.reason) || !errors.Is(err, c.kind) || chiperr.KindOf(err) != c.kind {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Kind != c.reason {
			t.Errorf("%s: %v is not a vds *Error", name, err)
		}
	}
}

func TestParseVersion4HeaderErrors(t *testing.T) {
	good := testhex.Bytes(t, bsiAnnexE) // DETS0227: 6d32 c8a7 2739
	mod := func(off int, b ...byte) []byte { out := bytes.Clone(good); copy(out[off:], b); return out }
	lenGG, _ := EncodeC40("DETSGG") // length "GG" is not hex
	len03, _ := EncodeC40("DETS03") // announces 3 characters, 2 bytes hold "27" + padding
	for name, in := range map[string][]byte{
		"length not hex":     mod(4, lenGG...),
		"length mismatch":    mod(4, len03...),
		"padding mid-header": mod(4, 0x6d, 0x32, 0xc8, 0xa7-1), // "S02" becomes a padded triple
	} {
		if _, err := Parse(in); !errors.Is(err, Malformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The lengths above 127 take the 0x81/0x82 forms; a long binary feature
// (as the German temporary passports carry a face image) parses.
func TestLongFeature(t *testing.T) {
	key := newKey(t, "brainpoolP512r1") // 128-byte signature: length 81 80
	img := bytes.Repeat([]byte{0xAB}, 900)
	raw, err := Build(testHeader(4), []Field{{Tag: 1, Raw: img}, {Tag: 5, Kind: KindC40, Text: "X"}}, key)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte{0x01, 0x82, 0x03, 0x84}) || !bytes.Contains(raw, []byte{0xFF, 0x81, 0x80}) {
		t.Fatal("long lengths not in 0x81/0x82 form")
	}
	s, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := s.Field(1); !bytes.Equal(f.Raw, img) {
		t.Fatal("image changed")
	}
	if err := s.Verify(&key.PublicKey); err != nil {
		t.Fatal(err)
	}
}

func TestIsVDS(t *testing.T) {
	for in, want := range map[string]bool{"dc02": true, "dc03": true, "dc04": false, "dc": false, "": false, "dd03": false} {
		if got := IsVDS(testhex.Bytes(t, in)); got != want {
			t.Errorf("IsVDS(%s) = %v", in, got)
		}
	}
}

// Parse must not alias its input: the caller may reuse the buffer.
func TestParseCopiesInput(t *testing.T) {
	in := testhex.Bytes(t, bsiAnnexC)
	s, _ := Parse(in)
	for i := range in {
		in[i] = 0
	}
	if f, _ := s.Field(3); f.Raw[0] != 0x20 || s.SignedData[0] != Magic {
		t.Fatal("seal aliases the input")
	}
}

func TestProfilesTable(t *testing.T) {
	ids := map[string]bool{}
	for _, p := range Profiles() {
		if ids[p.ID] || p.NameFR == "" || p.NameEN == "" || p.Source == "" || len(p.Features) == 0 {
			t.Errorf("profile %q incomplete or repeated", p.ID)
		}
		ids[p.ID] = true
		if q, ok := ProfileFor(p.FeatureRef, p.Category); !ok || q != p {
			t.Errorf("%s: ProfileFor gives %v", p.ID, q)
		}
		tags := map[byte]bool{}
		for _, f := range p.Features {
			if tags[f.Tag] || f.Tag == 0xFF || f.NameFR == "" || f.NameEN == "" || f.MinLen > f.MaxLen {
				t.Errorf("%s tag %d", p.ID, f.Tag)
			}
			tags[f.Tag] = true
			if f.Kind == KindMRZ && C40Len(f.MRZChars+2*f.MRZLine*btoi(f.MRZChars == 0)) != f.MaxLen {
				t.Errorf("%s tag %d: MRZ length does not match %d bytes", p.ID, f.Tag, f.MaxLen)
			}
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestCheckProfile(t *testing.T) {
	for _, ex := range examples {
		s, _ := Parse(testhex.Bytes(t, ex.hex))
		if err := s.CheckProfile(); err != nil {
			t.Errorf("%s: %v", ex.name, err)
		}
	}
	key := newKey(t, "P-256")
	for name, fields := range map[string][]Field{
		"visa without passport number": visaFields[:3],
		"passport number of 2 bytes":   {visaFields[2], {Tag: 5, Kind: KindC40, Text: "X1"}},
	} {
		raw, err := Build(testHeader(4), fields, key)
		if err != nil {
			t.Fatal(err)
		}
		s, _ := Parse(raw)
		if err := s.CheckProfile(); !errors.Is(err, Malformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
