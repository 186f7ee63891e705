package i18n

import (
	"go/ast"
	"go/token"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// frenchLetters are the accented letters of French (and œ, æ): English
// text does not use them.
var frenchLetters = regexp.MustCompile(`[àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ]`)

// frenchWords are short French words and elisions that English sentences
// do not contain: articles, "est", "pas", "vous", and "l'", "d'", "n'"…
// before a word.
var frenchWords = regexp.MustCompile(`(^|[^\p{L}])([Ll]e|[Ll]a|[Ll]es|[Dd]es|[Uu]ne|[Dd]u|[Aa]ux|est|pas|sont|[Vv]ous|[Vv]otre|[Vv]os|avec|dans|[Pp]our|sur|[Cc]ette|[Cc]es|puis|[Aa]ucune?)\s+\p{L}|(^|[^\p{L}])([LlDdNnJjSsCc]|[Qq]u)'\p{L}`)

// frenchAllowed are literals that look French and must stay in Go code,
// each with its reason. The key is "path: literal".
var frenchAllowed = map[string]string{
	"reader/sm/card.go: empty Le object":               "Le is ISO 7816's expected-length field, not the French article",
	"reader/sm/card.go: Le object longer than 2 bytes": "Le is ISO 7816's expected-length field, not the French article",
}

// TestNoFrenchInGo: what people read lives in the translation files
// (assets/lang/translations), never in a Go string literal, so that every
// sentence has its English twin and one way to be reworded. Comments are
// not checked; test files are not either (they assert on rendered text).
func TestNoFrenchInGo(t *testing.T) {
	var found []string
	fset := token.NewFileSet()
	walkGoFiles(t, func(path string, f *ast.File) {
		tags := structTags(f)
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING || tags[lit] {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !looksFrench(s) {
				return true
			}
			if _, ok := frenchAllowed[path+": "+s]; ok {
				return true
			}
			found = append(found, fset.Position(lit.Pos()).String()+": "+strconv.Quote(shorten(s)))
			return true
		})
	}, fset)
	sort.Strings(found)
	for _, f := range found {
		t.Error(f)
	}
	if len(found) > 0 {
		t.Logf("%d French literals in Go files: move them to assets/lang/translations and render them with i18n.T", len(found))
	}
}

// TestFrenchDetector pins what the guard catches and what it lets through.
func TestFrenchDetector(t *testing.T) {
	for _, s := range []string{
		"Lecteur prêt", "Aucun lecteur branché", "la carte est posée", "Numero d'identite", "n'a pas repondu",
		"Le nom differe", "Vérifier", "cœur",
	} {
		if !looksFrench(s) {
			t.Errorf("%q not caught", s)
		}
	}
	for _, s := range []string{
		"parse EF.SOD: malformed chip data", "The card is not genuine.", "don't", "reader's name", "DG1 %s",
		"2D-Doc", "le", "application/json", "Content-Type", "LES", "la-la", "%s: %w", "3DES key of %d bytes",
		"ÀÁÂÃĀĂĄ", "Œ",
	} {
		if looksFrench(s) {
			t.Errorf("%q caught", s)
		}
	}
}

// looksFrench tells whether a literal reads as French text. A literal
// without any ASCII letter is a character table (the MRZ's
// transliteration of accented letters), not something people read.
func looksFrench(s string) bool {
	if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }) {
		return false
	}
	return frenchLetters.MatchString(s) || frenchWords.MatchString(s)
}

// structTags marks the literals that are struct tags (json:"…"): they are
// names, not prose.
func structTags(f *ast.File) map[*ast.BasicLit]bool {
	tags := map[*ast.BasicLit]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if field, ok := n.(*ast.Field); ok && field.Tag != nil {
			tags[field.Tag] = true
		}
		return true
	})
	return tags
}

func shorten(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return strings.TrimSpace(s)
}
