package pivot

import (
	"slices"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/assertion/verifier"
)

func TestACRAndAMR(t *testing.T) {
	for _, c := range []struct {
		presence verifier.Presence
		demo     bool
		acr      string
		login    bool
		amr      []string
	}{
		{verifier.ChipPresent, false, ACRChipPresent, true, []string{"sc", "hwk"}},
		{verifier.ChipNotProvable, false, ACRChipNoPresence, false, nil},
		{verifier.ChipPresent, true, ACRDemoPresent, true, []string{"sc", "hwk"}},
		{verifier.ChipNotProvable, true, ACRDemoNoPresence, false, nil},
		{"", false, "", false, nil},
		{"forged", true, "", false, nil},
	} {
		r := &verifier.Result{ChipPresence: c.presence, Demo: c.demo}
		if got := ACR(r); got != c.acr || ForLogin(got) != c.login {
			t.Errorf("%q demo=%v: acr %q, want %q", c.presence, c.demo, got, c.acr)
		}
		if got := AMR(r); !slices.Equal(got, c.amr) {
			t.Errorf("%q demo=%v: amr %q, want %q", c.presence, c.demo, got, c.amr)
		}
	}
	if ACR(nil) != "" || AMR(nil) != nil {
		t.Error("nil result")
	}
	for _, v := range ACRValues() {
		if strings.Contains(v, "eidas") || !strings.HasPrefix(v, "urn:cnie-reader:acr:") {
			t.Errorf("acr %q", v)
		}
	}
}
