package twoddoc

import (
	"bytes"
	"crypto/elliptic"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// A valid 64-byte signature text to glue after hand-made messages.
const sig64 = "FEDMPW5SO5BNZFYP7FIQUYZFV5H3OF6QERDMOBN7BZ4CC4KVJ4XWUH6EW3CSWILAGLN4XQE6AKHX6RNOI3OXVW6X3IKJASZGL62FBUQ"

const hdr3 = "DC03FR000001123F16360001"

func TestMalformed(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		want Reason
		kind chiperr.Kind
	}{
		{"empty", "", Truncated, chiperr.Malformed},
		{"marker only", "DC", Truncated, chiperr.Malformed},
		{"other marker short", "QR", NotTwoDDoc, chiperr.Malformed},
		{"other marker", "XX03FR000001123F16360001\x1f" + sig64, NotTwoDDoc, chiperr.Malformed},
		{"version letters", "DCA3FR000001123F16360001\x1f" + sig64, BadHeader, chiperr.Malformed},
		{"version 01", "DC01FR000001123F163600\x1f" + sig64, UnsupportedVersion, chiperr.Unsupported},
		{"version 05", "DC05FR000001123F163600010000FR\x1f" + sig64, UnsupportedVersion, chiperr.Unsupported},
		{"header cut v3", "DC03FR000001123F1636", Truncated, chiperr.Malformed},
		{"header cut v4", "DC04FR000001123F16360001F", Truncated, chiperr.Malformed},
		{"bad authority", "DC03FR-0000123F16360001\x1f" + sig64, BadHeader, chiperr.Malformed},
		{"bad cert id", "DC03FR0000a1123F16360001\x1f" + sig64, BadHeader, chiperr.Malformed},
		{"bad hex issue date", "DC03FR000001123G16360001\x1f" + sig64, BadDate, chiperr.Malformed},
		{"lower-case hex date", "DC03FR000001123f16360001\x1f" + sig64, BadDate, chiperr.Malformed},
		{"bad hex signature date", "DC03FR000001123F1 360001\x1f" + sig64, BadDate, chiperr.Malformed},
		{"bad document type", "DC03FR000001123F1636\x1d0001\x1f" + sig64, BadHeader, chiperr.Malformed},
		{"bad country", "DC04FR000001123F16360001F1\x1f" + sig64, BadHeader, chiperr.Malformed},
		{"missing US", hdr3 + "26FR2457000", NoSignature, chiperr.Malformed},
		{"empty signature", hdr3 + "26FR\x1f", NoSignature, chiperr.Malformed},
		{"empty signature before annex", hdr3 + "26FR\x1f\x1d0112", NoSignature, chiperr.Malformed},
		{"bad base32 char", hdr3 + "26FR\x1f" + sig64[:50] + "1" + sig64[51:], BadBase32, chiperr.Malformed},
		{"lower-case base32", hdr3 + "26FR\x1f" + strings.ToLower(sig64), BadBase32, chiperr.Malformed},
		{"base32 trailing bits", hdr3 + "26FR\x1f" + sig64[:102] + "R", BadBase32, chiperr.Malformed},
		{"base32 bad length", hdr3 + "26FR\x1f" + sig64[:102], BadBase32, chiperr.Malformed},
		{"base32 wrong padding", hdr3 + "26FR\x1f" + sig64 + "===", BadBase32, chiperr.Malformed},
		{"base32 trailing newline", hdr3 + "26FR\x1f" + sig64 + "\n", BadBase32, chiperr.Malformed},
		{"signature of 10 bytes", hdr3 + "26FR\x1fAAAAAAAAAAAAAAAA", UnsupportedSignature, chiperr.Unsupported},
		{"field id lower case", hdr3 + "2f FR\x1f" + sig64, BadField, chiperr.Malformed},
		{"field id cut", hdr3 + "26FR2\x1f" + sig64, Truncated, chiperr.Malformed},
		{"fixed value cut", hdr3 + "26FR2475\x1f" + sig64, Truncated, chiperr.Malformed},
		{"separator in fixed value", hdr3 + "24750\x1d026FR\x1f" + sig64, BadField, chiperr.Malformed},
		{"control byte in value", hdr3 + "10MME\x07SPECIMEN\x1d26FR\x1f" + sig64, BadField, chiperr.Malformed},
		{"non-ASCII byte in value", hdr3 + "25M\xc3\xa9TZ\x1f" + sig64, BadField, chiperr.Malformed},
		{"oversized", hdr3 + strings.Repeat("01ABC\x1d", MaxPayload/6) + "\x1f" + sig64, TooLarge, chiperr.TooLarge},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Parse([]byte(c.in))
			if err == nil {
				t.Fatalf("parsed: %+v", s)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not a *twoddoc.Error", err, err)
			}
			if !errors.Is(err, c.want) || !errors.Is(err, c.kind) || chiperr.KindOf(err) != c.kind {
				t.Errorf("error %v (reason %d, kind %v), want reason %d kind %v", err, e.Kind, chiperr.KindOf(e), c.want, c.kind)
			}
			if e.Kind != c.want {
				t.Errorf("reason %d, want %d", e.Kind, c.want)
			}
		})
	}
}

