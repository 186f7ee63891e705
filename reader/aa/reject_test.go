package aa

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"encoding/asn1"
	"errors"
	"math/big"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testkeys"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

func derSig(r, s *big.Int) []byte {
	b, err := asn1.Marshal(struct{ R, S *big.Int }{r, s})
	if err != nil {
		panic(err)
	}
	return b
}

// rawRSA signs an arbitrary representative, to build malformed signatures.
func rawRSA(k *rsa.PrivateKey, f []byte) []byte {
	j := new(big.Int).Exp(new(big.Int).SetBytes(f), k.D, k.N)
	return j.FillBytes(make([]byte, k.Size()))
}

// representative builds header || M1 || H(M1 || challenge) || trailer.
func representative(size int, first byte, h crypto.Hash, trailer []byte, ch []byte) []byte {
	f := make([]byte, size)
	f[0] = first
	m1 := f[1 : size-h.Size()-len(trailer)]
	rand.Read(m1)
	hh := h.New()
	hh.Write(m1)
	hh.Write(ch)
	copy(f[size-h.Size()-len(trailer):], hh.Sum(nil))
	copy(f[size-len(trailer):], trailer)
	return f
}

func TestRSARejects(t *testing.T) {
	k, _ := testkeys.RSA(t)
	pub := &k.PublicKey
	ch := testkeys.Challenge()
	size := k.Size()
	good := representative(size, 0x6A, crypto.SHA1, []byte{0xBC}, ch)
	if _, err := Verify(pub, nil, ch, rawRSA(k, good)); err != nil {
		t.Fatalf("control: %v", err)
	}
	padded := representative(size, 0x6B, crypto.SHA256, []byte{0x34, 0xCC}, ch)
	for i := 1; i < 5; i++ {
		padded[i] = 0xBB
	}
	padded[5] = 0xBA
	hh := crypto.SHA256.New()
	hh.Write(padded[6 : size-34])
	hh.Write(ch)
	copy(padded[size-34:], hh.Sum(nil))
	if _, err := Verify(pub, nil, ch, rawRSA(k, padded)); err != nil {
		t.Fatalf("padded representative: %v", err)
	}

	mutate := func(f func([]byte)) []byte {
		b := append([]byte(nil), good...)
		f(b)
		return rawRSA(k, b)
	}
	cases := []struct {
		name string
		sig  []byte
		kind chiperr.Kind
	}{
		{"empty", nil, chiperr.Malformed},
		{"one byte too long", append([]byte{1}, rawRSA(k, good)...), chiperr.Malformed},
		{"two bytes too long", append([]byte{0, 0}, rawRSA(k, good)...), chiperr.Malformed},
		{"short", rawRSA(k, good)[:100], chiperr.Integrity},
		{"zero", make([]byte, size), chiperr.Integrity},
		{"modulus", k.N.Bytes(), chiperr.Integrity},
		{"above modulus", new(big.Int).Add(k.N, big.NewInt(5)).Bytes(), chiperr.Integrity},
		{"trailer BD", mutate(func(b []byte) { b[size-1] = 0xBD }), chiperr.Integrity},
		{"trailer DC", mutate(func(b []byte) { b[size-1] = 0xDC }), chiperr.Integrity},
		{"trailer 39CC", mutate(func(b []byte) { b[size-2], b[size-1] = 0x39, 0xCC }), chiperr.Integrity},
		{"trailer RIPEMD-160", mutate(func(b []byte) { b[size-2], b[size-1] = 0x31, 0xCC }), chiperr.Unsupported},
		{"trailer SHA-256 on a SHA-1 hash", mutate(func(b []byte) { b[size-2], b[size-1] = 0x34, 0xCC }), chiperr.Integrity},
		{"total recovery header", mutate(func(b []byte) { b[0] = 0x4A }), chiperr.Integrity},
		{"header 00", mutate(func(b []byte) { b[0] = 0x0A }), chiperr.Integrity},
		{"header 7A", mutate(func(b []byte) { b[0] = 0x7A }), chiperr.Integrity},
		{"bad delimiter", mutate(func(b []byte) { b[0] = 0x69 }), chiperr.Integrity},
		{"padding without end", mutate(func(b []byte) {
			b[0] = 0x6B
			for i := 1; i < size-1; i++ {
				b[i] = 0xBB
			}
		}), chiperr.Integrity},
		{"hash mismatch", mutate(func(b []byte) { b[size-2] ^= 1 }), chiperr.Integrity},
		{"M1 changed", mutate(func(b []byte) { b[10] ^= 1 }), chiperr.Integrity},
	}
	for _, c := range cases {
		if _, err := Verify(pub, nil, ch, c.sig); chiperr.KindOf(err) != c.kind {
			t.Errorf("%s: %v, want %v", c.name, err, c.kind)
		}
	}
	if _, err := Verify(pub, nil, ch[:7], rawRSA(k, good)); chiperr.KindOf(err) != chiperr.BadInput {
		t.Errorf("7-byte challenge: %v", err)
	}
}

