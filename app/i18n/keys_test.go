package i18n

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	langfiles "github.com/cnie-reader/cnie-reader/assets/lang"
)

// repoRoot is the module's root, seen from this package's directory.
const repoRoot = "../.."

// translations reads every translations/<prefix>.<lang>.json file: the
// result maps a prefix to its keys and values.
func translations(t *testing.T, lang string) map[string]map[string]string {
	t.Helper()
	names, err := fs.Glob(langfiles.FS, "translations/*."+lang+".json")
	if err != nil || len(names) == 0 {
		t.Fatalf("no %s translation file (%v)", lang, err)
	}
	out := map[string]map[string]string{}
	for _, name := range names {
		b, err := langfiles.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[strings.TrimSuffix(filepath.Base(name), "."+lang+".json")] = m
	}
	return out
}

// merged is what Fyne sees: every file of a language in one table. A key
// defined by two files would make one of them silently lose.
func merged(t *testing.T, files map[string]map[string]string) map[string]string {
	t.Helper()
	all := map[string]string{}
	owner := map[string]string{}
	for prefix, m := range files {
		for k, v := range m {
			if o, dup := owner[k]; dup {
				t.Errorf("%s is defined in %s and in %s", k, o, prefix)
			}
			owner[k], all[k] = prefix, v
		}
	}
	return all
}

var placeholder = regexp.MustCompile(`\{\{\s*\.[A-Za-z0-9_]+\s*\}\}`)

// placeholders lists a template's {{.Name}} fields, sorted.
func placeholders(s string) []string {
	p := placeholder.FindAllString(s, -1)
	for i := range p {
		p[i] = strings.ReplaceAll(p[i], " ", "")
	}
	slices.Sort(p)
	return slices.Compact(p)
}

// TestTranslationParity: every French file has its English twin with the
// same keys, no empty value and the same placeholders, so that no text
// falls back to its key or loses a value in one language.
func TestTranslationParity(t *testing.T) {
	fr, en := translations(t, "fr"), translations(t, "en")
	for prefix := range en {
		if _, ok := fr[prefix]; !ok {
			t.Errorf("%s.en.json has no French twin %s.fr.json", prefix, prefix)
		}
	}
	for prefix, frKeys := range fr {
		enKeys, ok := en[prefix]
		if !ok {
			t.Errorf("%s.fr.json has no English twin %s.en.json", prefix, prefix)
			continue
		}
		for k, v := range frKeys {
			w, ok := enKeys[k]
			switch {
			case !ok:
				t.Errorf("%s.en.json: %s missing", prefix, k)
			case strings.TrimSpace(v) == "":
				t.Errorf("%s.fr.json: %s is empty", prefix, k)
			case strings.TrimSpace(w) == "":
				t.Errorf("%s.en.json: %s is empty", prefix, k)
			case !slices.Equal(placeholders(v), placeholders(w)):
				t.Errorf("%s: placeholders %v in French, %v in English", k, placeholders(v), placeholders(w))
			}
		}
		for k := range enKeys {
			if _, ok := frKeys[k]; !ok {
				t.Errorf("%s.fr.json: %s missing", prefix, k)
			}
		}
	}
	merged(t, fr)
	merged(t, en)
}

// keyTakers finds the functions whose first argument is a translation key:
// i18n.T (and Locale.T), and every function or closure that hands its first string
// parameter, as is, to one of them (the CLI's msg, the GUI's bold…).
func keyTakers(files []*ast.File) map[string]bool {
	takers := map[string]bool{"i18n.T": true}
	for grew := true; grew; {
		grew = false
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				var name string
				var fn *ast.FuncType
				var body *ast.BlockStmt
				switch n := n.(type) {
				case *ast.FuncDecl:
					if n.Recv == nil && n.Body != nil {
						name, fn, body = n.Name.Name, n.Type, n.Body
					}
				case *ast.AssignStmt:
					if len(n.Lhs) == 1 && len(n.Rhs) == 1 {
						id, ok1 := n.Lhs[0].(*ast.Ident)
						lit, ok2 := n.Rhs[0].(*ast.FuncLit)
						if ok1 && ok2 {
							name, fn, body = id.Name, lit.Type, lit.Body
						}
					}
				}
				if name == "" || takers[name] || !passesKey(fn, body, takers) {
					return true
				}
				takers[name], grew = true, true
				return true
			})
		}
	}
	return takers
}

// passesKey tells whether a function gives its first parameter, a string,
// unchanged as the first argument of a key taker.
func passesKey(fn *ast.FuncType, body *ast.BlockStmt, takers map[string]bool) bool {
	if fn.Params == nil || len(fn.Params.List) == 0 || len(fn.Params.List[0].Names) == 0 {
		return false
	}
	if t, ok := fn.Params.List[0].Type.(*ast.Ident); !ok || t.Name != "string" {
		return false
	}
	param := fn.Params.List[0].Names[0].Name
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && len(c.Args) > 0 && takers[calleeName(c.Fun)] {
			if id, ok := c.Args[0].(*ast.Ident); ok && id.Name == param {
				found = true
			}
		}
		return !found
	})
	return found
}

