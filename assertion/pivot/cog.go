package pivot

import (
	_ "embed"
	"strings"
	"sync"
)

// France is the INSEE COG code of France.
const France = "99100"

//go:embed cog_countries.tsv
var cogFile string

// cogCodes maps ICAO 9303 country codes to INSEE COG country codes, read
// once from cog_countries.tsv (its header names the source).
var cogCodes = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(cogFile, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) >= 2 {
			m[f[0]] = f[1]
		}
	}
	return m
})

// COGCountry returns the INSEE COG code of the country or territory that
// an ICAO 9303 three-letter code names ("FRA" → 99100), or "" when the
// table has none (organisations, nationality-only codes, unknown codes).
func COGCountry(icao string) string { return cogCodes()[icao] }

// BirthCountry reads the birth country at the end of a place of birth
// split on its fillers, and returns its COG code and the rule applied, or
// "" when the place does not say: a French department number in
// parentheses ("PARIS", "(75)"), an ICAO country code in parentheses
// ("LONDON", "(GBR)") or alone after the place ("LONDON", "GBR"). A
// country written out in words is not read: names vary, codes do not.
func BirthCountry(parts []string) (code, rule string) {
	if len(parts) < 2 { // a lone word is the place, not its country
		return "", ""
	}
	last := parts[len(parts)-1]
	inner, paren := strings.CutPrefix(last, "(")
	if paren {
		var ok bool
		if inner, ok = strings.CutSuffix(inner, ")"); !ok {
			return "", ""
		}
		if frenchDepartment(inner) {
			return France, "the place of birth ends with a French department number in parentheses: France"
		}
	}
	if len(inner) == 3 && strings.ToUpper(inner) == inner {
		if c := COGCountry(inner); c != "" {
			return c, "the place of birth ends with an ICAO 9303 country code, mapped to its INSEE COG code"
		}
	}
	return "", ""
}

// frenchDepartment tells whether s is the number of a French département:
// 01 to 95 (20 for Corsica before 1976, 2A and 2B since) or 971 to 976
// overseas. 99, INSEE's "born abroad", names no country.
func frenchDepartment(s string) bool {
	switch {
	case s == "2A" || s == "2B":
		return true
	case len(s) == 2 && isDigits(s):
		return s >= "01" && s <= "95"
	case len(s) == 3 && isDigits(s):
		return s >= "971" && s <= "976"
	}
	return false
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
