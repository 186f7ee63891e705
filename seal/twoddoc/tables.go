package twoddoc

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

// The field and document-type tables are data from the ANTS specification,
// kept as tab-separated files beside the code (their header comments say
// where each column comes from): supporting a new document type means
// adding rows there.
var (
	//go:embed fields.tsv
	fieldsTSV string
	//go:embed types.tsv
	typesTSV string
)

// fieldKinds names the FieldKind constants as fields.tsv writes them.
var fieldKinds = map[string]FieldKind{
	"Text": Text, "Numeric": Numeric, "Decimal": Decimal, "DateDMY": DateDMY, "DateHex": DateHex,
	"TimeHMS": TimeHMS, "TimeHM": TimeHM, "DateTimeDMYHM": DateTimeDMYHM, "Boolean": Boolean,
	"HexNumber": HexNumber, "Base32Text": Base32Text,
}

// rows splits a table into its rows of tab-separated cells, skipping blank
// lines and # comments; every row has between min and max cells.
func rows(name, table string, min, max int) ([][]string, error) {
	var out [][]string
	for n, line := range strings.Split(table, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cells := strings.Split(line, "\t")
		if len(cells) < min || len(cells) > max {
			return nil, fmt.Errorf("%s line %d: %d cells, want %d to %d", name, n+1, len(cells), min, max)
		}
		out = append(out, cells)
	}
	return out, nil
}

// parseFieldTable reads fields.tsv: identifier, kind, minimum, maximum,
// French name, English name and an optional note.
func parseFieldTable(table string) ([]FieldDef, error) {
	rs, err := rows("fields.tsv", table, 6, 7)
	if err != nil {
		return nil, err
	}
	defs := make([]FieldDef, 0, len(rs))
	for _, r := range rs {
		kind, ok := fieldKinds[r[1]]
		if !ok {
			return nil, fmt.Errorf("fields.tsv: field %s: unknown kind %q", r[0], r[1])
		}
		min, err1 := strconv.Atoi(r[2])
		max, err2 := strconv.Atoi(r[3])
		if err1 != nil || err2 != nil || min < 0 || max < 0 || (max > 0 && min > max) {
			return nil, fmt.Errorf("fields.tsv: field %s: bad lengths %q, %q", r[0], r[2], r[3])
		}
		defs = append(defs, FieldDef{ID: r[0], Kind: kind, Min: min, Max: max, NameFR: r[4], NameEN: r[5]})
	}
	return defs, nil
}

// parseTypeTable reads types.tsv: identifier, issue date required (yes or
// no), French and English names, French and English categories.
func parseTypeTable(table string) ([]DocumentType, error) {
	rs, err := rows("types.tsv", table, 6, 6)
	if err != nil {
		return nil, err
	}
	types := make([]DocumentType, 0, len(rs))
	for _, r := range rs {
		if r[1] != "yes" && r[1] != "no" {
			return nil, fmt.Errorf("types.tsv: type %s: issue date required %q, want yes or no", r[0], r[1])
		}
		types = append(types, DocumentType{ID: r[0], IssueDateRequired: r[1] == "yes",
			NameFR: r[2], NameEN: r[3], CategoryFR: r[4], CategoryEN: r[5]})
	}
	return types, nil
}
