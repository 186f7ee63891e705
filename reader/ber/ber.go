// Package ber is the one reader of tag-length-value encodings in this
// module: the BER-TLV of ISO 7816-4 and ICAO 9303 (data groups, secure
// messaging, PACE and Chip Authentication data objects), DER (certificates,
// signed attributes) and the BER that streaming CMS encoders write around
// EF.SOD (indefinite lengths, constructed OCTET STRINGs).
//
// Like golang.org/x/crypto/cryptobyte, which crypto/x509 reads certificates
// with, it slices the input without copying and keeps every element's raw
// encoding, so that a signature can be checked over exactly the bytes that
// were read. Unlike cryptobyte it returns typed errors (chiperr.Malformed,
// or chiperr.TooLarge for a length, a depth or a count beyond the bounds)
// naming the operation that failed: the input comes from a card, a file or
// a network and may be hostile.
package ber

import "github.com/cnie-reader/cnie-reader/reader/chiperr"

// MaxLength bounds any single value. ICAO files fit in far less (a DG2 with
// a large JPEG 2000 face is a few hundred KiB); an element announcing more
// is treated as broken rather than trusted with an allocation.
const MaxLength = 1 << 20

// MaxDepth bounds the nesting of indefinite lengths and of constructed
// OCTET STRING segments (a streamed EF.SOD nests 7).
const MaxDepth = 12

// Element is one encoded element. Tag holds the tag bytes as a big-endian
// number (0x30, 0x5F1F, 0x7F61...).
type Element struct {
	Tag uint32
	// Value is the contents octets; for an indefinite length, everything
	// between the header and the end-of-contents octets.
	Value []byte
	// Raw is the whole encoded element: tag, length, value and, for an
	// indefinite length, the end-of-contents octets.
	Raw []byte
}

// Constructed reports whether the tag has the constructed bit set.
func (e Element) Constructed() bool {
	first := e.Tag
	for first > 0xFF {
		first >>= 8
	}
	return first&0x20 != 0
}

// Rules say which encodings a [Decoder] accepts.
type Rules uint8

const (
	// TLV is the BER-TLV of ISO 7816-4 and ICAO 9303: definite lengths in
	// any form (non-minimal ones included), tags of up to 4 bytes.
	TLV Rules = iota
	// DER requires minimal tags and lengths (X.690 §10.1).
	DER
	// BER also accepts non-minimal lengths and the indefinite length on
	// constructed elements (X.690 §8.1.3.6).
	BER
)

// Decoder reads elements under one set of Rules; its errors name Op (for
// example "parse EF.SOD"), the operation a caller reports.
type Decoder struct {
	Rules Rules
	Op    string
}

// tlv is the decoder of the package-level TLV functions.
var tlv = Decoder{Rules: TLV, Op: "parse TLV"}

func (d Decoder) malformed(format string, args ...any) error {
	return chiperr.Newf(chiperr.Malformed, d.Op, format, args...)
}

func (d Decoder) tooLarge(format string, args ...any) error {
	return chiperr.Newf(chiperr.TooLarge, d.Op, format, args...)
}

// Read decodes the element at the start of b and returns it with the rest.
func (d Decoder) Read(b []byte) (Element, []byte, error) {
	return d.read(b, 0)
}

func (d Decoder) read(b []byte, depth int) (Element, []byte, error) {
	switch {
	case len(b) == 0 && d.Rules == TLV:
		return Element{}, nil, d.malformed("empty input")
	case len(b) < 2 && d.Rules != TLV:
		return Element{}, nil, d.malformed("truncated element")
	}
	tag, i, err := d.tag(b)
	if err != nil {
		return Element{}, nil, err
	}
	if i >= len(b) {
		return Element{}, nil, d.malformed("missing length")
	}
	if b[i] == 0x80 {
		return d.indefinite(b, i+1, tag, depth)
	}
	l, n, err := d.length(b[i:])
	if err != nil {
		return Element{}, nil, err
	}
	i += n
	if l > MaxLength {
		return Element{}, nil, d.tooLarge("length %d above %d", l, MaxLength)
	}
	if l > len(b)-i {
		return Element{}, nil, d.malformed("value shorter than its length")
	}
	return Element{Tag: tag, Value: b[i : i+l], Raw: b[: i+l : i+l]}, b[i+l:], nil
}

// tag reads the tag at the start of b, of at most 4 bytes, and returns it
// with the offset of the length octets.
func (d Decoder) tag(b []byte) (uint32, int, error) {
	tag := uint32(b[0])
	i := 1
	if b[0]&0x1F != 0x1F { // low tag number form
		return tag, i, nil
	}
	for {
		switch {
		case i >= len(b):
			return 0, 0, d.malformed("truncated tag")
		case i >= 4:
			return 0, 0, d.malformed("tag longer than 4 bytes")
		case i == 1 && b[1] == 0x80 && d.Rules != TLV:
			return 0, 0, d.malformed("tag number not minimally encoded")
		}
		tag = tag<<8 | uint32(b[i])
		i++
		if b[i-1]&0x80 == 0 {
			return tag, i, nil
		}
	}
}

