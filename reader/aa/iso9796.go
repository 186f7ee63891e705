package aa

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha1" // hashes named by ISO/IEC 9796-2 trailers
	_ "crypto/sha256"
	_ "crypto/sha512"
	"crypto/subtle"
	"fmt"
	"io"
	"math/big"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// RSA key sizes accepted for Active Authentication. ICAO documents use 1024
// to 3072 bits; the upper bound keeps a hostile DG15 from making us
// exponentiate with huge numbers.
const (
	minRSABits = 1024
	maxRSABits = 8192
)

// Trailer bytes of ISO/IEC 9796-2: 'BC' means SHA-1 implicitly; 'XX CC'
// names the hash XX with the identifiers of ISO/IEC 10118-3.
const (
	trailerImplicit = 0xBC
	trailerExplicit = 0xCC
)

var trailerHashes = map[byte]crypto.Hash{
	0x33: crypto.SHA1,
	0x38: crypto.SHA224,
	0x34: crypto.SHA256,
	0x36: crypto.SHA384,
	0x35: crypto.SHA512,
}

// Hash identifiers this package knows but does not support: a chip using them
// is Unsupported, not forged.
var knownUnsupportedHashIDs = map[byte]string{0x31: "RIPEMD-160", 0x32: "RIPEMD-128", 0x37: "Whirlpool"}

func trailerFor(h crypto.Hash) ([]byte, bool) {
	if h == crypto.SHA1 {
		return []byte{trailerImplicit}, true
	}
	for id, th := range trailerHashes {
		if th == h {
			return []byte{id, trailerExplicit}, true
		}
	}
	return nil, false
}

type rsaVerifier struct {
	k    *rsa.PublicKey
	size int // modulus length in bytes
}

func newRSAVerifier(k *rsa.PublicKey) (*rsaVerifier, error) {
	const op = "AA: RSA public key"
	if k == nil || k.N == nil || k.N.Sign() <= 0 {
		return nil, chiperr.New(chiperr.Malformed, op, "no modulus")
	}
	bits := k.N.BitLen()
	if bits < minRSABits || bits > maxRSABits {
		return nil, chiperr.Newf(chiperr.Unsupported, op, "%d-bit modulus", bits)
	}
	// ISO/IEC 9796-2 then aligns the representative on bytes; every
	// document key we know is a multiple of 8 bits.
	if bits%8 != 0 {
		return nil, chiperr.Newf(chiperr.Unsupported, op, "%d-bit modulus is not a whole number of bytes", bits)
	}
	if k.E < 3 || k.E%2 == 0 || k.N.Bit(0) == 0 {
		return nil, chiperr.New(chiperr.Malformed, op, "bad public exponent or even modulus")
	}
	return &rsaVerifier{k: k, size: bits / 8}, nil
}

func (v *rsaVerifier) maxSigLen() int { return v.size }

