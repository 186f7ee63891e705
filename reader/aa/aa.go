// Package aa checks and makes Active Authentication signatures (ICAO Doc
// 9303-11 §6.1): the chip signs an 8-byte challenge with the private key
// whose public key DG15 holds. RSA chips sign with ISO/IEC 9796-2 digital
// signature scheme 1 (partial message recovery); EC chips sign with plain
// ECDSA (BSI TR-03111).
//
// The package is pure computation: no APDU, no secure messaging. The reader
// (reader/access/activeauth, which sends INTERNAL AUTHENTICATE) and a relying
// party that checks a signature offline (assertion/verifier) share it, and
// the latter links no terminal code. It takes already parsed DG14/DG15 values.
package aa

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/asn1"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/lds"
)

// ChallengeLen is the length of RND.IFD.
const ChallengeLen = 8

// Result is a verified Active Authentication.
type Result struct {
	Challenge []byte
	Signature []byte
	Algorithm string // e.g. "RSA-2048 ISO/IEC 9796-2 scheme 1 with SHA-1"
}

// Verifier is a chip's Active Authentication public key, ready to check
// signatures.
type Verifier struct {
	v verifier
}

// NewVerifier prepares key, which is an *rsa.PublicKey, an *ecdsa.PublicKey
// or an *lds.ECPublicKey. sigAlg is the signature algorithm of DG14's
// ActiveAuthenticationInfo: required for ECDSA, ignored for RSA (the
// ISO/IEC 9796-2 trailer names the hash). A key that cannot be used is a
// chiperr.Malformed or chiperr.Unsupported error.
func NewVerifier(key crypto.PublicKey, sigAlg asn1.ObjectIdentifier) (*Verifier, error) {
	v, err := newVerifier(key, sigAlg)
	if err != nil {
		return nil, err
	}
	return &Verifier{v: v}, nil
}

// MaxSignatureLen is the longest answer a chip with this key may send,
// which sizes the Le of INTERNAL AUTHENTICATE.
func (v *Verifier) MaxSignatureLen() int { return v.v.maxSigLen() }

// Verify checks signature over challenge. A signature that does not verify
// is a chiperr.Integrity error: the chip may be a clone.
func (v *Verifier) Verify(challenge, signature []byte) (*Result, error) {
	if len(challenge) != ChallengeLen {
		return nil, chiperr.Newf(chiperr.BadInput, "AA: verify", "challenge of %d bytes, want %d", len(challenge), ChallengeLen)
	}
	return v.v.verify(challenge, signature)
}

// Verify checks an Active Authentication signature over challenge with key
// (see [NewVerifier] for key and sigAlg).
func Verify(key crypto.PublicKey, sigAlg asn1.ObjectIdentifier, challenge, signature []byte) (*Result, error) {
	v, err := NewVerifier(key, sigAlg)
	if err != nil {
		return nil, err
	}
	return v.Verify(challenge, signature)
}

// Sign makes the chip's answer to INTERNAL AUTHENTICATE, for the virtual
// card. priv is an *rsa.PrivateKey (ISO/IEC 9796-2 scheme 1; sigAlg nil or
// oids.SHA1 gives the implicit 'BC' trailer, oids.SHA224..oids.SHA512 the
// explicit one) or an *ecdsa.PrivateKey on any reader/ecc curve (plain
// ECDSA; sigAlg is the ActiveAuthenticationInfo algorithm, required).
func Sign(priv crypto.PrivateKey, sigAlg asn1.ObjectIdentifier, challenge []byte) ([]byte, error) {
	const op = "AA: sign"
	switch k := priv.(type) {
	case *rsa.PrivateKey:
		h := crypto.SHA1
		if len(sigAlg) > 0 {
			found := false
			for _, e := range rsaHashes {
				if e.oid.Equal(sigAlg) {
					h, found = e.hash, true
				}
			}
			if !found {
				return nil, chiperr.Newf(chiperr.Unsupported, op, "RSA with %v", sigAlg)
			}
		}
		return signRSA(nil, k, h, challenge)
	case *ecdsa.PrivateKey:
		return signEC(k, sigAlg, challenge)
	}
	return nil, chiperr.Newf(chiperr.Unsupported, op, "key type %T", priv)
}

// verifier is one key ready to check signatures.
type verifier interface {
	maxSigLen() int
	verify(challenge, sig []byte) (*Result, error)
}

func newVerifier(key crypto.PublicKey, sigAlg asn1.ObjectIdentifier) (verifier, error) {
	switch k := key.(type) {
	case *rsa.PublicKey:
		return newRSAVerifier(k)
	case *ecdsa.PublicKey:
		return newECVerifier(k, sigAlg)
	case *lds.ECPublicKey:
		// DG15's parser hands brainpool keys over in this form, since
		// crypto/x509 cannot parse them.
		if k == nil || k.Curve == nil {
			break
		}
		if !k.Curve.Valid(k.Point) {
			// A bad key in DG15 is a malformed file.
			return nil, chiperr.New(chiperr.Malformed, "AA: public key", "point not on the curve")
		}
		return newECVerifier(&ecdsa.PublicKey{Curve: k.Curve.Elliptic(), X: k.Point.X, Y: k.Point.Y}, sigAlg)
	}
	return nil, chiperr.Newf(chiperr.Unsupported, "AA: public key", "key type %T", key)
}

func result(challenge, sig []byte, alg string) *Result {
	return &Result{
		Challenge: append([]byte(nil), challenge...),
		Signature: append([]byte(nil), sig...),
		Algorithm: alg,
	}
}
