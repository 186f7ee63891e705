package mrz

import (
	"strings"

	"golang.org/x/text/language"
)

// icaoSpecial are the ICAO 9303 Part 3 codes that are not ISO 3166-1
// alpha-3 codes, with the two-letter country that the certificates of their
// authorities carry (X.509 countryName is two letters).
var icaoSpecial = map[string]string{
	"D":   "DE", // Germany keeps its one-letter code in MRZs
	"GBD": "GB", // British Overseas Territories citizen
	"GBN": "GB", // British National (Overseas)
	"GBO": "GB", // British Overseas citizen
	"GBP": "GB", // British protected person
	"GBS": "GB", // British subject
	"UTO": "UT", // Utopia, the fictitious state of ICAO's specimens
	"RKS": "KS", // Kosovo (its CSCA is published as KS)
	"EUE": "EU", // European Union (laissez-passer)
	"UNO": "UN", // United Nations Organization or one of its officials
	"UNA": "UN", // a specialised agency of the United Nations
	"UNK": "UN", // resident of Kosovo under UNMIK
}

// CountryAlpha2 returns the two-letter country that the X.509 certificates
// of the authority issuing documents under the ICAO code code (DG1's
// issuing state, "FRA", "D", "GBD"...) carry: ISO 3166-1 alpha-3 codes map
// to their alpha-2, ICAO's own codes as ICAO 9303-3 defines them. It
// returns false for a code it does not know (other organisations' codes,
// the nationality-only codes XXA..XXX): their authority's country is not
// something this reader can check.
func CountryAlpha2(code string) (string, bool) {
	code = strings.ToUpper(strings.TrimRight(code, "<"))
	if a2, ok := icaoSpecial[code]; ok {
		return a2, true
	}
	if len(code) != 3 {
		return "", false
	}
	r, err := language.ParseRegion(code)
	if err != nil || !r.IsCountry() {
		return "", false
	}
	return r.String(), true
}
