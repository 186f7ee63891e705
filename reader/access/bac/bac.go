// Package bac implements Basic Access Control (ICAO Doc 9303-11 §4.3): the
// terminal side that opens a 3DES secure-messaging session from the MRZ,
// and the chip side the virtual card uses.
package bac

import (
	"crypto/cipher"
	"crypto/des"
	"crypto/sha1"
	"crypto/subtle"

	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// Sizes of the BAC exchange (ICAO 9303-11 §4.3.3).
const (
	rndLen  = 8  // RND.IC, RND.IFD
	keyLen  = 16 // K.IFD, K.IC
	plainLn = 2*rndLen + keyLen
	authLen = plainLn + 8 // E || MAC: the 40 bytes (0x28) of EXTERNAL AUTHENTICATE
)

// KeySeed returns K_seed, the first 16 bytes of SHA-1 over the MRZ
// information (document number, date of birth, date of expiry, each with
// its check digit).
func KeySeed(mrzInformation string) []byte {
	h := sha1.Sum([]byte(mrzInformation))
	return h[:16]
}

// Keys derives the BAC keys K_enc and K_mac from K_seed (ICAO 9303-11 §9.7.1).
func Keys(seed []byte) (kEnc, kMac []byte) {
	return sm.KDF(seed, sm.CounterEnc, sm.TDES, 16), sm.KDF(seed, sm.CounterMAC, sm.TDES, 16)
}

// tdes returns the two-key 3DES cipher K1||K2||K1.
func tdes(key16 []byte) cipher.Block {
	k := append(append(make([]byte, 0, 24), key16...), key16[:8]...)
	b, err := des.NewTripleDESCipher(k)
	clear(k)
	if err != nil {
		panic("bac: 3DES key of a wrong size") // keys come from sm.KDF, always 16 bytes
	}
	return b
}

// seal encrypts the 32-byte authentication block with a zero IV (no padding)
// and appends its retail MAC.
func seal(kEnc, kMac, plain []byte) []byte {
	out := make([]byte, len(plain), len(plain)+8)
	cipher.NewCBCEncrypter(tdes(kEnc), make([]byte, 8)).CryptBlocks(out, plain)
	return append(out, sm.RetailMAC(kMac, out)...)
}

// open checks the MAC of a 40-byte authentication block in constant time
// and decrypts it. ok is false when the MAC does not verify.
func open(kEnc, kMac, sealed []byte) (plain []byte, ok bool) {
	e, mac := sealed[:plainLn], sealed[plainLn:]
	if subtle.ConstantTimeCompare(sm.RetailMAC(kMac, e), mac) != 1 {
		return nil, false
	}
	plain = make([]byte, plainLn)
	cipher.NewCBCDecrypter(tdes(kEnc), make([]byte, 8)).CryptBlocks(plain, e)
	return plain, true
}

// sessionFrom derives the session keys from K.IFD xor K.IC and the SSC from
// the low halves of RND.IC and RND.IFD (ICAO 9303-11 §9.8.2).
func sessionFrom(kIFD, kIC, rndIC, rndIFD []byte) (*sm.Session, error) {
	seed := make([]byte, keyLen)
	subtle.XORBytes(seed, kIFD, kIC)
	ksEnc, ksMac := Keys(seed)
	ssc := append(append(make([]byte, 0, 8), rndIC[4:]...), rndIFD[4:]...)
	s, err := sm.NewSession(sm.TDES, ksEnc, ksMac, ssc)
	wipe(seed, ksEnc, ksMac)
	return s, err
}

func wipe(bs ...[]byte) {
	for _, b := range bs {
		clear(b)
	}
}
