// Package lds parses (and, for the virtual card, builds) the data
// structures of the ICAO 9303 Logical Data Structure: BER-TLV, EF.COM,
// SecurityInfos, data groups and EF.SOD. Every input is bounded and parsed
// defensively: it comes from a card that may be hostile.
package lds

import (
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// MaxLength bounds any single TLV value. ICAO files fit in far less (a DG2
// with a large JPEG 2000 face is a few hundred KiB); a card announcing more
// is treated as broken rather than trusted with an allocation.
const MaxLength = 1 << 20

// TLV is one BER-TLV element. Tag holds the tag bytes as a big-endian number
// (for example 0x5F1F or 0x7F61).
type TLV struct {
	Tag   uint32
	Value []byte
	// Raw is the whole encoded element (tag, length and value).
	Raw []byte
}

// Constructed reports whether the tag has the constructed bit set.
func (t TLV) Constructed() bool {
	first := t.Tag
	for first > 0xFF {
		first >>= 8
	}
	return first&0x20 != 0
}

// ParseTLV decodes the first TLV element of b and returns it with the rest.
func ParseTLV(b []byte) (TLV, []byte, error) {
	bad := func(detail string) (TLV, []byte, error) {
		return TLV{}, nil, chiperr.New(chiperr.Malformed, "parse TLV", detail)
	}
	if len(b) == 0 {
		return bad("empty input")
	}
	i := 0
	tag := uint32(b[0])
	i++
	if b[0]&0x1F == 0x1F { // multi-byte tag
		for {
			if i >= len(b) {
				return bad("truncated tag")
			}
			if i >= 4 {
				return bad("tag longer than 4 bytes")
			}
			tag = tag<<8 | uint32(b[i])
			i++
			if b[i-1]&0x80 == 0 {
				break
			}
		}
	}
	if i >= len(b) {
		return bad("missing length")
	}
	l := int(b[i])
	i++
	if l == 0x80 {
		return bad("indefinite length not allowed")
	}
	if l > 0x80 {
		n := l & 0x7F
		if n > 3 {
			return TLV{}, nil, chiperr.Newf(chiperr.TooLarge, "parse TLV", "length field of %d bytes", n)
		}
		if i+n > len(b) {
			return bad("truncated length")
		}
		l = 0
		for _, c := range b[i : i+n] {
			l = l<<8 | int(c)
		}
		i += n
	}
	if l > MaxLength {
		return TLV{}, nil, chiperr.Newf(chiperr.TooLarge, "parse TLV", "length %d above %d", l, MaxLength)
	}
	if l > len(b)-i {
		return bad("value shorter than its length")
	}
	return TLV{Tag: tag, Value: b[i : i+l], Raw: b[:i+l]}, b[i+l:], nil
}

// ParseAll decodes a sequence of TLV elements that fills b exactly.
func ParseAll(b []byte) ([]TLV, error) {
	var out []TLV
	for len(b) > 0 {
		t, rest, err := ParseTLV(b)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
		b = rest
	}
	return out, nil
}

// Find returns the first element with the given tag among the direct
// children encoded in b.
func Find(b []byte, tag uint32) (TLV, bool, error) {
	all, err := ParseAll(b)
	if err != nil {
		return TLV{}, false, err
	}
	for _, t := range all {
		if t.Tag == tag {
			return t, true, nil
		}
	}
	return TLV{}, false, nil
}

// HeaderLength returns how many bytes the tag and length of the TLV at the
// start of b take and the announced value length, reading only as much as
// needed. It lets a file reader learn a file's size from its first bytes.
func HeaderLength(b []byte) (header, value int, err error) {
	if len(b) == 0 {
		return 0, 0, chiperr.New(chiperr.Malformed, "parse TLV header", "empty input")
	}
	i := 1
	if b[0]&0x1F == 0x1F {
		for {
			if i >= len(b) || i >= 4 {
				return 0, 0, chiperr.New(chiperr.Malformed, "parse TLV header", "truncated tag")
			}
			i++
			if b[i-1]&0x80 == 0 {
				break
			}
		}
	}
	if i >= len(b) {
		return 0, 0, chiperr.New(chiperr.Malformed, "parse TLV header", "missing length")
	}
	l := int(b[i])
	i++
	if l == 0x80 {
		return 0, 0, chiperr.New(chiperr.Malformed, "parse TLV header", "indefinite length")
	}
	if l > 0x80 {
		n := l & 0x7F
		if n > 3 {
			return 0, 0, chiperr.Newf(chiperr.TooLarge, "parse TLV header", "length field of %d bytes", n)
		}
		if i+n > len(b) {
			return 0, 0, chiperr.New(chiperr.Malformed, "parse TLV header", "truncated length")
		}
		l = 0
		for _, c := range b[i : i+n] {
			l = l<<8 | int(c)
		}
		i += n
	}
	return i, l, nil
}

// Encode builds a TLV element whose value is the concatenation of parts.
func Encode(tag uint32, parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n+8)
	switch {
	case tag > 0xFFFFFF:
		out = append(out, byte(tag>>24), byte(tag>>16), byte(tag>>8), byte(tag))
	case tag > 0xFFFF:
		out = append(out, byte(tag>>16), byte(tag>>8), byte(tag))
	case tag > 0xFF:
		out = append(out, byte(tag>>8), byte(tag))
	default:
		out = append(out, byte(tag))
	}
	out = append(out, EncodeLength(n)...)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// EncodeLength gives the DER length octets for n.
func EncodeLength(n int) []byte {
	switch {
	case n < 0x80:
		return []byte{byte(n)}
	case n <= 0xFF:
		return []byte{0x81, byte(n)}
	case n <= 0xFFFF:
		return []byte{0x82, byte(n >> 8), byte(n)}
	default:
		return []byte{0x83, byte(n >> 16), byte(n >> 8), byte(n)}
	}
}
