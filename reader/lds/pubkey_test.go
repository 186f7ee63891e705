package lds

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

func TestECKeyRoundTrip(t *testing.T) {
	for _, c := range ecc.All() {
		_, pt, err := c.GenerateKey(nil, c.Generator())
		if err != nil {
			t.Fatal(err)
		}
		for _, explicit := range []bool{false, true} {
			der, err := MarshalECPublicKey(c, pt, explicit)
			if err != nil {
				t.Fatal(err)
			}
			k, err := ParsePublicKey(der)
			ec, ok := k.(*ECPublicKey)
			if err != nil || !ok || ec.Curve != c || ec.Explicit != explicit || ec.Point.X.Cmp(pt.X) != 0 || ec.Point.Y.Cmp(pt.Y) != 0 {
				t.Errorf("%s explicit=%v: %v", c.Name, explicit, err)
			}
		}
		def, _ := MarshalPublicKey(&ECPublicKey{Curve: c, Point: pt})
		k, _ := ParsePublicKey(def)
		if k.(*ECPublicKey).Explicit != strings.HasPrefix(c.Name, "brainpool") {
			t.Errorf("%s: default encoding", c.Name)
		}
	}
}

func TestNISTAgainstX509(t *testing.T) {
	// crypto/x509 writes named-curve keys: ours must be byte-identical.
	for _, c := range ecc.All() {
		if !strings.HasPrefix(c.Name, "P-") {
			continue
		}
		k, err := ecdsa.GenerateKey(c.Elliptic(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		want, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := ParsePublicKey(want)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := MarshalPublicKey(pub); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %v", c.Name, err)
		}
	}
}

func TestRSARoundTrip(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	got, err := MarshalPublicKey(&k.PublicKey)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("differs from crypto/x509: %v", err)
	}
	pub, err := ParsePublicKey(got)
	if r, ok := pub.(*rsa.PublicKey); err != nil || !ok || !r.Equal(&k.PublicKey) {
		t.Errorf("%v", err)
	}
	// Through DG15.
	dg15, err := BuildDG15(&k.PublicKey)
	if err != nil || dg15[0] != 0x6F {
		t.Fatal(err)
	}
	pub, err = ParseDG15(dg15)
	if r, ok := pub.(*rsa.PublicKey); err != nil || !ok || !r.Equal(&k.PublicKey) {
		t.Errorf("DG15: %v", err)
	}
}

