package sm

import (
	"bytes"
	"math/bits"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
)

// ICAO Doc 9303-11 Appendix D.2 (K_seed -> K_enc, K_mac) and D.3 (KS_seed
// -> KS_enc, KS_mac); keys printed with DES parity adjusted.
func TestKDFAppendixD(t *testing.T) {
	for _, c := range []struct{ seed, enc, mac string }{
		{"239AB9CB282DAF66231DC5A4DF6BFBAE", "AB94FDECF2674FDFB9B391F85D7F76F2", "7962D9ECE03D1ACD4C76089DCE131543"},
		{"0036D272F5C350ACAC50C3F572D23600", "979EC13B1CBFE9DCD01AB0FED307EAE5", "F1CB1F1FB5ADF208806B89DC579DC1F8"},
	} {
		if got := KDF(testhex.MustBytes(c.seed), CounterEnc, TDES, 16); !bytes.Equal(got, testhex.MustBytes(c.enc)) {
			t.Errorf("enc(%s) = %X", c.seed, got)
		}
		if got := KDF(testhex.MustBytes(c.seed), CounterMAC, TDES, 16); !bytes.Equal(got, testhex.MustBytes(c.mac)) {
			t.Errorf("mac(%s) = %X", c.seed, got)
		}
	}
}

// ICAO Doc 9303-11 Appendix G.1 (PACE ECDH-GM, AES-128) and H.1 (ECDH-IM):
// session keys from the shared secret, and Kπ from SHA-1 of the MRZ
// information (T22000129<3 640812 5 101031 8). Recomputed independently.
func TestKDFAES128(t *testing.T) {
	for _, c := range []struct{ secret, enc, mac string }{
		{"28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925", "F5F0E35C0D7161EE6724EE513A0D9A7F", "FE251C7858B356B24514B3BD5F4297D1"},
		{"4F150FDE1D4F0E38E95017B891BAE17133A0DF45B0D3E18B60BA7BEAFDC2C713", "0D3FEB33251A6370893D62AE8DAAF51B", "B01E89E3D9E8719E586B50B4A7506E0B"},
	} {
		if got := KDF(testhex.MustBytes(c.secret), CounterEnc, AES, 16); !bytes.Equal(got, testhex.MustBytes(c.enc)) {
			t.Errorf("enc = %X", got)
		}
		if got := KDF(testhex.MustBytes(c.secret), CounterMAC, AES, 16); !bytes.Equal(got, testhex.MustBytes(c.mac)) {
			t.Errorf("mac = %X", got)
		}
	}
	kpi := KDF(testhex.MustBytes("7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD"), CounterPassword, AES, 16)
	if !bytes.Equal(kpi, testhex.MustBytes("89DED1B26624EC1E634C1989302849DD")) {
		t.Errorf("Kπ = %X", kpi)
	}
}

func TestKDFLengthsAndParity(t *testing.T) {
	secret := []byte("shared secret")
	for _, n := range []int{16, 24, 32} {
		k := KDF(secret, CounterEnc, AES, n)
		if len(k) != n {
			t.Errorf("AES-%d key of %d bytes", n*8, len(k))
		}
	}
	// AES-192/256 use SHA-256, so their prefixes agree and differ from AES-128.
	if !bytes.Equal(KDF(secret, 1, AES, 24), KDF(secret, 1, AES, 32)[:24]) ||
		bytes.Equal(KDF(secret, 1, AES, 16), KDF(secret, 1, AES, 32)[:16]) {
		t.Error("AES-192/256 must derive with SHA-256, AES-128 with SHA-1")
	}
	for i := 0; i < 50; i++ {
		for _, b := range KDF([]byte{byte(i)}, CounterMAC, TDES, 16) {
			if bits.OnesCount8(b)%2 != 1 {
				t.Fatalf("byte %02X has even parity", b)
			}
		}
	}
	for _, c := range []struct {
		alg Algorithm
		n   int
	}{{TDES, 24}, {TDES, 8}, {AES, 20}, {AES, 0}, {Algorithm(9), 16}} {
		if k := KDF(secret, 1, c.alg, c.n); k != nil {
			t.Errorf("KDF(%v, %d) = %X, want nil", c.alg, c.n, k)
		}
	}
}
