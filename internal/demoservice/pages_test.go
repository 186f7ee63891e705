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
	if req.Name != "Service de démonstration (DEMO)" || !strings.Contains(req.Purpose, "Demonstration: open a test account (DEMO).") {
		t.Errorf("request name %q, purpose %q", req.Name, req.Purpose)
	}
}
