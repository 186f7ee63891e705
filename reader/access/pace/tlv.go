package pace

import (
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// PACE needs only a sliver of BER-TLV (tags of one or two bytes, definite
// lengths below 64 KiB), so it carries its own small codec rather than
// depend on the LDS parser.

type tlv struct {
	tag   uint32
	value []byte
}

// parseTLV decodes the first element of b and returns it with the rest.
func parseTLV(b []byte) (tlv, []byte, error) {
	bad := func(why string) (tlv, []byte, error) {
		return tlv{}, nil, chiperr.New(chiperr.Malformed, "PACE TLV", why)
	}
	if len(b) < 2 {
		return bad("truncated")
	}
	tag, i := uint32(b[0]), 1
	if b[0]&0x1F == 0x1F {
		if b[1]&0x80 != 0 {
			return bad("tag longer than 2 bytes")
		}
		tag, i = tag<<8|uint32(b[1]), 2
	}
	if i >= len(b) {
		return bad("missing length")
	}
	l := int(b[i])
	i++
	switch l {
	case 0x81:
		if i+1 > len(b) {
			return bad("truncated length")
		}
		l, i = int(b[i]), i+1
	case 0x82:
		if i+2 > len(b) {
			return bad("truncated length")
		}
		l, i = int(b[i])<<8|int(b[i+1]), i+2
	default:
		if l >= 0x80 {
			return bad("unsupported length form")
		}
	}
	if l > len(b)-i {
		return bad("value shorter than its length")
	}
	return tlv{tag: tag, value: b[i : i+l]}, b[i+l:], nil
}

// parseAllTLV decodes a sequence of elements that fills b exactly.
func parseAllTLV(b []byte) ([]tlv, error) {
	var out []tlv
	for len(b) > 0 {
		t, rest, err := parseTLV(b)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
		b = rest
	}
	return out, nil
}

// encodeTLV builds an element whose value is the concatenation of parts
// (tags of one or two bytes; values below 64 KiB, which PACE never exceeds).
func encodeTLV(tag uint32, parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n+5)
	if tag > 0xFF {
		out = append(out, byte(tag>>8))
	}
	out = append(out, byte(tag))
	switch {
	case n < 0x80:
		out = append(out, byte(n))
	case n <= 0xFF:
		out = append(out, 0x81, byte(n))
	default:
		out = append(out, 0x82, byte(n>>8), byte(n))
	}
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
