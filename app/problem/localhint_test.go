package problem

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// TestLocalHintIsInOneLanguage: what a window or a page shows (LocalHint)
// carries no English detail under a French sentence; a status word, named
// in French, stays; in English the detail stays too. Hint and Detail keep
// everything, for the command line and the support report.
func TestLocalHintIsInOneLanguage(t *testing.T) {
	fr, en := i18n.Locale{Lang: "fr"}, i18n.Locale{Lang: "en"}
	english := chiperr.New(chiperr.Transport, "Card.Transmit", "short response from the reader")
	p := In(fr, english)
	if strings.Contains(p.LocalHint, "short response") || strings.Contains(p.LocalHint, "Transmit") || p.LocalHint == "" {
		t.Errorf("French LocalHint %q", p.LocalHint)
	}
	if !strings.Contains(p.Hint, "short response") || !strings.Contains(p.Detail, "Card.Transmit") {
		t.Errorf("Hint %q / Detail %q lost the detail", p.Hint, p.Detail)
	}
	if p := In(en, english); !strings.Contains(p.LocalHint, "short response") {
		t.Errorf("English LocalHint %q lost the detail", p.LocalHint)
	}
	card, err := sim.NewNamed(sim.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	_, wrongCAN := reader.Read(context.Background(), card, reader.Secret{CAN: "000000"}, reader.Options{})
	var sw *iso7816.StatusError
	if !errors.As(wrongCAN, &sw) {
		t.Fatalf("wrong CAN: %v", wrongCAN)
	}
	if p := In(fr, wrongCAN); !strings.Contains(p.LocalHint, "6300 — authentification échouée") {
		t.Errorf("French LocalHint %q does not name the status word", p.LocalHint)
	}
	if _, hint := Intake("fr", &assertion.Error{Kind: assertion.WrongHost, Detail: "Host attacker.example"}); strings.Contains(hint, "attacker") {
		t.Errorf("French intake page hint %q", hint)
	}
}
