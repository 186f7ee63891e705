package vds

import (
	"bytes"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// FuzzParse feeds hostile bytes to Parse. Besides "no panic" and "typed
// errors", an accepted seal must be exactly its signed data plus the
// signature zone, and re-encoding its header and fields must parse back
// to the same seal.
func FuzzParse(f *testing.F) {
	for _, ex := range examples {
		f.Add(testhex.Bytes(f, ex.hex))
	}
	if raw, err := Build(testHeader(3), visaFields, newKey(f, "P-256")); err == nil {
		f.Add(raw)
	}
	f.Add([]byte{0xDC, 0x03})
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := Parse(in)
		if err != nil {
			if ReasonOf(err) == 0 || chiperr.KindOf(err) == 0 {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		zone := append([]byte{signatureTag}, ber.EncodeLength(len(s.Signature))...)
		if !bytes.HasPrefix(in, s.SignedData) || !bytes.HasSuffix(in, s.Signature) ||
			len(s.SignedData)+len(s.Signature)+len(zone) > len(in) || len(s.Fields) == 0 {
			t.Fatal("signed data and signature do not tile the input")
		}
		again, err := encodeSigned(s.Header, s.Fields)
		if err != nil {
			t.Fatalf("accepted seal does not re-encode: %v", err)
		}
		s2, err := Parse(append(append(again, zone...), s.Signature...))
		if err != nil {
			t.Fatalf("re-encoded seal does not parse: %v", err)
		}
		if s2.Header != s.Header || s2.Profile != s.Profile || len(s2.Fields) != len(s.Fields) {
			t.Fatal("re-encoded header differs")
		}
		for i := range s.Fields {
			a, b := s.Fields[i], s2.Fields[i]
			if a.Tag != b.Tag || a.Text != b.Text || !bytes.Equal(a.Raw, b.Raw) {
				t.Fatalf("field %d differs after re-encoding", i)
			}
		}
	})
}
