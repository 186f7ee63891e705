package pivot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
)

// maxName bounds one name, in bytes: beyond any civil registry's.
const maxName = 256

// Rules the provenance states for names.
const (
	ruleDG11Names = "DG11 full name as signed, '<' separating the names"
	ruleMRZNames  = "MRZ names (ICAO 9303 Part 3): upper-case Latin letters, accents removed by transliteration, " +
		"spaces and hyphens both written as fillers, so compound given names are split"
	ruleTruncated = "; the MRZ name field is full: the names may be truncated"
)

// setNames sets family_name, given_name and given_name_array: DG11's full
// name when the card has one, else the MRZ's.
func (id *Identity) setNames(m *mrz.MRZ, g *lds.DG11) error {
	if g != nil && strings.Trim(g.FullName, "< ") != "" {
		primary, secondary, _ := strings.Cut(g.FullName, "<<")
		id.FamilyName = strings.Join(parts(primary), " ")
		id.GivenNameArray = parts(secondary)
		p := Provenance{Basis: Verified, Source: FromDG11, Rule: ruleDG11Names}
		id.Provenance[FamilyName], id.Provenance[GivenName], id.Provenance[GivenNameArray] = p, p, p
	} else {
		id.FamilyName = m.PrimaryIdentifier
		id.GivenNameArray = strings.Fields(m.SecondaryIdentifier)
		rule := ruleMRZNames
		full := nameFieldFull(m)
		if full {
			rule += ruleTruncated
		}
		p := Provenance{Basis: Derived, Source: FromMRZ, Rule: rule}
		id.Provenance[FamilyName], id.Provenance[GivenName], id.Provenance[GivenNameArray] = p, p, p
		if full && len(id.GivenNameArray) == 0 {
			return fail(BadName, "the MRZ name field is full and holds no given name: they may have been cut off")
		}
	}
	if id.GivenNameArray == nil {
		id.GivenNameArray = []string{} // a person with no given name: an empty list, not null
	}
	id.GivenName = strings.Join(id.GivenNameArray, " ")
	if id.FamilyName == "" {
		return fail(BadName, "empty family name")
	}
	if err := checkName("family name", id.FamilyName); err != nil {
		return err
	}
	for _, n := range id.GivenNameArray {
		if err := checkName("given name", n); err != nil {
			return err
		}
	}
	return nil
}

// parts splits a DG11 name field on its fillers, each part's spaces
// collapsed; empty parts are dropped.
func parts(field string) []string {
	var out []string
	for _, p := range strings.Split(field, "<") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// checkName refuses what is no name: invalid UTF-8, control or bidi
// characters, digits or symbols. Letters of any script, combining marks,
// spaces, hyphens, apostrophes and dots are names' characters.
func checkName(what, s string) error {
	if len(s) > maxName || !utf8.ValidString(s) || assertion.HasDeceptive(s) {
		return fail(BadName, what+" too long, not UTF-8 or holding control characters")
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsMark(r) && !strings.ContainsRune(" -'’.", r) {
			return fail(BadName, what+" holds a character that is no letter")
		}
	}
	return nil
}

// nameFieldFull tells whether the MRZ's name field has no filler left at
// its end: the names may then have been cut to fit (ICAO 9303 Part 3 §4.6).
func nameFieldFull(m *mrz.MRZ) bool {
	var field string
	switch {
	case m.Format == mrz.TD1 && len(m.Lines) == 3:
		field = m.Lines[2]
	case len(m.Lines) == 2 && len(m.Lines[0]) > 5:
		field = m.Lines[0][5:]
	}
	return field != "" && !strings.HasSuffix(field, "<")
}