// verify checks an ISO/IEC 9796-2 scheme 1 signature with partial message
// recovery whose non-recoverable part M2 is the challenge:
// F = '6A' || M1 || H(M1 || challenge) || trailer.
func (v *rsaVerifier) verify(challenge, sig []byte) (*Result, error) {
	const op = "AA: RSA signature"
	n := v.k.N
	// The signature is a k-bit string; tolerate one leading zero byte
	// from chips that encode it as a signed integer.
	if len(sig) == 0 || len(sig) > v.size+1 || (len(sig) == v.size+1 && sig[0] != 0) {
		return nil, chiperr.Newf(chiperr.Malformed, op, "signature of %d bytes for a %d-byte modulus", len(sig), v.size)
	}
	s := new(big.Int).SetBytes(sig)
	if s.Sign() == 0 || s.Cmp(n) >= 0 {
		return nil, chiperr.New(chiperr.Integrity, op, "signature out of range")
	}
	j := new(big.Int).Exp(s, big.NewInt(int64(v.k.E)), n)
	if j.Sign() == 0 { // only with a modulus that is not square-free
		return nil, chiperr.New(chiperr.Integrity, op, "degenerate signature")
	}
	// The signer sends min(J, n-J) (ISO/IEC 9796-2, ICAO 9303-11 §6.1):
	// the representative ends in nibble C, so when J does not, n-J is it.
	if j.Bits()[0]&0xF != 0xC {
		j.Sub(n, j)
	}
	f := j.FillBytes(make([]byte, v.size)) // j < n fits
	if f[len(f)-1]&0xF != 0xC {
		return nil, chiperr.New(chiperr.Integrity, op, "no ISO/IEC 9796-2 trailer")
	}
	switch f[0] >> 4 {
	case 0x6: // header '01', more-data bit 1: partial recovery
	case 0x4:
		return nil, chiperr.New(chiperr.Integrity, op, "total recovery: the signature does not cover the challenge")
	default:
		return nil, chiperr.New(chiperr.Integrity, op, "no ISO/IEC 9796-2 header")
	}
	h, tLen, err := trailerHash(f)
	if err != nil {
		return nil, err
	}
	// Padding nibbles 'B' end with 'A' (none when M1 fills the capacity,
	// as it does in partial recovery: F starts with 6A).
	start := 0
	if f[0] == 0x6B {
		for start = 1; start < len(f) && f[start] == 0xBB; start++ {
		}
		if start == len(f) || f[start] != 0xBA {
			return nil, chiperr.New(chiperr.Integrity, op, "bad padding")
		}
	} else if f[0] != 0x6A {
		return nil, chiperr.New(chiperr.Integrity, op, "bad padding")
	}
	start++
	end := len(f) - tLen - h.Size()
	if start > end {
		return nil, chiperr.New(chiperr.Integrity, op, "representative too short for its hash")
	}
	hh := h.New()
	hh.Write(f[start:end]) // M1, recovered
	hh.Write(challenge)    // M2
	if subtle.ConstantTimeCompare(hh.Sum(nil), f[end:len(f)-tLen]) != 1 {
		return nil, chiperr.New(chiperr.Integrity, op, "signature does not match the challenge")
	}
	return result(challenge, sig, fmt.Sprintf("RSA-%d ISO/IEC 9796-2 scheme 1 with %v", n.BitLen(), h)), nil
}

// trailerHash reads the hash named by the trailer of a representative.
func trailerHash(f []byte) (crypto.Hash, int, error) {
	const op = "AA: RSA signature"
	last := f[len(f)-1]
	if last == trailerImplicit {
		return crypto.SHA1, 1, nil
	}
	if last != trailerExplicit {
		return 0, 0, chiperr.Newf(chiperr.Integrity, op, "trailer %02X", last)
	}
	id := f[len(f)-2]
	if h, ok := trailerHashes[id]; ok {
		return h, 2, nil
	}
	if name, ok := knownUnsupportedHashIDs[id]; ok {
		return 0, 0, chiperr.Newf(chiperr.Unsupported, op, "hash %s", name)
	}
	return 0, 0, chiperr.Newf(chiperr.Integrity, op, "unknown hash identifier %02X", id)
}

// signRSA makes the ISO/IEC 9796-2 scheme 1 signature that verify accepts,
// with a random M1 as ICAO chips do. It uses math/big, which is not
// constant-time: it serves the virtual card, never a real secret.
func signRSA(rnd io.Reader, k *rsa.PrivateKey, h crypto.Hash, challenge []byte) ([]byte, error) {
	const op = "AA: RSA sign"
	if rnd == nil {
		rnd = rand.Reader
	}
	v, err := newRSAVerifier(&k.PublicKey)
	if err != nil {
		return nil, err
	}
	trailer, ok := trailerFor(h)
	if !ok || !h.Available() {
		return nil, chiperr.Newf(chiperr.Unsupported, op, "hash %v", h)
	}
	m1Len := v.size - 1 - h.Size() - len(trailer)
	if m1Len < 1 {
		return nil, chiperr.Newf(chiperr.Unsupported, op, "%v too long for the modulus", h)
	}
	f := make([]byte, v.size)
	f[0] = 0x6A
	m1 := f[1 : 1+m1Len]
	if _, err := io.ReadFull(rnd, m1); err != nil {
		return nil, chiperr.Wrap(chiperr.Transport, op, err)
	}
	hh := h.New()
	hh.Write(m1)
	hh.Write(challenge)
	copy(f[1+m1Len:], hh.Sum(nil))
	copy(f[v.size-len(trailer):], trailer)

	n := k.N
	j := new(big.Int).Exp(new(big.Int).SetBytes(f), k.D, n)
	// Check the result before it leaves, as chips do against faults.
	if new(big.Int).Exp(j, big.NewInt(int64(k.E)), n).Cmp(new(big.Int).SetBytes(f)) != 0 {
		return nil, chiperr.New(chiperr.Malformed, op, "private key does not match its public key")
	}
	if alt := new(big.Int).Sub(n, j); alt.Cmp(j) < 0 {
		j = alt // min(J, n-J)
	}
	return j.FillBytes(make([]byte, v.size)), nil
}
