package vds

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
)

// newKey makes a signing key on a curve of reader/ecc; brainpool keys are
// assembled by hand because ecdsa.GenerateKey only knows NIST curves.
func newKey(t testing.TB, curve string) *ecdsa.PrivateKey {
	t.Helper()
	c, ok := ecc.ByName(curve)
	if !ok {
		t.Fatalf("no curve %s", curve)
	}
	d, pub, err := c.GenerateKey(rand.Reader, c.Generator())
	if err != nil {
		t.Fatal(err)
	}
	switch c.Elliptic() {
	case elliptic.P256(), elliptic.P384(), elliptic.P521():
		k, err := ecdsa.ParseRawPrivateKey(c.Elliptic(), d)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	return &ecdsa.PrivateKey{PublicKey: ecdsa.PublicKey{Curve: c.Elliptic(), X: pub.X, Y: pub.Y}, D: new(big.Int).SetBytes(d)}
}

func testHeader(version int) Header {
	ref := "00A3F"
	if version == 4 {
		ref = "A3F"
	}
	return Header{Version: version, Country: "UTO", SignerID: "UTTS", CertificateRef: ref,
		IssueDate: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), SignatureDate: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
		FeatureRef: 0x5D, Category: 0x01}
}

// A visa in the ICAO profile: MRV-B MRZ given in full (the builder drops
// the 8 optional characters the profile leaves out), duration, passport.
var visaFields = []Field{
	{Tag: 2, Kind: KindMRZ, Text: "VCD<<DENT<<ARTHUR<PHILIP<<<<<<<<<<<<\n1234567XY7GBR5203116M2005250<<<<<<<<"},
	{Tag: 3, Kind: KindInt, Text: "2"},
	{Tag: 4, Kind: KindDuration, Text: "P1Y2M30D"},
	{Tag: 5, Kind: KindC40, Text: "47110815P"},
	{Tag: 6, Kind: KindBinary, Text: "c0ffee"},
	{Tag: 0x42, Kind: KindDate, Text: "2030-12-31"},
}

func TestBuildParseVerify(t *testing.T) {
	for _, curve := range []string{"P-256", "brainpoolP256r1", "P-384", "brainpoolP384r1", "brainpoolP512r1", "P-521"} {
		key := newKey(t, curve)
		for _, version := range []int{3, 4} {
			h := testHeader(version)
			raw, err := Build(h, visaFields, key)
			if err != nil {
				t.Fatalf("%s v%d: %v", curve, version, err)
			}
			s, err := Parse(raw)
			if err != nil {
				t.Fatalf("%s v%d: %v", curve, version, err)
			}
			if s.Header != h || s.Profile != "icao-visa" {
				t.Errorf("%s v%d: header %+v", curve, version, s.Header)
			}
			for _, f := range visaFields {
				g, ok := s.Field(f.Tag)
				if f.Tag == 0x42 { // unknown to the profile: kept raw
					continue
				}
				if !ok || g.Text != f.Text || g.Kind != f.Kind {
					t.Errorf("%s v%d tag %d: %+v", curve, version, f.Tag, g)
				}
			}
			if mrz, _ := s.Field(2); len(mrz.Raw) != 44 {
				t.Errorf("MRV-B MRZ of %d bytes, want 44 (64 characters)", len(mrz.Raw))
			}
			if n := (key.Curve.Params().N.BitLen() + 7) / 8; len(s.Signature) != 2*n {
				t.Errorf("%s: signature of %d bytes", curve, len(s.Signature))
			}
			if err := s.Verify(&key.PublicKey); err != nil {
				t.Errorf("%s v%d: %v", curve, version, err)
			}
			// One altered byte anywhere in the signed data or the signature.
			for _, pos := range []int{1 + 1 + 2, len(s.SignedData) - 1, len(raw) - 1} {
				b := append([]byte(nil), raw...)
				b[pos] ^= 0x20
				if t2, err := Parse(b); err == nil {
					if err := t2.Verify(&key.PublicKey); !errors.Is(err, BadSignature) {
						t.Errorf("%s v%d byte %d: %v", curve, version, pos, err)
					}
				}
			}
		}
	}
}

// The unknown tag 0x42 decodes as binary, named as unknown; its value is
// the date 2030-12-31 as the integer 12312030 = 0xbbddde.
func TestUnknownTagKeptRaw(t *testing.T) {
	raw, err := Build(testHeader(4), visaFields, newKey(t, "P-256"))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := Parse(raw)
	f, _ := s.Field(0x42)
	if f.Kind != KindBinary || f.Text != "bbddde" || f.NameEN != "Unknown feature (tag 0x42)" {
		t.Errorf("%+v", f)
	}
}

