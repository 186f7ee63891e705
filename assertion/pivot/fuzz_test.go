package pivot

import (
	"errors"
	"testing"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/verifier"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
)

// FuzzFromResult feeds FromResult data groups of any content, as a
// verifier with a rogue CSCA in its store would pass on: an identity or a
// typed refusal, never a panic, never an empty family name or a birth
// date that is not YYYY-MM-DD.
func FuzzFromResult(f *testing.F) {
	lines, err := mrz.FormatTD1(mrz.Fields{DocumentCode: "ID", IssuingState: "FRA", DocumentNumber: "X4RTBPFW4",
		BirthDate: july14, Sex: "F", ExpiryDate: mrz.Date{Year: 34, Month: 3, Day: 5}, Nationality: "FRA",
		PrimaryIdentifier: "Dupont", SecondaryIdentifier: "Jeanne"})
	if err != nil {
		f.Fatal(err)
	}
	dg1, err := lds.BuildDG1(lines[:]...)
	if err != nil {
		f.Fatal(err)
	}
	dg11, err := (&lds.DG11{FullName: "DUPONT<<JEANNE", FullDateOfBirth: "19900714", PlaceOfBirth: "PARIS<(75)"}).Build()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(dg1, dg11)
	f.Add(dg1, []byte{0x6B, 0x03, 0x5F, 0x0E, 0x00})
	f.Add([]byte{0x61, 0x00}, dg11)
	released := []assertion.Datum{assertion.FamilyName, assertion.GivenNames, assertion.BirthDate, assertion.Sex, assertion.PlaceOfBirth}
	f.Fuzz(func(t *testing.T, dg1, dg11 []byte) {
		r := &verifier.Result{Released: released, Groups: map[int][]byte{1: dg1, 11: dg11}}
		id, err := FromResult(r)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Kind == 0 {
				t.Fatalf("untyped refusal: %v", err)
			}
			return
		}
		if id.FamilyName == "" || len(id.Birthdate) != 10 || id.GivenNameArray == nil {
			t.Fatalf("accepted %+v", id)
		}
	})
}
