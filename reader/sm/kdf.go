package sm

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/bits"
)

// Algorithm is the block cipher family of a secure-messaging session.
type Algorithm int

// The two families ICAO 9303-11 defines. AES key length (128/192/256) is
// given by the key itself.
const (
	TDES Algorithm = iota + 1 // two-key 3DES-CBC with ISO 9797-1 MAC algorithm 3
	AES                       // AES-CBC with AES-CMAC
)

func (a Algorithm) String() string {
	switch a {
	case TDES:
		return "3DES"
	case AES:
		return "AES"
	}
	return fmt.Sprintf("Algorithm(%d)", int(a))
}

// BlockSize is the cipher block size in bytes (8 or 16), 0 for an unknown algorithm.
func (a Algorithm) BlockSize() int {
	switch a {
	case TDES:
		return 8
	case AES:
		return 16
	}
	return 0
}

// Counters of the key derivation function (ICAO 9303-11 §9.7.1).
const (
	CounterEnc      uint32 = 1 // session encryption key
	CounterMAC      uint32 = 2 // session MAC key
	CounterPassword uint32 = 3 // PACE password key Kπ
)

// KDF derives a key from a shared secret as ICAO 9303-11 §9.7.1 says:
// the first keyBytes of H(secret || counter), with SHA-1 for 3DES and
// AES-128 and SHA-256 for AES-192/256. 3DES keys are 16 bytes (K1||K2) with
// the DES parity bits adjusted. It returns nil for a key length the
// algorithm does not have (3DES: 16; AES: 16, 24, 32).
func KDF(secret []byte, counter uint32, alg Algorithm, keyBytes int) []byte {
	var c [4]byte
	binary.BigEndian.PutUint32(c[:], counter)
	switch {
	case alg == TDES && keyBytes == 16:
		h := sha1.New()
		h.Write(secret)
		h.Write(c[:])
		k := h.Sum(nil)[:16]
		adjustParity(k)
		return k
	case alg == AES && keyBytes == 16:
		h := sha1.New()
		h.Write(secret)
		h.Write(c[:])
		return h.Sum(nil)[:16]
	case alg == AES && (keyBytes == 24 || keyBytes == 32):
		h := sha256.New()
		h.Write(secret)
		h.Write(c[:])
		return h.Sum(nil)[:keyBytes]
	}
	return nil
}

// adjustParity sets the low bit of every byte so that each byte has an odd
// number of one bits, as DES keys are printed in the specification.
func adjustParity(k []byte) {
	for i, b := range k {
		b &^= 1
		if bits.OnesCount8(b)%2 == 0 {
			b |= 1
		}
		k[i] = b
	}
}
