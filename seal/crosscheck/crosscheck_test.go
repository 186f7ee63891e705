package crosscheck

import (
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
)

func chipFacts(t *testing.T) Facts {
	lines, err := mrz.FormatTD1(mrz.Fields{DocumentCode: "ID", IssuingState: "FRA", DocumentNumber: "DEMO00001",
		BirthDate: mrz.Date{Year: 90, Month: 7, Day: 14}, Sex: "F", ExpiryDate: mrz.Date{Year: 34, Month: 3, Day: 5},
		Nationality: "FRA", PrimaryIdentifier: "DÉMO-LÉGER", SecondaryIdentifier: "CAMILLE MARIE HÉLÈNE"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := mrz.Parse(strings.Join(lines[:], "\n"))
	if err != nil {
		t.Fatal(err)
	}
	return FromChip(m, nil, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
}

func TestSameDocument(t *testing.T) {
	chip := chipFacts(t)
	// A seal prints names with accents and full dates, and a two-letter country.
	seal := Facts{Surname: "Démo-Léger", GivenNames: "Camille Marie Hélène", DocumentNumber: "DEMO00001",
		BirthDate: "19900714", ExpiryDate: "20340305", Sex: "F", Nationality: "FR"}
	r := Compare(seal, chip)
	if !r.Match() || len(r.Compared) != 7 {
		t.Fatalf("differences %+v, compared %v", r.Differences, r.Compared)
	}
}

func TestDifferencesListed(t *testing.T) {
	chip := chipFacts(t)
	seal := Facts{Surname: "DUPONT", GivenNames: "Camille Marie Hélène", DocumentNumber: "DEMO00002",
		BirthDate: "19900715", Sex: "M", Nationality: "BEL"}
	r := Compare(seal, chip)
	got := map[string]bool{}
	for _, d := range r.Differences {
		got[d.Field] = true
	}
	for _, f := range []string{"surname", "document_number", "birth_date", "sex", "nationality"} {
		if !got[f] {
			t.Errorf("%s not listed: %+v", f, r.Differences)
		}
	}
	if got["given_names"] || len(r.Unknown) != 1 || r.Unknown[0] != "expiry_date" {
		t.Errorf("given names %v, unknown %v", got["given_names"], r.Unknown)
	}
}

func TestTruncatedMRZName(t *testing.T) {
	// The MRZ cuts a long given-name list; the seal has it whole.
	chip := Facts{GivenNames: "MARIE<CHRISTINE<ANNE<SO", Truncated: true}
	if r := Compare(Facts{GivenNames: "Marie-Christine Anne Sophie"}, chip); !r.Match() {
		t.Errorf("truncated MRZ name: %+v", r.Differences)
	}
	// Without truncation a prefix is a difference.
	if r := Compare(Facts{GivenNames: "Marie"}, Facts{GivenNames: "Marie Anne"}); r.Match() {
		t.Error("a missing given name was accepted")
	}
}

func TestDG11Preferred(t *testing.T) {
	m := &mrz.MRZ{PrimaryIdentifier: "DEMO", SecondaryIdentifier: "CAMILLE", BirthDate: mrz.Date{Year: 90, Month: 7, Day: 14}}
	f := FromChip(m, &lds.DG11{FullName: "DÉMO<<CAMILLE<MARIE", FullDateOfBirth: "19900714"}, time.Now())
	if f.Surname != "DÉMO" || f.Truncated || f.BirthDate != "19900714" {
		t.Errorf("facts %+v", f)
	}
}
