package twoddoc

import (
	"bytes"
	"encoding/base32"
	"time"
)

// MaxPayload bounds the input: a DataMatrix ECC200 holds at most 3116
// characters, so anything longer did not come from one.
const MaxPayload = 4096

// Seal is a parsed 2D-Doc. Nothing in it is trustworthy before Verify
// succeeds, and the Annex never is (it is not signed).
type Seal struct {
	Version       int    // 2, 3 or 4
	Authority     string // certificate authority id, e.g. "FR05"; "FR00" is the test authority
	CertificateID string // signer certificate id within the authority
	IssueDate     *time.Time
	SignatureDate *time.Time
	DocumentType  DocumentType
	Perimeter     string // "" for version 2
	Country       string // "" before version 4
	Fields        []Field

	SignedData []byte // header and message: every byte before the US
	Signature  []byte // r||s
	Annex      []byte // raw unsigned annex after the signature; nil if none

	// Warnings are parse remarks that do not stop the reading (unknown
	// identifiers, values that break their definition). They name field
	// identifiers, never values.
	Warnings []string
}

// CertificateRef is the pair naming the signer certificate, e.g. "FR050001".
func (s *Seal) CertificateRef() string { return s.Authority + s.CertificateID }

// Header returns the header values, as Build takes them.
func (s *Seal) Header() Header {
	return Header{Version: s.Version, Authority: s.Authority, CertificateID: s.CertificateID,
		IssueDate: s.IssueDate, SignatureDate: s.SignatureDate, DocumentType: s.DocumentType.ID,
		Perimeter: s.Perimeter, Country: s.Country}
}

// Field returns the first field with the given identifier.
func (s *Seal) Field(id string) (Field, bool) {
	for _, f := range s.Fields {
		if f.ID == id {
			return f, true
		}
	}
	return Field{}, false
}

// IsTwoDDoc tells cheaply whether b looks like a 2D-Doc payload (marker,
// supported version, a separator before the signature), to pick a parser
// for a decoded barcode. Parse still decides.
func IsTwoDDoc(b []byte) bool {
	if len(b) < 4 || len(b) > MaxPayload {
		return false
	}
	v, err := parseVersion(b)
	if err != nil {
		return false
	}
	n := headerLen(v)
	return len(b) > n && bytes.IndexByte(b[n:], US) >= 0
}

// Parse reads a 2D-Doc payload as decoded from its DataMatrix. It checks the
// syntax only; call Verify with the signer's key before trusting anything.
func Parse(b []byte) (*Seal, error) {
	if len(b) > MaxPayload {
		return nil, newErr(TooLarge, "%d bytes", len(b))
	}
	if len(b) < 4 {
		if len(b) >= 2 && (b[0] != 'D' || b[1] != 'C') {
			return nil, newErr(NotTwoDDoc, "no DC marker")
		}
		return nil, newErr(Truncated, "%d bytes", len(b))
	}
	version, err := parseVersion(b)
	if err != nil {
		return nil, err
	}
	n := headerLen(version)
	if len(b) < n {
		return nil, newErr(Truncated, "header of %d bytes, version %02d needs %d", len(b), version, n)
	}
	h, err := parseHeader(b[:n], version)
	if err != nil {
		return nil, err
	}
	us := bytes.IndexByte(b[n:], US)
	if us < 0 {
		return nil, newErr(NoSignature, "no unit separator")
	}
	us += n
	s := &Seal{
		Version:       h.Version,
		Authority:     h.Authority,
		CertificateID: h.CertificateID,
		IssueDate:     h.IssueDate,
		SignatureDate: h.SignatureDate,
		Perimeter:     h.Perimeter,
		Country:       h.Country,
		SignedData:    bytes.Clone(b[:us]),
	}
	var known bool
	if s.DocumentType, known = LookupDocumentType(h.Perimeter, h.DocumentType); !known {
		s.Warnings = append(s.Warnings, "document type "+h.DocumentType+" not in the table")
	}
	if h.Perimeter != "" && h.Perimeter != tablePerimeter {
		s.Warnings = append(s.Warnings, "perimeter "+h.Perimeter+" has no table: fields kept raw")
	}
	fields, warnings, err := ParseFields(h.Perimeter, b[n:us])
	if err != nil {
		return nil, err
	}
	s.Fields = fields
	s.Warnings = append(s.Warnings, warnings...)

	sig := b[us+1:]
	// The annex follows a GS (specification); a second US is accepted too.
	if k := bytes.IndexAny(sig, "\x1d\x1f"); k >= 0 {
		if k+1 < len(sig) {
			s.Annex = bytes.Clone(sig[k+1:])
		}
		sig = sig[:k]
	}
	if len(sig) == 0 {
		return nil, newErr(NoSignature, "empty signature")
	}
	if s.Signature, err = decodeBase32(sig); err != nil {
		return nil, err
	}
	if _, ok := curveForSignature(len(s.Signature)); !ok {
		return nil, newErr(UnsupportedSignature, "signature of %d bytes", len(s.Signature))
	}
	return s, nil
}

// decodeBase32 decodes RFC 4648 Base32 with or without "=" padding and
// refuses non-canonical text (non-zero trailing bits, wrong padding), so
// that a signature has exactly one spelling.
func decodeBase32(t []byte) ([]byte, error) {
	body := bytes.TrimRight(t, "=")
	padded := len(body) != len(t)
	raw := base32.StdEncoding.WithPadding(base32.NoPadding)
	out := make([]byte, raw.DecodedLen(len(body)))
	n, err := raw.Decode(out, body)
	if err != nil {
		return nil, newErr(BadBase32, "invalid Base32 text")
	}
	out = out[:n]
	canon := raw.EncodeToString(out)
	if padded {
		canon = base32.StdEncoding.EncodeToString(out)
	}
	if canon != string(t) {
		return nil, newErr(BadBase32, "non-canonical Base32 text")
	}
	return out, nil
}
