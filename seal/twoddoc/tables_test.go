package twoddoc

import (
	"strings"
	"testing"
)

// TestTablesRefuseMalformedRows: a mistyped row of fields.tsv or types.tsv
// stops the program at start-up instead of mis-reading seals.
func TestTablesRefuseMalformedRows(t *testing.T) {
	for name, row := range map[string]string{
		"too few cells":   "01\tText\t0\t0\tNom",
		"unknown kind":    "01\tTexte\t0\t0\tNom\tName",
		"bad length":      "01\tText\tx\t0\tNom\tName",
		"min above max":   "01\tText\t5\t4\tNom\tName",
		"negative length": "01\tText\t-1\t0\tNom\tName",
	} {
		if _, err := parseFieldTable("# comment\n" + row + "\n"); err == nil {
			t.Errorf("fields.tsv, %s: accepted", name)
		}
	}
	if _, err := parseTypeTable("07\tO\tTitre\tTitle\tCat\tCat\n"); err == nil || !strings.Contains(err.Error(), "yes or no") {
		t.Errorf("types.tsv with O for the issue date: %v", err)
	}
	defs, err := parseFieldTable("# a comment\n\n0A\tNumeric\t9\t9\tÉditeur\tPublisher\tnote\n")
	if err != nil || len(defs) != 1 || defs[0] != (FieldDef{ID: "0A", Kind: Numeric, Min: 9, Max: 9, NameFR: "Éditeur", NameEN: "Publisher"}) {
		t.Errorf("%+v, %v", defs, err)
	}
}
