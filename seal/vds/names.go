package vds

import (
	_ "embed"
	"fmt"
	"strings"
)

// names.tsv holds the profiles' display names, apart from their structure.
//
//go:embed names.tsv
var namesTSV string

// unknownFeature is the names.tsv key of a tag no profile defines.
const unknownFeature = "unknown-feature"

// featureNames maps a names.tsv key to its French and English names.
var featureNames = map[string][2]string{}

// init names every profile and feature from names.tsv; the table is part
// of the program, so a missing or stray row is a bug any test catches.
func init() {
	if err := nameProfiles(namesTSV, profiles); err != nil {
		panic("vds: " + err.Error())
	}
}

// nameProfiles reads the table and gives each profile and feature its
// names; every profile and feature must have a row, and every row a user.
func nameProfiles(table string, ps []*Profile) error {
	rows := map[string][2]string{}
	for n, line := range strings.Split(table, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cells := strings.Split(line, "\t")
		if len(cells) != 3 || cells[1] == "" || cells[2] == "" {
			return fmt.Errorf("names.tsv line %d: want key, French name, English name", n+1)
		}
		if _, dup := rows[cells[0]]; dup {
			return fmt.Errorf("names.tsv line %d: %s named twice", n+1, cells[0])
		}
		rows[cells[0]] = [2]string{cells[1], cells[2]}
	}
	used := map[string]bool{unknownFeature: true}
	if _, ok := rows[unknownFeature]; !ok {
		return fmt.Errorf("names.tsv: no %s row", unknownFeature)
	}
	name := func(key string) ([2]string, error) {
		n, ok := rows[key]
		if !ok {
			return n, fmt.Errorf("names.tsv: no row for %s", key)
		}
		used[key] = true
		return n, nil
	}
	for _, p := range ps {
		n, err := name(p.ID)
		if err != nil {
			return err
		}
		p.NameFR, p.NameEN = n[0], n[1]
		for i := range p.Features {
			f := &p.Features[i]
			n, err := name(fmt.Sprintf("%s/%d", p.ID, f.Tag))
			if err != nil {
				return err
			}
			f.NameFR, f.NameEN = n[0], n[1]
		}
	}
	for key := range rows {
		if !used[key] {
			return fmt.Errorf("names.tsv: %s names nothing", key)
		}
	}
	featureNames = rows
	return nil
}

// unknownFeatureNames names a tag that the seal's profile does not define.
func unknownFeatureNames(tag byte) (fr, en string) {
	n := featureNames[unknownFeature]
	t := fmt.Sprintf("0x%02X", tag)
	return strings.ReplaceAll(n[0], "{tag}", t), strings.ReplaceAll(n[1], "{tag}", t)
}
