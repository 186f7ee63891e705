package i18n

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	langfiles "github.com/cnie-reader/cnie-reader/assets/lang"
)

func load(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := langfiles.FS.ReadFile("translations/ui." + lang + ".json")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// dynamicKeys are built at run time from a prefix and an id.
var dynamicKeys = []string{
	"screen.home", "screen.citizen", "screen.clerk", "screen.support",
	"step.reader", "step.can", "step.place", "step.reading", "step.result", "step.request", "step.consent", "step.sent",
	"compare.surname", "compare.given_names", "compare.document_number", "compare.birth_date", "compare.expiry_date",
	"compare.sex", "compare.nationality",
	"support.card_present", "support.card_absent", "support.card_mute", "support.card_in_use",
	"support.extended_yes", "support.extended_no", "support.extended_unknown",
	"support.selftest_passed", "support.selftest_wrong_verdict",
	"read.step.secure", "read.step.identity", "read.step.photo", "read.step.authenticity",
	"field.surname", "field.given_names", "field.birth_date", "field.birth_place", "field.sex", "field.nationality",
	"field.document_number", "field.expiry_date", "field.issuing_state", "field.address",
	"reader.no_service_explain", "reader.no_service_explain_windows", "reader.no_service_explain_macos",
	"verdict.genuine", "verdict.demo", "verdict.not_genuine", "verdict.not_proven",
}

// TestEveryStringInBothLanguages: every key the code uses exists in French
// and English, with a real translation, and the files hold no stale key.
func TestEveryStringInBothLanguages(t *testing.T) {
	fr, en := load(t, "fr"), load(t, "en")
	used := map[string]bool{}
	for _, k := range dynamicKeys {
		used[k] = true
	}
	call := regexp.MustCompile(`(?:i18n\.T|section|bold)\("([a-z_.]+)"`)
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			if !strings.HasSuffix(m[1], ".") && !strings.HasSuffix(m[1], "_") {
				used[m[1]] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < 100 {
		t.Fatalf("only %d keys found: is the scan broken?", len(used))
	}
	for k := range used {
		if fr[k] == "" || en[k] == "" {
			t.Errorf("%s: fr %q en %q", k, fr[k], en[k])
		}
	}
	for k := range fr {
		if !used[k] {
			t.Errorf("%s is in ui.fr.json but no code uses it", k)
		}
		if _, ok := en[k]; !ok {
			t.Errorf("%s missing in English", k)
		}
	}
	for k := range en {
		if _, ok := fr[k]; !ok {
			t.Errorf("%s missing in French", k)
		}
	}
	// Placeholders match: a translation that drops {{.N}} loses information.
	ph := regexp.MustCompile(`\{\{\.[A-Za-z]+\}\}`)
	for k, v := range fr {
		if a, b := strings.Join(ph.FindAllString(v, -1), ","), strings.Join(ph.FindAllString(en[k], -1), ","); len(a) != len(b) {
			t.Errorf("%s: placeholders %s vs %s", k, a, b)
		}
	}
}

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
}
