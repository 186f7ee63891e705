// Package activeauth implements Active Authentication (ICAO Doc 9303-11
// §6.1): the terminal sends an 8-byte challenge with INTERNAL AUTHENTICATE
// and the chip signs it with the private key whose public key DG15 holds.
// RSA chips sign with ISO/IEC 9796-2 digital signature scheme 1 (partial
// message recovery); EC chips sign with plain ECDSA (BSI TR-03111).
//
// Both sides are here: Authenticate and Verify for the reader (Verify also
// serves a relying party that checks a signature offline), Sign and Chip for
// the virtual card. The package takes already parsed DG14/DG15 values.
package activeauth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/asn1"
	"errors"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
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

// Authenticate runs INTERNAL AUTHENTICATE (00 88 00 00) with challenge over t
// and verifies the answer with key, which is an *rsa.PublicKey, an
// *ecdsa.PublicKey or an *lds.ECPublicKey. sigAlg is the signature algorithm of
// DG14's ActiveAuthenticationInfo: required for ECDSA, ignored for RSA
// (the ISO/IEC 9796-2 trailer names the hash). A signature that does not
// verify is a chiperr.Integrity error: the chip may be a clone.
func Authenticate(ctx context.Context, t iso7816.Transmitter, key crypto.PublicKey, sigAlg asn1.ObjectIdentifier, challenge []byte) (*Result, error) {
	const op = "AA: INTERNAL AUTHENTICATE"
	v, err := newVerifier(key, sigAlg)
	if err != nil {
		return nil, err
	}
	if len(challenge) != ChallengeLen {
		return nil, chiperr.Newf(chiperr.BadInput, op, "challenge of %d bytes, want %d", len(challenge), ChallengeLen)
	}
	ne := iso7816.MaxShortNe
	if v.maxSigLen() > iso7816.MaxShortNe {
		ne = iso7816.MaxExtendedNe
	}
	cmd := iso7816.Command{INS: 0x88, Data: append([]byte(nil), challenge...), Ne: ne}
	r, err := iso7816.Do(ctx, t, cmd)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Transport, op, err)
	}
	if err := r.Err(); err != nil {
		var se *iso7816.StatusError
		if errors.As(err, &se) {
			return nil, chiperr.Wrap(se.Kind(), op, err)
		}
		return nil, chiperr.Wrap(chiperr.Status, op, err)
	}
	return v.verify(challenge, r.Data)
}

// Verify checks an Active Authentication signature over challenge, as
// Authenticate does after the exchange.
func Verify(key crypto.PublicKey, sigAlg asn1.ObjectIdentifier, challenge, signature []byte) (*Result, error) {
	v, err := newVerifier(key, sigAlg)
	if err != nil {
		return nil, err
	}
	if len(challenge) != ChallengeLen {
		return nil, chiperr.Newf(chiperr.BadInput, "AA: verify", "challenge of %d bytes, want %d", len(challenge), ChallengeLen)
	}
	return v.verify(challenge, signature)
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
