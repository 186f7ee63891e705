package vds

import (
	"strings"
	"testing"
)

// TestNamesTableComplete: names.tsv names every profile and feature, and
// nothing else; a row missing, doubled or stray is refused.
func TestNamesTableComplete(t *testing.T) {
	profile := func() []*Profile { return []*Profile{{ID: "p", Features: []FeatureSpec{{Tag: 1}}}} }
	good := "# names\nunknown-feature\tInconnue {tag}\tUnknown {tag}\np\tProfil\tProfile\np/1\tNuméro\tNumber\n"
	ps := profile()
	if err := nameProfiles(good, ps); err != nil || ps[0].NameEN != "Profile" || ps[0].Features[0].NameFR != "Numéro" {
		t.Fatalf("%v %+v", err, ps[0])
	}
	for name, table := range map[string]string{
		"feature missing": strings.Replace(good, "p/1\tNuméro\tNumber\n", "", 1),
		"stray row":       good + "q\tAutre\tOther\n",
		"doubled row":     good + "p\tProfil\tProfile\n",
		"no English":      strings.Replace(good, "\tProfile", "\t", 1),
		"no unknown row":  strings.Replace(good, "unknown-feature\tInconnue {tag}\tUnknown {tag}\n", "", 1),
	} {
		if err := nameProfiles(table, profile()); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// The real table restored (nameProfiles replaced featureNames above).
	if err := nameProfiles(namesTSV, profiles); err != nil {
		t.Fatal(err)
	}
	if fr, en := unknownFeatureNames(0x42); fr != "Donnée inconnue (étiquette 0x42)" || en != "Unknown feature (tag 0x42)" {
		t.Errorf("%q / %q", fr, en)
	}
}
