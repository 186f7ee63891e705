package twoddoc

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

func newKey(t testing.TB, c elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// identityFields is a fictitious type 07 message: variable, fixed,
// truncated and empty values.
var identityFields = []Field{
	{ID: "60", Value: "NATACHA/CORINNE"},
	{ID: "62", Value: "SPECIMEN"},
	{ID: "65", Value: "IC"},
	{ID: "66", Value: "X4RTBPFW4"},
	{ID: "67", Value: "FR"},
	{ID: "68", Value: "F"},
	{ID: "69", Value: "12071973"},
	{ID: "6A", Value: "PARIS 15E ARRONDISSEMEN", Truncated: true},
	{ID: "63", Value: ""},
	{ID: "6O", Value: "01012031"},
	{ID: "6X", Value: "PARIS"},
}

func headerFor(version int) Header {
	h := Header{Version: version, Authority: "FR00", CertificateID: "0001",
		IssueDate: day(2021, 8, 2), SignatureDate: day(2021, 8, 3), DocumentType: "07"}
	if version >= 3 {
		h.Perimeter = "01"
	}
	if version >= 4 {
		h.Country = "FR"
	}
	return h
}

func TestRoundTripVersionsAndCurves(t *testing.T) {
	for _, c := range []elliptic.Curve{elliptic.P256(), elliptic.P384(), elliptic.P521()} {
		key := newKey(t, c)
		other := newKey(t, c)
		for _, v := range []int{2, 3, 4} {
			name := c.Params().Name + "/DC0" + string(rune('0'+v))
			t.Run(name, func(t *testing.T) {
				h := headerFor(v)
				b, err := Build(h, identityFields, SignECDSA(key))
				if err != nil {
					t.Fatal(err)
				}
				if !IsTwoDDoc(b) {
					t.Fatal("IsTwoDDoc = false on a built seal")
				}
				s, err := Parse(b)
				if err != nil {
					t.Fatal(err)
				}
				if s.Version != v || s.Perimeter != h.Perimeter || s.Country != h.Country ||
					!sameDate(s.IssueDate, h.IssueDate) || !sameDate(s.SignatureDate, h.SignatureDate) ||
					s.DocumentType.NameEN != "Identity document" {
					t.Errorf("header %+v", s)
				}
				if len(s.Fields) != len(identityFields) {
					t.Fatalf("%d fields", len(s.Fields))
				}
				for k, f := range s.Fields {
					w := identityFields[k]
					if f.ID != w.ID || f.Value != w.Value || f.Truncated != w.Truncated {
						t.Errorf("field %d = %+v, want %+v", k, f, w)
					}
				}
				if len(s.Warnings) != 0 {
					t.Errorf("warnings %v", s.Warnings)
				}
				if len(s.Signature) != 2*((c.Params().BitSize+7)/8) {
					t.Errorf("signature of %d bytes", len(s.Signature))
				}
				if err := s.Verify(&key.PublicKey); err != nil {
					t.Fatal(err)
				}
				if f, ok := s.Field("66"); !ok || f.Value != "X4RTBPFW4" || f.NameEN != "Identity document number" {
					t.Errorf("Field(66) = %+v %v", f, ok)
				}
				// The parsed header and fields build the same signed data.
				again, err := Build(s.Header(), s.Fields, func(d []byte) ([]byte, error) {
					if !bytes.Equal(d, s.SignedData) {
						t.Errorf("rebuilt signed data %q, want %q", d, s.SignedData)
					}
					return s.Signature, nil
				})
				if err != nil || !bytes.Equal(again, b) {
					t.Errorf("rebuild: %v", err)
				}
				if err := s.Verify(&other.PublicKey); !errors.Is(err, BadSignature) {
					t.Errorf("other key: %v", err)
				}
				us := bytes.IndexByte(b, US)
				// One byte of every part of the signed data, then one byte
				// of the signature.
				for _, at := range []int{4, 14, len(b[:us]) / 2, us - 1} {
					tampered := bytes.Clone(b)
					tampered[at] = flipPrintable(tampered[at])
					ts, err := Parse(tampered)
					if err != nil {
						continue // the change broke the syntax: refused anyway
					}
					if err := ts.Verify(&key.PublicKey); !errors.Is(err, BadSignature) {
						t.Errorf("byte %d altered: Verify = %v", at, err)
					}
				}
				for _, at := range []int{0, len(s.Signature) / 2, len(s.Signature) - 1} {
					ts := *s
					ts.Signature = bytes.Clone(s.Signature)
					ts.Signature[at] ^= 0x01
					if err := ts.Verify(&key.PublicKey); !errors.Is(err, BadSignature) {
						t.Errorf("signature byte %d altered: Verify = %v", at, err)
					}
					// The same change through the text form.
					text := append(bytes.Clone(b[:us+1]), base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(ts.Signature)...)
					ps, err := Parse(text)
					if err != nil {
						t.Fatal(err)
					}
					if err := ps.Verify(&key.PublicKey); !errors.Is(err, chiperr.Integrity) {
						t.Errorf("signature byte %d altered in text: Verify = %v", at, err)
					}
				}
			})
		}
	}
}

// flipPrintable changes a byte into another character of the same class,
// so that the seal still parses and only the signature can catch it.
func flipPrintable(c byte) byte {
	switch {
	case c >= '0' && c <= '8', c >= 'A' && c <= 'Y':
		return c + 1
	case c == '9':
		return '0'
	case c == 'Z':
		return 'A'
	}
	return c ^ 0x01
}

func TestVerifyKeyMismatch(t *testing.T) {
	k256 := newKey(t, elliptic.P256())
	b, err := Build(headerFor(4), identityFields, SignECDSA(k256))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	k384 := newKey(t, elliptic.P384())
	if err := s.Verify(&k384.PublicKey); !errors.Is(err, BadSignature) {
		t.Errorf("P-384 key on a P-256 signature: %v", err)
	}
	if err := s.Verify(nil); !errors.Is(err, UnsupportedSignature) {
		t.Errorf("nil key: %v", err)
	}
	k224 := newKey(t, elliptic.P224())
	if err := s.Verify(&k224.PublicKey); !errors.Is(err, UnsupportedSignature) || !errors.Is(err, chiperr.Unsupported) {
		t.Errorf("P-224 key: %v", err)
	}
	if _, err := Build(headerFor(4), identityFields, SignECDSA(k224)); !errors.Is(err, BadInput) {
		t.Errorf("P-224 signer: %v", err)
	}
}

// The annex follows the signature after a GS and is not signed: a seal with
// an annex still verifies, and the annex parses as a message zone.
func TestAnnex(t *testing.T) {
	key := newKey(t, elliptic.P256())
	b, err := Build(headerFor(4), identityFields[:3], SignECDSA(key))
	if err != nil {
		t.Fatal(err)
	}
	for _, sep := range []byte{GS, US} {
		withAnnex := append(append(bytes.Clone(b), sep), "0112345\x1d6XLYON"...)
		s, err := Parse(withAnnex)
		if err != nil {
			t.Fatal(err)
		}
		if string(s.Annex) != "0112345\x1d6XLYON" {
			t.Errorf("annex %q", s.Annex)
		}
		if err := s.Verify(&key.PublicKey); err != nil {
			t.Errorf("seal with annex: %v", err)
		}
		fields, warnings, err := ParseFields(s.Perimeter, s.Annex)
		if err != nil || len(warnings) != 0 || len(fields) != 2 || fields[0].Value != "12345" || fields[1].Value != "LYON" {
			t.Errorf("annex fields %+v %v %v", fields, warnings, err)
		}
	}
	// An empty annex after the separator is no annex.
	s, err := Parse(append(bytes.Clone(b), GS))
	if err != nil || s.Annex != nil {
		t.Errorf("empty annex: %v %q", err, s.Annex)
	}
}

func TestUnknownIdentifiersKeptRaw(t *testing.T) {
	key := newKey(t, elliptic.P256())
	h := headerFor(3)
	h.DocumentType = "Z9"
	fields := []Field{{ID: "ZZ", Value: "ABC"}, {ID: "62", Value: "SPECIMEN"}, {ID: "62", Value: "AGAIN"}, {ID: "Y1", Value: "LAST"}}
	b, err := Build(h, fields, SignECDSA(key))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Fields) != 4 || s.Fields[0].Value != "ABC" || s.Fields[0].NameFR != "" || s.Fields[0].Kind != 0 || s.Fields[3].Value != "LAST" {
		t.Errorf("fields %+v", s.Fields)
	}
	if s.DocumentType.ID != "Z9" || s.DocumentType.NameFR != "" {
		t.Errorf("document type %+v", s.DocumentType)
	}
	// Unknown type, two unknown fields, one repeated field.
	if len(s.Warnings) != 4 {
		t.Errorf("warnings %q", s.Warnings)
	}
	for _, w := range s.Warnings {
		if bytes.Contains([]byte(w), []byte("SPECIMEN")) || bytes.Contains([]byte(w), []byte("ABC")) {
			t.Errorf("warning carries a value: %q", w)
		}
	}
	if err := s.Verify(&key.PublicKey); err != nil {
		t.Error(err)
	}
	// Another perimeter: no table, every field raw.
	h = headerFor(4)
	h.Perimeter = "02"
	b, err = Build(h, []Field{{ID: "01", Value: "X"}}, SignECDSA(key))
	if err != nil {
		t.Fatal(err)
	}
	if s, err = Parse(b); err != nil || len(s.Fields) != 1 || s.Fields[0].NameFR != "" || len(s.Warnings) != 3 {
		t.Errorf("perimeter 02: %+v %v", s, err)
	}
}

