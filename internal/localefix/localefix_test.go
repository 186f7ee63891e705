package localefix

import (
	"os"
	"testing"
)

func TestApply(t *testing.T) {
	for _, c := range []struct{ lcAll, lang, language, want string }{
		{"", "C.UTF-8", "", "fr"},
		{"", "C.utf8", "", "fr"},
		{"", "en_GB.UTF-8", "", ""},
		{"", "C", "", ""}, // plain C: Fyne copes, gettext ignores LANGUAGE
		{"", "C.UTF-8", "en", "en"},
		{"de_DE.UTF-8", "C.UTF-8", "", ""},
	} {
		t.Setenv("LC_ALL", c.lcAll)
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", c.lang)
		t.Setenv("LANGUAGE", c.language)
		apply()
		if got := os.Getenv("LANGUAGE"); got != c.want {
			t.Errorf("%+v: LANGUAGE=%q", c, got)
		}
	}
}
