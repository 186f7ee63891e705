package chipauth

import (
	"encoding/asn1"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// Status words the chip side answers with.
const (
	swOK             = iso7816.SWOK
	swWrongLength    = iso7816.SWWrongLength
	swConditions     = iso7816.SWConditionsNotSatisfied
	swWrongData      = iso7816.SWWrongData
	swRefNotFound    = 0x6A88 // referenced data (key reference) not found
	swIncorrectP1P2  = iso7816.SWIncorrectP1P2
	swINSUnsupported = iso7816.SWINSNotSupported
	swNoChaining     = 0x6884 // command chaining not supported
)

// Chip is the chip side of Chip Authentication, for the virtual card. It
// holds the static key pair published in DG14 and the protocol announced in
// its ChipAuthenticationInfo. A Chip keeps the state between MSE:Set AT and
// General Authenticate and is not safe for concurrent use (a card serves one
// command at a time).
type Chip struct {
	Key      *PrivateKey
	Protocol Protocol
	KeyID    *int // key reference of DG14, if any; a DO'84' from the terminal must equal it

	pendingAT bool // MSE:Set AT for CA accepted, General Authenticate expected
}

// NewChip returns the chip side for key with the protocol oid.
func NewChip(key *PrivateKey, oid asn1.ObjectIdentifier, keyID *int) (*Chip, error) {
	p, ok := ProtocolByOID(oid)
	if !ok {
		return nil, chiperr.Newf(chiperr.Unsupported, "CA chip", "protocol %v", oid)
	}
	if key == nil || p.EC != key.Public.IsEC() {
		return nil, chiperr.Newf(chiperr.BadInput, "CA chip", "%s needs a key of its kind", p.Name)
	}
	return &Chip{Key: key, Protocol: p, KeyID: keyID}, nil
}

// Handles reports whether cmd (already unwrapped from secure messaging) is a
// Chip Authentication command this Chip must answer: MSE:Set KAT, MSE:Set AT
// naming a CA protocol, or General Authenticate after such a Set AT. Other
// uses of MSE and General Authenticate (PACE, Terminal Authentication) have
// other P1-P2 values or come without a pending CA Set AT.
func (c *Chip) Handles(cmd iso7816.Command) bool {
	switch {
	case cmd.INS == 0x22 && cmd.P1 == 0x41 && cmd.P2 == 0xA6:
		return true
	case cmd.INS == 0x22 && cmd.P1 == 0x41 && cmd.P2 == 0xA4:
		dos, err := parseDOs(cmd.Data, "")
		if err != nil {
			return false
		}
		for _, d := range dos {
			if oid, ok := ber.ParseOIDContents(d.Value); d.Tag == 0x80 && ok {
				return isCAOID(oid)
			}
		}
		return false
	case cmd.INS == 0x86:
		return c.pendingAT
	}
	return false
}

// Handle answers one CA command. When next is not nil, the card must protect
// resp with its current session and only then switch to next: ICAO 9303-11
// §6.2 has the answer to the CA command travel under the old keys.
func (c *Chip) Handle(cmd iso7816.Command) (resp iso7816.Response, next *sm.Session) {
	secret, sw := c.handle(cmd)
	if sw != swOK {
		return iso7816.Response{SW: sw}, nil
	}
	if secret == nil { // Set AT accepted
		return iso7816.Response{SW: swOK}, nil
	}
	defer clear(secret)
	s, err := newSession(c.Protocol, secret)
	if err != nil {
		return iso7816.Response{SW: iso7816.SWNoPreciseDiagnosis}, nil
	}
	if cmd.INS == 0x22 { // MSE:Set KAT has no response data
		return iso7816.Response{SW: swOK}, s
	}
	return iso7816.Response{Data: []byte{0x7C, 0x00}, SW: swOK}, s
}

// handle returns the shared secret when the command completes CA, nil with
// 9000 when it only prepares it, or a status word.
func (c *Chip) handle(cmd iso7816.Command) ([]byte, uint16) {
	const op = "CA chip"
	if c.Key == nil {
		return nil, swConditions
	}
	if cmd.CLA&0x10 != 0 {
		return nil, swNoChaining
	}
	switch cmd.INS {
	case 0x22:
		c.pendingAT = false
		switch {
		case cmd.P1 == 0x41 && cmd.P2 == 0xA6:
			return c.setKAT(cmd.Data)
		case cmd.P1 == 0x41 && cmd.P2 == 0xA4:
			return nil, c.setAT(cmd.Data)
		}
		return nil, swIncorrectP1P2
	case 0x86:
		if !c.pendingAT {
			return nil, swConditions
		}
		c.pendingAT = false
		if cmd.P1 != 0 || cmd.P2 != 0 {
			return nil, swIncorrectP1P2
		}
		dos, err := parseDOs(cmd.Data, op)
		if err != nil || len(dos) != 1 || dos[0].Tag != 0x7C {
			return nil, swWrongData
		}
		inner, err := parseDOs(dos[0].Value, op)
		if err != nil || len(inner) != 1 || inner[0].Tag != 0x80 {
			return nil, swWrongData
		}
		return c.agree(inner[0].Value)
	}
	return nil, swINSUnsupported
}

// setKAT handles MSE:Set KAT: DO'91' the terminal's key, DO'84' optional.
// It exists for 3DES only (ICAO 9303-11 §6.2.4.1).
func (c *Chip) setKAT(data []byte) ([]byte, uint16) {
	if !c.Protocol.UsesKAT() {
		return nil, swConditions
	}
	dos, err := parseDOs(data, "CA chip: MSE:Set KAT")
	if err != nil {
		return nil, swWrongData
	}
	var pub []byte
	for _, d := range dos {
		switch d.Tag {
		case 0x91:
			if pub != nil {
				return nil, swWrongData
			}
			pub = d.Value
		case 0x84:
			if sw := c.checkKeyID(d.Value); sw != swOK {
				return nil, sw
			}
		default:
			return nil, swWrongData
		}
	}
	if pub == nil {
		return nil, swWrongData
	}
	return c.agree(pub)
}

// setAT handles MSE:Set AT: DO'80' the protocol OID, DO'84' optional.
func (c *Chip) setAT(data []byte) uint16 {
	dos, err := parseDOs(data, "CA chip: MSE:Set AT")
	if err != nil {
		return swWrongData
	}
	seenOID := false
	for _, d := range dos {
		switch d.Tag {
		case 0x80:
			oid, ok := ber.ParseOIDContents(d.Value)
			if !ok || seenOID {
				return swWrongData
			}
			if !oid.Equal(c.Protocol.OID) {
				return swRefNotFound
			}
			seenOID = true
		case 0x84:
			if sw := c.checkKeyID(d.Value); sw != swOK {
				return sw
			}
		default:
			return swWrongData
		}
	}
	if !seenOID {
		return swWrongData
	}
	c.pendingAT = true
	return swOK
}

// checkKeyID accepts a key reference equal to the chip's own.
func (c *Chip) checkKeyID(b []byte) uint16 {
	if len(b) == 0 || len(b) > 4 {
		return swWrongData
	}
	v := 0
	for _, x := range b {
		v = v<<8 | int(x)
	}
	if c.KeyID != nil && *c.KeyID == v {
		return swOK
	}
	return swRefNotFound
}

// agree validates the terminal's ephemeral key and computes the secret.
func (c *Chip) agree(pub []byte) ([]byte, uint16) {
	if len(pub) == 0 {
		return nil, swWrongLength
	}
	secret, err := c.Key.sharedSecret(pub, "CA chip: terminal public key")
	if err != nil {
		return nil, swWrongData
	}
	return secret, swOK
}