// length reads a definite length at the start of b (not 0x80) and returns
// it with the number of length octets.
func (d Decoder) length(b []byte) (l, n int, err error) {
	if b[0] < 0x80 {
		return int(b[0]), 1, nil
	}
	k := int(b[0] & 0x7F)
	if k > 3 {
		return 0, 0, d.tooLarge("length field of %d bytes", k)
	}
	if len(b)-1 < k {
		return 0, 0, d.malformed("truncated length")
	}
	for _, c := range b[1 : 1+k] {
		l = l<<8 | int(c)
	}
	if d.Rules == DER && (b[1] == 0 || l < 0x80) {
		return 0, 0, d.malformed("length not minimally encoded (not DER)")
	}
	return l, 1 + k, nil
}

// indefinite finishes read for the indefinite form, whose header ends at
// b[i]: the value runs to the matching end-of-contents octets.
func (d Decoder) indefinite(b []byte, i int, tag uint32, depth int) (Element, []byte, error) {
	switch {
	case d.Rules == TLV:
		return Element{}, nil, d.malformed("indefinite length not allowed")
	case d.Rules == DER:
		return Element{}, nil, d.malformed("indefinite length where DER is required")
	case b[0]&0x20 == 0:
		return Element{}, nil, d.malformed("indefinite length on a primitive element")
	case depth >= MaxDepth:
		return Element{}, nil, d.tooLarge("indefinite lengths nested deeper than %d", MaxDepth)
	}
	rest := b[i:]
	for {
		if len(rest) >= 2 && rest[0] == 0 && rest[1] == 0 {
			end := len(b) - len(rest)
			if end-i > MaxLength {
				return Element{}, nil, d.tooLarge("length %d above %d", end-i, MaxLength)
			}
			return Element{Tag: tag, Value: b[i:end], Raw: b[: end+2 : end+2]}, rest[2:], nil
		}
		if len(rest) == 0 {
			return Element{}, nil, d.malformed("truncated: end-of-contents missing")
		}
		_, r, err := d.read(rest, depth+1)
		if err != nil {
			return Element{}, nil, err
		}
		rest = r
	}
}

// ReadAll decodes the elements that fill b exactly, at most max of them
// (max < 0: no bound); what names the list in errors.
func (d Decoder) ReadAll(b []byte, max int, what string) ([]Element, error) {
	var out []Element
	for len(b) > 0 {
		if len(out) == max {
			return nil, d.tooLarge("%s: more than %d elements", what, max)
		}
		e, rest, err := d.read(b, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		b = rest
	}
	return out, nil
}

// Explicit returns the single element inside the EXPLICIT tag of e.
func (d Decoder) Explicit(e Element, tag uint32, what string) (Element, error) {
	if e.Tag != tag {
		return Element{}, d.malformed("%s: tag %X, want %X", what, e.Tag, tag)
	}
	in, err := d.ReadAll(e.Value, 2, what)
	if err != nil {
		return Element{}, err
	}
	if len(in) != 1 {
		return Element{}, d.malformed("%s: %d elements inside the explicit tag", what, len(in))
	}
	return in[0], nil
}

// Octets returns the value of an OCTET STRING; under BER it also joins the
// segments of the constructed form (24) that streaming encoders write.
func (d Decoder) Octets(e Element) ([]byte, error) {
	return d.octets(e, 0)
}

func (d Decoder) octets(e Element, depth int) ([]byte, error) {
	switch {
	case e.Tag == 0x04:
		return e.Value, nil
	case e.Tag != 0x24:
		return nil, d.malformed("not an OCTET STRING")
	case d.Rules != BER:
		return nil, d.malformed("constructed OCTET STRING where DER is required")
	case depth >= MaxDepth:
		return nil, d.tooLarge("OCTET STRING segments nested deeper than %d", MaxDepth)
	}
	var out []byte
	for rest := e.Value; len(rest) > 0; {
		seg, r, err := d.read(rest, 0)
		if err != nil {
			return nil, err
		}
		v, err := d.octets(seg, depth+1)
		if err != nil {
			return nil, err
		}
		if len(out)+len(v) > MaxLength {
			return nil, d.tooLarge("OCTET STRING above %d bytes", MaxLength)
		}
		out = append(out, v...)
		rest = r
	}
	return out, nil
}

// IsDER reports whether raw is exactly one DER element.
func IsDER(raw []byte) bool {
	_, rest, err := Decoder{Rules: DER}.read(raw, 0)
	return err == nil && len(rest) == 0
}
