package vds

import (
	"strconv"
	"strings"
	"time"
)

// Magic is the first byte of every seal (ICAO 9303-13 §2.2).
const Magic = 0xDC

// Raw version bytes: the byte is the standard's version minus one.
const (
	rawVersion3 = 0x02 // fixed 5-character certificate reference
	rawVersion4 = 0x03 // 2 hex characters of length, then the reference
)

// Header is the seal header (ICAO 9303-13 §2.2, BSI TR-03137 §3.2.1).
type Header struct {
	// Version is the standard's version: 3 (byte 0x02) or 4 (byte 0x03).
	Version int
	// Country is the issuing state or organization, 3 characters with '<'
	// fillers (e.g. "D<<", "UTO").
	Country string
	// SignerID is the signer identifier: 2-letter country and 2 characters
	// naming the signer within it (e.g. "DETS"); it is the C and CN of the
	// signer certificate's subject.
	SignerID string
	// CertificateRef is the certificate reference, the signer certificate's
	// serial number in hex: 5 characters in version 3, 0 to 255 in version 4.
	CertificateRef string
	// IssueDate and SignatureDate are dates (UTC midnight).
	IssueDate, SignatureDate time.Time
	// FeatureRef is the document feature definition reference and Category
	// the document type category; together they select the Profile.
	FeatureRef, Category byte
}

// parseHeader reads the header at the start of b and returns its length.
func parseHeader(b []byte) (Header, int, error) {
	const op = "header"
	var h Header
	r := reader{b: b, op: op}
	magic, err := r.bytes(1, "magic constant")
	if err != nil {
		return h, 0, err
	}
	if magic[0] != Magic {
		return h, 0, newErrf(NotVDS, op, "first byte %#02x", magic[0])
	}
	v, err := r.bytes(1, "version")
	if err != nil {
		return h, 0, err
	}
	switch v[0] {
	case rawVersion3:
		h.Version = 3
	case rawVersion4:
		h.Version = 4
	default:
		return h, 0, newErrf(UnsupportedVersion, op, "version byte %#02x", v[0])
	}
	country, err := r.c40(2, true, "issuing country")
	if err != nil {
		return h, 0, err
	}
	if len(country) != 3 {
		return h, 0, newErr(Malformed, op, "issuing country is not 3 characters")
	}
	h.Country = strings.ReplaceAll(country, " ", "<")

	if h.Version == 3 {
		// 9 characters in 6 bytes: signer identifier (4) and reference (5).
		s, err := r.c40(6, true, "signer and certificate reference")
		if err != nil {
			return h, 0, err
		}
		if len(s) != 9 {
			return h, 0, newErr(Malformed, op, "signer and certificate reference is not 9 characters")
		}
		h.SignerID, h.CertificateRef = s[:4], s[4:]
	} else {
		// 6 characters in 4 bytes: signer identifier and the reference
		// length in hex; then the reference, continuing the same C40 run.
		s, err := r.c40(4, false, "signer identifier")
		if err != nil {
			return h, 0, err
		}
		n, err := strconv.ParseUint(s[4:], 16, 8)
		if err != nil || strings.ContainsAny(s[4:], "+- ") {
			return h, 0, newErr(Malformed, op, "certificate reference length is not 2 hex digits")
		}
		ref, err := r.c40(C40Len(int(n)), true, "certificate reference")
		if err != nil {
			return h, 0, err
		}
		if len(ref) != int(n) {
			return h, 0, newErrf(Malformed, op, "certificate reference of %d characters, announced %d", len(ref), n)
		}
		h.SignerID, h.CertificateRef = s[:4], ref
	}
	if strings.Contains(h.SignerID+h.CertificateRef, " ") {
		return h, 0, newErr(Malformed, op, "space in signer identifier or certificate reference")
	}
	if h.IssueDate, err = r.date("document issue date"); err != nil {
		return h, 0, err
	}
	if h.SignatureDate, err = r.date("signature creation date"); err != nil {
		return h, 0, err
	}
	refCat, err := r.bytes(2, "feature reference and category")
	if err != nil {
		return h, 0, err
	}
	h.FeatureRef, h.Category = refCat[0], refCat[1]
	return h, r.off, nil
}

