package problem

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// A wrong CAN read from the virtual card (it answers 6300 to PACE's mutual
// authentication, as real cards do) gives the holder the access-denied
// sentence in each language, and support the status word by its name, in
// that language: never "unknown status".
func TestWrongCANReadsAsAccessDenied(t *testing.T) {
	p, err := sim.LookupProfile(sim.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	card, err := sim.New(p)
	if err != nil {
		t.Fatal(err)
	}
	wrong := "000000"
	if sim.DefaultCAN == wrong {
		wrong = "111111"
	}
	_, err = reader.Read(context.Background(), card, reader.Secret{CAN: wrong}, reader.Options{})
	var sw *iso7816.StatusError
	if !errors.Is(err, chiperr.AccessDenied) || !errors.As(err, &sw) || sw.SW != 0x6300 {
		t.Fatalf("read with a wrong CAN: %v", err)
	}
	for _, tc := range []struct {
		l             i18n.Locale
		message, hint string
	}{
		{fr, "La carte a refusé le code. Vérifiez le numéro à 6 chiffres (CAN) imprimé sur la carte.", "6300 — authentification échouée"},
		{en, "The card refused the access code. Check the 6-digit number (CAN) printed on the card.", "6300 — authentication failed"},
	} {
		l := tc.l
		got := In(l, err)
		if got.Code != "chip.access_denied" || got.Message != tc.message || got.Next != CheckCAN {
			t.Errorf("%s: %+v", l.Lang, got)
		}
		if !strings.Contains(got.Hint, tc.hint) || strings.Contains(got.Hint, "unknown") {
			t.Errorf("%s hint %q, want the status word named: %q", l.Lang, got.Hint, tc.hint)
		}
	}
	if strings.Contains(err.Error(), "unknown status") {
		t.Errorf("detail %q", err)
	}
}

// Every status word's name is worded in both languages, differently.
func TestEveryStatusWordIsNamed(t *testing.T) {
	for _, c := range iso7816.SWCodes() {
		f, e := fr.T("problem.sw."+c, map[string]any{"N": 3}), en.T("problem.sw."+c, map[string]any{"N": 3})
		if f == "" || e == "" || f == e || strings.HasPrefix(f, "problem.") || strings.HasPrefix(e, "problem.") ||
			strings.Contains(f+e, "<no value>") {
			t.Errorf("%s: %q / %q", c, f, e)
		}
	}
}
