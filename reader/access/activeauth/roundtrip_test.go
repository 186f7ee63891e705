package activeauth

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"encoding/asn1"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/lds"
)

var (
	rsaOnce sync.Once
	rsa2048 *rsa.PrivateKey
	rsa1024 *rsa.PrivateKey
)

func rsaKeys(t testing.TB) (*rsa.PrivateKey, *rsa.PrivateKey) {
	rsaOnce.Do(func() {
		var err error
		if rsa2048, err = rsa.GenerateKey(rand.Reader, 2048); err == nil {
			rsa1024, err = rsa.GenerateKey(rand.Reader, 1024)
		}
		if err != nil {
			panic(err)
		}
	})
	return rsa2048, rsa1024
}

func ecKey(t testing.TB, name string) *ecdsa.PrivateKey {
	t.Helper()
	c, ok := ecc.ByName(name)
	if !ok {
		t.Fatalf("no curve %s", name)
	}
	k, err := ecdsa.GenerateKey(c.Elliptic(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func derSig(r, s *big.Int) []byte {
	b, err := asn1.Marshal(struct{ R, S *big.Int }{r, s})
	if err != nil {
		panic(err)
	}
	return b
}

// chipLink connects Authenticate to a Chip through APDU bytes and records them.
func chipLink(t testing.TB, c *Chip, apdus *[][]byte) iso7816.Transmitter {
	return iso7816.TransmitFunc(func(_ context.Context, apdu []byte) ([]byte, error) {
		*apdus = append(*apdus, apdu)
		cmd, err := iso7816.ParseCommand(apdu)
		if err != nil {
			t.Fatal(err)
		}
		return c.Handle(cmd).Bytes(), nil
	})
}

func challenge() []byte {
	c := make([]byte, 8)
	rand.Read(c)
	return c
}

func TestRSARoundTrip(t *testing.T) {
	k2048, k1024 := rsaKeys(t)
	cases := []struct {
		key    *rsa.PrivateKey
		sigAlg asn1.ObjectIdentifier
		hash   string
		last   []byte // trailer
	}{
		{k2048, nil, "SHA-1", []byte{0xBC}},
		{k2048, OIDSHA1, "SHA-1", []byte{0xBC}},
		{k2048, OIDSHA224, "SHA-224", []byte{0x38, 0xCC}},
		{k2048, OIDSHA256, "SHA-256", []byte{0x34, 0xCC}},
		{k2048, OIDSHA384, "SHA-384", []byte{0x36, 0xCC}},
		{k2048, OIDSHA512, "SHA-512", []byte{0x35, 0xCC}},
		{k1024, OIDSHA512, "SHA-512", []byte{0x35, 0xCC}},
	}
	for _, c := range cases {
		t.Run(c.hash, func(t *testing.T) {
			var apdus [][]byte
			chip := &Chip{Key: c.key, SigAlg: c.sigAlg}
			ch := challenge()
			res, err := Authenticate(context.Background(), chipLink(t, chip, &apdus), &c.key.PublicKey, nil, ch)
			if err != nil {
				t.Fatal(err)
			}
			want := append([]byte{0x00, 0x88, 0x00, 0x00, 0x08}, ch...)
			if len(apdus) != 1 || !bytes.Equal(apdus[0], append(want, 0x00)) {
				t.Fatalf("APDU %X", apdus)
			}
			if !strings.HasSuffix(res.Algorithm, "with "+c.hash) || !bytes.Equal(res.Challenge, ch) || len(res.Signature) != c.key.Size() {
				t.Errorf("result %+v", res)
			}
			// The chip sends min(J, n-J); check the representative it signed.
			s := new(big.Int).SetBytes(res.Signature)
			half := new(big.Int).Rsh(c.key.N, 1)
			if s.Cmp(half) > 0 {
				t.Error("signature above n/2")
			}
			f := new(big.Int).Exp(s, big.NewInt(int64(c.key.E)), c.key.N)
			if f.Bits()[0]&0xF != 0xC {
				f.Sub(c.key.N, f)
			}
			fb := f.FillBytes(make([]byte, c.key.Size()))
			if fb[0] != 0x6A || !bytes.HasSuffix(fb, c.last) {
				t.Errorf("representative %X...%X", fb[:2], fb[len(fb)-2:])
			}
			// n - s verifies too: the ">n/2" case of ISO/IEC 9796-2.
			alt := new(big.Int).Sub(c.key.N, s).FillBytes(make([]byte, c.key.Size()))
			if _, err := Verify(&c.key.PublicKey, nil, ch, alt); err != nil {
				t.Errorf("n - s: %v", err)
			}
		})
	}
}

func TestECRoundTrip(t *testing.T) {
	curves := []string{"P-256", "brainpoolP256r1", "brainpoolP384r1", "P-384", "brainpoolP512r1", "P-521"}
	algs := []asn1.ObjectIdentifier{OIDECDSAPlainSHA1, OIDECDSAPlainSHA224, OIDECDSAPlainSHA256, OIDECDSAPlainSHA384,
		OIDECDSAPlainSHA512, OIDECDSAWithSHA1, OIDECDSAWithSHA256, OIDECDSAWithSHA512}
	if testing.Short() {
		curves = curves[:3]
	}
	for _, name := range curves {
		key := ecKey(t, name)
		c, _ := ecc.ByName(name)
		typed := &lds.ECPublicKey{Curve: c, Point: ecc.Point{X: key.X, Y: key.Y}}
		for _, alg := range algs {
			for _, pub := range []crypto.PublicKey{&key.PublicKey, typed} {
				var apdus [][]byte
				ch := challenge()
				res, err := Authenticate(context.Background(), chipLink(t, &Chip{Key: key, SigAlg: alg}, &apdus), pub, alg, ch)
				if err != nil {
					t.Fatalf("%s %v: %v", name, alg, err)
				}
				if len(res.Signature) != 2*c.ScalarLen() || !strings.HasPrefix(res.Algorithm, "ECDSA "+name+" with SHA-") {
					t.Errorf("%s %v: %d-byte signature, %q", name, alg, len(res.Signature), res.Algorithm)
				}
				// Tampered signature and wrong challenge fail as Integrity.
				bad := append([]byte(nil), res.Signature...)
				bad[len(bad)/3] ^= 1
				if _, err := Verify(pub, alg, ch, bad); !errors.Is(err, chiperr.Integrity) {
					t.Errorf("%s tampered: %v", name, err)
				}
				other := append([]byte(nil), ch...)
				other[7] ^= 0x80
				if _, err := Verify(pub, alg, other, res.Signature); !errors.Is(err, chiperr.Integrity) {
					t.Errorf("%s wrong challenge: %v", name, err)
				}
			}
		}
	}
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
	k, _ := rsaKeys(t)
	pub := &k.PublicKey
	ch := challenge()
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
	key := ecKey(t, "brainpoolP256r1")
	c, _ := ecc.ByName("brainpoolP256r1")
	alg := OIDECDSAPlainSHA256
	ch := challenge()
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
	if _, err := Verify(&key.PublicKey, OIDECDSAPlainSHA384, ch, sig); !errors.Is(err, chiperr.Integrity) {
		t.Errorf("other hash: %v", err)
	}
}

func TestKeyRejects(t *testing.T) {
	ec := ecKey(t, "P-256")
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
		{"EC RSA algorithm", &ec.PublicKey, OIDSHA256, chiperr.Unsupported},
		{"EC off curve", offCurve, OIDECDSAPlainSHA256, chiperr.Malformed},
		{"EC no point", &ecdsa.PublicKey{Curve: ec.Curve}, OIDECDSAPlainSHA256, chiperr.Malformed},
		{"typed EC bad point", &lds.ECPublicKey{Curve: c, Point: ecc.Point{X: big.NewInt(1), Y: big.NewInt(2)}}, OIDECDSAPlainSHA256, chiperr.Malformed},
		{"typed EC no curve", &lds.ECPublicKey{Point: ecc.Point{X: ec.X, Y: ec.Y}}, OIDECDSAPlainSHA256, chiperr.Unsupported},
	}
	for _, tc := range cases {
		if _, err := Verify(tc.key, tc.alg, make([]byte, 8), make([]byte, 64)); chiperr.KindOf(err) != tc.kind {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.kind)
		}
	}
}

func TestAuthenticateErrors(t *testing.T) {
	k, _ := rsaKeys(t)
	ctx := context.Background()
	answer := func(resp []byte, err error) iso7816.Transmitter {
		return iso7816.TransmitFunc(func(context.Context, []byte) ([]byte, error) { return resp, err })
	}
	cases := []struct {
		name string
		t    iso7816.Transmitter
		kind chiperr.Kind
	}{
		{"security status", answer([]byte{0x69, 0x82}, nil), chiperr.SecurityStatus},
		{"not supported", answer([]byte{0x6D, 0x00}, nil), chiperr.Status},
		{"no status word", answer([]byte{0x90}, nil), chiperr.Malformed},
		{"empty signature", answer([]byte{0x90, 0x00}, nil), chiperr.Malformed},
		{"random signature", answer(append(challenge(), 0x90, 0x00), nil), chiperr.Integrity},
		{"reader gone", answer(nil, chiperr.New(chiperr.CardRemoved, "test", "")), chiperr.CardRemoved},
	}
	for _, c := range cases {
		if _, err := Authenticate(ctx, c.t, &k.PublicKey, nil, challenge()); chiperr.KindOf(err) != c.kind {
			t.Errorf("%s: %v, want %v", c.name, err, c.kind)
		}
	}
	if _, err := Authenticate(ctx, answer(nil, nil), &k.PublicKey, nil, make([]byte, 16)); chiperr.KindOf(err) != chiperr.BadInput {
		t.Errorf("long challenge: %v", err)
	}
}

// TestExtendedLength: a 3072-bit key needs Ne above 256, so the command
// goes out in extended form (Le 00 00 00 after 8 data bytes: 00 00 08 ... 00 00).
func TestExtendedLength(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 3072)
	if err != nil {
		t.Fatal(err)
	}
	var apdus [][]byte
	chip := &Chip{Key: k, SigAlg: OIDSHA256}
	ch := challenge()
	if _, err := Authenticate(context.Background(), chipLink(t, chip, &apdus), &k.PublicKey, nil, ch); err != nil {
		t.Fatal(err)
	}
	want := append(append([]byte{0x00, 0x88, 0x00, 0x00, 0x00, 0x00, 0x08}, ch...), 0x00, 0x00)
	if !bytes.Equal(apdus[0], want) {
		t.Errorf("APDU %X, want %X", apdus[0], want)
	}
	// A chip asked with short Le cannot answer 384 bytes.
	if r := chip.Handle(iso7816.Command{INS: 0x88, Data: ch, Ne: 256}); r.SW != 0x6700 {
		t.Errorf("short Le: %04X", r.SW)
	}
}

