package demoservice_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// The site's words come from pages/: its home page, and the name and
// purpose its requests give the holder.
func TestSiteWords(t *testing.T) {
	s := newSite(t, pki.NewStore())
	resp, err := http.Get(s.srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`id="prove"`, "Prouver mon identité avec ma carte", "DEMO — service de démonstration / demonstration service"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("home page lacks %q:\n%s", want, b)
		}
	}
	req := s.start(t)
	if req.Name != "Service de démonstration (DEMO)" || req.Purpose != "Démonstration : ouvrir un compte de test (DEMO)." {
		t.Errorf("request name %q, purpose %q", req.Name, req.Purpose)
	}
}

// TestPurposeInOneLanguage: a request's purpose is in the language the
// browser asks for, one language at a time (the consent screen shows it
// as it is, under a screen in that language).
func TestPurposeInOneLanguage(t *testing.T) {
	s := newSite(t, pki.NewStore())
	for accept, want := range map[string]string{
		"en-GB,en;q=0.9,fr;q=0.5": "Demonstration: open a test account (DEMO).",
		"fr-FR,fr;q=0.9,en;q=0.8": "Démonstration : ouvrir un compte de test (DEMO).",
		"de-DE":                   "Démonstration : ouvrir un compte de test (DEMO).",
		"":                        "Démonstration : ouvrir un compte de test (DEMO).",
	} {
		req := s.startWith(t, accept)
		if req.Purpose != want || strings.Contains(req.Purpose, " / ") {
			t.Errorf("Accept-Language %q: purpose %q, want %q", accept, req.Purpose, want)
		}
	}
}
