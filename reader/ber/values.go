package ber

import "encoding/asn1"

// maxOIDContents bounds an OID read from a card or a terminal: the longest
// OID of ICAO 9303 and TR-03110 takes 11 bytes, so 64 leaves ample room.
const maxOIDContents = 64

// SmallInt reads a non-negative INTEGER of at most 4 bytes, minimally
// encoded as X.690 §8.3.2 requires of BER and DER alike.
func (e Element) SmallInt() (int, bool) {
	c := e.Value
	if e.Tag != 0x02 || len(c) == 0 || len(c) > 4 || c[0]&0x80 != 0 {
		return 0, false
	}
	if len(c) > 1 && c[0] == 0 && c[1]&0x80 == 0 {
		return 0, false
	}
	v := 0
	for _, x := range c {
		v = v<<8 | int(x)
	}
	return v, true
}

// OID reads an OBJECT IDENTIFIER element (see [ParseOIDContents]).
func (e Element) OID() (asn1.ObjectIdentifier, bool) {
	if e.Tag != 0x06 {
		return nil, false
	}
	return ParseOIDContents(e.Value)
}

// OIDContents returns the DER contents of oid without its tag and length,
// the form in which DO'80' of MSE:Set AT carries a protocol OID (ICAO 9303-11
// §4.4.4.1, §6.2.4.2). It returns nil when oid cannot be DER-encoded (fewer
// than two arcs, first arc above 2...).
func OIDContents(oid asn1.ObjectIdentifier) []byte {
	der, err := asn1.Marshal(oid)
	if err != nil {
		return nil
	}
	e, rest, err := ParseTLV(der)
	if err != nil || len(rest) != 0 || e.Tag != 0x06 {
		return nil
	}
	return e.Value
}

// ParseOIDContents is the inverse of OIDContents. It reports false for
// contents that are empty, longer than 64 bytes or not a valid DER OID
// (including non-minimal arcs and arcs that overflow an int).
func ParseOIDContents(b []byte) (asn1.ObjectIdentifier, bool) {
	if len(b) == 0 || len(b) > maxOIDContents {
		return nil, false
	}
	var oid asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(Encode(0x06, b), &oid)
	if err != nil || len(rest) != 0 {
		return nil, false
	}
	return oid, true
}
