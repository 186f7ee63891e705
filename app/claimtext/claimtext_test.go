package claimtext

import (
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/reader/lds"
)

func use(t *testing.T, lang string) {
	t.Helper()
	if err := i18n.Use(i18n.Locale{Lang: lang}); err != nil {
		t.Fatal(err)
	}
}

// TestEveryDatumNamed: every datum has a label in both languages, the same
// through the language in use and through an explicit locale.
func TestEveryDatumNamed(t *testing.T) {
	for _, d := range assertion.Known {
		for _, lang := range []string{"fr", "en"} {
			use(t, lang)
			got := Datum(d)
			if got == "" || got == string(d) || strings.HasPrefix(got, "assertion.") {
				t.Errorf("%s in %s: %q", d, lang, got)
			}
			if in := DatumIn(i18n.Locale{Lang: lang}, d); in != got {
				t.Errorf("%s in %s: %q through the locale, %q through i18n.T", d, lang, in, got)
			}
		}
	}
	use(t, "fr")
	if got := Datum(assertion.DocumentNumber); got != "Numéro du document" {
		t.Errorf("French: %q", got)
	}
	if got := DatumIn(i18n.Locale{Lang: "en"}, assertion.FamilyName); got != "Surname" {
		t.Errorf("English: %q", got)
	}
	if got := Datum("shoe_size"); got != "shoe_size" {
		t.Errorf("unknown datum: %q", got)
	}
}

// TestEveryItemNamed: everything the consent screen lists, before and after
// the read, is named in both languages.
func TestEveryItemNamed(t *testing.T) {
	var asked []assertion.Ask
	for _, d := range assertion.Known {
		asked = append(asked, assertion.Ask{Datum: d})
	}
	scope := assertion.NewScope(asked)
	g := &lds.DG11{FullName: "DEMO<<CAMILLE", FullDateOfBirth: "19900714", OtherNames: []string{"X"}, PersonalNumber: "1",
		Telephone: "0", Profession: "P", Title: "T", PersonalSummary: "S", OtherTDNumbers: "O", CustodyInformation: "C",
		ProofOfCitizenship: []byte{1}}
	items := append(scope.Leaves(true, time.Now()), scope.LeavesOf(nil, g, true, time.Now())...)
	seen := map[string]bool{}
	for _, it := range items {
		seen[it.What] = true
		names := map[string]string{}
		for _, lang := range []string{"fr", "en"} {
			use(t, lang)
			names[lang] = Item(it)
			if n := names[lang]; n == "" || n == it.What || strings.HasPrefix(n, "assertion.") {
				t.Errorf("%s in %s: %q", it.What, lang, n)
			}
		}
	}
	for _, code := range []string{assertion.ItemMRZIssuer, assertion.ItemMRZOptional, assertion.ItemDG11Rest, assertion.ItemSOD,
		assertion.ItemChipSignature, assertion.ItemReport, assertion.ItemFullName, assertion.ItemFullBirthDate,
		assertion.ItemOtherNames, assertion.ItemPersonalNumber, assertion.ItemTelephone, assertion.ItemProfession,
		assertion.ItemTitle, assertion.ItemPersonalSummary, assertion.ItemOtherDocuments, assertion.ItemCustody,
		assertion.ItemProofOfCitizen} {
		if !seen[code] {
			t.Errorf("%s never listed: the test misses it", code)
		}
	}
	use(t, "fr")
	if got := Item(assertion.Item{What: assertion.ItemSOD}); got != "La signature de l'État (EF.SOD) et les empreintes de tous les groupes de données de la puce" {
		t.Errorf("%q", got)
	}
}