func TestChipHandle(t *testing.T) {
	k, _ := rsaKeys(t)
	chip := &Chip{Key: k}
	ch := challenge()
	cases := []struct {
		cmd iso7816.Command
		sw  uint16
	}{
		{iso7816.Command{INS: 0x88, Data: ch, Ne: 256}, 0x9000},
		{iso7816.Command{INS: 0x88, Data: ch}, 0x9000},
		{iso7816.Command{INS: 0x84, Ne: 8}, 0x6D00},
		{iso7816.Command{INS: 0x88, P2: 1, Data: ch, Ne: 256}, 0x6A86},
		{iso7816.Command{INS: 0x88, Data: ch[:4], Ne: 256}, 0x6700},
		{iso7816.Command{INS: 0x88, Ne: 256}, 0x6700},
		{iso7816.Command{INS: 0x88, Data: ch, Ne: 100}, 0x6700},
	}
	for i, c := range cases {
		if r := chip.Handle(c.cmd); r.SW != c.sw {
			t.Errorf("case %d: %04X, want %04X", i, r.SW, c.sw)
		}
	}
	for _, bad := range []*Chip{{Key: k, SigAlg: OIDECDSAPlainSHA256}, {Key: "not a key"}, {Key: ecKey(t, "P-256")}} {
		if r := bad.Handle(iso7816.Command{INS: 0x88, Data: ch, Ne: 256}); r.SW != 0x6F00 {
			t.Errorf("%T %v: %04X", bad.Key, bad.SigAlg, r.SW)
		}
	}
}
