package gui

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	langfiles "github.com/cnie-reader/cnie-reader/assets/lang"
)

// fyneKey is a string Fyne's dialogs and text fields translate: the key
// and the English text Fyne falls back to.
type fyneKey struct{ key, english string }

// fyneAsks lists, from Fyne's own sources in the module cache, every
// literal key the dialog and widget packages give lang.L and lang.X, and
// the names of the file dialog's side list (which Fyne shows untranslated,
// and localiseFileDialog translates under the same key).
func fyneAsks(t *testing.T) []fyneKey {
	t.Helper()
	var keys []fyneKey
	for _, pkg := range []string{"fyne.io/fyne/v2/dialog", "fyne.io/fyne/v2/widget"} {
		out, err := exec.Command("go", "list", "-f", "{{.Dir}}", pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		dir := strings.TrimSpace(string(out))
		names, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			keys = append(keys, langCalls(f)...)
			if strings.HasSuffix(pkg, "dialog") {
				for _, p := range placeNames(f) {
					keys = append(keys, fyneKey{p, p})
				}
			}
		}
	}
	if len(keys) < 20 {
		t.Fatalf("only %d keys found in Fyne's sources: is the scan broken?", len(keys))
	}
	return keys
}

// langCalls finds lang.L("text") and lang.X("key", "text") calls.
func langCalls(f *ast.File) []fyneKey {
	var keys []fyneKey
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "lang" {
			return true
		}
		lit := func(i int) (string, bool) {
			if i >= len(call.Args) {
				return "", false
			}
			b, ok := call.Args[i].(*ast.BasicLit)
			if !ok || b.Kind != token.STRING {
				return "", false
			}
			s, err := strconv.Unquote(b.Value)
			return s, err == nil
		}
		switch sel.Sel.Name {
		case "L":
			if s, ok := lit(0); ok {
				keys = append(keys, fyneKey{s, s})
			}
		case "X":
			k, ok1 := lit(0)
			e, ok2 := lit(1)
			if ok1 && ok2 {
				keys = append(keys, fyneKey{k, e})
			}
		}
		return true
	})
	return keys
}

// placeNames finds the file dialog's side-list names: the literals of
// getFavoritesOrder and the names of favoriteItem values.
func placeNames(f *ast.File) []string {
	var names []string
	str := func(e ast.Expr) {
		if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
			if s, err := strconv.Unquote(b.Value); err == nil {
				names = append(names, s)
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			if n.Name.Name == "getFavoritesOrder" {
				ast.Inspect(n.Body, func(m ast.Node) bool {
					if c, ok := m.(*ast.CompositeLit); ok {
						for _, e := range c.Elts {
							str(e)
						}
					}
					if a, ok := m.(*ast.AssignStmt); ok {
						for _, e := range a.Rhs {
							str(e)
						}
					}
					return true
				})
				return false
			}
		case *ast.CompositeLit:
			var items []*ast.CompositeLit
			switch ty := n.Type.(type) {
			case *ast.Ident:
				if ty.Name == "favoriteItem" {
					items = append(items, n)
				}
			case *ast.ArrayType:
				if id, ok := ty.Elt.(*ast.Ident); ok && id.Name == "favoriteItem" {
					for _, e := range n.Elts { // their type elided
						if c, ok := e.(*ast.CompositeLit); ok && c.Type == nil {
							items = append(items, c)
						}
					}
				}
			}
			for _, c := range items {
				itemName(c, str)
			}
		}
		return true
	})
	return names
}

// itemName reads a favoriteItem literal's name: its locName, or its first
// field when the fields are not named.
func itemName(n *ast.CompositeLit, str func(ast.Expr)) {
	if len(n.Elts) == 0 {
		return
	}
	for _, e := range n.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "locName" {
				str(kv.Value)
			}
		}
	}
	if _, keyed := n.Elts[0].(*ast.KeyValueExpr); !keyed {
		str(n.Elts[0])
	}
}

// sameInBothLanguages are Fyne's words French writes as English does.
var sameInBothLanguages = []string{"OK", "Documents"}

