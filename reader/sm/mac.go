package sm

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/subtle"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Pad applies ISO/IEC 9797-1 padding method 2: one 0x80 byte, then zeros up
// to a multiple of blockSize. It always adds at least one byte.
func Pad(b []byte, blockSize int) []byte {
	n := len(b) + 1
	if r := n % blockSize; r != 0 {
		n += blockSize - r
	}
	out := make([]byte, n)
	copy(out, b)
	out[len(b)] = 0x80
	return out
}

// maxPad is the longest padding any supported cipher produces (one AES block).
const maxPad = 16

// Unpad removes ISO/IEC 9797-1 padding method 2. The padding must be at most
// one AES block long; anything else is a Malformed error.
func Unpad(b []byte) ([]byte, error) { return unpad(b, maxPad) }

// unpad removes padding method 2 of at most max bytes.
func unpad(b []byte, max int) ([]byte, error) {
	for i := len(b) - 1; i >= 0 && len(b)-i <= max; i-- {
		if b[i] == 0x80 {
			return b[:i], nil
		}
		if b[i] != 0x00 {
			break
		}
	}
	return nil, chiperr.New(chiperr.Malformed, "SM unpad", "bad padding")
}

// RetailMAC computes the ISO/IEC 9797-1 MAC algorithm 3 with DES (the
// "retail MAC") over msg padded with method 2, keyed by K1||K2 (16 bytes).
// It returns the full 8-byte MAC, or nil if the key is not 16 bytes.
func RetailMAC(key16, msg []byte) []byte {
	if len(key16) != 16 {
		return nil
	}
	k1, err1 := des.NewCipher(key16[:8])
	k2, err2 := des.NewCipher(key16[8:])
	if err1 != nil || err2 != nil {
		return nil
	}
	return retailMAC(k1, k2, Pad(msg, 8))
}

// retailMAC runs MAC algorithm 3 over an already padded message: DES-CBC
// with K1, then the last block decrypted with K2 and encrypted with K1.
func retailMAC(k1, k2 cipher.Block, padded []byte) []byte {
	h := make([]byte, 8)
	for i := 0; i+8 <= len(padded); i += 8 {
		subtle.XORBytes(h, h, padded[i:i+8])
		k1.Encrypt(h, h)
	}
	k2.Decrypt(h, h)
	k1.Encrypt(h, h)
	return h
}

// CMAC computes AES-CMAC (NIST SP 800-38B, RFC 4493) and returns the full
// 16-byte tag, or nil if key is not a valid AES key. Secure messaging
// truncates it to 8 bytes.
func CMAC(key, msg []byte) []byte {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil
	}
	return cmac(b, msg)
}

func cmac(b cipher.Block, msg []byte) []byte {
	const bs = aes.BlockSize
	k1 := make([]byte, bs)
	b.Encrypt(k1, k1)
	dbl(k1)
	k2 := append([]byte(nil), k1...)
	dbl(k2)

	// Split into all complete blocks but the last, and the last (possibly
	// partial or empty) block, which is masked with K1 or padded and masked with K2.
	n := (len(msg) + bs - 1) / bs
	if n == 0 {
		n = 1
	}
	last := make([]byte, bs)
	rest := msg[(n-1)*bs:]
	if len(rest) == bs {
		subtle.XORBytes(last, rest, k1)
	} else {
		copy(last, rest)
		last[len(rest)] = 0x80
		subtle.XORBytes(last, last, k2)
	}
	x := make([]byte, bs)
	for i := 0; i < n-1; i++ {
		subtle.XORBytes(x, x, msg[i*bs:(i+1)*bs])
		b.Encrypt(x, x)
	}
	subtle.XORBytes(x, x, last)
	b.Encrypt(x, x)
	return x
}

// dbl multiplies a 128-bit block by x in GF(2^128) (the CMAC subkey step).
func dbl(b []byte) {
	carry := b[0] >> 7
	for i := 0; i < len(b)-1; i++ {
		b[i] = b[i]<<1 | b[i+1]>>7
	}
	b[len(b)-1] = b[len(b)-1]<<1 ^ 0x87*carry
}
