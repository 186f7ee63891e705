package twoddoc

import (
	"errors"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// FuzzParse: hostile bytes only ever give a *Error with a kind, and what
// parses builds back (same header, same fields) and parses the same.
func FuzzParse(f *testing.F) {
	for _, sp := range specimens {
		f.Add([]byte(sp.payload))
	}
	f.Add([]byte(hdr3 + "10MME/SPECIMEN/NATA\x1e20\x1d26FR22RUE\x1e\x1f" + sig64 + "\x1d0112345"))
	f.Add([]byte("DC02FR000001125E125B01ZZ12\x1d62X\x1f" + sig64))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Parse(b)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || chiperr.KindOf(err) == 0 {
				t.Fatalf("error without a kind: %T %v", err, err)
			}
			return
		}
		h := s.Header()
		sign := func([]byte) ([]byte, error) { return s.Signature, nil }
		out, err := Build(h, s.Fields, sign)
		if err != nil {
			if errors.Is(err, TooLarge) {
				return // GS added after values that reached their maximum without one
			}
			t.Fatalf("build of a parsed seal: %v", err)
		}
		s2, err := Parse(out)
		if err != nil {
			t.Fatalf("rebuilt seal does not parse: %v", err)
		}
		if s2.Version != s.Version || s2.CertificateRef() != s.CertificateRef() || s2.DocumentType != s.DocumentType ||
			!sameDate(s2.IssueDate, s.IssueDate) || !sameDate(s2.SignatureDate, s.SignatureDate) ||
			s2.Perimeter != s.Perimeter || s2.Country != s.Country || len(s2.Fields) != len(s.Fields) ||
			string(s2.Signature) != string(s.Signature) {
			t.Fatalf("header or signature differ after rebuild")
		}
		for k := range s.Fields {
			if s2.Fields[k] != s.Fields[k] {
				t.Fatalf("field %d differs after rebuild: %+v / %+v", k, s.Fields[k], s2.Fields[k])
			}
		}
	})
}

// FuzzParseFields: the annex is read with ParseFields on its own.
func FuzzParseFields(f *testing.F) {
	f.Add([]byte("0112345\x1d6XLYON"))
	f.Add([]byte("10MME/SPECIMEN/NATA\x1e20\x1d26FR22RUE\x1e"))
	f.Add([]byte("6Q750312052162SPECIMEN\x1dZZ1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fields, _, err := ParseFields("01", b)
		if err != nil {
			if chiperr.KindOf(err) == 0 {
				t.Fatalf("error without a kind: %v", err)
			}
			return
		}
		n := 0
		for _, f := range fields {
			n += len(f.ID) + len(f.Value)
		}
		if n > len(b) {
			t.Fatalf("fields hold %d bytes of a %d-byte zone", n, len(b))
		}
	})
}
