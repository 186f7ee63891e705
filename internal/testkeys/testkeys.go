// Package testkeys gives tests the throwaway signing keys they need, made
// once per test binary (RSA generation is slow) and never written anywhere.
package testkeys

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"sync"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/ecc"
)

var (
	rsaOnce          sync.Once
	rsa2048, rsa1024 *rsa.PrivateKey
	rsaErr           error
)

// RSA returns a 2048-bit and a 1024-bit key, the same ones for every caller
// of the test binary.
func RSA(t testing.TB) (k2048, k1024 *rsa.PrivateKey) {
	t.Helper()
	rsaOnce.Do(func() {
		if rsa2048, rsaErr = rsa.GenerateKey(rand.Reader, 2048); rsaErr == nil {
			rsa1024, rsaErr = rsa.GenerateKey(rand.Reader, 1024)
		}
	})
	if rsaErr != nil {
		t.Fatal(rsaErr)
	}
	return rsa2048, rsa1024
}

// EC returns a new key on the named curve (ecc's names, brainpool included).
func EC(t testing.TB, curve string) *ecdsa.PrivateKey {
	t.Helper()
	c, ok := ecc.ByName(curve)
	if !ok {
		t.Fatalf("no curve %s", curve)
	}
	k, err := ecdsa.GenerateKey(c.Elliptic(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Challenge returns 8 random bytes, the size of an Active Authentication challenge.
func Challenge() []byte {
	c := make([]byte, 8)
	rand.Read(c)
	return c
}
