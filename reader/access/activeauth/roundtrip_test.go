package activeauth

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/asn1"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testkeys"
	"github.com/cnie-reader/cnie-reader/reader/aa"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

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

func TestRSARoundTrip(t *testing.T) {
	k2048, k1024 := testkeys.RSA(t)
	cases := []struct {
		key    *rsa.PrivateKey
		sigAlg asn1.ObjectIdentifier
		hash   string
		last   []byte // trailer
	}{
		{k2048, nil, "SHA-1", []byte{0xBC}},
		{k2048, oids.SHA1, "SHA-1", []byte{0xBC}},
		{k2048, oids.SHA224, "SHA-224", []byte{0x38, 0xCC}},
		{k2048, oids.SHA256, "SHA-256", []byte{0x34, 0xCC}},
		{k2048, oids.SHA384, "SHA-384", []byte{0x36, 0xCC}},
		{k2048, oids.SHA512, "SHA-512", []byte{0x35, 0xCC}},
		{k1024, oids.SHA512, "SHA-512", []byte{0x35, 0xCC}},
	}
	for _, c := range cases {
		t.Run(c.hash, func(t *testing.T) {
			var apdus [][]byte
			chip := &Chip{Key: c.key, SigAlg: c.sigAlg}
			ch := testkeys.Challenge()
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
			if _, err := aa.Verify(&c.key.PublicKey, nil, ch, alt); err != nil {
				t.Errorf("n - s: %v", err)
			}
		})
	}
}

func TestECRoundTrip(t *testing.T) {
	curves := []string{"P-256", "brainpoolP256r1", "brainpoolP384r1", "P-384", "brainpoolP512r1", "P-521"}
	algs := []asn1.ObjectIdentifier{oids.ECDSAPlainSHA1, oids.ECDSAPlainSHA224, oids.ECDSAPlainSHA256, oids.ECDSAPlainSHA384,
		oids.ECDSAPlainSHA512, oids.ECDSAWithSHA1, oids.ECDSAWithSHA256, oids.ECDSAWithSHA512}
	if testing.Short() {
		curves = curves[:3]
	}
	for _, name := range curves {
		key := testkeys.EC(t, name)
		c, _ := ecc.ByName(name)
		typed := &lds.ECPublicKey{Curve: c, Point: ecc.Point{X: key.X, Y: key.Y}}
		for _, alg := range algs {
			for _, pub := range []crypto.PublicKey{&key.PublicKey, typed} {
				var apdus [][]byte
				ch := testkeys.Challenge()
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
				if _, err := aa.Verify(pub, alg, ch, bad); !errors.Is(err, chiperr.Integrity) {
					t.Errorf("%s tampered: %v", name, err)
				}
				other := append([]byte(nil), ch...)
				other[7] ^= 0x80
				if _, err := aa.Verify(pub, alg, other, res.Signature); !errors.Is(err, chiperr.Integrity) {
					t.Errorf("%s wrong challenge: %v", name, err)
				}
			}
		}
	}
}

func TestAuthenticateErrors(t *testing.T) {
	k, _ := testkeys.RSA(t)
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
		{"random signature", answer(append(testkeys.Challenge(), 0x90, 0x00), nil), chiperr.Integrity},
		{"reader gone", answer(nil, chiperr.New(chiperr.CardRemoved, "test", "")), chiperr.CardRemoved},
	}
	for _, c := range cases {
		if _, err := Authenticate(ctx, c.t, &k.PublicKey, nil, testkeys.Challenge()); chiperr.KindOf(err) != c.kind {
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
	chip := &Chip{Key: k, SigAlg: oids.SHA256}
	ch := testkeys.Challenge()
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
	k, _ := testkeys.RSA(t)
	chip := &Chip{Key: k}
	ch := testkeys.Challenge()
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
	for _, bad := range []*Chip{{Key: k, SigAlg: oids.ECDSAPlainSHA256}, {Key: "not a key"}, {Key: testkeys.EC(t, "P-256")}} {
		if r := bad.Handle(iso7816.Command{INS: 0x88, Data: ch, Ne: 256}); r.SW != 0x6F00 {
			t.Errorf("%T %v: %04X", bad.Key, bad.SigAlg, r.SW)
		}
	}
}