// TestFyneDialogWordsInFrench: every string Fyne's file, confirm and
// other dialogs (and text fields' menus) ask the translations for is in
// fyne.fr.json and fyne.en.json, and renders in French when French is in
// use; the files hold nothing Fyne does not ask for.
func TestFyneDialogWordsInFrench(t *testing.T) {
	test.NewTempApp(t)
	asks := fyneAsks(t)
	files := map[string]map[string]string{}
	for _, l := range []string{"fr", "en"} {
		b, err := langfiles.FS.ReadFile("translations/fyne." + l + ".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		files[l] = m
	}
	if err := i18n.Use(i18n.Locale{Lang: "fr"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { i18n.Use(i18n.Locale{Lang: "fr"}) })
	asked := map[string]bool{}
	for _, k := range asks {
		asked[k.key] = true
		for _, l := range []string{"fr", "en"} {
			if files[l][k.key] == "" {
				t.Errorf("fyne.%s.json lacks %q, which Fyne asks for", l, k.key)
			}
		}
		got := lang.X(k.key, k.english)
		if got != files["fr"][k.key] {
			t.Errorf("%q renders %q in French, want %q", k.key, got, files["fr"][k.key])
		}
		if got == k.english && !slices.Contains(sameInBothLanguages, k.key) {
			t.Errorf("%q stays English in French: %q", k.key, got)
		}
	}
	for k := range files["fr"] {
		if !asked[k] {
			t.Errorf("fyne.fr.json holds %q, which Fyne's dialogs do not ask for", k)
		}
	}
	if err := i18n.Use(i18n.Locale{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("Home"); got != "Home" {
		t.Errorf("English Home: %q", got)
	}
}

// dialogHome makes a home folder with a French XDG pictures folder holding
// an image and a text file, and a documents folder.
func dialogHome(t *testing.T) (home, pictures string) {
	t.Helper()
	home = t.TempDir()
	pictures = filepath.Join(home, "Images")
	for _, d := range []string{pictures, filepath.Join(home, "Documents"), filepath.Join(home, ".config"), filepath.Join(home, "Autre")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(home, ".config", "user-dirs.dirs"), []byte("XDG_PICTURES_DIR=\"$HOME/Images\"\n"), 0o600)
	os.WriteFile(filepath.Join(pictures, "cachet.png"), []byte("png"), 0o600)
	os.WriteFile(filepath.Join(pictures, "notes.txt"), []byte("txt"), 0o600)
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("XDG_PICTURES_DIR", "")
	return home, pictures
}

// overlayTexts is every text drawn in the window's top overlay.
func overlayTexts(w fyne.Window) []string {
	var out []string
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	for _, o := range test.LaidOutObjects(top) {
		if tx, ok := o.(*canvas.Text); ok && strings.TrimSpace(tx.Text) != "" {
			out = append(out, tx.Text)
		}
	}
	return out
}

func dialogWindow(t *testing.T, lang string) fyne.Window {
	t.Helper()
	test.NewTempApp(t)
	if err := i18n.Use(i18n.Locale{Lang: lang}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { i18n.Use(i18n.Locale{Lang: "fr"}) })
	forgetFolder()
	t.Cleanup(forgetFolder)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1000, 700))
	return w
}

// TestImageOpenDialog: the seal's file dialog opens at 80 % of the window,
// in the pictures folder, shows images only, speaks French, and the next
// one opens in the folder the last one closed in, which is kept in memory
// and not in Fyne's preferences file.
func TestImageOpenDialog(t *testing.T) {
	home, pictures := dialogHome(t)
	w := dialogWindow(t, "fr")
	d := showImageOpen(w, func(string) {})
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog shown")
	}
	// 80 % of 1000×700, less the pop-up's padding.
	if got := top.(*widget.PopUp).Content.Size(); got.Width < 780 || got.Width > 800 || got.Height < 540 || got.Height > 560 {
		t.Errorf("dialog size %v, want about 800×560", got)
	}
	if got := fyne.CurrentApp().Preferences().String(fyneLastFolderKey); got != storage.NewFileURI(pictures).String() {
		t.Errorf("dialog opened in %q, want %s", got, pictures)
	}
	texts := strings.Join(overlayTexts(w), "|")
	for _, want := range []string{"cachet", "Dossier personnel", "Ordinateur", "Choisir l'image du cachet", "Annuler", "Ouvrir"} {
		if !strings.Contains(texts, want) {
			t.Errorf("dialog lacks %q: %s", want, texts)
		}
	}
	for _, english := range []string{"notes", "Home", "Computer", "Open", "Cancel", "File"} {
		if slices.Contains(strings.Split(texts, "|"), english) {
			t.Errorf("dialog shows %q: %s", english, texts)
		}
	}
	// The user went to another folder, then closed the dialog.
	other := filepath.Join(home, "Autre")
	fyne.CurrentApp().Preferences().SetString(fyneLastFolderKey, storage.NewFileURI(other).String())
	d.Hide()
	if got := fyne.CurrentApp().Preferences().String(fyneLastFolderKey); got != "" {
		t.Errorf("the folder stays in Fyne's preferences: %q", got)
	}
	showImageOpen(w, func(string) {})
	if got := fyne.CurrentApp().Preferences().String(fyneLastFolderKey); got != storage.NewFileURI(other).String() {
		t.Errorf("second dialog opened in %q, want the last folder %s", got, other)
	}
}

// TestPicturesDir: the XDG pictures folder, else ~/Pictures or ~/Images,
// else home.
func TestPicturesDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("XDG_PICTURES_DIR", "")
	if got := picturesDir(); got != home {
		t.Errorf("no pictures folder: %q, want home", got)
	}
	os.Mkdir(filepath.Join(home, "Pictures"), 0o700)
	if got := picturesDir(); got != filepath.Join(home, "Pictures") {
		t.Errorf("got %q, want ~/Pictures", got)
	}
	photos := filepath.Join(home, "Photos")
	os.Mkdir(photos, 0o700)
	t.Setenv("XDG_PICTURES_DIR", photos)
	if got := picturesDir(); got != photos {
		t.Errorf("got %q, want XDG_PICTURES_DIR %s", got, photos)
	}
}

