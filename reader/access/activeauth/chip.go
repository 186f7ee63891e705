package activeauth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/asn1"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// Sign makes the chip's answer to INTERNAL AUTHENTICATE for the virtual
// card. priv is an *rsa.PrivateKey (ISO/IEC 9796-2 scheme 1; sigAlg nil or
// OIDSHA1 gives the implicit 'BC' trailer, OIDSHA224..OIDSHA512 the
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

// Chip answers INTERNAL AUTHENTICATE for the virtual card.
type Chip struct {
	Key    crypto.PrivateKey // *rsa.PrivateKey or *ecdsa.PrivateKey
	SigAlg asn1.ObjectIdentifier
}

// Handle answers one command: INTERNAL AUTHENTICATE (00 88 00 00) with an
// 8-byte challenge gets the signature, anything else a status word.
func (c *Chip) Handle(cmd iso7816.Command) iso7816.Response {
	switch {
	case cmd.INS != 0x88:
		return iso7816.Response{SW: iso7816.SWINSNotSupported}
	case cmd.P1 != 0 || cmd.P2 != 0:
		return iso7816.Response{SW: iso7816.SWIncorrectP1P2}
	case len(cmd.Data) != ChallengeLen:
		return iso7816.Response{SW: iso7816.SWWrongLength}
	}
	sig, err := Sign(c.Key, c.SigAlg, cmd.Data)
	if err != nil {
		return iso7816.Response{SW: iso7816.SWNoPreciseDiagnosis}
	}
	// A response longer than Ne cannot be sent (and 6CXX cannot name a
	// length above 255).
	if cmd.Ne != 0 && cmd.Ne < len(sig) {
		return iso7816.Response{SW: iso7816.SWWrongLength}
	}
	return iso7816.Response{Data: sig, SW: iso7816.SWOK}
}
