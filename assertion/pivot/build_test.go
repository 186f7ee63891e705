package pivot

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
)

// The reference day of the tables: the century of a two-digit year is
// judged against it.
var refDay = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

var all = map[assertion.Datum]bool{assertion.FamilyName: true, assertion.GivenNames: true, assertion.BirthDate: true,
	assertion.Sex: true, assertion.PlaceOfBirth: true}

// zone is a parsed TD1 zone of these names, birth date and sex, as DG1 holds it.
func zone(t *testing.T, primary, secondary string, birth mrz.Date, sex string) *mrz.MRZ {
	t.Helper()
	lines, err := mrz.FormatTD1(mrz.Fields{DocumentCode: "ID", IssuingState: "FRA", DocumentNumber: "X4RTBPFW4",
		BirthDate: birth, Sex: sex, ExpiryDate: mrz.Date{Year: 34, Month: 3, Day: 5}, Nationality: "FRA",
		PrimaryIdentifier: primary, SecondaryIdentifier: secondary})
	if err != nil {
		t.Fatal(err)
	}
	m, err := mrz.Parse(strings.Join(lines[:], "\n"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var july14 = mrz.Date{Year: 90, Month: 7, Day: 14}

func TestNames(t *testing.T) {
	for _, c := range []struct {
		name       string
		mrzP, mrzS string
		dg11       string // DG11 full name; "" for no DG11 name
		family     string
		given      []string
		basis      Basis
		truncated  bool
		kind       Kind
	}{
		{name: "DG11 preferred, accents kept", mrzP: "Dupont-Éliséé", mrzS: "Jean-Pierre Anne", dg11: "DUPONT-ÉLISÉE<<JEAN-PIERRE<ANNE",
			family: "DUPONT-ÉLISÉE", given: []string{"JEAN-PIERRE", "ANNE"}, basis: Verified},
		{name: "DG11 compound family name", mrzP: "de la Fontaine", mrzS: "Léa", dg11: "DE<LA<FONTAINE<<LÉA",
			family: "DE LA FONTAINE", given: []string{"LÉA"}, basis: Verified},
		{name: "MRZ only: transliterated, compound names split", mrzP: "Dupont-Élisée", mrzS: "Jean-Pierre",
			family: "DUPONT ELISEE", given: []string{"JEAN", "PIERRE"}, basis: Derived},
		{name: "MRZ only, German umlaut", mrzP: "Müller", mrzS: "Jörg",
			family: "MUELLER", given: []string{"JOERG"}, basis: Derived},
		{name: "MRZ cut to its 30 characters", mrzP: "Dupont", mrzS: "Marie Anne Sophie Charlotte Louise",
			family: "DUPONT", given: []string{"MARIE", "ANNE", "SOPHIE", "CHAR"}, basis: Derived, truncated: true},
		{name: "no given name (mononym) in DG11", mrzP: "Nadia", dg11: "NADIA",
			family: "NADIA", given: []string{}, basis: Verified},
		{name: "no given name in an MRZ with room left", mrzP: "Nadia",
			family: "NADIA", given: []string{}, basis: Derived},
		{name: "given names cut away entirely", mrzP: "Wolfeschlegelsteinhausenbergerdorff",
			kind: BadName},
		{name: "DG11 without family name", mrzP: "X", mrzS: "Jean", dg11: "<<JEAN", kind: BadName},
		{name: "DG11 name with a digit", mrzP: "Dupont", mrzS: "Jean", dg11: "DUP0NT<<JEAN", kind: BadName},
		{name: "DG11 name with an escape", mrzP: "Dupont", mrzS: "Jean", dg11: "DUPONT\x1b[2K<<JEAN", kind: BadName},
		{name: "DG11 name reordered by a bidi control", mrzP: "Dupont", mrzS: "Jean", dg11: "DUPONT<<\u202eJEAN", kind: BadName},
		{name: "DG11 name not UTF-8", mrzP: "Dupont", mrzS: "Jean", dg11: "DUP\xffONT<<JEAN", kind: BadName},
		{name: "DG11 name too long", mrzP: "Dupont", mrzS: "Jean", dg11: strings.Repeat("A", 300) + "<<JEAN", kind: BadName},
	} {
		t.Run(c.name, func(t *testing.T) {
			var g *lds.DG11
			if c.dg11 != "" {
				g = &lds.DG11{FullName: c.dg11}
			}
			id, err := build(zone(t, c.mrzP, c.mrzS, july14, "F"), g, all, refDay)
			if c.kind != 0 {
				var e *Error
				if !errors.Is(err, c.kind) || !errors.As(err, &e) {
					t.Fatalf("got %v, want %v", err, c.kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if id.FamilyName != c.family || !slices.Equal(id.GivenNameArray, c.given) || id.GivenName != strings.Join(c.given, " ") {
				t.Fatalf("family %q given %q (%q)", id.FamilyName, id.GivenNameArray, id.GivenName)
			}
			p := id.Provenance[GivenName]
			if p.Basis != c.basis || id.Provenance[FamilyName] != p || strings.Contains(p.Rule, "truncated") != c.truncated {
				t.Errorf("provenance %+v", p)
			}
		})
	}
}

func TestBirthdates(t *testing.T) {
	unknownDay := mrz.Date{Year: 90, Month: 7}
	for _, c := range []struct {
		name  string
		mrz   mrz.Date
		dg11  string
		want  string
		basis Basis
		kind  Kind
	}{
		{name: "DG11 full date", mrz: july14, dg11: "19900714", want: "1990-07-14", basis: Verified},
		{name: "DG11 gives the century the MRZ lacks", mrz: mrz.Date{Year: 20, Month: 2, Day: 29}, dg11: "19200229", want: "1920-02-29", basis: Verified},
		{name: "MRZ: last century", mrz: july14, want: "1990-07-14", basis: Derived},
		{name: "MRZ: this century", mrz: mrz.Date{Year: 25, Month: 1, Day: 1}, want: "2025-01-01", basis: Derived},
		{name: "MRZ: later this year would be future, so last century", mrz: mrz.Date{Year: 26, Month: 12, Day: 31}, want: "1926-12-31", basis: Derived},
		{name: "MRZ: today", mrz: mrz.Date{Year: 26, Month: 12, Day: 7}, want: "2026-12-07", basis: Derived},
		{name: "MRZ: leap day of 2000", mrz: mrz.Date{Year: 0, Month: 2, Day: 29}, want: "2000-02-29", basis: Derived},
		{name: "DG11 date not a date (unknown day written 00): the MRZ decides", mrz: july14, dg11: "19900700", want: "1990-07-14", basis: Derived},
		{name: "DG11 and MRZ disagree", mrz: july14, dg11: "19900715", kind: Inconsistent},
		{name: "DG11 and MRZ disagree on the year", mrz: july14, dg11: "19910714", kind: Inconsistent},
		{name: "DG11 date in the future", mrz: mrz.Date{Year: 30, Month: 1, Day: 1}, dg11: "20300101", kind: BadDate},
		{name: "MRZ day unknown", mrz: unknownDay, kind: BadDate},
		{name: "MRZ year unknown", mrz: mrz.Date{Year: -1, Month: 7, Day: 14}, kind: BadDate},
		{name: "MRZ 31 April", mrz: mrz.Date{Year: 90, Month: 4, Day: 31}, kind: BadDate},
		{name: "MRZ 29 February of a common year", mrz: mrz.Date{Year: 1, Month: 2, Day: 29}, kind: BadDate},
		{name: "DG11 with the day the MRZ does not know", mrz: unknownDay, dg11: "19900714", want: "1990-07-14", basis: Verified},
	} {
		t.Run(c.name, func(t *testing.T) {
			// Dates are set on the parsed zone: FormatTD1 writes only real ones.
			m := zone(t, "Dupont", "Jean", july14, "M")
			m.BirthDate = c.mrz
			var g *lds.DG11
			if c.dg11 != "" {
				g = &lds.DG11{FullDateOfBirth: c.dg11}
			}
			id, err := build(m, g, all, refDay)
			if c.kind != 0 {
				if !errors.Is(err, c.kind) {
					t.Fatalf("got %v, want %v", err, c.kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if id.Birthdate != c.want || id.Provenance[Birthdate].Basis != c.basis {
				t.Fatalf("%q %+v, want %q %s", id.Birthdate, id.Provenance[Birthdate], c.want, c.basis)
			}
		})
	}
}

func TestGenders(t *testing.T) {
	for _, c := range []struct {
		sex, want string
		basis     Basis
		kind      Kind
	}{
		{"M", "male", Verified, 0}, {"F", "female", Verified, 0}, {"X", "", Absent, 0}, {"<", "", Absent, 0}, {"", "", Absent, 0},
		{"Q", "", "", BadGender}, {"MALE", "", "", BadGender}, {"m", "", "", BadGender},
	} {
		m := zone(t, "Dupont", "Jean", july14, "M")
		m.Sex = c.sex
		id, err := build(m, nil, all, refDay)
		if c.kind != 0 {
			if !errors.Is(err, c.kind) {
				t.Errorf("%q: got %v, want %v", c.sex, err, c.kind)
			}
			continue
		}
		if err != nil || id.Gender != c.want || id.Provenance[Gender].Basis != c.basis {
			t.Errorf("%q: %q %+v %v", c.sex, id.Gender, id.Provenance[Gender], err)
		}
		if _, sent := id.OIDC()["gender"]; sent != (c.want != "") {
			t.Errorf("%q: gender sent %v", c.sex, sent)
		}
	}
	// Not released: no gender, whatever the card says.
	m := zone(t, "Dupont", "Jean", july14, "F")
	id, err := build(m, nil, map[assertion.Datum]bool{}, refDay)
	if err != nil || id.Gender != "" || id.Provenance[Gender].Basis != Absent {
		t.Errorf("unreleased sex: %q %v", id.Gender, err)
	}
}

func TestBirthplaces(t *testing.T) {
	for _, c := range []struct {
		place, text, country string
		kind                 Kind
	}{
		{place: "PARIS<(75)", text: "PARIS (75)", country: France},
		{place: "BASTIA<(2B)", text: "BASTIA (2B)", country: France},
		{place: "AJACCIO<(20)", text: "AJACCIO (20)", country: France},
		{place: "SAINT-DENIS<(974)", text: "SAINT-DENIS (974)", country: France},
		{place: "Saint-Étienne<(42)", text: "Saint-Étienne (42)", country: France},
		{place: "LONDRES<(GBR)", text: "LONDRES (GBR)", country: "99132"},
		{place: "BERLIN<DEU", text: "BERLIN DEU", country: "99109"},
		{place: "NOUMEA<(NCL)", text: "NOUMEA (NCL)", country: France},
		{place: "PRISTINA<(RKS)", text: "PRISTINA (RKS)", country: "99157"},
		// Said in words, or not at all: not guessed.
		{place: "EXEMPLEVILLE<(99)", text: "EXEMPLEVILLE (99)"},
		{place: "LONDRES<(ROYAUME-UNI)", text: "LONDRES (ROYAUME-UNI)"},
		{place: "LYON", text: "LYON"},
		{place: "(75)", text: "(75)"},
		{place: "GBR", text: "GBR"},
		{place: "X<(UTO)", text: "X (UTO)"},
		{place: "X<(00)", text: "X (00)"},
		{place: "X<(96)", text: "X (96)"},
		{place: "X<(977)", text: "X (977)"},
		{place: "X<(75", text: "X (75"},
		{place: "X<gbr", text: "X gbr"},
		{place: "<<", text: ""},
		{place: "PARIS\x1b]0;x\x07<(75)", kind: BadName},
		{place: strings.Repeat("A", 600), kind: BadName},
	} {
		m := zone(t, "Dupont", "Jean", july14, "M")
		id, err := build(m, &lds.DG11{PlaceOfBirth: c.place}, all, refDay)
		if c.kind != 0 {
			if !errors.Is(err, c.kind) {
				t.Errorf("%q: got %v, want %v", c.place, err, c.kind)
			}
			continue
		}
		if err != nil || id.Birthplace != c.text || id.Birthcountry != c.country {
			t.Errorf("%q: %q %q %v, want %q %q", c.place, id.Birthplace, id.Birthcountry, err, c.text, c.country)
			continue
		}
		wantCountry := Absent
		if c.country != "" {
			wantCountry = Derived
		}
		if p := id.Provenance[Birthcountry]; p.Basis != wantCountry || p.Rule == "" {
			t.Errorf("%q: country provenance %+v", c.place, p)
		}
		if p := id.Provenance[Birthplace]; (p.Basis == Verified) != (c.text != "") {
			t.Errorf("%q: place provenance %+v", c.place, p)
		}
	}
}

// Every COG code of the table is one of INSEE's country codes (99 then
// three digits), every key an upper-case three-letter code, and France's
// own codes lead to 99100.
func TestCOGTable(t *testing.T) {
	codes := cogCodes()
	if len(codes) < 200 {
		t.Fatalf("%d codes", len(codes))
	}
	for icao, cog := range codes {
		if len(icao) != 3 || strings.ToUpper(icao) != icao || len(cog) != 5 || !strings.HasPrefix(cog, "99") || !isDigits(cog) {
			t.Errorf("%q → %q", icao, cog)
		}
	}
	for icao, want := range map[string]string{"FRA": "99100", "DEU": "99109", "GBR": "99132", "ESP": "99134", "ITA": "99127",
		"BEL": "99131", "CHE": "99140", "MAR": "99350", "DZA": "99352", "TUN": "99351", "USA": "99404", "PRT": "99139",
		"REU": "99100", "UTO": "", "D": "", "XXA": ""} {
		if got := COGCountry(icao); got != want {
			t.Errorf("%s → %q, want %q", icao, got, want)
		}
	}
}
