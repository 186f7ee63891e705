package viewmodel

import (
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/explain"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/assertion"
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
	// The same reading of DG1 and DG11 as what an assertion sends.
	v := assertion.ValuesOf(r.Doc.MRZ, r.Doc.DG11, now)
	date := func(iso string) string {
		if t, err := time.Parse("2006-01-02", iso); err == nil {
			return loc.Date(t)
		}
		return iso // partly unknown: as written in the zone
	}
	add("field.surname", v[assertion.FamilyName])
	add("field.given_names", v[assertion.GivenNames])
	add("field.birth_date", date(v[assertion.BirthDate]))
	add("field.birth_place", v[assertion.PlaceOfBirth])
	if sex, ok := v[assertion.Sex]; ok {
		add("field.sex", sexName(sex))
	}
	add("field.nationality", v[assertion.Nationality])
	add("field.document_number", v[assertion.DocumentNumber])
	add("field.expiry_date", date(v[assertion.ExpiryDate]))
	if m := r.Doc.MRZ; m != nil {
		add("field.issuing_state", m.IssuingState)
	}
	add("field.address", v[assertion.Address])
	if rep := r.Report; rep != nil {
		id.Verdict = rep.Verdict
		id.Summary = explain.Summary(rep)
		for _, c := range []struct {
			key string
			c   verify.Claim
		}{{"authentic_chip", rep.AuthenticChip}, {"data_intact", rep.DataIntact}, {"issued_by", rep.IssuedBy}, {"not_cloned", rep.NotCloned}} {
			id.Claims = append(id.Claims, ClaimView{Key: c.key, Status: c.c.Status, Text: explain.Claim(c.c)})
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

func sexName(s string) string {
	switch s {
	case "F":
		return i18n.T("sex.female")
	case "M":
		return i18n.T("sex.male")
	default:
		return i18n.T("sex.unspecified")
	}
}
