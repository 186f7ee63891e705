// Package i18n chooses the interface language and formats what depends on
// it. French is the default; English is used when the user's first system
// language is English. The strings themselves live in assets/lang and go
// through Fyne's lang package, so Fyne's own widgets follow the same choice.
package i18n

import (
	"os"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	langfiles "github.com/cnie-reader/cnie-reader/assets/lang"
)

// Locale is the chosen language and the user's region (for date formats).
type Locale struct {
	Lang   string // "fr" or "en"
	Region string // "FR", "US", "GB"… or empty
}

var (
	mu      sync.Mutex
	current = Locale{Lang: "fr"}
)

// Current is the locale in use.
func Current() Locale {
	mu.Lock()
	defer mu.Unlock()
	return current
}

// Lang is the language in use, "fr" or "en".
func Lang() string { return Current().Lang }

// FromEnvironment reads the user's locale from the environment the way
// gettext does (LC_ALL, LC_MESSAGES, LANG, then LANGUAGE's first entry):
// English when the first language is English, French otherwise.
func FromEnvironment() Locale {
	var v string
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v = os.Getenv(k); v != "" {
			break
		}
	}
	if l := os.Getenv("LANGUAGE"); l != "" && v != "C" && v != "POSIX" {
		v = strings.Split(l, ":")[0]
	}
	return Parse(v)
}

// Parse reads a POSIX or BCP 47 locale name ("en_GB.UTF-8", "fr-FR").
func Parse(name string) Locale {
	name, _, _ = strings.Cut(name, ".")
	name, _, _ = strings.Cut(name, "@")
	language, region, _ := strings.Cut(strings.ReplaceAll(name, "-", "_"), "_")
	l := Locale{Lang: "fr", Region: strings.ToUpper(region)}
	if strings.EqualFold(language, "en") {
		l.Lang = "en"
	}
	return l
}

// Use loads the translations and makes l the language of every string,
// Fyne's own included. It may be called again to switch (tests do).
func Use(l Locale) error {
	if l.Lang != "en" {
		l.Lang = "fr"
	}
	mu.Lock()
	current = l
	mu.Unlock()
	// Fyne picks its language from the environment when translations are
	// added; point it at ours for that moment only. The files go into
	// Fyne's bundle once: adding them again while a window's goroutine
	// reads the bundle would write its maps under the reader. A switch
	// adds an empty file of the new language, which only re-chooses.
	restore := setEnv(map[string]string{"LC_ALL": l.Lang, "LANGUAGE": l.Lang})
	defer restore()
	fyneOnce.Do(func() { fyneErr = lang.AddTranslationsFS(langfiles.FS, "translations") })
	if fyneErr != nil {
		return fyneErr
	}
	return lang.AddTranslationsForLocale([]byte("{}"), fyne.Locale(l.Lang))
}

var (
	fyneOnce sync.Once
	fyneErr  error
)

func setEnv(vars map[string]string) (restore func()) {
	old := map[string]*string{}
	for k, v := range vars {
		if prev, ok := os.LookupEnv(k); ok {
			old[k] = &prev
		} else {
			old[k] = nil
		}
		os.Setenv(k, v)
	}
	return func() {
		for k, v := range old {
			if v == nil {
				os.Unsetenv(k)
			} else {
				os.Setenv(k, *v)
			}
		}
	}
}

// T translates a key of assets/lang in the language in use; data fills
// {{.Field}} placeholders. It reads this package's catalog (guarded by its
// own lock), not Fyne's bundle, so that a window's goroutine never reads
// a map a test's language switch is writing.
func T(key string, data ...any) string { return Current().T(key, data...) }
