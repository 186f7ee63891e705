// Package crosscheck compares what a document's seal says with what its chip
// says (names, document number, dates, sex, nationality) and lists every
// difference, after normalising what legitimately differs: accents and
// case (the MRZ has none), MRZ filler characters, truncated MRZ names,
// two- and six-digit years.
package crosscheck

import (
	"fmt"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
)

// Facts are the comparable data of one side. Empty fields are unknown.
type Facts struct {
	Surname        string // as printed (any case, accents) or MRZ-style with '<'
	GivenNames     string
	DocumentNumber string
	BirthDate      string // YYYYMMDD, or YYMMDD when only the MRZ gives it
	ExpiryDate     string
	Sex            string // M, F or X
	Nationality    string // ICAO 3-letter code, or ISO 2-letter
	// Truncated marks names that may have been cut to fit (the MRZ).
	Truncated bool
}

// Difference is one field on which the two sides disagree, with both
// values; the application words it (app/sealtext).
type Difference struct {
	Field string `json:"field"` // one of [Fields]
	Seal  string `json:"seal"`
	Chip  string `json:"chip"`
}

// Fields are the fields compared, in the order they are compared.
var Fields = []string{"surname", "given_names", "document_number", "birth_date", "expiry_date", "sex", "nationality"}

// Result lists what was compared and what differs.
type Result struct {
	Compared    []string     `json:"compared"`
	Differences []Difference `json:"differences"`
	// Unknown lists fields one side does not give.
	Unknown []string `json:"unknown"`
}

// Match reports that something was compared and nothing differed.
func (r Result) Match() bool { return len(r.Compared) > 0 && len(r.Differences) == 0 }

// Compare lists every difference between seal and chip.
func Compare(seal, chip Facts) Result {
	var r Result
	check := func(field, s, c string, same func(s, c string) bool) {
		if s == "" || c == "" {
			r.Unknown = append(r.Unknown, field)
			return
		}
		r.Compared = append(r.Compared, field)
		if !same(s, c) {
			r.Differences = append(r.Differences, Difference{Field: field, Seal: s, Chip: c})
		}
	}
	truncated := seal.Truncated || chip.Truncated
	check("surname", seal.Surname, chip.Surname, func(s, c string) bool { return sameName(s, c, truncated) })
	check("given_names", seal.GivenNames, chip.GivenNames, func(s, c string) bool { return sameName(s, c, truncated) })
	check("document_number", seal.DocumentNumber, chip.DocumentNumber, func(s, c string) bool { return code(s) == code(c) })
	check("birth_date", seal.BirthDate, chip.BirthDate, sameDate)
	check("expiry_date", seal.ExpiryDate, chip.ExpiryDate, sameDate)
	check("sex", seal.Sex, chip.Sex, func(s, c string) bool { return sex(s) == sex(c) })
	check("nationality", seal.Nationality, chip.Nationality, func(s, c string) bool { return country(s) == country(c) })
	return r
}

// name normalises a name: MRZ transliteration, words separated by one space.
func name(s string) string {
	return strings.Join(strings.FieldsFunc(mrz.Transliterate(s), func(r rune) bool { return r == '<' }), " ")
}

// sameName compares normalised names; when one side may be truncated (the
// MRZ cuts long names), it may be a prefix of the other.
func sameName(a, b string, truncated bool) bool {
	na, nb := name(a), name(b)
	if na == nb {
		return true
	}
	if !truncated || na == "" || nb == "" {
		return false
	}
	return strings.HasPrefix(na, nb) || strings.HasPrefix(nb, na)
}

func code(s string) string {
	return strings.ToUpper(strings.NewReplacer("<", "", " ", "", "-", "").Replace(s))
}

// sameDate compares YYYYMMDD or YYMMDD dates (the MRZ has two-digit years).
func sameDate(a, b string) bool {
	a, b = digits(a), digits(b)
	if len(a) == 8 && len(b) == 6 {
		a = a[2:]
	}
	if len(b) == 8 && len(a) == 6 {
		b = b[2:]
	}
	return a == b
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func sex(s string) string {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "M", "H": // H: homme, on French documents
		return "M"
	case "F":
		return "F"
	}
	return "X"
}

// alpha2 maps the ISO 3166 two-letter codes a 2D-Doc carries to ICAO's
// three-letter ones, for the countries a French document names most.
var alpha2 = map[string]string{
	"FR": "FRA", "DE": "D", "BE": "BEL", "ES": "ESP", "IT": "ITA", "PT": "PRT", "LU": "LUX", "CH": "CHE",
	"NL": "NLD", "GB": "GBR", "MA": "MAR", "DZ": "DZA", "TN": "TUN", "US": "USA",
}

func country(s string) string {
	s = strings.ToUpper(strings.Trim(s, "< "))
	if c, ok := alpha2[s]; ok {
		return c
	}
	if s == "DEU" {
		return "D" // Germany is "D" in the MRZ
	}
	return s
}

// FromChip gathers the chip's facts: DG11's full name and birth date when
// present (not truncated, with accents), the MRZ for the rest.
func FromChip(m *mrz.MRZ, dg11 *lds.DG11, now time.Time) Facts {
	var f Facts
	if m != nil {
		f = Facts{
			Surname: m.PrimaryIdentifier, GivenNames: m.SecondaryIdentifier, DocumentNumber: m.DocumentNumber,
			Sex: m.Sex, Nationality: m.Nationality, Truncated: true,
			BirthDate:  fullDate(m.BirthDate, m.BirthDate.BirthYear(now)),
			ExpiryDate: fullDate(m.ExpiryDate, m.ExpiryDate.ExpiryYear(now)),
		}
	}
	if dg11 != nil {
		if p, s := dg11.Names(); p != "" {
			f.Surname, f.GivenNames, f.Truncated = p, s, false
		}
		if len(dg11.FullDateOfBirth) == 8 {
			f.BirthDate = dg11.FullDateOfBirth
		}
	}
	return f
}

func fullDate(d mrz.Date, year int) string {
	if d.Month == 0 || d.Day == 0 || year <= 0 {
		return ""
	}
	return fmt.Sprintf("%04d%02d%02d", year, d.Month, d.Day)
}
