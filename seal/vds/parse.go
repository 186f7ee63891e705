package vds

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cnie-reader/cnie-reader/reader/ber"
)

// Bounds on a seal.
const (
	// MaxSize bounds a seal: a QR code holds at most 2953 bytes and the
	// largest DataMatrix 1556.
	MaxSize = 4096
	// MaxSignatureSize is r || s on the largest supported curve (P-521).
	MaxSignatureSize = 2 * 66
	// signatureTag opens the signature zone.
	signatureTag = 0xFF
)

// Field is one document feature of the message zone.
type Field struct {
	Tag            byte
	NameFR, NameEN string
	Kind           Kind
	// Text is the decoded value (see Kind); for unknown tags the hex of Raw.
	Text string
	// Raw is the value exactly as encoded in the seal.
	Raw []byte
}

// Seal is a parsed Visible Digital Seal. Its signature is not checked:
// call Verify.
type Seal struct {
	Header
	// Profile is the ID of the document profile ("icao-visa", ...), or ""
	// when the feature reference and category are unknown.
	Profile string
	Fields  []Field
	// SignedData is every byte before the signature tag (header and
	// message zone), exactly as read: the signature covers it.
	SignedData []byte
	// Signature is the plain ECDSA signature r || s.
	Signature []byte
}

// Field returns the field with a tag.
func (s *Seal) Field(tag byte) (Field, bool) {
	for _, f := range s.Fields {
		if f.Tag == tag {
			return f, true
		}
	}
	return Field{}, false
}

// IsVDS tells whether b looks like a seal (magic constant and a known
// version), so that a scanner can route a bar code without a full parse.
func IsVDS(b []byte) bool {
	return len(b) >= 2 && b[0] == Magic && (b[1] == rawVersion3 || b[1] == rawVersion4)
}

// Parse decodes a seal from the bytes of its bar code. Features of known
// profiles are decoded by their kind; a value that does not decode (bad
// C40, bad UTF-8) makes the seal Malformed. Unknown tags are kept raw.
func Parse(b []byte) (*Seal, error) {
	if len(b) > MaxSize {
		return nil, newErrf(TooLarge, "parse", "%d bytes (max %d)", len(b), MaxSize)
	}
	data := bytes.Clone(b) // the Seal never aliases the caller's buffer
	h, off, err := parseHeader(data)
	if err != nil {
		return nil, err
	}
	s := &Seal{Header: h}
	prof, known := ProfileFor(h.FeatureRef, h.Category)
	if known {
		s.Profile = prof.ID
	}
	const op = "message zone"
	seen := map[byte]bool{}
	for {
		if off == len(data) {
			return nil, newErr(NoSignature, op, "no signature tag 0xFF")
		}
		start := off
		tag := data[off]
		n, hl, err := parseLength(data[off+1:])
		if err != nil {
			return nil, err
		}
		off += 1 + hl
		if n > len(data)-off {
			return nil, newErrf(Truncated, op, "tag %#02x announces %d bytes, %d left", tag, n, len(data)-off)
		}
		val := data[off : off+n : off+n]
		off += n
		if tag == signatureTag {
			if off != len(data) {
				return nil, newErrf(Malformed, "signature zone", "%d bytes after the signature", len(data)-off)
			}
			if n == 0 || n%2 != 0 || n > MaxSignatureSize {
				return nil, newErrf(Malformed, "signature zone", "signature of %d bytes", n)
			}
			s.SignedData = data[:start:start]
			s.Signature = val
			break
		}
		if seen[tag] {
			return nil, newErrf(Malformed, op, "tag %#02x repeated", tag)
		}
		seen[tag] = true
		f, err := decodeField(prof, tag, val)
		if err != nil {
			return nil, err
		}
		s.Fields = append(s.Fields, f)
	}
	if len(s.Fields) == 0 {
		// BSI TR-03137 §3.2: the message zone holds at least one feature.
		return nil, newErr(Malformed, op, "no document feature")
	}
	return s, nil
}

// parseLength reads a DER-style length: one byte below 0x80, else 0x81 or
// 0x82 and that many bytes (ICAO 9303-13 message zone).
func parseLength(b []byte) (n, headerLen int, err error) {
	const op = "message zone"
	switch {
	case len(b) == 0:
		return 0, 0, newErr(Truncated, op, "length missing")
	case b[0] == 0x80:
		return 0, 0, newErr(Malformed, op, "indefinite length")
	case b[0] > 0x82:
		return 0, 0, newErrf(TooLarge, op, "length field of %d bytes", b[0]&0x7F)
	}
	if n, headerLen, err = ber.ReadLength(b); err != nil {
		return 0, 0, newErr(Truncated, op, "length bytes missing")
	}
	return n, headerLen, nil
}

// decodeField names and decodes a value by the profile's spec for its tag.
func decodeField(p *Profile, tag byte, val []byte) (Field, error) {
	f := Field{Tag: tag, Kind: KindBinary, Raw: val}
	f.NameFR, f.NameEN = unknownFeatureNames(tag)
	var spec FeatureSpec
	if p != nil {
		if sp, ok := p.Feature(tag); ok {
			spec = sp
			f.NameFR, f.NameEN, f.Kind = sp.NameFR, sp.NameEN, sp.Kind
		}
	}
	text, err := decodeValue(spec, f.Kind, val)
	if err != nil {
		return Field{}, &Error{Kind: Malformed, Op: "message zone", Detail: fmt.Sprintf("tag %#02x (%s)", tag, f.Kind), Err: err}
	}
	f.Text = text
	return f, nil
}

func decodeValue(spec FeatureSpec, k Kind, val []byte) (string, error) {
	const op = "feature value"
	switch k {
	case KindC40:
		return DecodeC40(val)
	case KindMRZ:
		s, err := DecodeC40(val)
		if err != nil {
			return "", err
		}
		return mrzText(spec, strings.ReplaceAll(s, " ", "<")), nil
	case KindUTF8:
		if !utf8.Valid(val) {
			return "", newErr(Malformed, op, "not UTF-8")
		}
		return string(val), nil
	case KindDate:
		t, err := DecodeDate(val)
		if err != nil {
			return "", err
		}
		return t.Format("2006-01-02"), nil
	case KindInt:
		if len(val) != 1 {
			return "", newErrf(Malformed, op, "integer of %d bytes", len(val))
		}
		return strconv.Itoa(int(val[0])), nil
	case KindDuration:
		if len(val) != 3 {
			return "", newErrf(Malformed, op, "duration of %d bytes", len(val))
		}
		return fmt.Sprintf("P%dY%dM%dD", val[2], val[1], val[0]), nil
	}
	return hex.EncodeToString(val), nil
}

// mrzText restores the filler the profile truncated and splits the lines.
// A length that fits no line layout is returned unsplit.
func mrzText(spec FeatureSpec, s string) string {
	line := spec.MRZLine
	if line == 0 {
		return s
	}
	if spec.MRZChars > 0 && len(s) == spec.MRZChars {
		s += strings.Repeat("<", 2*line-len(s))
	}
	if len(s) != 2*line {
		return s
	}
	return s[:line] + "\n" + s[line:]
}
