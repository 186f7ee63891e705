package viewmodel

import (
	"fmt"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// Field is one labelled value of the identity.
type Field struct {
	Key   string // translation key of the label, also a stable id for tests
	Label string
	Value string
}

// ClaimView is one of the four plain statements, with its status.
type ClaimView struct {
	Key    string // authentic_chip, data_intact, issued_by, not_cloned
	Status verify.Status
	Text   string
}

// Identity is what a result screen shows of a read.
type Identity struct {
	Demo    bool
	Verdict verify.Verdict
	Summary string
	Fields  []Field
	Claims  []ClaimView
	// PhotoProblem is set when the photo could not be shown.
	PhotoProblem string
}

// IdentityOf turns a read into the sentences and fields of the result
// screen, in the current language.
func IdentityOf(r *core.ReadResult, now time.Time) Identity {
	id := Identity{Demo: r.Demo}
	loc := i18n.Current()
	add := func(key, value string) {
		if value = strings.TrimSpace(value); value != "" {
			id.Fields = append(id.Fields, Field{Key: key, Label: i18n.T(key), Value: value})
		}
	}
	if m := r.Doc.MRZ; m != nil {
		surname, given := m.PrimaryIdentifier, m.SecondaryIdentifier
		if g := r.Doc.DG11; g != nil {
			if p, s := g.Names(); p != "" {
				surname, given = p, s // DG11 has the full names, with accents
			}
		}
		add("field.surname", surname)
		add("field.given_names", given)
		birth := mrzDate(m.BirthDate, m.BirthDate.BirthYear(now), loc)
		if g := r.Doc.DG11; g != nil {
			if t, err := time.Parse("20060102", g.FullDateOfBirth); err == nil {
				birth = loc.Date(t)
			}
		}
		add("field.birth_date", birth)
		if g := r.Doc.DG11; g != nil {
			add("field.birth_place", strings.ReplaceAll(g.PlaceOfBirth, "<", " "))
		}
		add("field.sex", sexName(m.Sex))
		add("field.nationality", m.Nationality)
		add("field.document_number", m.DocumentNumber)
		add("field.expiry_date", mrzDate(m.ExpiryDate, m.ExpiryDate.ExpiryYear(now), loc))
		add("field.issuing_state", m.IssuingState)
		if g := r.Doc.DG11; g != nil {
			add("field.address", strings.ReplaceAll(g.Address, "<", ", "))
		}
	}
	if rep := r.Report; rep != nil {
		id.Verdict = rep.Verdict
		id.Summary = rep.Summary.In(loc.Lang)
		for _, c := range []struct {
			key string
			c   verify.Claim
		}{{"authentic_chip", rep.AuthenticChip}, {"data_intact", rep.DataIntact}, {"issued_by", rep.IssuedBy}, {"not_cloned", rep.NotCloned}} {
			id.Claims = append(id.Claims, ClaimView{Key: c.key, Status: c.c.Status, Text: c.c.Text.In(loc.Lang)})
		}
	}
	if r.Face == nil && r.FaceErr != nil {
		id.PhotoProblem = ProblemOf(r.FaceErr).Message
	}
	return id
}

// Value returns the value of the field with key, or "".
func (id Identity) Value(key string) string {
	for _, f := range id.Fields {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}

func mrzDate(d mrz.Date, year int, loc i18n.Locale) string {
	if year < 0 || d.Month == 0 || d.Day == 0 {
		return d.String() // partly unknown: show it as written
	}
	return loc.Date(time.Date(year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC))
}

func sexName(s string) string {
	switch s {
	case "F":
		return i18n.T("sex.female")
	case "M":
		return i18n.T("sex.male")
	default:
		return fmt.Sprint(i18n.T("sex.unspecified"))
	}
}