func TestVerifyKeyErrors(t *testing.T) {
	s, _ := Parse(testhex.Bytes(t, bsiAnnexC))
	rk, _ := rsa.GenerateKey(rand.Reader, 1024)
	for _, k := range []crypto.PublicKey{nil, &rk.PublicKey, (*ecdsa.PublicKey)(nil)} {
		if err := s.Verify(k); !errors.Is(err, UnsupportedKey) || !errors.Is(err, chiperr.Unsupported) {
			t.Errorf("%T: %v", k, err)
		}
	}
	// A P-256 key on a seal signed with brainpoolP256r1: wrong, not unsupported.
	if err := s.Verify(&newKey(t, "P-256").PublicKey); !errors.Is(err, BadSignature) {
		t.Errorf("P-256 key: %v", err)
	}
	// A P-384 key expects 96 signature bytes: BadSignature too.
	if err := s.Verify(&newKey(t, "P-384").PublicKey); !errors.Is(err, BadSignature) {
		t.Errorf("P-384 key: %v", err)
	}
}

func TestHashFor(t *testing.T) {
	for bits, h := range map[int]crypto.Hash{224: crypto.SHA224, 256: crypto.SHA256, 320: crypto.SHA384, 384: crypto.SHA384, 512: crypto.SHA512, 521: crypto.SHA512} {
		if HashFor(bits) != h {
			t.Errorf("HashFor(%d) = %v", bits, HashFor(bits))
		}
	}
}

type rsaSigner struct{ *rsa.PrivateKey }

func TestBuildRejects(t *testing.T) {
	key := newKey(t, "P-256")
	ok := []Field{{Tag: 5, Kind: KindC40, Text: "X1"}}
	mod := func(f func(*Header)) Header { h := testHeader(4); f(&h); return h }
	cases := map[string]struct {
		h      Header
		fields []Field
		reason Reason
	}{
		"version 5":         {mod(func(h *Header) { h.Version = 5 }), ok, BadInput},
		"country of 2":      {mod(func(h *Header) { h.Country = "FR" }), ok, BadInput},
		"country lowercase": {mod(func(h *Header) { h.Country = "fra" }), ok, BadInput},
		"signer of 3":       {mod(func(h *Header) { h.SignerID = "UTT" }), ok, BadInput},
		"signer with space": {mod(func(h *Header) { h.SignerID = "UT T" }), ok, BadInput},
		"v3 reference of 4": {mod(func(h *Header) { h.Version = 3; h.CertificateRef = "1234" }), ok, BadInput},
		"reference of 256":  {mod(func(h *Header) { h.CertificateRef = string(make([]byte, 256)) }), ok, BadInput},
		"date year 10000":   {mod(func(h *Header) { h.IssueDate = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), ok, BadInput},
		"no field":          {testHeader(4), nil, BadInput},
		"tag 0xFF":          {testHeader(4), []Field{{Tag: 0xFF, Raw: []byte{1}}}, BadInput},
		"tag twice":         {testHeader(4), append(ok, ok...), BadInput},
		"not C40":           {testHeader(4), []Field{{Tag: 5, Kind: KindC40, Text: "x"}}, BadInput},
		"bad duration":      {testHeader(4), []Field{{Tag: 4, Kind: KindDuration, Text: "160 days"}}, BadInput},
		"int 256":           {testHeader(4), []Field{{Tag: 3, Kind: KindInt, Text: "256"}}, BadInput},
		"bad date":          {testHeader(4), []Field{{Tag: 9, Kind: KindDate, Text: "31/12/2030"}}, BadInput},
		"bad hex":           {testHeader(4), []Field{{Tag: 9, Kind: KindBinary, Text: "xyz"}}, BadInput},
		"bad UTF-8":         {testHeader(4), []Field{{Tag: 9, Kind: KindUTF8, Text: "\xff"}}, BadInput},
	}
	for name, c := range cases {
		if _, err := Build(c.h, c.fields, key); !errors.Is(err, c.reason) || !errors.Is(err, chiperr.BadInput) {
			t.Errorf("%s: %v", name, err)
		}
	}
	rk, _ := rsa.GenerateKey(rand.Reader, 1024)
	if _, err := Build(testHeader(4), ok, rsaSigner{rk}); !errors.Is(err, UnsupportedKey) {
		t.Errorf("RSA signer: %v", err)
	}
	if _, err := Build(testHeader(4), ok, nil); !errors.Is(err, BadInput) {
		t.Errorf("nil signer: %v", err)
	}
}
