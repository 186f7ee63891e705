package i18n

import (
	"encoding/json"
	"io/fs"
	"sync"

	langfiles "github.com/cnie-reader/cnie-reader/assets/lang"
)

// catalogs holds, per language, every key of the translation files, read
// once. Fyne's lang package only answers in the language in use; a
// [Locale] formats in its own language, so it reads the files here.
var catalogs = struct {
	sync.Mutex
	byLang map[string]map[string]string
}{byLang: map[string]map[string]string{}}

// textIn is a key's text in a language ("en", French otherwise), or the
// key itself when no file has it (the key tests catch that).
func textIn(lang, key string) string {
	if lang != "en" {
		lang = "fr"
	}
	catalogs.Lock()
	defer catalogs.Unlock()
	c, ok := catalogs.byLang[lang]
	if !ok {
		c = readCatalog(lang)
		catalogs.byLang[lang] = c
	}
	if v, ok := c[key]; ok {
		return v
	}
	return key
}

// readCatalog merges the embedded translations/*.<lang>.json files; a file
// that does not parse is skipped (TestTranslationParity reports it).
func readCatalog(lang string) map[string]string {
	c := map[string]string{}
	names, _ := fs.Glob(langfiles.FS, "translations/*."+lang+".json")
	for _, name := range names {
		b, err := langfiles.FS.ReadFile(name)
		if err != nil {
			continue
		}
		var m map[string]string
		if json.Unmarshal(b, &m) != nil {
			continue
		}
		for k, v := range m {
			c[k] = v
		}
	}
	return c
}

// Text is a key's text in l's language, whatever the language in use (a
// page shown in both languages, a date written for another locale). It
// fills no placeholder: use [T] for templates.
func (l Locale) Text(key string) string { return textIn(l.Lang, key) }