// TestSaveAsksBeforeReplacingInFrench: saving over a file asks, in French,
// with our own words, and writes only after "Remplacer".
func TestSaveAsksBeforeReplacingInFrench(t *testing.T) {
	home, _ := dialogHome(t)
	target := filepath.Join(home, "Documents", "rapport.txt")
	os.WriteFile(target, []byte("old"), 0o600)
	w := dialogWindow(t, "fr")
	wrote := 0
	showFileSave(w, "Titre", "rapport.txt", func(wc fyne.URIWriteCloser) {
		wc.Write([]byte("new"))
		wc.Close()
		wrote++
	})
	save := findButton(w, "Enregistrer")
	if save == nil {
		t.Fatalf("no save button: %v", overlayTexts(w))
	}
	test.Tap(save)
	texts := strings.Join(overlayTexts(w), "|")
	if !strings.Contains(texts, "Remplacer le fichier ?") || !strings.Contains(texts, "« rapport.txt » existe déjà") {
		t.Fatalf("no French question: %s", texts)
	}
	if strings.Contains(texts, "Overwrite") || strings.Contains(texts, "Are you sure") {
		t.Errorf("English question: %s", texts)
	}
	if wrote != 0 {
		t.Fatal("wrote before the answer")
	}
	test.Tap(findButton(w, "Remplacer"))
	if wrote != 1 {
		t.Fatalf("wrote %d times after Remplacer", wrote)
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("file holds %q", b)
	}
	if got := fyne.CurrentApp().Preferences().String(fyneLastFolderKey); got != "" {
		t.Errorf("the folder stays in Fyne's preferences: %q", got)
	}
}

// findButton finds, in the top overlay, the first button with one of the texts.
func findButton(w fyne.Window, texts ...string) *widget.Button {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	for _, want := range texts {
		for _, o := range test.LaidOutObjects(top) {
			if b, ok := o.(*widget.Button); ok && b.Text == want {
				return b
			}
		}
	}
	return nil
}
