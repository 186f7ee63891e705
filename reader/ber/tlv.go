package ber

// ParseTLV decodes the first BER-TLV element of b (rules [TLV]) and
// returns it with the rest.
func ParseTLV(b []byte) (Element, []byte, error) {
	return tlv.Read(b)
}

// ParseAll decodes a sequence of BER-TLV elements that fills b exactly.
func ParseAll(b []byte) ([]Element, error) {
	return tlv.ReadAll(b, -1, "elements")
}

// Find returns the first element with the given tag among the BER-TLV
// elements that fill b.
func Find(b []byte, tag uint32) (Element, bool, error) {
	all, err := ParseAll(b)
	if err != nil {
		return Element{}, false, err
	}
	for _, e := range all {
		if e.Tag == tag {
			return e, true, nil
		}
	}
	return Element{}, false, nil
}

// HeaderLength returns how many bytes the tag and length of the BER-TLV
// element at the start of b take and the announced value length, reading
// only as much as needed. It lets a file reader learn a file's size from
// its first bytes.
func HeaderLength(b []byte) (header, value int, err error) {
	d := Decoder{Rules: TLV, Op: "parse TLV header"}
	if len(b) == 0 {
		return 0, 0, d.malformed("empty input")
	}
	_, i, err := d.tag(b)
	if err != nil {
		return 0, 0, err
	}
	switch {
	case i >= len(b):
		return 0, 0, d.malformed("missing length")
	case b[i] == 0x80:
		return 0, 0, d.malformed("indefinite length")
	}
	l, n, err := d.length(b[i:])
	if err != nil {
		return 0, 0, err
	}
	return i + n, l, nil
}

// Encode builds an element whose value is the concatenation of parts, with
// a minimal (DER) length.
func Encode(tag uint32, parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	return AppendElement(make([]byte, 0, n+8), tag, parts...)
}

// AppendElement appends to out the element Encode builds and returns the
// extended slice.
func AppendElement(out []byte, tag uint32, parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
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

// ReadLength reads the definite length octets at the start of b (at most
// 3 bytes after the first, as in [TLV]) and returns the length with the
// number of octets read. Formats that borrow BER's lengths without its
// tags, such as the message zone of a visible digital seal, read them here.
func ReadLength(b []byte) (l, n int, err error) {
	switch {
	case len(b) == 0:
		return 0, 0, tlv.malformed("missing length")
	case b[0] == 0x80:
		return 0, 0, tlv.malformed("indefinite length not allowed")
	}
	return tlv.length(b)
}
