package cli

import (
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/app/i18n"
)

// Every command has its help in both languages, starting with its usage
// line: a command added without one fails here (help.txtar shows them).
func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range commands {
		for lang, prefix := range map[string]string{"fr": "Utilisation : cnie-reader ", "en": "Usage: cnie-reader "} {
			h := i18n.Locale{Lang: lang}.T("cli.help."+c.name, helpData())
			if !strings.HasPrefix(h, prefix+c.name) {
				t.Errorf("%s help in %s: %q", c.name, lang, h)
			}
			if strings.Contains(h, "{{") || strings.Contains(h, "<no value>") {
				t.Errorf("%s help in %s has an unfilled placeholder", c.name, lang)
			}
		}
	}
}

func TestClosest(t *testing.T) {
	names := []string{"read", "verify", "verify-assertion", "serve", "seal", "sim"}
	for typed, want := range map[string]string{
		"raed":            "read", // a swap is one step
		"reed":            "read",
		"verfy":           "verify",
		"verify-asertion": "verify-assertion",
		"seve":            "serve",
		"frobnicate":      "", // nothing near
		"x":               "", // too short to guess
	} {
		if got := closest(typed, names); got != want {
			t.Errorf("closest(%q) = %q, want %q", typed, got, want)
		}
	}
}
