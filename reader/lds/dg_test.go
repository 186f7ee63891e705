package lds

import (
	"bytes"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
)

// ICAO Doc 9303 Part 5 Appendix A TD1 specimen (see reader/mrz tests).
var td1 = []string{
	"I<UTOD231458907<<<<<<<<<<<<<<<",
	"7408122F1204159UTO<<<<<<<<<<<6",
	"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
}

func TestDG1(t *testing.T) {
	b, err := BuildDG1(td1...)
	if err != nil {
		t.Fatal(err)
	}
	// 61 5D { 5F1F 5A <90 characters> } (Doc 9303 Part 10 §4.7.1).
	want := "615D5F1F5A" + strings.ToUpper(hex.EncodeToString([]byte(strings.Join(td1, ""))))
	if got := strings.ToUpper(hex.EncodeToString(b)); got != want {
		t.Errorf("DG1 = %s\nwant  %s", got, want)
	}
	m, err := ParseDG1(b)
	if err != nil || m.Format != mrz.TD1 || m.DocumentNumber != "D23145890" || m.PrimaryIdentifier != "ERIKSSON" {
		t.Fatalf("%+v %v", m, err)
	}
	// A wrong check digit: the zone is still returned, with a Malformed
	// error that carries the failed checks.
	bad := slices.Clone(td1)
	bad[1] = strings.Replace(bad[1], "1204159", "1204158", 1)
	b, err = BuildDG1(bad...)
	if err != nil {
		t.Fatal(err)
	}
	m, err = ParseDG1(b)
	var ce *mrz.CheckError
	if m == nil || !errors.Is(err, chiperr.Malformed) || !errors.As(err, &ce) || !slices.Equal(ce.Failed, []mrz.Field{mrz.FieldExpiryDate, mrz.FieldComposite}) {
		t.Errorf("%v %v", m, err)
	}
	if _, err := BuildDG1("P<UTO"); !errors.Is(err, chiperr.BadInput) {
		t.Errorf("build from a non-zone: %v", err)
	}
}

func TestDG1Malformed(t *testing.T) {
	z := []byte(strings.Join(td1, ""))
	lower := bytes.ToLower(z)
	withBreaks := []byte(strings.Join(td1, "\n"))[:90]
	for name, b := range map[string][]byte{
		"wrong tag":        ber.Encode(0x62, ber.Encode(tagMRZ, z)),
		"no 5F1F":          ber.Encode(0x61, ber.Encode(0x5F20, z)),
		"short zone":       ber.Encode(0x61, ber.Encode(tagMRZ, z[:89])),
		"lower case":       ber.Encode(0x61, ber.Encode(tagMRZ, lower)),
		"line breaks":      ber.Encode(0x61, ber.Encode(tagMRZ, withBreaks)),
		"bad sex":          ber.Encode(0x61, ber.Encode(tagMRZ, bytes.Replace(z, []byte("2F12"), []byte("2Q12"), 1))),
		"truncated":        ber.Encode(0x61, ber.Encode(tagMRZ, z))[:50],
		"bad inner length": {0x61, 0x03, 0x5F, 0x1F, 0x05},
	} {
		m, err := ParseDG1(b)
		if m != nil || !errors.Is(err, chiperr.Malformed) {
			t.Errorf("%s: %v %v", name, m, err)
		}
	}
}

func TestDG11RoundTrip(t *testing.T) {
	d := &DG11{
		FullName:           "MARTIN<<ÉLODIE<ANNE",
		OtherNames:         []string{"DUPONT<<ÉLODIE", "MARTIN-DUPONT<<ÉLODIE"},
		PersonalNumber:     "12345",
		FullDateOfBirth:    "19740812",
		PlaceOfBirth:       "SAINT-ÉTIENNE<LOIRE",
		Address:            "1 RUE DE L'ÉGLISE<42000<SAINT-ÉTIENNE",
		Telephone:          "+33 4 00 00 00 00",
		Profession:         "INGÉNIEURE",
		Title:              "DR",
		PersonalSummary:    "—",
		ProofOfCitizenship: []byte{0xFF, 0xD8, 0xFF, 0xE0},
		OtherTDNumbers:     "X4RTBPFW4<12AB34567",
		CustodyInformation: "",
	}
	b, err := d.Build()
	if err != nil {
		t.Fatal(err)
	}
	tl, _, _ := ber.ParseTLV(b)
	list, ok, _ := ber.Find(tl.Value, tagTagList)
	wantList := testhex.Bytes(t, "5F0E 5F0F 5F10 5F2B 5F11 5F42 5F12 5F13 5F14 5F15 5F16 5F17")
	if !ok || !bytes.Equal(list.Value, wantList) {
		t.Errorf("tag list %X", list.Value)
	}
	d2, err := ParseDG11(b)
	if err != nil {
		t.Fatal(err)
	}
	if d2.FullName != d.FullName || !slices.Equal(d2.OtherNames, d.OtherNames) || d2.Address != d.Address ||
		d2.FullDateOfBirth != d.FullDateOfBirth || !bytes.Equal(d2.ProofOfCitizenship, d.ProofOfCitizenship) ||
		d2.OtherTDNumbers != d.OtherTDNumbers || d2.PersonalSummary != d.PersonalSummary || d2.Title != "DR" {
		t.Errorf("%+v", d2)
	}
	if p, s := d2.Names(); p != "MARTIN" || s != "ÉLODIE ANNE" {
		t.Errorf("Names = %q %q", p, s)
	}
	if b2, _ := d2.Build(); !bytes.Equal(b, b2) {
		t.Error("second build differs")
	}
}