// Truncated values (RS) and empty variable values are valid.
func TestTruncatedAndEmptyValues(t *testing.T) {
	s, err := Parse([]byte(hdr3 + "10MME/SPECIMEN/NATA\x1e20\x1d26FR22RUE\x1e\x1f" + sig64))
	if err != nil {
		t.Fatal(err)
	}
	want := []Field{{ID: "10", Value: "MME/SPECIMEN/NATA", Truncated: true}, {ID: "20"}, {ID: "26", Value: "FR"}, {ID: "22", Value: "RUE", Truncated: true}}
	if len(s.Fields) != len(want) {
		t.Fatalf("fields %+v", s.Fields)
	}
	for k, f := range s.Fields {
		if f.ID != want[k].ID || f.Value != want[k].Value || f.Truncated != want[k].Truncated {
			t.Errorf("field %d = %+v, want %+v", k, f, want[k])
		}
	}
	// A variable value at its maximum length (25: 32) may omit its GS.
	s, err = Parse([]byte(hdr3 + "25" + strings.Repeat("B", 32) + "26FR\x1f" + sig64))
	if err != nil || len(s.Fields) != 2 || len(s.Fields[0].Value) != 32 || s.Fields[1].Value != "FR" {
		t.Errorf("value at maximum: %+v %v", s, err)
	}
}

func TestIsTwoDDoc(t *testing.T) {
	for in, want := range map[string]bool{
		specimens[0].payload:                   true,
		hdr3 + "\x1fX":                         true,
		hdr3:                                   false,
		"DC03FR000001123F1636\x1f":             false,
		"DC05FR000001123F16360001\x1f" + sig64: false,
		"P<UTOERIKSSON<<ANNA<MARIA":            false,
		"":                                     false,
	} {
		if got := IsTwoDDoc([]byte(in)); got != want {
			t.Errorf("IsTwoDDoc(%.30q) = %v", in, got)
		}
	}
}

func TestBuildRefuses(t *testing.T) {
	key := newKey(t, elliptic.P256())
	sign := SignECDSA(key)
	ok := headerFor(4)
	before2000 := time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)
	tooLate := time.Date(2180, 1, 1, 0, 0, 0, 0, time.UTC)
	mod := func(f func(h *Header)) Header { h := ok; f(&h); return h }
	for name, c := range map[string]struct {
		h      Header
		fields []Field
	}{
		"version 1":           {mod(func(h *Header) { h.Version = 1 }), nil},
		"authority length":    {mod(func(h *Header) { h.Authority = "FR5" }), nil},
		"authority lowercase": {mod(func(h *Header) { h.Authority = "fr05" }), nil},
		"certificate id":      {mod(func(h *Header) { h.CertificateID = "00\x1f1" }), nil},
		"document type":       {mod(func(h *Header) { h.DocumentType = "7" }), nil},
		"perimeter":           {mod(func(h *Header) { h.Perimeter = "" }), nil},
		"country digits":      {mod(func(h *Header) { h.Country = "F1" }), nil},
		"country in v3":       {mod(func(h *Header) { h.Version = 3 }), nil},
		"perimeter in v2":     {mod(func(h *Header) { h.Version = 2; h.Country = "" }), nil},
		"date before 2000":    {mod(func(h *Header) { h.IssueDate = &before2000 }), nil},
		"date after FFFE":     {mod(func(h *Header) { h.SignatureDate = &tooLate }), nil},
		"field id":            {ok, []Field{{ID: "6", Value: "X"}}},
		"field id lowercase":  {ok, []Field{{ID: "6a", Value: "X"}}},
		"fixed too short":     {ok, []Field{{ID: "69", Value: "1207197"}}},
		"fixed truncated":     {ok, []Field{{ID: "67", Value: "FR", Truncated: true}}},
		"variable too long":   {ok, []Field{{ID: "62", Value: strings.Repeat("S", 39)}}},
		"separator in value":  {ok, []Field{{ID: "62", Value: "SPEC\x1dIMEN"}}},
		"non-ASCII value":     {ok, []Field{{ID: "62", Value: "CÉLINE"}}},
	} {
		if _, err := Build(c.h, c.fields, sign); !errors.Is(err, BadInput) || !errors.Is(err, chiperr.BadInput) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Build(ok, nil, nil); !errors.Is(err, BadInput) {
		t.Errorf("nil signer: %v", err)
	}
	bad := func([]byte) ([]byte, error) { return make([]byte, 10), nil }
	if _, err := Build(ok, nil, bad); !errors.Is(err, BadInput) {
		t.Errorf("10-byte signer: %v", err)
	}
	failing := func([]byte) ([]byte, error) { return nil, errors.New("HSM offline") }
	if _, err := Build(ok, nil, failing); err == nil || !strings.Contains(err.Error(), "HSM offline") {
		t.Errorf("failing signer: %v", err)
	}
	many := make([]Field, 0, MaxPayload/8)
	for len(many) < cap(many) {
		many = append(many, Field{ID: "01", Value: "ABCDEFGHIJ"})
	}
	if _, err := Build(ok, many, sign); !errors.Is(err, TooLarge) {
		t.Errorf("oversized: %v", err)
	}
	// An empty message is valid.
	b, err := Build(ok, nil, sign)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := Parse(b); err != nil || len(s.Fields) != 0 || s.Verify(&key.PublicKey) != nil {
		t.Errorf("empty message: %v", err)
	}
}

