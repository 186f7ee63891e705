package lds

import "encoding/asn1"

// maxOIDContents bounds an OID read from a card or a terminal: the longest
// OID of ICAO 9303 and TR-03110 takes 11 bytes, so 64 leaves ample room.
const maxOIDContents = 64

// OIDContents returns the DER contents of oid without its tag and length,
// the form in which DO'80' of MSE:Set AT carries a protocol OID (ICAO 9303-11
// §4.4.4.1, §6.2.4.2). It returns nil when oid cannot be DER-encoded (fewer
// than two arcs, first arc above 2...).
func OIDContents(oid asn1.ObjectIdentifier) []byte {
	der, err := asn1.Marshal(oid)
	if err != nil {
		return nil
	}
	t, rest, err := ParseTLV(der)
	if err != nil || len(rest) != 0 || t.Tag != 0x06 {
		return nil
	}
	return t.Value
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
