package ber

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

var (
	der      = Decoder{Rules: DER, Op: "test"}
	streamed = Decoder{Rules: BER, Op: "test"}
)

func TestRules(t *testing.T) {
	for _, c := range []struct {
		in             string
		tlv, der, ber  bool
		value          string
		wantDERProblem string
	}{
		{"30 03 020101", true, true, true, "020101", ""},
		{"30 81 03 020101", true, false, true, "020101", "not minimally encoded"},
		{"30 82 0003 020101", true, false, true, "020101", "not minimally encoded"},
		{"30 80 020101 0000", false, false, true, "020101", "where DER is required"},
		{"30 80 30 80 0000 0000", false, false, true, "30800000", "where DER is required"},
		{"5F 80 01 00", true, false, false, "", "not minimally encoded"},
		{"04 80 0000", false, false, false, "", "where DER is required"},
	} {
		b := testhex.Bytes(t, c.in)
		for _, r := range []struct {
			d  Decoder
			ok bool
		}{{tlv, c.tlv}, {der, c.der}, {streamed, c.ber}} {
			e, rest, err := r.d.Read(b)
			if (err == nil) != r.ok {
				t.Errorf("%s under rules %d: %v", c.in, r.d.Rules, err)
				continue
			}
			if err == nil && (!bytes.Equal(e.Value, testhex.Bytes(t, c.value)) || len(rest) != 0 || !bytes.Equal(e.Raw, b)) {
				t.Errorf("%s under rules %d: value %X rest %X", c.in, r.d.Rules, e.Value, rest)
			}
			if r.d.Rules == DER && err != nil && !strings.Contains(err.Error(), c.wantDERProblem) {
				t.Errorf("%s under DER: %v, want %q", c.in, err, c.wantDERProblem)
			}
		}
	}
}

func TestLimits(t *testing.T) {
	deep := bytes.Repeat([]byte{0x30, 0x80}, MaxDepth+2)
	deep = append(deep, make([]byte, 2*(MaxDepth+2))...)
	if _, _, err := streamed.Read(deep); !errors.Is(err, chiperr.TooLarge) {
		t.Errorf("nested indefinite lengths: %v", err)
	}
	if _, _, err := streamed.Read(testhex.Bytes(t, "30 80 0201")); !errors.Is(err, chiperr.Malformed) {
		t.Errorf("end-of-contents missing: %v", err)
	}
	if _, err := der.ReadAll(testhex.Bytes(t, "0500 0500 0500"), 2, "nulls"); !errors.Is(err, chiperr.TooLarge) {
		t.Errorf("more elements than the bound: %v", err)
	}
	nested := Encode(0x04, []byte{0xAA})
	for i := 0; i < MaxDepth+1; i++ {
		nested = Encode(0x24, nested)
	}
	e, _, err := streamed.Read(nested)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := streamed.Octets(e); !errors.Is(err, chiperr.TooLarge) {
		t.Errorf("OCTET STRING segments nested too deep: %v", err)
	}
}

func TestOctetsAndExplicit(t *testing.T) {
	e, _, err := streamed.Read(testhex.Bytes(t, "24 80 0401AA 24 80 0402BBCC 0000 0000"))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := streamed.Octets(e); err != nil || !bytes.Equal(v, []byte{0xAA, 0xBB, 0xCC}) {
		t.Errorf("segments joined: %X %v", v, err)
	}
	if _, err := der.Octets(e); err == nil {
		t.Error("constructed OCTET STRING accepted under DER")
	}
	x, _, _ := der.Read(testhex.Bytes(t, "A0 03 020105"))
	if in, err := der.Explicit(x, 0xA0, "x"); err != nil || in.Tag != 0x02 {
		t.Errorf("explicit: %v", err)
	}
	if n, ok := (Element{Tag: 0x02, Value: []byte{0x01, 0x00}}).SmallInt(); !ok || n != 256 {
		t.Errorf("SmallInt = %d %v", n, ok)
	}
	for _, v := range [][]byte{{}, {0x80}, {0x00, 0x01}, {1, 2, 3, 4, 5}} {
		if _, ok := (Element{Tag: 0x02, Value: v}).SmallInt(); ok {
			t.Errorf("SmallInt accepted %X", v)
		}
	}
}

// FuzzDecoder: under every rule set an element and the rest cover the
// input, errors carry a kind, and what DER accepts BER reads the same way.
func FuzzDecoder(f *testing.F) {
	for _, s := range []string{"3003020101", "3081030201", "30800201010000", "3080308000000000", "24800401AA0000", "5F1F0100", "7780"} {
		f.Add(testhex.Bytes(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var got [3]Element
		var errs [3]error
		for i, d := range []Decoder{tlv, der, streamed} {
			e, rest, err := d.Read(b)
			checkKind(t, err)
			got[i], errs[i] = e, err
			if err != nil {
				continue
			}
			if len(e.Raw)+len(rest) != len(b) || !bytes.HasPrefix(b, e.Raw) || len(e.Value) > MaxLength {
				t.Fatalf("rules %d: element and rest do not cover the input", d.Rules)
			}
			if e.Tag == 0x04 || e.Tag == 0x24 {
				_, err := d.Octets(e)
				checkKind(t, err)
			}
		}
		if errs[1] == nil {
			if errs[2] != nil || !bytes.Equal(got[1].Raw, got[2].Raw) || !IsDER(got[1].Raw) {
				t.Fatalf("DER element read differently under BER: %v", errs[2])
			}
		}
	})
}
