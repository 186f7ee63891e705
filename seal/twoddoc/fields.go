package twoddoc

import (
	"fmt"
	"strings"
	"time"
)

// FieldKind says how a field value is written.
type FieldKind int

const (
	_ FieldKind = iota
	// Text: C40 characters (upper-case letters, digits, space, punctuation).
	Text
	// Numeric: decimal digits only.
	Numeric
	// Decimal: digits with an optional decimal comma or point (amounts).
	Decimal
	// DateDMY: a date written DDMMYYYY.
	DateDMY
	// DateHex: a date as 4 hexadecimal digits of days since 2000-01-01 (FFFF = none).
	DateHex
	// TimeHMS: a time written HHMMSS.
	TimeHMS
	// TimeHM: a time written HHMM.
	TimeHM
	// DateTimeDMYHM: a date and time written DDMMYYYYHHMM.
	DateTimeDMYHM
	// Boolean: "0" or "1".
	Boolean
	// HexNumber: a number in hexadecimal digits.
	HexNumber
	// Base32Text: text encoded in Base32 (the document URL).
	Base32Text
)

// FieldDef is one row of the field table.
type FieldDef struct {
	ID     string // two characters
	NameFR string
	NameEN string
	Kind   FieldKind
	Min    int // minimum length
	Max    int // maximum length; 0 = no maximum
}

// Fixed reports whether the value has a fixed length (and no terminator).
func (d FieldDef) Fixed() bool { return d.Max > 0 && d.Min == d.Max }

// Field is one field of the message zone.
type Field struct {
	ID        string
	NameFR    string // empty for an identifier missing from the table
	NameEN    string
	Kind      FieldKind // 0 for an identifier missing from the table
	Value     string
	Truncated bool // the issuer cut the value short (RS terminator)
}

// Date returns the value of a date field (DateDMY, DateHex, DateTimeDMYHM).
func (f Field) Date() (time.Time, bool) {
	switch f.Kind {
	case DateDMY:
		t, err := time.Parse("02012006", f.Value)
		return t, err == nil
	case DateTimeDMYHM:
		t, err := time.Parse("020120061504", f.Value)
		return t, err == nil
	case DateHex:
		if len(f.Value) != 4 {
			return time.Time{}, false
		}
		t, err := parseHexDate([]byte(f.Value))
		if err != nil || t == nil {
			return time.Time{}, false
		}
		return *t, true
	}
	return time.Time{}, false
}

// DocumentType names a header document type.
type DocumentType struct {
	ID                string
	NameFR            string // issuer's type, e.g. "Titre d'identité"; empty if unknown
	NameEN            string
	CategoryFR        string // user's type, e.g. "Justificatif d'identité"
	CategoryEN        string
	IssueDateRequired bool // the header must carry the document issue date
}

// tablePerimeter is the perimeter whose tables this package has; a version
// 02 header has no perimeter and uses them too.
const tablePerimeter = "01"

var (
	fieldTable        []FieldDef
	documentTypeTable []DocumentType

	fieldIndex   = map[string]FieldDef{}
	docTypeIndex = map[string]DocumentType{}
)

// init reads the embedded tables; they are part of the program, so a
// malformed row is a bug caught by any test of the package.
func init() {
	var err error
	if fieldTable, err = parseFieldTable(fieldsTSV); err != nil {
		panic("twoddoc: " + err.Error())
	}
	if documentTypeTable, err = parseTypeTable(typesTSV); err != nil {
		panic("twoddoc: " + err.Error())
	}
	for _, d := range fieldTable {
		if _, dup := fieldIndex[d.ID]; dup {
			panic("twoddoc: field " + d.ID + " twice in the table")
		}
		fieldIndex[d.ID] = d
	}
	for _, d := range documentTypeTable {
		if _, dup := docTypeIndex[d.ID]; dup {
			panic("twoddoc: document type " + d.ID + " twice in the table")
		}
		docTypeIndex[d.ID] = d
	}
}

// LookupField returns the definition of a field identifier in a perimeter
// ("" for a version 02 header).
func LookupField(perimeter, id string) (FieldDef, bool) {
	if perimeter != "" && perimeter != tablePerimeter {
		return FieldDef{}, false
	}
	d, ok := fieldIndex[id]
	return d, ok
}

// LookupDocumentType returns the names of a document type in a perimeter
// ("" for a version 02 header).
func LookupDocumentType(perimeter, id string) (DocumentType, bool) {
	if perimeter != "" && perimeter != tablePerimeter {
		return DocumentType{ID: id}, false
	}
	d, ok := docTypeIndex[id]
	if !ok {
		d = DocumentType{ID: id}
	}
	return d, ok
}

// maxFields bounds the work on a hostile message (each field is at least 2 bytes).
const maxFields = MaxPayload / 2

