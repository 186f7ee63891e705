package chipauth

import (
	"encoding/asn1"
	"math/big"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// The data objects of CA commands all have one-byte tags (80, 84, 91, 7C)
// and values far below 64 KiB, so this small codec is enough and keeps the
// package free of the LDS parser.

// do is one data object.
type do struct {
	tag   byte
	value []byte
}

// encodeDO encodes one data object with a DER length.
func encodeDO(tag byte, value []byte) []byte {
	n := len(value)
	out := make([]byte, 0, n+4)
	out = append(out, tag)
	switch {
	case n < 0x80:
		out = append(out, byte(n))
	case n <= 0xFF:
		out = append(out, 0x81, byte(n))
	default:
		out = append(out, 0x82, byte(n>>8), byte(n))
	}
	return append(out, value...)
}

// parseDOs splits b into data objects with one-byte tags; b must be filled exactly.
func parseDOs(b []byte, op string) ([]do, error) {
	var out []do
	for len(b) > 0 {
		if len(out) >= 16 {
			return nil, chiperr.New(chiperr.Malformed, op, "too many data objects")
		}
		if len(b) < 2 {
			return nil, chiperr.New(chiperr.Malformed, op, "truncated data object")
		}
		tag := b[0]
		if tag&0x1F == 0x1F || tag == 0 || tag == 0xFF {
			return nil, chiperr.Newf(chiperr.Malformed, op, "unexpected tag %02X", tag)
		}
		l, i := int(b[1]), 2
		switch {
		case l == 0x81 && len(b) >= 3:
			l, i = int(b[2]), 3
		case l == 0x82 && len(b) >= 4:
			l, i = int(b[2])<<8|int(b[3]), 4
		case l >= 0x80:
			return nil, chiperr.New(chiperr.Malformed, op, "bad length field")
		}
		if l > len(b)-i {
			return nil, chiperr.New(chiperr.Malformed, op, "data object longer than its container")
		}
		out = append(out, do{tag, b[i : i+l]})
		b = b[i+l:]
	}
	return out, nil
}

// oidContents is the DER contents of an OID (DO'80' of MSE:Set AT carries
// the OID without its tag and length).
func oidContents(oid asn1.ObjectIdentifier) []byte {
	der, err := asn1.Marshal(oid)
	if err != nil || len(der) < 2 || der[1] >= 0x80 {
		return nil
	}
	return der[2:]
}

// parseOIDContents is the inverse of oidContents.
func parseOIDContents(b []byte) (asn1.ObjectIdentifier, bool) {
	if len(b) == 0 || len(b) > 64 {
		return nil, false
	}
	var oid asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(append([]byte{0x06, byte(len(b))}, b...), &oid)
	return oid, err == nil && len(rest) == 0
}

// keyIDBytes encodes a key reference as the minimal unsigned big-endian integer.
func keyIDBytes(id int) []byte {
	b := big.NewInt(int64(id)).Bytes()
	if len(b) == 0 {
		return []byte{0}
	}
	return b
}
