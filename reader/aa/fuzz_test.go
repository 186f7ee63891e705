package aa

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"math/big"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/internal/testkeys"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// FuzzVerifyRSA feeds arbitrary signature bytes to the RSA verifier: no
// panic, and nothing verifies but the known signature in its accepted forms.
func FuzzVerifyRSA(f *testing.F) {
	key := bcAAKey(f)
	good := testhex.Bytes(f, bcAASignature)
	alt := new(big.Int).Sub(key.N, new(big.Int).SetBytes(good)).FillBytes(make([]byte, 128))
	f.Add(good)
	f.Add(alt)
	f.Add([]byte{0})
	f.Add(make([]byte, 129))
	f.Fuzz(func(t *testing.T, sig []byte) {
		_, err := Verify(key, nil, make([]byte, 8), sig)
		if err == nil {
			trimmed := bytes.TrimLeft(sig, "\x00")
			if !bytes.Equal(trimmed, bytes.TrimLeft(good, "\x00")) && !bytes.Equal(trimmed, bytes.TrimLeft(alt, "\x00")) {
				t.Fatalf("forged signature accepted: %X", sig)
			}
		}
	})
}

// FuzzRSARepresentative signs arbitrary representatives with a real key, so
// that the parsing after the RSA operation (header, padding, trailer, hash)
// sees every shape, not only the random ones a random signature gives.
func FuzzRSARepresentative(f *testing.F) {
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		f.Fatal(err)
	}
	ch := make([]byte, 8)
	f.Add([]byte{0x6A, 0x01, 0xBC})
	f.Add([]byte{0x6B, 0xBB, 0xBA, 0x34, 0xCC})
	f.Add([]byte{0x4B, 0xBA, 0x31, 0xCC})
	f.Fuzz(func(t *testing.T, in []byte) {
		rep := make([]byte, k.Size())
		copy(rep[len(rep)-min(len(in), len(rep)):], in[:min(len(in), len(rep))])
		if len(in) > 0 {
			rep[0] = in[0] & 0x7F // below the modulus, whose top bit is set
		}
		if len(in) > 1 {
			rep[len(rep)-1] = in[len(in)-1]
		}
		_, _ = Verify(&k.PublicKey, nil, ch, rawRSA(k, rep))
	})
}

// FuzzVerifyEC feeds arbitrary signature bytes to the ECDSA verifier on a
// NIST and a brainpool curve.
func FuzzVerifyEC(f *testing.F) {
	keys := []*ecdsa.PrivateKey{testkeys.EC(f, "P-256"), testkeys.EC(f, "brainpoolP256r1")}
	ch := make([]byte, 8)
	for _, k := range keys {
		sig, err := Sign(k, oids.ECDSAPlainSHA256, ch)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(sig)
	}
	f.Add(derSig(big.NewInt(1), big.NewInt(1)))
	f.Add([]byte{0x30, 0x81, 0x80})
	f.Fuzz(func(t *testing.T, sig []byte) {
		for _, k := range keys {
			_, _ = Verify(&k.PublicKey, oids.ECDSAPlainSHA256, ch, sig)
		}
	})
}
