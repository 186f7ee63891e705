package pace

import (
	"encoding/asn1"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// Instructions and tags of ICAO 9303-11 §4.4.4.
const (
	insMSE = 0x22
	insGA  = 0x86

	tagDynAuth = 0x7C
	tagNonce   = 0x80 // encrypted nonce (chip)
	tagMapT    = 0x81 // mapping data (terminal)
	tagMapC    = 0x82 // mapping data (chip)
	tagEphT    = 0x83 // ephemeral public key (terminal)
	tagEphC    = 0x84 // ephemeral public key (chip)
	tagTokT    = 0x85 // authentication token (terminal)
	tagTokC    = 0x86 // authentication token (chip)
	tagCAR     = 0x87 // most recent certification authority reference
	tagCAR2    = 0x88 // previous certification authority reference
	tagCAM     = 0x8A // encrypted chip authentication data (CAM)

	claChain = 0x10
)

// SetATCommand builds MSE:Set AT for PACE (00 22 C1 A4): DO 80 with the
// protocol OID, DO 83 with the password reference and, when paramID >= 0,
// DO 84 with the standardized domain parameter id.
func SetATCommand(oid asn1.ObjectIdentifier, ref PasswordRef, paramID int) (iso7816.Command, error) {
	o := ber.OIDContents(oid)
	if o == nil {
		return iso7816.Command{}, chiperr.Newf(chiperr.BadInput, "PACE MSE:Set AT", "OID %v cannot be encoded", oid)
	}
	data := append(ber.Encode(0x80, o), ber.Encode(0x83, []byte{byte(ref)})...)
	if paramID >= 0 {
		if paramID > 31 {
			return iso7816.Command{}, chiperr.Newf(chiperr.BadInput, "PACE MSE:Set AT", "parameter id %d", paramID)
		}
		data = append(data, ber.Encode(0x84, []byte{byte(paramID)})...)
	}
	return iso7816.Command{CLA: 0x00, INS: insMSE, P1: 0xC1, P2: 0xA4, Data: data}, nil
}

// gaCommand builds one General Authenticate of the chain; last is false for
// the first three steps, which carry the chaining bit.
func gaCommand(tag uint32, value []byte, last bool) iso7816.Command {
	c := iso7816.Command{CLA: 0x00, INS: insGA, Data: encodeDyn(tag, value), Ne: iso7816.MaxShortNe}
	if !last {
		c.CLA = claChain
	}
	if len(c.Data) > iso7816.MaxShortLc {
		c.Ne = iso7816.MaxExtendedNe // DH-2048 needs extended length both ways
	}
	return c
}

// dynAuth is a parsed dynamic authentication data object (7C).
type dynAuth map[uint32][]byte

// parseDynAuth parses the data field of a General Authenticate command or
// response: exactly one 7C template whose children are primitive data
// objects with distinct tags. An empty field is accepted as an empty
// template (some chips answer the IM mapping step with a bare 9000).
func parseDynAuth(b []byte, op string) (dynAuth, error) {
	out := dynAuth{}
	if len(b) == 0 {
		return out, nil
	}
	if len(b) > maxResponse {
		return nil, chiperr.Newf(chiperr.TooLarge, op, "%d bytes of authentication data", len(b))
	}
	t, rest, err := ber.ParseTLV(b)
	if err != nil {
		return nil, malformed(op, err)
	}
	if t.Tag != tagDynAuth || len(rest) != 0 {
		return nil, chiperr.Newf(chiperr.Malformed, op, "want one 7C template, got tag %X and %d trailing bytes", t.Tag, len(rest))
	}
	children, err := parseDOs(t.Value, op)
	if err != nil {
		return nil, err
	}
	for _, c := range children {
		if _, dup := out[c.Tag]; dup {
			return nil, chiperr.Newf(chiperr.Malformed, op, "tag %X twice", c.Tag)
		}
		out[c.Tag] = c.Value
	}
	return out, nil
}

// parseDOs parses data objects that fill b exactly, within PACE's limits:
// tags of one or two bytes, and never 00 (padding in ISO 7816-4, not a
// data object).
func parseDOs(b []byte, op string) ([]ber.Element, error) {
	dos, err := ber.ParseAll(b)
	if err != nil {
		return nil, malformed(op, err)
	}
	for _, d := range dos {
		if d.Tag == 0 || d.Tag > 0xFFFF {
			return nil, chiperr.Newf(chiperr.Malformed, op, "unexpected tag %X", d.Tag)
		}
	}
	return dos, nil
}

// malformed keeps every TLV failure Malformed: ber calls an oversized length
// field TooLarge, but in a PACE message it is just a broken data object.
func malformed(op string, err error) error {
	return &chiperr.Error{Kind: chiperr.Malformed, Op: op, Err: err}
}

// need returns the value of a mandatory data object, checking its length.
func (d dynAuth) need(tag uint32, minLen, maxLen int, op string) ([]byte, error) {
	v, ok := d[tag]
	if !ok {
		return nil, chiperr.Newf(chiperr.Malformed, op, "data object %X missing", tag)
	}
	if len(v) < minLen || len(v) > maxLen {
		return nil, chiperr.Newf(chiperr.Malformed, op, "data object %X of %d bytes, want %d..%d", tag, len(v), minLen, maxLen)
	}
	return v, nil
}

// setAT is a parsed MSE:Set AT data field.
type setAT struct {
	oid      asn1.ObjectIdentifier
	ref      PasswordRef
	paramID  int // -1 when DO 84 is absent
	hasParam bool
}

// parseSetAT decodes the data of MSE:Set AT (the chip's side). Optional data
// objects it does not use (CHAT 7F4C, auxiliary data 67, key reference 84
// of other lengths...) are ignored, but 80 and 83 are mandatory.
func parseSetAT(b []byte) (setAT, error) {
	const op = "PACE MSE:Set AT"
	if len(b) > maxResponse {
		return setAT{}, chiperr.New(chiperr.TooLarge, op, "data too long")
	}
	dos, err := parseDOs(b, op)
	if err != nil {
		return setAT{}, err
	}
	s := setAT{paramID: -1}
	var gotOID, gotRef bool
	for _, d := range dos {
		switch d.Tag {
		case 0x80:
			if gotOID || len(d.Value) == 0 || len(d.Value) > 32 {
				return setAT{}, chiperr.New(chiperr.Malformed, op, "bad DO 80")
			}
			oid, ok := ber.ParseOIDContents(d.Value)
			if !ok {
				return setAT{}, chiperr.New(chiperr.Malformed, op, "DO 80 is not an OID")
			}
			s.oid, gotOID = oid, true
		case 0x83:
			if gotRef || len(d.Value) != 1 {
				return setAT{}, chiperr.New(chiperr.Malformed, op, "bad DO 83")
			}
			s.ref, gotRef = PasswordRef(d.Value[0]), true
		case 0x84:
			if s.hasParam || len(d.Value) != 1 {
				return setAT{}, chiperr.New(chiperr.Malformed, op, "bad DO 84")
			}
			s.paramID, s.hasParam = int(d.Value[0]), true
		}
	}
	if !gotOID || !gotRef {
		return setAT{}, chiperr.New(chiperr.Malformed, op, "DO 80 or 83 missing")
	}
	return s, nil
}