// keyShape is a whole dotted key; a literal ending in "." or "_" is the
// prefix of a key built at run time and is not checked here.
var keyShape = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)

// sourceUse is what the scan of the Go sources found.
type sourceUse struct {
	passed   map[string][]string // key given literally to a key taker → where
	literals map[string]bool     // every string literal of the sources
}

// scanSources parses every non-test Go file of the repository.
func scanSources(t *testing.T) sourceUse {
	t.Helper()
	use := sourceUse{passed: map[string][]string{}, literals: map[string]bool{}}
	fset := token.NewFileSet()
	var files []*ast.File
	walkGoFiles(t, func(path string, f *ast.File) { files = append(files, f) }, fset)
	takers := keyTakers(files)
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if s, err := strconv.Unquote(n.Value); err == nil && n.Kind == token.STRING {
					use.literals[s] = true
				}
			case *ast.CallExpr:
				if len(n.Args) == 0 || !takers[calleeName(n.Fun)] {
					return true
				}
				lit, ok := n.Args[0].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				if s, err := strconv.Unquote(lit.Value); err == nil && keyShape.MatchString(s) {
					use.passed[s] = append(use.passed[s], fset.Position(lit.Pos()).String())
				}
			}
			return true
		})
	}
	return use
}

// calleeName names what a call calls: "f", "pkg.F", or "i18n.T" for any
// method T (a Locale's T renders a key in that locale's language).
func calleeName(fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if f.Sel.Name == "T" {
			return "i18n.T"
		}
		if x, ok := f.X.(*ast.Ident); ok {
			return x.Name + "." + f.Sel.Name
		}
	}
	return ""
}

// walkGoFiles parses every .go file of the module that is not a test,
// skipping testdata and hidden directories.
func walkGoFiles(t *testing.T, visit func(path string, f *ast.File), fset *token.FileSet) {
	t.Helper()
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != repoRoot && (name == "testdata" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(repoRoot, path)
		visit(filepath.ToSlash(rel), f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// dynamicKeys are built at run time from a prefix and an id.
var dynamicKeys = []string{
	"screen.home", "screen.citizen", "screen.clerk", "screen.support",
	"step.reader", "step.can", "step.place", "step.reading", "step.result", "step.request", "step.consent", "step.sent",
	"compare.surname", "compare.given_names", "compare.document_number", "compare.birth_date", "compare.expiry_date",
	"compare.sex", "compare.nationality",
	"support.card_present", "support.card_absent", "support.card_mute", "support.card_in_use",
	"support.card_unreachable", "support.card_removed_during_the_probe",
	"support.extended_yes", "support.extended_no", "support.extended_unknown",
	"support.selftest_passed", "support.selftest_wrong_verdict",
	"read.step.secure", "read.step.identity", "read.step.photo", "read.step.authenticity",
	"field.surname", "field.given_names", "field.birth_date", "field.birth_place", "field.sex", "field.nationality",
	"field.document_number", "field.expiry_date", "field.issuing_state", "field.address",
	"reader.no_service_explain", "reader.no_service_explain_windows", "reader.no_service_explain_macos",
	"verdict.genuine", "verdict.demo", "verdict.not_genuine", "verdict.not_proven",
}

// staleChecked are the translation files whose every key must be used by
// the code; a file joins once its owners list their run-time keys above.
var staleChecked = []string{"ui", "seal", "assertion", "common"}

// TestEveryKeyUsedExists: a key the code passes literally to i18n.T (or to
// a helper that does) exists in French and English; and the files hold no
// key that no code uses.
func TestEveryKeyUsedExists(t *testing.T) {
	frFiles, enFiles := translations(t, "fr"), translations(t, "en")
	fr, en := merged(t, frFiles), merged(t, enFiles)
	use := scanSources(t)
	if len(use.passed) < 100 {
		t.Fatalf("only %d keys found: is the scan broken?", len(use.passed))
	}
	for k, where := range use.passed {
		if fr[k] == "" || en[k] == "" {
			t.Errorf("%s (used at %s): French %q, English %q", k, strings.Join(where, ", "), fr[k], en[k])
		}
	}
	for _, k := range dynamicKeys {
		if fr[k] == "" || en[k] == "" {
			t.Errorf("%s (built at run time): French %q, English %q", k, fr[k], en[k])
		}
	}
	for _, prefix := range staleChecked {
		for k := range frFiles[prefix] {
			if !use.literals[k] && !slices.Contains(dynamicKeys, k) {
				t.Errorf("%s is in %s.fr.json but no code uses it", k, prefix)
			}
		}
	}
}
