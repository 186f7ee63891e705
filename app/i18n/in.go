package i18n

import (
	"strings"
	"text/template"
)

// T renders a key in l's language whatever the language in use, filling
// its {{.Field}} placeholders from data as the package-level [T] does (the
// command line prints an error in both languages at once). It reads the
// same catalog as [Locale.Text]; a missing key gives the key itself.
func (l Locale) T(key string, data ...any) string {
	s := textIn(l.Lang, key)
	if len(data) == 0 || data[0] == nil || !strings.Contains(s, "{{") {
		return s
	}
	tmpl, err := template.New(key).Parse(s)
	if err != nil {
		return s
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, data[0]); err != nil {
		return s
	}
	return b.String()
}