// Every reason has its own lowercase name and a chiperr kind; the
// sentences are app/problem's (its table test walks Reasons).
func TestReasonTexts(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Reasons() {
		e := &Error{Kind: r}
		name := r.Error()
		if name == "" || name != strings.ToLower(name) || strings.HasPrefix(name, "2d-doc error") || seen[name] {
			t.Errorf("reason %d: name %q", r, name)
		}
		seen[name] = true
		if chiperr.KindOf(e) == 0 {
			t.Errorf("reason %d has no kind", r)
		}
	}
	if Reasons()[len(Reasons())-1] < BadInput {
		t.Errorf("Reasons() = %v", Reasons())
	}
	e := &Error{Kind: Reason(99)}
	if chiperr.KindOf(e) != chiperr.Malformed {
		t.Error("unknown reason needs a fallback kind")
	}
	if !strings.Contains(newErr(BadDate, "signature date").Error(), "(signature date)") {
		t.Error("detail missing from Error()")
	}
}

func TestTables(t *testing.T) {
	for _, d := range fieldTable {
		if len(d.ID) != 2 || !allUpperAlnum([]byte(d.ID)) || d.NameFR == "" || d.NameEN == "" || d.Kind == 0 ||
			d.Min < 0 || d.Max < 0 || (d.Max > 0 && d.Min > d.Max) {
			t.Errorf("field row %+v", d)
		}
		if (d.Kind == DateDMY && d.Max != 8) || (d.Kind == DateHex && d.Max != 4) || (d.Kind == DateTimeDMYHM && d.Max != 12) {
			t.Errorf("field %s: length %d does not fit its kind", d.ID, d.Max)
		}
	}
	for _, d := range documentTypeTable {
		if len(d.ID) != 2 || !allUpperAlnum([]byte(d.ID)) || d.NameFR == "" || d.NameEN == "" || d.CategoryFR == "" || d.CategoryEN == "" {
			t.Errorf("type row %+v", d)
		}
	}
	// The types the application cares about first.
	for _, id := range []string{"00", "01", "02", "04", "07", "08", "11", "13"} {
		if _, ok := LookupDocumentType("01", id); !ok {
			t.Errorf("document type %s missing", id)
		}
		if _, ok := LookupDocumentType("", id); !ok {
			t.Errorf("document type %s missing for version 02", id)
		}
	}
	if _, ok := LookupField("02", "60"); ok {
		t.Error("perimeter 02 has no table")
	}
	if d, ok := LookupField("01", "65"); !ok || !d.Fixed() || d.Max != 2 {
		t.Errorf("65 = %+v", d)
	}
	if d, ok := LookupField("01", "66"); !ok || d.Fixed() {
		t.Errorf("66 = %+v", d)
	}
}

func TestParseFieldsBounds(t *testing.T) {
	if _, _, err := ParseFields("01", bytes.Repeat([]byte("01\x1d"), MaxPayload)); !errors.Is(err, TooLarge) {
		t.Errorf("oversized zone: %v", err)
	}
}
