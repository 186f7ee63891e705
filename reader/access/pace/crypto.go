package pace

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"encoding/asn1"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// Bounds on what the peer may send. The largest honest value is a DH-2048
// public key (256 bytes) inside its templates.
const (
	maxNonce    = 64   // encrypted nonce z
	maxCAM      = 96   // encrypted CA_IC: a P-521 scalar padded to whole blocks
	maxResponse = 1024 // whole General Authenticate data field
	tokenLen    = 8
)

// newBlock returns the block cipher of alg keyed with key (two-key 3DES
// keys are expanded to K1||K2||K1).
func newBlock(alg sm.Algorithm, key []byte) (cipher.Block, error) {
	switch alg {
	case sm.AES:
		return aes.NewCipher(key)
	case sm.TDES:
		if len(key) != 16 {
			return nil, chiperr.Newf(chiperr.Unsupported, "PACE cipher", "3DES key of %d bytes", len(key))
		}
		k := make([]byte, 0, 24)
		k = append(append(k, key...), key[:8]...)
		return des.NewTripleDESCipher(k)
	}
	return nil, chiperr.New(chiperr.Unsupported, "PACE cipher", "unknown algorithm")
}

// cbc encrypts or decrypts whole blocks with a zero IV and no padding, the
// way PACE handles nonces and the pseudo-random function of IM.
func cbc(alg sm.Algorithm, key, in []byte, encrypt bool) ([]byte, error) {
	b, err := newBlock(alg, key)
	if err != nil {
		return nil, err
	}
	bs := b.BlockSize()
	if len(in) == 0 || len(in)%bs != 0 {
		return nil, chiperr.Newf(chiperr.Malformed, "PACE nonce", "%d bytes, not whole %d-byte blocks", len(in), bs)
	}
	out := make([]byte, len(in))
	iv := make([]byte, bs)
	if encrypt {
		cipher.NewCBCEncrypter(b, iv).CryptBlocks(out, in)
	} else {
		cipher.NewCBCDecrypter(b, iv).CryptBlocks(out, in)
	}
	return out, nil
}

// passwordKey is Kπ = KDFπ(π).
func passwordKey(p Protocol, pw Password) ([]byte, error) {
	if len(pw.Key) == 0 {
		return nil, chiperr.New(chiperr.BadInput, "PACE password", "empty password")
	}
	k := sm.KDF(pw.Key, sm.CounterPassword, p.Cipher, p.KeyBytes)
	if k == nil {
		return nil, chiperr.New(chiperr.Unsupported, "PACE password", "no key derivation for this cipher")
	}
	return k, nil
}

// publicKeyDO is the public key data object that the tokens authenticate
// (ICAO 9303-11 §4.4.3.4, TR-03110-3 D.3.4): 7F49 { 06 OID, 86 point } for
// ECDH, 7F49 { 06 OID, 84 y } for DH.
func publicKeyDO(oid asn1.ObjectIdentifier, tag uint32, pub []byte) ([]byte, error) {
	o, err := asn1.Marshal(oid)
	if err != nil {
		return nil, chiperr.Newf(chiperr.BadInput, "PACE token", "OID: %v", err)
	}
	return ber.Encode(0x7F49, o, ber.Encode(tag, pub)), nil
}

// authToken is MAC(KSmac, public key data object) truncated to 8 bytes:
// AES-CMAC for AES, the retail MAC for 3DES.
func authToken(p Protocol, ksMac, do []byte) ([]byte, error) {
	var m []byte
	switch p.Cipher {
	case sm.AES:
		m = sm.CMAC(ksMac, do)
	case sm.TDES:
		m = sm.RetailMAC(ksMac, do)
	}
	if len(m) < tokenLen {
		return nil, chiperr.New(chiperr.Unsupported, "PACE token", "no MAC for this cipher")
	}
	return m[:tokenLen], nil
}