func TestValueWarnings(t *testing.T) {
	key := newKey(t, elliptic.P256())
	// 69 is a DDMMYYYY date, 24 five digits, 31 (IBAN) at least 14 characters.
	b, err := Build(headerFor(4), []Field{{ID: "69", Value: "31021999"}, {ID: "24", Value: "7500A"}, {ID: "31", Value: "FR76"}}, SignECDSA(key))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) != 3 {
		t.Errorf("warnings %q", s.Warnings)
	}
	if _, ok := s.Fields[0].Date(); ok {
		t.Error("31 February parsed as a date")
	}
	f := Field{ID: "6N", Kind: DateDMY, Value: "01052020"}
	if d, ok := f.Date(); !ok || !d.Equal(*day(2020, 5, 1)) {
		t.Errorf("Date() = %v %v", d, ok)
	}
	f = Field{ID: "53", Kind: DateHex, Value: "1231"}
	if d, ok := f.Date(); !ok || !d.Equal(*day(2012, 10, 1)) {
		t.Errorf("hex Date() = %v %v", d, ok)
	}
}

func TestPaddedBase32Accepted(t *testing.T) {
	sp := specimens[2].payload
	us := bytes.IndexByte([]byte(sp), US)
	sig, err := Parse([]byte(sp))
	if err != nil {
		t.Fatal(err)
	}
	padded := sp[:us+1] + base32.StdEncoding.EncodeToString(sig.Signature)
	s, err := Parse([]byte(padded))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(s.Signature, sig.Signature) {
		t.Error("padded signature decodes differently")
	}
	if err := s.Verify(fr00Key(t)); err != nil {
		t.Error(err)
	}
}
