package lds

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

func TestCOMVector(t *testing.T) {
	// EF.COM read in Doc 9303 Part 11 Appendix D.4 (vectors JSON
	// lds_part10_examples.ef_com): LDS "0106", Unicode "040000", DG1 and DG2.
	raw := vector(t, "lds_part10_examples", "ef_com")
	c, err := ParseCOM(raw)
	if err != nil {
		t.Fatal(err)
	}
	if c.LDSVersion != "0106" || c.UnicodeVersion != "040000" || !slices.Equal(c.DataGroups, []DataGroup{1, 2}) || c.OtherTags != nil {
		t.Errorf("%+v", c)
	}
	b, err := c.Build()
	if err != nil || !bytes.Equal(b, raw) {
		t.Errorf("Build = %X, %v", b, err)
	}
	// File padding after the element is ignored.
	if _, err := ParseCOM(append(raw, 0, 0, 0)); err != nil {
		t.Errorf("padding: %v", err)
	}
}

func TestCOMRoundTrip(t *testing.T) {
	c := &COM{LDSVersion: "0108", UnicodeVersion: "040000", DataGroups: []DataGroup{1, 2, 3, 7, 11, 12, 14, 15, 16}}
	b, err := c.Build()
	if err != nil {
		t.Fatal(err)
	}
	c2, err := ParseCOM(b)
	if err != nil || !slices.Equal(c2.DataGroups, c.DataGroups) || c2.LDSVersion != "0108" {
		t.Errorf("%+v %v", c2, err)
	}
	// Unknown tags are kept aside, duplicates dropped.
	c2, err = ParseCOM(testhex.Bytes(t, "6006 5C04 61 61 99 6E"))
	if err != nil || !slices.Equal(c2.DataGroups, []DataGroup{1, 14}) || !bytes.Equal(c2.OtherTags, []byte{0x99}) || c2.LDSVersion != "" {
		t.Errorf("%+v %v", c2, err)
	}
	if _, err := (&COM{DataGroups: []DataGroup{17}}).Build(); !errors.Is(err, chiperr.BadInput) {
		t.Errorf("DG17: %v", err)
	}
	if _, err := (&COM{LDSVersion: "1.7"}).Build(); !errors.Is(err, chiperr.BadInput) {
		t.Errorf("bad version: %v", err)
	}
}

func TestCOMMalformed(t *testing.T) {
	for name, in := range map[string]string{
		"empty":         "",
		"wrong tag":     "61145F0104303130365F36063034303030305C026175",
		"truncated":     "60145F0104303130365F36063034303030305C0261",
		"no tag list":   "60075F010430313036",
		"short version": "600A5F0103303130 5C026175",
		"letters":       "600B5F01043031304A 5C026175",
		"bad inner":     "6003 5C0561",
	} {
		_, err := ParseCOM(testhex.Bytes(t, in))
		if !errors.Is(err, chiperr.Malformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
