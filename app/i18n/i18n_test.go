package i18n

import (
	"os"
	"testing"
	"time"
)

func TestUseSwitchesLanguage(t *testing.T) {
	t.Setenv("LC_ALL", "C")
	if err := Use(Locale{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	if got := T("action.cancel"); got != "Cancel" {
		t.Errorf("en: %q", got)
	}
	if err := Use(Locale{Lang: "fr"}); err != nil {
		t.Fatal(err)
	}
	if got := T("action.cancel"); got != "Annuler" {
		t.Errorf("fr: %q", got)
	}
	if got := T("can.missing", map[string]any{"N": 2}); got != "Encore 2 chiffre(s)." {
		t.Errorf("template: %q", got)
	}
	if os.Getenv("LC_ALL") != "C" {
		t.Error("the environment was not restored")
	}
}

func TestParseAndFromEnvironment(t *testing.T) {
	for in, want := range map[string]Locale{
		"en_GB.UTF-8": {"en", "GB"}, "en-US": {"en", "US"}, "fr_FR.UTF-8": {"fr", "FR"}, "de_DE": {"fr", "DE"},
		"C": {"fr", ""}, "": {"fr", ""}, "en": {"en", ""}, "fr_BE@euro": {"fr", "BE"},
	} {
		if got := Parse(in); got != want {
			t.Errorf("Parse(%q) = %+v, want %+v", in, got, want)
		}
	}
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "fr_FR.UTF-8")
	t.Setenv("LANGUAGE", "en_US:fr")
	if got := FromEnvironment(); got != (Locale{"en", "US"}) {
		t.Errorf("LANGUAGE first: %+v", got)
	}
	t.Setenv("LANGUAGE", "")
	if got := FromEnvironment(); got != (Locale{"fr", "FR"}) {
		t.Errorf("LANG: %+v", got)
	}
}

func TestDates(t *testing.T) {
	d := time.Date(2031, 8, 1, 14, 5, 0, 0, time.UTC)
	for l, want := range map[Locale]string{
		{"fr", "FR"}: "1er août 2031", {"en", "US"}: "August 1, 2031", {"en", "GB"}: "1 August 2031", {"en", ""}: "1 August 2031",
	} {
		if got := l.Date(d); got != want {
			t.Errorf("%+v: %q, want %q", l, got, want)
		}
	}
	if got := (Locale{"en", "US"}).DateTime(d); got != "August 1, 2031 2:05 PM" {
		t.Errorf("US time: %q", got)
	}
	if got := (Locale{"fr", "FR"}).DateTime(d); got != "1er août 2031 14:05" {
		t.Errorf("FR time: %q", got)
	}
	// Every month has its name in both languages (not its key).
	frMonths := []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	for m := time.January; m <= time.December; m++ {
		d := time.Date(2031, m, 12, 0, 0, 0, 0, time.UTC)
		if got, want := (Locale{"fr", "FR"}).Date(d), "12 "+frMonths[m-1]+" 2031"; got != want {
			t.Errorf("%s: %q, want %q", m, got, want)
		}
		if got, want := (Locale{"en", "GB"}).Date(d), d.Format("2 January 2006"); got != want {
			t.Errorf("%s: %q, want %q", m, got, want)
		}
	}
}
