package sealtext

import (
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/internal/demoseal"
	"github.com/cnie-reader/cnie-reader/seal"
	"github.com/cnie-reader/cnie-reader/seal/crosscheck"
	"github.com/cnie-reader/cnie-reader/seal/sealtrust"
)

// inBoth renders in French then in English.
func inBoth(t *testing.T, render func() string) (fr, en string) {
	t.Helper()
	for _, l := range []string{"fr", "en"} {
		if err := i18n.Use(i18n.Locale{Lang: l}); err != nil {
			t.Fatal(err)
		}
		if l == "fr" {
			fr = render()
		} else {
			en = render()
		}
	}
	return fr, en
}

// worded fails on a text that is missing, untranslated or still a key.
func worded(t *testing.T, what, fr, en string) {
	t.Helper()
	if fr == "" || en == "" || fr == en || strings.HasPrefix(fr, "seal.") || strings.HasPrefix(en, "seal.") {
		t.Errorf("%s: French %q, English %q", what, fr, en)
	}
}

func TestEveryCodeIsWorded(t *testing.T) {
	for _, code := range []string{seal.What2DDoc, seal.What2DDocDamaged, seal.WhatVDS, seal.WhatVDSDamaged, seal.WhatURL, seal.WhatText, seal.WhatBinary} {
		r := &seal.Result{What: seal.Message{Code: code}}
		fr, en := inBoth(t, func() string { return What(r) })
		worded(t, code, fr, en)
	}
	for _, code := range []string{seal.WhyValid, seal.WhyInvalid, seal.WhyUnknownAuthority, seal.WhyOffline} {
		r := &seal.Result{Why: seal.Message{Code: code}}
		fr, en := inBoth(t, func() string { return Why(r) })
		worded(t, code, fr, en)
	}
	for _, field := range append(crosscheck.Fields, "other") {
		fr, en := inBoth(t, func() string { return Difference(crosscheck.Difference{Field: field, Seal: "A", Chip: "B"}) })
		worded(t, field, fr, en)
	}
}

// TestOthersSayWhatTheyAre: a payload that is no seal is described as what
// it is, in both languages (moved from package seal).
func TestOthersSayWhatTheyAre(t *testing.T) {
	cases := map[string]struct {
		payload []byte
		fr, en  string
	}{
		"url": {[]byte("https://example.org/verify?id=1"),
			"Une simple adresse web (example.org), pas un cachet signé : elle ne prouve rien sur le document.",
			"A plain web address (example.org), not a signed seal: it proves nothing about the document."},
		"text":   {[]byte("Bonjour"), "Du texte, pas un cachet signé.", "Text, not a signed seal."},
		"binary": {[]byte{0x00, 0xFF, 0xFE, 0x80}, "Des données binaires inconnues (4 octets), ni 2D-Doc ni cachet OACI.", "Unknown binary data (4 bytes), neither a 2D-Doc nor an ICAO seal."},
	}
	for name, tc := range cases {
		r := seal.Inspect(tc.payload)
		fr, en := inBoth(t, func() string { return What(r) })
		if fr != tc.fr || en != tc.en {
			t.Errorf("%s: %q / %q", name, fr, en)
		}
		if fr, en := inBoth(t, func() string { return Why(r) }); fr != "" || en != "" {
			t.Errorf("%s: a payload that is no seal has no signature to explain: %q / %q", name, fr, en)
		}
	}
}

func TestDemoSealWorded(t *testing.T) {
	holder := demoseal.Holder{Surname: "DEMO", GivenNames: "CAMILLE MARIE", DocumentNumber: "DEMO00001", Sex: "F", Nationality: "FR",
		BirthDate: time.Date(1990, 7, 14, 0, 0, 0, 0, time.UTC)}
	payload, err := demoseal.TwoDDoc(holder, time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	r := seal.Inspect(payload)
	store := sealtrust.NewStore()
	if err := demoseal.Trust(store); err != nil {
		t.Fatal(err)
	}
	r.Verify(store, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	fr, en := inBoth(t, func() string { return What(r) })
	if want := "2D-Doc « Titre d'identité » émis sous l'autorité " + demoseal.Authority + " (certificat " + demoseal.CertificateID + ")."; fr != want {
		t.Errorf("French: %q, want %q", fr, want)
	}
	if want := "2D-Doc \"Identity document\" issued under authority " + demoseal.Authority + " (certificate " + demoseal.CertificateID + ")."; en != want {
		t.Errorf("English: %q, want %q", en, want)
	}
	fr, en = inBoth(t, func() string { return Why(r) })
	if !strings.HasPrefix(fr, "Signature valide : ") || !strings.HasPrefix(en, "Valid signature: ") {
		t.Errorf("%q / %q", fr, en)
	}
	fr, en = inBoth(t, func() string { return FieldName2DDoc(r.TwoDDoc.Fields[0]) })
	if fr != "Liste des prénoms" || en != "Given names" {
		t.Errorf("field 60: %q / %q", fr, en)
	}
}

// TestDifferencesWorded: every difference the cross-check lists has its
// sentence in both languages (moved from package crosscheck).
func TestDifferencesWorded(t *testing.T) {
	chip := crosscheck.Facts{Surname: "DEMO<LEGER", GivenNames: "CAMILLE<MARIE<HELENE", DocumentNumber: "DEMO00001",
		BirthDate: "19900714", ExpiryDate: "20340305", Sex: "F", Nationality: "FRA", Truncated: true}
	sealFacts := crosscheck.Facts{Surname: "DUPONT", GivenNames: "Camille Marie Hélène", DocumentNumber: "DEMO00002",
		BirthDate: "19900715", Sex: "M", Nationality: "BEL"}
	r := crosscheck.Compare(sealFacts, chip)
	if len(r.Differences) != 5 {
		t.Fatalf("%+v", r.Differences)
	}
	for _, d := range r.Differences {
		fr, en := inBoth(t, func() string { return Difference(d) })
		worded(t, d.Field, fr, en)
	}
	fr, en := inBoth(t, func() string { return Difference(r.Differences[0]) })
	if fr != "Le nom diffère : cachet « DUPONT », puce « DEMO<LEGER »." || en != "The surname differs: seal \"DUPONT\", chip \"DEMO<LEGER\"." {
		t.Errorf("%q / %q", fr, en)
	}
}
