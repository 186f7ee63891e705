package pivot

import (
	"fmt"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
)

// Rules the provenance states for the other claims.
const (
	ruleDG11Date  = "DG11 full date of birth as signed"
	ruleMRZDate   = "MRZ date of birth; its year has two digits: the century is taken as the latest that does not put the birth in the future, so a holder over 100 years old would be dated a century late"
	ruleGender    = "MRZ sex field: M written male, F written female"
	ruleNoGender  = "the document does not specify the sex (X or '<'): no gender claim"
	rulePlace     = "text of DG11's place of birth as signed, fillers turned into spaces; not an INSEE COG commune code: the card does not carry it"
	ruleNoPlace   = "DG11's place of birth is empty"
	ruleNoCountry = "the place of birth names no country this package reads (a French department number or an ICAO country code at its end): never guessed"
)

// maxPlace bounds the place of birth, in bytes.
const maxPlace = 512

// setBirthdate sets birthdate: DG11's full date when the card has a valid
// one (it must agree with the MRZ), else the MRZ's with its century derived.
func (id *Identity) setBirthdate(m *mrz.MRZ, g *lds.DG11, now time.Time) error {
	if g != nil && g.FullDateOfBirth != "" {
		if d, err := time.Parse("20060102", g.FullDateOfBirth); err == nil {
			b := m.BirthDate
			if (b.Year >= 0 && b.Year != d.Year()%100) || (b.Month != 0 && b.Month != int(d.Month())) || (b.Day != 0 && b.Day != d.Day()) {
				return fail(Inconsistent, "DG11's full date of birth is not the MRZ's")
			}
			if d.After(now) {
				return fail(BadDate, "birth date in the future")
			}
			id.Birthdate = d.Format(time.DateOnly)
			id.Provenance[Birthdate] = Provenance{Basis: Verified, Source: FromDG11, Rule: ruleDG11Date}
			return nil
		}
		// A full date that is no date (an unknown day written 00): the MRZ decides.
	}
	d, err := mrzBirthDate(m.BirthDate, now)
	if err != nil {
		return err
	}
	id.Birthdate = d.Format(time.DateOnly)
	id.Provenance[Birthdate] = Provenance{Basis: Derived, Source: FromMRZ, Rule: ruleMRZDate}
	return nil
}

// mrzBirthDate expands an MRZ birth date; partly unknown or impossible
// dates are refused: YYYY-MM-DD has no way to say "unknown day".
func mrzBirthDate(b mrz.Date, now time.Time) (time.Time, error) {
	if b.Year < 0 || b.Month == 0 || b.Day == 0 {
		return time.Time{}, fail(BadDate, "birth date partly unknown on the document")
	}
	y := b.BirthYear(now)
	d := time.Date(y, time.Month(b.Month), b.Day, 0, 0, 0, 0, time.UTC)
	if d.Day() != b.Day || int(d.Month()) != b.Month { // 31 April would roll over
		return time.Time{}, fail(BadDate, "no such day")
	}
	if d.After(now) {
		return time.Time{}, fail(BadDate, "birth date in the future")
	}
	return d, nil
}

// setGender maps the MRZ's sex field.
func (id *Identity) setGender(sex string) error {
	switch sex {
	case "M":
		id.Gender = "male"
	case "F":
		id.Gender = "female"
	case "X", "<", "":
		id.Provenance[Gender] = Provenance{Basis: Absent, Source: FromMRZ, Rule: ruleNoGender}
		return nil
	default:
		return fail(BadGender, fmt.Sprintf("sex field of %d characters outside M, F, X", len(sex)))
	}
	id.Provenance[Gender] = Provenance{Basis: Verified, Source: FromMRZ, Rule: ruleGender}
	return nil
}

// setBirth sets birthplace (the signed text) and birthcountry (its INSEE
// COG code, only when the text names the country).
func (id *Identity) setBirth(place string) error {
	if len(place) > maxPlace || assertion.HasDeceptive(place) {
		return fail(BadName, "place of birth too long, not UTF-8 or holding control characters")
	}
	ps := parts(place)
	if len(ps) == 0 {
		id.Provenance[Birthplace] = Provenance{Basis: Absent, Source: FromDG11, Rule: ruleNoPlace}
		id.Provenance[Birthcountry] = Provenance{Basis: Absent, Source: FromDG11, Rule: ruleNoPlace}
		return nil
	}
	id.Birthplace = strings.Join(ps, " ")
	id.Provenance[Birthplace] = Provenance{Basis: Verified, Source: FromDG11, Rule: rulePlace}
	code, rule := BirthCountry(ps)
	if code == "" {
		id.Provenance[Birthcountry] = Provenance{Basis: Absent, Source: FromDG11, Rule: ruleNoCountry}
		return nil
	}
	id.Birthcountry = code
	id.Provenance[Birthcountry] = Provenance{Basis: Derived, Source: FromDG11, Rule: rule}
	return nil
}
