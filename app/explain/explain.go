// Package explain words the results of the reader packages for people, in
// the user's language: a verification report's checks, claims and summary
// (reader/verify), a diagnosis's findings (reader/diag) and what a reader
// tells about a card (reader/pcsc). Those packages return codes and
// arguments, never sentences; the sentences live in the translation files
// verify.*.json, diag.*.json and reader.*.json, under the keys each
// function names. The functions without a language use the current one
// (i18n.T), as the window does; their In variants take an i18n.Locale, for
// tests and for text written in another language than the current one. Errors are worded by
// package app/problem.
//
// The name says what it does; "report" would shadow the verify.Report and
// diag.Report values its callers hold under that name.
package explain

import (
	"maps"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/problem"
)

// words renders keys in one language: the current one (i18n.T) when loc
// is nil, else loc's.
type words struct {
	loc *i18n.Locale
}

// current is the language in use.
var current = words{}

// in is l's language.
func in(l i18n.Locale) words { return words{loc: &l} }

// t renders a key with its arguments.
func (w words) t(key string, args map[string]string) string {
	if w.loc == nil {
		return i18n.T(key, args)
	}
	return w.loc.T(key, args)
}

// cause words an error with the application's one error mapping.
func (w words) cause(err error) string {
	if w.loc == nil {
		return problem.Of(err).Message
	}
	return problem.In(*w.loc, err).Message
}

// nested are the arguments that are codes themselves, worded through a key
// prefix before they fill a sentence.
var nested = map[string]string{
	"SignedAt": "verify.signed-at.", // verify.SigningTimeSource
	"Who":      "verify.who.",       // whose certificate: signer, authority
	"Note":     "reader.card.",      // pcsc.CardNote
}

// fill copies args and words the nested codes among them.
func (w words) fill(args map[string]string) map[string]string {
	out := make(map[string]string, len(args)+1)
	maps.Copy(out, args)
	for name, prefix := range nested {
		if v, ok := out[name]; ok && v != "" {
			out[name] = w.t(prefix+v, nil)
		}
	}
	return out
}
