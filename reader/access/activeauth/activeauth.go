// Package activeauth runs Active Authentication (ICAO Doc 9303-11 §6.1) over
// a card link: the terminal sends an 8-byte challenge with INTERNAL
// AUTHENTICATE and checks the chip's signature with [aa]. Chip is the
// virtual card's side of the exchange.
//
// The signature schemes themselves live in reader/aa, which has no APDU
// code, so that a relying party checks a signature offline without linking
// this package.
package activeauth

import (
	"context"
	"crypto"
	"encoding/asn1"
	"errors"

	"github.com/cnie-reader/cnie-reader/reader/aa"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// Authenticate runs INTERNAL AUTHENTICATE (00 88 00 00) with challenge over t
// and verifies the answer with key, which is an *rsa.PublicKey, an
// *ecdsa.PublicKey or an *lds.ECPublicKey. sigAlg is the signature algorithm of
// DG14's ActiveAuthenticationInfo: required for ECDSA, ignored for RSA
// (the ISO/IEC 9796-2 trailer names the hash). A signature that does not
// verify is a chiperr.Integrity error: the chip may be a clone.
func Authenticate(ctx context.Context, t iso7816.Transmitter, key crypto.PublicKey, sigAlg asn1.ObjectIdentifier, challenge []byte) (*aa.Result, error) {
	const op = "AA: INTERNAL AUTHENTICATE"
	v, err := aa.NewVerifier(key, sigAlg)
	if err != nil {
		return nil, err
	}
	if len(challenge) != aa.ChallengeLen {
		return nil, chiperr.Newf(chiperr.BadInput, op, "challenge of %d bytes, want %d", len(challenge), aa.ChallengeLen)
	}
	ne := iso7816.MaxShortNe
	if v.MaxSignatureLen() > iso7816.MaxShortNe {
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
	return v.Verify(challenge, r.Data)
}