func rsaSPKI(t *testing.T, n *big.Int, e int64) []byte {
	key, err := asn1.Marshal(rsaPublicKey{N: n, E: big.NewInt(e)})
	if err != nil {
		t.Fatal(err)
	}
	der, err := spkiDER(oids.RSAEncryption, asn1.NullBytes, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestRSABounds(t *testing.T) {
	odd := func(bits uint) *big.Int {
		n := new(big.Int).Lsh(big.NewInt(1), bits-1)
		return n.Add(n, big.NewInt(1))
	}
	for name, c := range map[string]struct {
		der  []byte
		kind chiperr.Kind
	}{
		"4097 bits":     {rsaSPKI(t, odd(4097), 65537), chiperr.TooLarge},
		"512 bits":      {rsaSPKI(t, odd(512), 65537), chiperr.Unsupported},
		"even modulus":  {rsaSPKI(t, new(big.Int).Lsh(big.NewInt(1), 2047), 65537), chiperr.Malformed},
		"exponent 1":    {rsaSPKI(t, odd(2048), 1), chiperr.Malformed},
		"even exponent": {rsaSPKI(t, odd(2048), 65536), chiperr.Malformed},
		"huge exponent": {rsaSPKI(t, odd(2048), 1<<40+1), chiperr.Malformed},
	} {
		if _, err := ParsePublicKey(c.der); !errors.Is(err, c.kind) {
			t.Errorf("%s: %v, want %v", name, err, c.kind)
		}
	}
	if _, err := ParsePublicKey(rsaSPKI(t, odd(4096), 65537)); err != nil {
		t.Errorf("4096 bits must pass: %v", err)
	}
}

// testDHGroup is a made-up 1024-bit group: the parser checks sizes and
// ranges, not primality.
func testDHGroup() (p, g, q *big.Int) {
	p = new(big.Int).Lsh(big.NewInt(1), 1023)
	p.Add(p, big.NewInt(0x1234567))
	q = new(big.Int).Lsh(big.NewInt(1), 159)
	q.Add(q, big.NewInt(1))
	return p, big.NewInt(2), q
}

func TestDHRoundTrip(t *testing.T) {
	p, g, q := testDHGroup()
	y := new(big.Int).Exp(g, big.NewInt(0x5555), p)
	for _, k := range []*DHPublicKey{{P: p, G: g, Q: q, Y: y}, {P: p, G: g, Y: y}} {
		der, err := MarshalPublicKey(k)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := ParsePublicKey(der)
		d, ok := pub.(*DHPublicKey)
		if err != nil || !ok || d.P.Cmp(p) != 0 || d.Y.Cmp(y) != 0 || (k.Q == nil) != (d.Q == nil) {
			t.Errorf("Q=%v: %v", k.Q, err)
		}
	}
	big4097 := new(big.Int).Lsh(big.NewInt(1), 4096)
	big4097.Add(big4097, big.NewInt(1))
	for name, c := range map[string]struct {
		k    *DHPublicKey
		kind chiperr.Kind
	}{
		"y = 1":       {&DHPublicKey{P: p, G: g, Q: q, Y: big.NewInt(1)}, chiperr.Malformed},
		"y = p-1":     {&DHPublicKey{P: p, G: g, Q: q, Y: new(big.Int).Sub(p, big.NewInt(1))}, chiperr.Malformed},
		"g = 0":       {&DHPublicKey{P: p, G: big.NewInt(0), Q: q, Y: y}, chiperr.Malformed},
		"q = p":       {&DHPublicKey{P: p, G: g, Q: p, Y: y}, chiperr.Malformed},
		"p too large": {&DHPublicKey{P: big4097, G: g, Y: y}, chiperr.TooLarge},
		"p too small": {&DHPublicKey{P: big.NewInt(0xFFFFFB), G: g, Y: big.NewInt(3)}, chiperr.Unsupported},
	} {
		// Marshal refuses them; hand-built encodings are refused by the parser.
		if _, err := MarshalPublicKey(c.k); !errors.Is(err, chiperr.BadInput) {
			t.Errorf("%s: marshal %v", name, err)
		}
		yb, _ := asn1.Marshal(c.k.Y)
		var params []byte
		alg := oids.DHKeyAgreement
		if c.k.Q != nil {
			params, _ = asn1.Marshal(dhDomainParameters{P: c.k.P, G: c.k.G, Q: c.k.Q})
			alg = oids.DHPublicNumber
		} else {
			params, _ = asn1.Marshal(dhParameter{P: c.k.P, G: c.k.G})
		}
		der, _ := spkiDER(alg, params, yb)
		if _, err := ParsePublicKey(der); !errors.Is(err, c.kind) {
			t.Errorf("%s: parse %v, want %v", name, err, c.kind)
		}
	}
}

func TestECKeyRejected(t *testing.T) {
	bp, _ := ecc.ByName("brainpoolP256r1")
	_, pt, _ := bp.GenerateKey(nil, bp.Generator())
	good, _ := MarshalECPublicKey(bp, pt, true)
	// Key bits are the last 65 bytes of the SPKI.
	off := bytes.Clone(good)
	off[len(off)-1] ^= 1
	if _, err := ParsePublicKey(off); !errors.Is(err, chiperr.Integrity) {
		t.Errorf("point off the curve: %v", err)
	}
	// Change one byte of a, b, the prime, the order, the generator or the cofactor.
	a, _ := bp.Coefficients()
	aBytes := a.FillBytes(make([]byte, 32))
	for name, find := range map[string][]byte{
		"a":        aBytes,
		"prime":    bp.Params().P.FillBytes(make([]byte, 32)),
		"order":    bp.Params().N.FillBytes(make([]byte, 32)),
		"base":     bp.Params().Gx.FillBytes(make([]byte, 32)),
		"cofactor": {0x02, 0x01, 0x01, 0x03, 0x42},
	} {
		i := bytes.Index(good, find)
		if i < 0 {
			t.Fatalf("%s not found", name)
		}
		bad := bytes.Clone(good)
		bad[i+len(find)/2]++
		if name == "cofactor" {
			bad[i+2] = 2
		}
		if _, err := ParsePublicKey(bad); !errors.Is(err, chiperr.Unsupported) {
			t.Errorf("%s changed: %v", name, err)
		}
	}
	for name, c := range map[string]struct {
		hex  string
		kind chiperr.Kind
	}{
		// secp256k1 is not supported.
		"unknown named curve": {"3036301006072A8648CE3D020106052B8104000A032200020000000000000000000000000000000000000000000000000000000000000001", chiperr.Unsupported},
		"implicitlyCA":        {"3013 300B 06072A8648CE3D0201 0500 030400040101", chiperr.Unsupported},
		"unknown algorithm":   {"300E300806062B0601020304030200AA", chiperr.Unsupported},
		"not DER":             {"3000", chiperr.Malformed},
		"trailing":            {"3036301006072A8648CE3D020106052B8104000A03220002000000000000000000000000000000000000000000000000000000000000000100", chiperr.Malformed},
		"standardized DH id":  {"3012 300C 060704007F00070102 020102 030200AA", chiperr.Unsupported},
		"standardized no id":  {"3013300906 0704007F00070102 0306 0004010203 04", chiperr.Malformed},
	} {
		if _, err := ParsePublicKey(testhex.Bytes(t, c.hex)); !errors.Is(err, c.kind) {
			t.Errorf("%s: %v, want %v", name, err, c.kind)
		}
	}
	if _, err := MarshalECPublicKey(bp, ecc.Point{X: big.NewInt(1), Y: big.NewInt(2)}, true); !errors.Is(err, chiperr.BadInput) {
		t.Errorf("marshal off-curve point: %v", err)
	}
	if _, err := MarshalPublicKey("key"); !errors.Is(err, chiperr.BadInput) {
		t.Errorf("marshal string: %v", err)
	}
}
