package lds

import (
	"errors"
	"reflect"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

func TestDG12(t *testing.T) {
	d := &DG12{
		IssuingAuthority:      "PRÉFECTURE DE L'ISÈRE",
		DateOfIssue:           "20210315",
		OtherPersons:          []string{"MARTIN<<LÉA", "MARTIN<<HUGO"},
		Endorsements:          "NONE",
		TaxExitRequirements:   "N/A",
		ImageFront:            fakeJPEG,
		ImageRear:             fakeJ2K,
		PersonalizationTime:   "20210310143000",
		PersonalizationSerial: "SN-0042",
	}
	b, err := d.Build()
	if err != nil {
		t.Fatal(err)
	}
	// Tag list in the order written (Doc 9303 Part 10 §4.7.12); A0 is
	// listed as the tag of its elements, 5F1A, as DG11 does for 5F0F.
	v, _ := outer(b, 0x6C, "test")
	list, ok, _ := ber.Find(v, 0x5C)
	want := []byte{0x5F, 0x19, 0x5F, 0x26, 0x5F, 0x1A, 0x5F, 0x1B, 0x5F, 0x1C, 0x5F, 0x1D, 0x5F, 0x1E, 0x5F, 0x55, 0x5F, 0x56}
	if !ok || !reflect.DeepEqual(list.Value, want) {
		t.Errorf("tag list % X", list.Value)
	}
	got, err := ParseDG12(b)
	if err != nil || !reflect.DeepEqual(got, d) {
		t.Fatalf("%+v %v", got, err)
	}
	// Dates in BCD, a bare 5F1A outside A0 and unknown objects.
	got, err = ParseDG12(ber.Encode(0x6C, ber.Encode(0x5F26, []byte{0x20, 0x21, 0x03, 0x15}),
		ber.Encode(0x5F55, []byte{0x20, 0x21, 0x03, 0x10, 0x14, 0x30, 0x00}), ber.Encode(0x5F1A, []byte("A<<B")), ber.Encode(0x5F70, []byte{1})))
	if err != nil || got.DateOfIssue != "20210315" || got.PersonalizationTime != "20210310143000" || len(got.OtherPersons) != 1 {
		t.Errorf("%+v %v", got, err)
	}
	// An empty DG12 builds to its tag list alone.
	if b, err := (&DG12{}).Build(); err != nil || len(b) != 4 {
		t.Errorf("% X %v", b, err)
	}
}

func TestDG12Malformed(t *testing.T) {
	many := [][]byte{{2, 1, 65}}
	for range 65 {
		many = append(many, ber.Encode(0x5F1A, []byte("X")))
	}
	for name, c := range map[string]struct {
		b    []byte
		kind chiperr.Kind
	}{
		"wrong tag":          {ber.Encode(0x6B), chiperr.Malformed},
		"short date":         {ber.Encode(0x6C, ber.Encode(0x5F26, []byte("2021031"))), chiperr.Malformed},
		"date not digits":    {ber.Encode(0x6C, ber.Encode(0x5F26, []byte("2021O315"))), chiperr.Malformed},
		"date not BCD":       {ber.Encode(0x6C, ber.Encode(0x5F26, []byte{0x20, 0x2A, 0x03, 0x15})), chiperr.Malformed},
		"time of 12 digits":  {ber.Encode(0x6C, ber.Encode(0x5F55, []byte("202103101430"))), chiperr.Malformed},
		"authority not UTF8": {ber.Encode(0x6C, ber.Encode(0x5F19, []byte{0xC3, 0x28})), chiperr.Malformed},
		"person not UTF8":    {ber.Encode(0x6C, ber.Encode(0xA0, ber.Encode(0x5F1A, []byte{0xFF}))), chiperr.Malformed},
		"65 persons":         {ber.Encode(0x6C, ber.Encode(0xA0, many...)), chiperr.TooLarge},
		"bad A0":             {ber.Encode(0x6C, ber.Encode(0xA0, []byte{0x5F, 0x1A, 0x05})), chiperr.Malformed},
		"truncated":          {ber.Encode(0x6C, ber.Encode(0x5F19, []byte("ABC")))[:5], chiperr.Malformed},
	} {
		if d, err := ParseDG12(c.b); d != nil || !errors.Is(err, c.kind) {
			t.Errorf("%s: %v %v", name, d, err)
		}
	}
	for name, d := range map[string]*DG12{
		"date":      {DateOfIssue: "2021-03-15"},
		"bcd date":  {DateOfIssue: "\x20\x21\x03\x15"},
		"time":      {PersonalizationTime: "20210310"},
		"authority": {IssuingAuthority: "\xff"},
		"person":    {OtherPersons: []string{"\xff"}},
		"persons":   {OtherPersons: make([]string, 65)},
		"huge":      {ImageFront: make([]byte, ber.MaxLength)},
	} {
		if _, err := d.Build(); !errors.Is(err, chiperr.BadInput) {
			t.Errorf("build %s: %v", name, err)
		}
	}
}