// ParseFields reads a message zone (or an annex, which has the same syntax
// but is not signed). Warnings name field identifiers, never values.
func ParseFields(perimeter string, zone []byte) ([]Field, []string, error) {
	if len(zone) > MaxPayload {
		return nil, nil, newErr(TooLarge, "zone of %d bytes", len(zone))
	}
	var fields []Field
	var warnings []string
	seen := map[string]bool{}
	for i := 0; i < len(zone); {
		if len(fields) >= maxFields {
			return nil, nil, newErr(TooLarge, "more than %d fields", maxFields)
		}
		if i+2 > len(zone) {
			return nil, nil, newErr(Truncated, "field identifier cut at offset %d", i)
		}
		id := zone[i : i+2]
		if !allUpperAlnum(id) {
			return nil, nil, newErr(BadField, "bad field identifier at offset %d", i)
		}
		i += 2
		def, known := LookupField(perimeter, string(id))
		if !known {
			// The length of an unknown field is unknown: read it as a
			// terminated value, the most common form.
			def = FieldDef{ID: string(id)}
			warnings = append(warnings, fmt.Sprintf("field %s: identifier not in the table, kept raw", id))
		}
		f := Field{ID: def.ID, NameFR: def.NameFR, NameEN: def.NameEN, Kind: def.Kind}
		var err error
		var v []byte
		v, i, f.Truncated, err = readValue(zone, i, def)
		if err != nil {
			return nil, nil, err
		}
		f.Value = string(v)
		if seen[f.ID] {
			warnings = append(warnings, fmt.Sprintf("field %s: present more than once", f.ID))
		}
		seen[f.ID] = true
		if known {
			warnings = append(warnings, checkValue(def, f)...)
		}
		fields = append(fields, f)
	}
	return fields, warnings, nil
}

// readValue reads the value starting at i and returns it with the offset of
// the next field.
func readValue(zone []byte, i int, def FieldDef) (v []byte, next int, truncated bool, err error) {
	if def.Fixed() {
		end := i + def.Max
		if end > len(zone) {
			return nil, 0, false, newErr(Truncated, "field %s: %d characters expected", def.ID, def.Max)
		}
		v = zone[i:end]
		if err := checkChars(def.ID, v); err != nil {
			return nil, 0, false, err
		}
		// Some issuers end fixed values with GS too; it cannot start a field.
		if end < len(zone) && zone[end] == GS {
			end++
		}
		return v, end, false, nil
	}
	limit := len(zone)
	if def.Max > 0 && i+def.Max < limit {
		limit = i + def.Max
	}
	j := i
	for j < limit && zone[j] != GS && zone[j] != RS {
		j++
	}
	v = zone[i:j]
	if err := checkChars(def.ID, v); err != nil {
		return nil, 0, false, err
	}
	// A value that reaches its maximum length may omit its terminator.
	if j < len(zone) && (zone[j] == GS || zone[j] == RS) {
		return v, j + 1, zone[j] == RS, nil
	}
	return v, j, false, nil
}

// checkChars refuses control characters and non-ASCII bytes: C40 encodes
// neither, and values are shown to people.
func checkChars(id string, v []byte) error {
	for k, c := range v {
		if c < 0x20 || c > 0x7E {
			return newErr(BadField, "field %s: byte %02X at value offset %d", id, c, k)
		}
	}
	return nil
}

// checkValue compares a value with its definition; mismatches are warnings
// because the signature, not the syntax, decides whether to trust a seal.
func checkValue(def FieldDef, f Field) []string {
	var w []string
	if len(f.Value) < def.Min && !f.Truncated {
		w = append(w, fmt.Sprintf("field %s: shorter than %d characters", def.ID, def.Min))
	}
	if f.Value == "" {
		return w
	}
	ok := true
	switch def.Kind {
	case Numeric:
		ok = strings.Trim(f.Value, "0123456789") == ""
	case Decimal:
		ok = strings.Trim(f.Value, "0123456789,.") == "" && strings.Count(f.Value, ",")+strings.Count(f.Value, ".") <= 1
	case Boolean:
		ok = f.Value == "0" || f.Value == "1"
	case HexNumber:
		_, ok = parseHex([]byte(f.Value))
	case DateHex:
		_, ok = parseHex([]byte(f.Value))
		ok = ok && len(f.Value) == 4
	case DateDMY, DateTimeDMYHM:
		_, ok = f.Date()
	case TimeHMS:
		_, err := time.Parse("150405", f.Value)
		ok = err == nil
	case TimeHM:
		_, err := time.Parse("1504", f.Value)
		ok = err == nil
	}
	if !ok {
		w = append(w, fmt.Sprintf("field %s: value does not match its kind", def.ID))
	}
	return w
}
