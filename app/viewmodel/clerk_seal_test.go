package viewmodel

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/app/i18n"
)

// A photo without a readable seal says the scan's own sentence and what to
// do next, never "an unexpected error" (the clerk's bug of issue 15).
func TestClerkSealWithoutCodeSaysSo(t *testing.T) {
	blank := filepath.Join(t.TempDir(), "blank.png")
	f, err := os.Create(blank)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, image.NewGray(image.Rect(0, 0, 320, 240))); err != nil {
		t.Fatal(err)
	}
	f.Close()
	defer i18n.Use(i18n.Locale{Lang: "fr", Region: "FR"})
	for _, c := range []struct{ lang, message, next string }{
		{"fr", "Aucun code 2D n'a été trouvé dans l'image. Présentez le cachet bien à plat, net et éclairé.",
			"Présentez de nouveau le cachet, bien à plat, net et éclairé."},
		{"en", "No 2D code was found in the image. Hold the seal flat, in focus and well lit.",
			"Present the seal again, flat, in focus and well lit."},
	} {
		if err := i18n.Use(i18n.Locale{Lang: c.lang}); err != nil {
			t.Fatal(err)
		}
		app := NewApp(Env{TrustDir: t.TempDir()})
		clerk := NewClerk(app)
		clerk.ScanImage(blank)
		deadline := time.Now().Add(30 * time.Second)
		for clerk.State().SealBusy && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		st := clerk.State()
		p := st.SealProblem
		if st.SealBusy || p == nil {
			t.Fatalf("%s: busy %v, problem %+v", c.lang, st.SealBusy, p)
		}
		if p.Code != "scan.no_code" || p.Message != c.message || p.Next != c.next {
			t.Errorf("%s: problem %q %q, next %q", c.lang, p.Code, p.Message, p.Next)
		}
		if p.Hint == "" || p.Hint == i18n.T("problem.unexpected.hint") {
			t.Errorf("%s: hint %q", c.lang, p.Hint)
		}
		if last := app.LastProblem(); last == nil || last.Message != c.message {
			t.Errorf("%s: the support screen keeps %+v", c.lang, last)
		}
	}
}
