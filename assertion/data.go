package assertion

import (
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
)

// Datum names one piece of identity a service may ask for. Its value is
// the protocol's name; the application shows people a translated label
// (app/claimtext).
type Datum string

// The data a service may ask for, with the data group that holds each.
const (
	FamilyName     Datum = "family_name"
	GivenNames     Datum = "given_names"
	BirthDate      Datum = "birth_date"
	Nationality    Datum = "nationality"
	DocumentNumber Datum = "document_number"
	ExpiryDate     Datum = "expiry_date"
	Sex            Datum = "sex"
	Photo          Datum = "photo"
	PlaceOfBirth   Datum = "place_of_birth"
	Address        Datum = "address"
)

// Known lists every datum, in the order screens show them.
var Known = []Datum{FamilyName, GivenNames, BirthDate, Sex, Nationality, PlaceOfBirth, Address, DocumentNumber, ExpiryDate, Photo}

// dataGroups is the data group that holds each datum.
var dataGroups = map[Datum]int{
	FamilyName: 1, GivenNames: 1, BirthDate: 1, Nationality: 1, DocumentNumber: 1, ExpiryDate: 1, Sex: 1,
	Photo: 2, PlaceOfBirth: 11, Address: 11,
}

// Valid tells whether d is a datum this application knows.
func (d Datum) Valid() bool { _, ok := dataGroups[d]; return ok }

// DataGroup is the data group that holds d: the chip signs whole groups,
// so this group leaves entire when d is released.
func (d Datum) DataGroup() int { return dataGroups[d] }

// Values reads the data out of the data groups, as text (the photo is
// left out: it is an image). Both the application (to show what leaves)
// and the service's verifier (to use it) read them the same way.
func Values(dgs map[int][]byte, now time.Time) (map[Datum]string, error) {
	m, g, err := parseGroups(dgs)
	if err != nil {
		return nil, err
	}
	return ValuesOf(m, g, now), nil
}

// parseGroups parses DG1 and DG11 when present (nil when absent).
func parseGroups(dgs map[int][]byte) (*mrz.MRZ, *lds.DG11, error) {
	var m *mrz.MRZ
	var g *lds.DG11
	if b, ok := dgs[1]; ok {
		var err error
		if m, err = lds.ParseDG1(b); m == nil {
			return nil, nil, Wrap(Malformed, "DG1", err)
		}
	}
	if b, ok := dgs[11]; ok {
		var err error
		if g, err = lds.ParseDG11(b); err != nil {
			return nil, nil, Wrap(Malformed, "DG11", err)
		}
	}
	return m, g, nil
}

// ValuesOf is Values from an already parsed MRZ (DG1) and DG11, either nil
// when absent: DG11's full names and full birth date win over the MRZ's
// truncated ones; dates are YYYY-MM-DD, or as written when partly unknown.
func ValuesOf(m *mrz.MRZ, g *lds.DG11, now time.Time) map[Datum]string {
	out := map[Datum]string{}
	if m != nil {
		out[FamilyName] = m.PrimaryIdentifier
		out[GivenNames] = m.SecondaryIdentifier
		out[BirthDate] = isoDate(m.BirthDate, m.BirthDate.BirthYear(now))
		out[ExpiryDate] = isoDate(m.ExpiryDate, m.ExpiryDate.ExpiryYear(now))
		out[Sex] = m.Sex
		out[Nationality] = m.Nationality
		out[DocumentNumber] = m.DocumentNumber
	}
	if g != nil {
		out[PlaceOfBirth] = strings.ReplaceAll(g.PlaceOfBirth, "<", " ")
		out[Address] = strings.ReplaceAll(g.Address, "<", ", ")
		if p, s := g.Names(); p != "" {
			out[FamilyName], out[GivenNames] = p, s // full names, with accents
		}
		if len(g.FullDateOfBirth) == 8 {
			if t, err := time.Parse("20060102", g.FullDateOfBirth); err == nil {
				out[BirthDate] = t.Format("2006-01-02")
			}
		}
	}
	for k, v := range out {
		if v = strings.TrimSpace(v); v == "" {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// isoDate writes an MRZ date as YYYY-MM-DD, or as written when partly unknown.
func isoDate(d mrz.Date, year int) string {
	if year < 0 || d.Month == 0 || d.Day == 0 {
		return d.String()
	}
	return time.Date(year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
}
