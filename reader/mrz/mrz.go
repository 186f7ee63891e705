// Package mrz reads and writes the machine readable zone of ICAO Doc 9303
// travel documents (TD1 identity cards such as the French CNIE 2021, TD2,
// TD3 passports, and MRV visas) and derives the "MRZ information" that BAC
// and PACE use as their password.
package mrz

import (
	"slices"
	"strings"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Format is the size class of a machine readable zone.
type Format int

const (
	_    Format = iota
	TD1         // 3 lines of 30 characters (identity cards)
	TD2         // 2 lines of 36 characters
	TD3         // 2 lines of 44 characters (passports)
	MRVA        // visa, 2 lines of 44 characters, no composite check digit
	MRVB        // visa, 2 lines of 36 characters, no composite check digit
)

func (f Format) String() string {
	switch f {
	case TD1:
		return "TD1"
	case TD2:
		return "TD2"
	case TD3:
		return "TD3"
	case MRVA:
		return "MRV-A"
	case MRVB:
		return "MRV-B"
	}
	return "unknown"
}

// Field names a zone field protected by a check digit.
type Field int

const (
	_ Field = iota
	FieldDocumentNumber
	FieldBirthDate
	FieldExpiryDate
	FieldOptionalData // TD3 personal number / optional data
	FieldComposite
)

func (f Field) String() string {
	switch f {
	case FieldDocumentNumber:
		return "document number"
	case FieldBirthDate:
		return "date of birth"
	case FieldExpiryDate:
		return "date of expiry"
	case FieldOptionalData:
		return "optional data"
	case FieldComposite:
		return "composite"
	}
	return "unknown field"
}

// Check is the outcome of one check digit.
type Check struct {
	Field Field
	OK    bool
}

// CheckError lists the check digits that failed. Parse returns it wrapped
// in a chiperr.BadInput error together with the (readable) MRZ; get it with
// errors.As.
type CheckError struct {
	Failed []Field
}

func (e *CheckError) Error() string {
	names := make([]string, len(e.Failed))
	for i, f := range e.Failed {
		names[i] = f.String()
	}
	return "MRZ check digit wrong for " + strings.Join(names, ", ")
}

// MRZ is a parsed machine readable zone. Text fields have their trailing
// fillers removed; names have fillers turned into spaces.
type MRZ struct {
	Format       Format
	Lines        []string // the zone as read, one string per line
	DocumentCode string   // "P", "I", "ID", "V"...
	IssuingState string   // ICAO 9303 Part 3 code, e.g. "FRA", "D"
	// DocumentNumber is the whole number, including the part that long
	// TD1/TD2 numbers continue in the optional data.
	DocumentNumber string
	// OptionalData is the optional data of line 1 (TD1, after any long
	// number's continuation), of line 2 (TD2, visas) or the personal number (TD3).
	OptionalData string
	// OptionalData2 is the optional data of TD1 line 2.
	OptionalData2       string
	BirthDate           Date
	Sex                 string // "M", "F" or "X" (unspecified, '<' in the zone)
	ExpiryDate          Date
	Nationality         string
	PrimaryIdentifier   string // surname(s)
	SecondaryIdentifier string // given name(s)
	Checks              []Check
}

// Valid reports whether every check digit verified.
func (m *MRZ) Valid() bool {
	for _, c := range m.Checks {
		if !c.OK {
			return false
		}
	}
	return true
}

// Information returns the MRZ information used by BAC and PACE.
func (m *MRZ) Information() (string, error) {
	return Information(m.DocumentNumber, m.BirthDate.String(), m.ExpiryDate.String())
}

const maxText = 1024 // far beyond any zone with its line breaks and spaces

// Parse reads a zone given as lines separated by line breaks (surrounding
// blanks are ignored) or as one string with the lines run together, as DG1
// stores it. Only 0-9, A-Z and '<' are accepted: callers that take typed
// text upper-case it first.
//
// A zone that is well formed but has wrong check digits is still returned,
// with an error wrapping a *CheckError: the fields are readable, only not
// confirmed. Any other error comes with a nil MRZ. All errors are
// chiperr.BadInput.
func Parse(text string) (*MRZ, error) {
	lines, err := splitLines(text)
	if err != nil {
		return nil, err
	}
	var m *MRZ
	switch len(lines[0]) {
	case 30:
		m, err = parseTD1(lines)
	case 36:
		m, err = parseTwoLine(lines, TD2)
	default:
		m, err = parseTwoLine(lines, TD3)
	}
	if err != nil {
		return nil, err
	}
	// Report checks in zone order whatever the format's layout.
	slices.SortStableFunc(m.Checks, func(a, b Check) int { return int(a.Field) - int(b.Field) })
	var failed []Field
	for _, c := range m.Checks {
		if !c.OK {
			failed = append(failed, c.Field)
		}
	}
	if failed != nil {
		return m, &chiperr.Error{Kind: chiperr.BadInput, Op: "parse MRZ", Err: &CheckError{Failed: failed}}
	}
	return m, nil
}

func badMRZ(detail string) error { return chiperr.New(chiperr.BadInput, "parse MRZ", detail) }

// splitLines recognises the shape of the zone and returns its lines.
func splitLines(text string) ([]string, error) {
	if len(text) > maxText {
		return nil, badMRZ("text too long")
	}
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 1 {
		l := lines[0]
		switch len(l) {
		case 90:
			lines = []string{l[:30], l[30:60], l[60:]}
		case 72:
			lines = []string{l[:36], l[36:]}
		case 88:
			lines = []string{l[:44], l[44:]}
		}
	}
	ok := false
	switch len(lines) {
	case 3:
		ok = len(lines[0]) == 30 && len(lines[1]) == 30 && len(lines[2]) == 30
	case 2:
		ok = len(lines[0]) == len(lines[1]) && (len(lines[0]) == 36 || len(lines[0]) == 44)
	}
	if !ok {
		return nil, badMRZ("not the shape of a TD1, TD2 or TD3 zone")
	}
	for i, l := range lines {
		if !validChars(l) {
			return nil, chiperr.Newf(chiperr.BadInput, "parse MRZ", "line %d holds a character outside 0-9, A-Z and '<'", i+1)
		}
	}
	return lines, nil
}

func parseTD1(l []string) (*MRZ, error) {
	m := &MRZ{Format: TD1, Lines: l}
	m.header(l[0])
	num, opt, numOK := documentNumber(l[0][5:14], l[0][14], l[0][15:30])
	m.DocumentNumber, m.OptionalData = num, opt
	m.Checks = append(m.Checks, Check{FieldDocumentNumber, numOK})
	if err := m.datesAndSex(l[1][0:7], l[1][7], l[1][8:15]); err != nil {
		return nil, err
	}
	m.Nationality = trimFiller(l[1][15:18])
	m.OptionalData2 = trimFiller(l[1][18:29])
	m.Checks = append(m.Checks, Check{FieldComposite, verify(l[0][5:30]+l[1][0:7]+l[1][8:15]+l[1][18:29], l[1][29])})
	m.names(l[2])
	return m, nil
}

// parseTwoLine handles TD2, TD3 and the visas of the same sizes.
func parseTwoLine(l []string, f Format) (*MRZ, error) {
	if l[0][0] == 'V' { // visas share the sizes but not the layout
		f = map[Format]Format{TD2: MRVB, TD3: MRVA}[f]
	}
	m := &MRZ{Format: f, Lines: l}
	m.header(l[0])
	m.names(l[0][5:])
	a := l[1]
	m.Nationality = trimFiller(a[10:13])
	if err := m.datesAndSex(a[13:20], a[20], a[21:28]); err != nil {
		return nil, err
	}
	switch f {
	case TD2:
		num, opt, ok := documentNumber(a[0:9], a[9], a[28:35])
		m.DocumentNumber, m.OptionalData = num, opt
		m.Checks = append(m.Checks, Check{FieldDocumentNumber, ok})
	case TD3:
		m.DocumentNumber = trimFiller(a[0:9])
		m.Checks = append(m.Checks, Check{FieldDocumentNumber, verify(a[0:9], a[9])})
		opt := a[28:42]
		m.OptionalData = trimFiller(opt)
		// An unused personal number may carry '<' or '0' as its check digit.
		optOK := verify(opt, a[42]) || (m.OptionalData == "" && (a[42] == '<' || a[42] == '0'))
		m.Checks = append(m.Checks, Check{FieldOptionalData, optOK})
	default: // visas: no long numbers, no composite
		m.DocumentNumber = trimFiller(a[0:9])
		m.Checks = append(m.Checks, Check{FieldDocumentNumber, verify(a[0:9], a[9])})
		m.OptionalData = trimFiller(a[28:])
		return m, nil
	}
	n := len(a) - 1
	m.Checks = append(m.Checks, Check{FieldComposite, verify(a[0:10]+a[13:20]+a[21:n], a[n])})
	return m, nil
}

func (m *MRZ) header(l string) {
	m.DocumentCode = trimFiller(l[0:2])
	m.IssuingState = trimFiller(l[2:5])
}

// datesAndSex reads birth date+check digit, the sex and expiry+check digit.
func (m *MRZ) datesAndSex(birth string, sex byte, expiry string) error {
	var err error
	if m.BirthDate, err = ParseDate(birth[:6]); err != nil {
		return badMRZ("date of birth is not a date")
	}
	if m.ExpiryDate, err = ParseDate(expiry[:6]); err != nil {
		return badMRZ("date of expiry is not a date")
	}
	switch sex {
	case 'M', 'F':
		m.Sex = string(sex)
	case '<', 'X':
		m.Sex = "X"
	default:
		return badMRZ("sex is not M, F or <")
	}
	m.Checks = append(m.Checks,
		Check{FieldBirthDate, verify(birth[:6], birth[6])},
		Check{FieldExpiryDate, verify(expiry[:6], expiry[6])})
	return nil
}

// documentNumber reads a TD1/TD2 document number. When its check digit
// position holds '<', the number is longer than 9 characters and goes on
// in the optional data, followed by its check digit and a filler (Doc 9303
// Part 5 §4.2.2 note j, Part 6 §4.2.2 note j). It returns the whole
// number, the optional data left after it and whether the check verified.
func documentNumber(principal string, cd byte, opt string) (number, rest string, ok bool) {
	if cd != '<' {
		return trimFiller(principal), trimFiller(opt), verify(principal, cd)
	}
	k := strings.IndexByte(opt, '<')
	if k == -1 {
		k = len(opt)
	}
	if k == 0 {
		// No continuation: the number lacks its check digit.
		return trimFiller(principal), trimFiller(opt), false
	}
	number = principal + opt[:k-1]
	if k < len(opt) {
		rest = trimFiller(opt[k+1:])
	}
	return number, rest, verify(number, opt[k-1])
}

// names splits the name field on "<<" into primary and secondary identifiers.
func (m *MRZ) names(field string) {
	primary, secondary, _ := strings.Cut(field, "<<")
	m.PrimaryIdentifier = spaced(primary)
	m.SecondaryIdentifier = spaced(secondary)
}

func spaced(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "<", " ")), " ")
}