// encode returns the header bytes, checking every field.
func (h Header) encode() ([]byte, error) {
	const op = "build header"
	out := []byte{Magic}
	switch h.Version {
	case 3:
		out = append(out, rawVersion3)
	case 4:
		out = append(out, rawVersion4)
	default:
		return nil, newErrf(BadInput, op, "version %d (want 3 or 4)", h.Version)
	}
	if len(h.Country) != 3 {
		return nil, newErr(BadInput, op, "issuing country must be 3 characters")
	}
	c, err := EncodeC40(h.Country)
	if err != nil {
		return nil, newErr(BadInput, op, "issuing country is not C40")
	}
	out = append(out, c...)
	if len(h.SignerID) != 4 || strings.ContainsAny(h.SignerID+h.CertificateRef, " <") {
		return nil, newErr(BadInput, op, "signer identifier must be 4 characters, without spaces")
	}
	var s string
	if h.Version == 3 {
		if len(h.CertificateRef) != 5 {
			return nil, newErr(BadInput, op, "version 3 certificate reference must be 5 characters")
		}
		s = h.SignerID + h.CertificateRef
	} else {
		if len(h.CertificateRef) > 0xFF {
			return nil, newErr(BadInput, op, "certificate reference longer than 255 characters")
		}
		s = h.SignerID + strings.ToUpper(strconv.FormatUint(uint64(len(h.CertificateRef))|0x100, 16)[1:]) + h.CertificateRef
	}
	sc, err := EncodeC40(s)
	if err != nil {
		return nil, newErr(BadInput, op, "signer identifier or certificate reference is not C40")
	}
	out = append(out, sc...)
	for _, d := range []time.Time{h.IssueDate, h.SignatureDate} {
		db, err := EncodeDate(d)
		if err != nil {
			return nil, err
		}
		out = append(out, db...)
	}
	return append(out, h.FeatureRef, h.Category), nil
}

// EncodeDate gives the 3-byte form of a date: the integer MMDDYYYY, big
// endian (BSI TR-03137 §3.2.3: 25 March 1957 is 03251957 = 0x319EF5).
func EncodeDate(t time.Time) ([]byte, error) {
	y, m, d := t.Date()
	if y < 1 || y > 9999 {
		return nil, newErrf(BadInput, "encode date", "year %d", y)
	}
	v := int(m)*1000000 + d*10000 + y
	return []byte{byte(v >> 16), byte(v >> 8), byte(v)}, nil
}

// DecodeDate parses the 3-byte MMDDYYYY form; impossible dates (month 13,
// 30 February, year 0) are Malformed.
func DecodeDate(b []byte) (time.Time, error) {
	const op = "decode date"
	if len(b) != 3 {
		return time.Time{}, newErrf(Malformed, op, "%d bytes, want 3", len(b))
	}
	v := int(b[0])<<16 | int(b[1])<<8 | int(b[2])
	m, d, y := v/1000000, v/10000%100, v%10000
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y < 1 || m < 1 || m > 12 || d < 1 || t.Day() != d || int(t.Month()) != m {
		return time.Time{}, newErr(Malformed, op, "not a calendar date")
	}
	return t, nil
}

// reader walks the header with bounds checks.
type reader struct {
	b   []byte
	off int
	op  string
}

func (r *reader) bytes(n int, what string) ([]byte, error) {
	if n > len(r.b)-r.off {
		return nil, newErrf(Truncated, r.op, "%s: %d bytes missing", what, n-(len(r.b)-r.off))
	}
	v := r.b[r.off : r.off+n]
	r.off += n
	return v, nil
}

func (r *reader) c40(n int, final bool, what string) (string, error) {
	b, err := r.bytes(n, what)
	if err != nil {
		return "", err
	}
	s, err := decodeC40(b, final)
	if err != nil {
		return "", &Error{Kind: Malformed, Op: r.op, Detail: what, Err: err}
	}
	return s, nil
}

func (r *reader) date(what string) (time.Time, error) {
	b, err := r.bytes(3, what)
	if err != nil {
		return time.Time{}, err
	}
	t, err := DecodeDate(b)
	if err != nil {
		return time.Time{}, &Error{Kind: Malformed, Op: r.op, Detail: what, Err: err}
	}
	return t, nil
}
