package activeauth

import (
	"crypto"
	"encoding/asn1"

	"github.com/cnie-reader/cnie-reader/reader/aa"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

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
	case len(cmd.Data) != aa.ChallengeLen:
		return iso7816.Response{SW: iso7816.SWWrongLength}
	}
	sig, err := aa.Sign(c.Key, c.SigAlg, cmd.Data)
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