func TestDG11Variants(t *testing.T) {
	// BCD date of birth, 5F0F outside A0, custody (5F18), unknown tags skipped.
	b := ber.Encode(0x6B,
		ber.Encode(0x5C, testhex.Bytes(t, "5F0E5F2B")),
		ber.Encode(tagFullName, []byte("SMITH<<JOHN")),
		ber.Encode(tagFullDateOfBirth, testhex.Bytes(t, "19740812")),
		ber.Encode(tagOtherName, []byte("SMYTHE<<JOHN")),
		ber.Encode(tagCustody, []byte("NONE")),
		ber.Encode(0x5F20, []byte{0xFF}))
	d, err := ParseDG11(b)
	if err != nil || d.FullDateOfBirth != "19740812" || d.OtherNames[0] != "SMYTHE<<JOHN" || d.CustodyInformation != "NONE" {
		t.Errorf("%+v %v", d, err)
	}
	for name, b := range map[string][]byte{
		"invalid UTF-8":       ber.Encode(0x6B, ber.Encode(tagFullName, []byte{0xC3, 0x28})),
		"invalid UTF-8 other": ber.Encode(0x6B, ber.Encode(0xA0, ber.Encode(tagOtherName, []byte{0xFF}))),
		"BCD not digits":      ber.Encode(0x6B, ber.Encode(tagFullDateOfBirth, testhex.Bytes(t, "1974AB12"))),
		"date of 6":           ber.Encode(0x6B, ber.Encode(tagFullDateOfBirth, []byte("740812"))),
		"wrong tag":           ber.Encode(0x6C, ber.Encode(tagFullName, []byte("X"))),
		"bad inner":           {0x6B, 0x02, 0x5F, 0x0E},
		"bad A0":              ber.Encode(0x6B, ber.Encode(0xA0, []byte{0x5F})),
	} {
		if _, err := ParseDG11(b); !errors.Is(err, chiperr.Malformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	many := make([][]byte, maxOtherNames+1)
	for i := range many {
		many[i] = ber.Encode(tagOtherName, []byte("A"))
	}
	if _, err := ParseDG11(ber.Encode(0x6B, ber.Encode(0xA0, many...))); !errors.Is(err, chiperr.TooLarge) {
		t.Errorf("too many names: %v", err)
	}
	for name, d := range map[string]*DG11{
		"UTF-8":      {Title: "\xFF"},
		"other name": {OtherNames: []string{"\xC3"}},
		"date":       {FullDateOfBirth: "1974-08-12"},
	} {
		if _, err := d.Build(); !errors.Is(err, chiperr.BadInput) {
			t.Errorf("build %s: %v", name, err)
		}
	}
}

func TestDG14AndDG15Malformed(t *testing.T) {
	set := testhex.Bytes(t, "31143012060A04007F0007020204020202010202010D")
	if _, err := ParseDG14(ber.Encode(0x6F, set)); !errors.Is(err, chiperr.Malformed) {
		t.Errorf("DG14 wrong tag: %v", err)
	}
	if _, err := ParseDG14(ber.Encode(0x6E, set[:10])); !errors.Is(err, chiperr.Malformed) {
		t.Errorf("DG14 truncated set: %v", err)
	}
	if s, err := ParseDG14(ber.Encode(0x6E, set)); err != nil || len(s.PACE) != 1 {
		t.Errorf("DG14: %v", err)
	}
	if _, err := ParseDG15(ber.Encode(0x6E, []byte{0x30, 0})); !errors.Is(err, chiperr.Malformed) {
		t.Errorf("DG15 wrong tag: %v", err)
	}
	if _, err := ParseDG15(ber.Encode(0x6F, []byte{0x30, 0})); !errors.Is(err, chiperr.Malformed) {
		t.Errorf("DG15 empty key: %v", err)
	}
}