func trimFiller(s string) string { return strings.TrimRight(s, "<") }

// verify reports whether cd is the check digit of s.
func verify(s string, cd byte) bool {
	want, err := CheckDigit(s)
	return err == nil && want == cd
}

// MaxDocumentNumber bounds a document number: 9 characters plus the 14
// that a TD1 optional data field can hold besides the check digit.
const MaxDocumentNumber = 23

// Information returns the "MRZ information" that keys BAC and PACE with an
// MRZ password (Doc 9303 Part 11 §4.3.2 and §4.4.1): the document number
// padded with '<' to 9 characters (long numbers in full) and its check
// digit, the date of birth and its check digit, the date of expiry and its
// check digit. Letters are upper-cased so that typed input can be passed
// as is; anything else outside 0-9, A-Z and '<' is chiperr.BadInput.
func Information(docNumber, birth, expiry string) (string, error) {
	num := strings.ToUpper(docNumber)
	if trimFiller(num) == "" || len(num) > MaxDocumentNumber || !validChars(num) {
		return "", chiperr.New(chiperr.BadInput, "MRZ information", "document number must be 1 to 23 characters among 0-9, A-Z and '<'")
	}
	if len(num) < 9 {
		num += strings.Repeat("<", 9-len(num))
	}
	if _, err := ParseDate(birth); err != nil {
		return "", chiperr.New(chiperr.BadInput, "MRZ information", "date of birth must be YYMMDD")
	}
	if _, err := ParseDate(expiry); err != nil {
		return "", chiperr.New(chiperr.BadInput, "MRZ information", "date of expiry must be YYMMDD")
	}
	var b strings.Builder
	for _, f := range []string{num, birth, expiry} {
		cd, _ := CheckDigit(f) // characters were checked above
		b.WriteString(f)
		b.WriteByte(cd)
	}
	return b.String(), nil
}