func TestECRejects(t *testing.T) {
	key := testkeys.EC(t, "brainpoolP256r1")
	c, _ := ecc.ByName("brainpoolP256r1")
	alg := oids.ECDSAPlainSHA256
	ch := testkeys.Challenge()
	sig, err := Sign(key, alg, ch)
	if err != nil {
		t.Fatal(err)
	}
	n := c.Params().N
	nb := n.FillBytes(make([]byte, 32))
	cases := []struct {
		name string
		sig  []byte
		kind chiperr.Kind
	}{
		{"empty", nil, chiperr.Malformed},
		{"short", sig[:63], chiperr.Malformed},
		{"long", append(sig, 0), chiperr.Malformed},
		{"much too long", make([]byte, 200), chiperr.Malformed},
		{"zeros", make([]byte, 64), chiperr.Integrity},
		{"r = n", append(append([]byte(nil), nb...), sig[32:]...), chiperr.Integrity},
		{"s = n", append(append([]byte(nil), sig[:32]...), nb...), chiperr.Integrity},
		{"swapped", append(append([]byte(nil), sig[32:]...), sig[:32]...), chiperr.Integrity},
		{"DER of zeros", derSig(big.NewInt(0), big.NewInt(0)), chiperr.Integrity},
		{"DER negative", derSig(big.NewInt(-1), big.NewInt(1)), chiperr.Integrity},
		{"DER trailing", append(derSig(big.NewInt(1), big.NewInt(1)), 0), chiperr.Malformed},
	}
	for _, tc := range cases {
		if _, err := Verify(&key.PublicKey, alg, ch, tc.sig); chiperr.KindOf(err) != tc.kind {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.kind)
		}
	}
	// Verifying with a different hash than the chip used fails.
	if _, err := Verify(&key.PublicKey, oids.ECDSAPlainSHA384, ch, sig); !errors.Is(err, chiperr.Integrity) {
		t.Errorf("other hash: %v", err)
	}
}

func TestKeyRejects(t *testing.T) {
	ec := testkeys.EC(t, "P-256")
	c, _ := ecc.ByName("P-256")
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	odd := new(big.Int).Add(small.N, big.NewInt(2))
	offCurve := &ecdsa.PublicKey{Curve: ec.Curve, X: ec.X, Y: new(big.Int).Add(ec.Y, big.NewInt(1))}
	cases := []struct {
		name string
		key  crypto.PublicKey
		alg  asn1.ObjectIdentifier
		kind chiperr.Kind
	}{
		{"nil", nil, nil, chiperr.Unsupported},
		{"private key", small, nil, chiperr.Unsupported},
		{"RSA value", small.PublicKey, nil, chiperr.Unsupported},
		{"RSA 512", &rsa.PublicKey{N: new(big.Int).Rsh(small.N, 512), E: 3}, nil, chiperr.Unsupported},
		{"RSA 1025", &rsa.PublicKey{N: new(big.Int).Lsh(small.N, 1).Add(new(big.Int).Lsh(small.N, 1), big.NewInt(1)), E: 3}, nil, chiperr.Unsupported},
		{"RSA even e", &rsa.PublicKey{N: odd, E: 65536}, nil, chiperr.Malformed},
		{"RSA e = 1", &rsa.PublicKey{N: odd, E: 1}, nil, chiperr.Malformed},
		{"RSA no modulus", &rsa.PublicKey{E: 3}, nil, chiperr.Malformed},
		{"EC without algorithm", &ec.PublicKey, nil, chiperr.Unsupported},
		{"EC RSA algorithm", &ec.PublicKey, oids.SHA256, chiperr.Unsupported},
		{"EC off curve", offCurve, oids.ECDSAPlainSHA256, chiperr.Malformed},
		{"EC no point", &ecdsa.PublicKey{Curve: ec.Curve}, oids.ECDSAPlainSHA256, chiperr.Malformed},
		{"typed EC bad point", &lds.ECPublicKey{Curve: c, Point: ecc.Point{X: big.NewInt(1), Y: big.NewInt(2)}}, oids.ECDSAPlainSHA256, chiperr.Malformed},
		{"typed EC no curve", &lds.ECPublicKey{Point: ecc.Point{X: ec.X, Y: ec.Y}}, oids.ECDSAPlainSHA256, chiperr.Unsupported},
	}
	for _, tc := range cases {
		if _, err := Verify(tc.key, tc.alg, make([]byte, 8), make([]byte, 64)); chiperr.KindOf(err) != tc.kind {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.kind)
		}
	}
}
