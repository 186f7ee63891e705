package mrz

import (
	"strings"
	"unicode"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Fields are the data written into a zone by FormatTD1 and FormatTD3, to
// build test documents and the virtual card. Codes and numbers are
// upper-cased and padded with '<'; names are transliterated.
type Fields struct {
	DocumentCode   string // "ID", "I", "P"...
	IssuingState   string
	DocumentNumber string // up to 9 characters (TD3), up to 23 (TD1)
	OptionalData   string // TD1 line 1 (after a long number) / TD3 personal number
	OptionalData2  string // TD1 line 2
	BirthDate      Date
	Sex            string // "M", "F"; anything else is written '<'
	ExpiryDate     Date
	Nationality    string
	// Names in any Latin script, as printed; they are transliterated to
	// A-Z (Doc 9303 Part 3 §6) and truncated to fit the name field.
	PrimaryIdentifier   string
	SecondaryIdentifier string
}

// FormatTD1 writes a 3x30 zone with all its check digits. A document number
// longer than 9 characters continues in the optional data of line 1.
func FormatTD1(f Fields) ([3]string, error) {
	var out [3]string
	head, err := header(f)
	if err != nil {
		return out, err
	}
	num, err := code(f.DocumentNumber, MaxDocumentNumber, "document number")
	num = trimFiller(num)
	// A long number cannot hold a filler: the reader would stop at it.
	if err != nil || num == "" || (len(num) > 9 && strings.Contains(num, "<")) {
		return out, fieldErr("document number")
	}
	var numField, opt1 string
	if len(num) <= 9 {
		numField = pad(num, 9) + string(mustDigit(pad(num, 9)))
		opt1 = f.OptionalData
	} else {
		// Principal part, '<' in the check digit position, then the rest,
		// its check digit and a filler ahead of the optional data.
		numField = num[:9] + "<"
		opt1 = num[9:] + string(mustDigit(num))
		if f.OptionalData != "" {
			opt1 += "<" + f.OptionalData
		}
	}
	opt1, err = code(opt1, 15, "optional data")
	if err != nil {
		return out, err
	}
	dates, err := datesAndSex(f)
	if err != nil {
		return out, err
	}
	nat, err := code(f.Nationality, 3, "nationality")
	if err != nil {
		return out, err
	}
	opt2, err := code(f.OptionalData2, 11, "optional data 2")
	if err != nil {
		return out, err
	}
	out[0] = head + numField + pad(opt1, 15)
	l2 := dates + pad(nat, 3) + pad(opt2, 11)
	out[1] = l2 + string(mustDigit(out[0][5:30]+l2[0:7]+l2[8:15]+l2[18:29]))
	out[2] = nameField(f.PrimaryIdentifier, f.SecondaryIdentifier, 30)
	return out, nil
}

// FormatTD3 writes a 2x44 zone with all its check digits.
func FormatTD3(f Fields) ([2]string, error) {
	var out [2]string
	head, err := header(f)
	if err != nil {
		return out, err
	}
	num, err := code(f.DocumentNumber, 9, "document number")
	if err != nil || num == "" {
		return out, fieldErr("document number")
	}
	nat, err := code(f.Nationality, 3, "nationality")
	if err != nil {
		return out, err
	}
	dates, err := datesAndSex(f)
	if err != nil {
		return out, err
	}
	opt, err := code(f.OptionalData, 14, "optional data")
	if err != nil {
		return out, err
	}
	optCD := byte('<') // an unused personal number has no check digit
	if opt != "" {
		optCD = mustDigit(pad(opt, 14))
	}
	out[0] = head + nameField(f.PrimaryIdentifier, f.SecondaryIdentifier, 39)
	l2 := pad(num, 9) + string(mustDigit(pad(num, 9))) + pad(nat, 3) + dates + pad(opt, 14) + string(optCD)
	out[1] = l2 + string(mustDigit(l2[0:10]+l2[13:20]+l2[21:43]))
	return out, nil
}

func fieldErr(name string) error {
	return chiperr.Newf(chiperr.BadInput, "format MRZ", "%s does not fit or holds characters outside 0-9, A-Z and '<'", name)
}

func header(f Fields) (string, error) {
	dc, err := code(f.DocumentCode, 2, "document code")
	if err != nil || dc == "" {
		return "", fieldErr("document code")
	}
	st, err := code(f.IssuingState, 3, "issuing state")
	if err != nil {
		return "", err
	}
	return pad(dc, 2) + pad(st, 3), nil
}

// datesAndSex writes birth date, check digit, sex, expiry date, check digit.
func datesAndSex(f Fields) (string, error) {
	birth, expiry := f.BirthDate.String(), f.ExpiryDate.String()
	if _, err := ParseDate(birth); err != nil || !f.BirthDate.inRange() {
		return "", fieldErr("date of birth")
	}
	if _, err := ParseDate(expiry); err != nil || !f.ExpiryDate.inRange() {
		return "", fieldErr("date of expiry")
	}
	sex := "<"
	if f.Sex == "M" || f.Sex == "F" {
		sex = f.Sex
	}
	return birth + string(mustDigit(birth)) + sex + expiry + string(mustDigit(expiry)), nil
}

func (d Date) inRange() bool {
	return d.Year >= -1 && d.Year <= 99 && d.Month >= 0 && d.Month <= 12 && d.Day >= 0 && d.Day <= 31
}

// code upper-cases a code or number field, turns blanks into fillers and
// checks that it fits in n characters.
func code(s string, n int, name string) (string, error) {
	s = strings.ReplaceAll(strings.ToUpper(s), " ", "<")
	if len(s) > n || !validChars(s) {
		return "", fieldErr(name)
	}
	return s, nil
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s[:n]
	}
	return s + strings.Repeat("<", n-len(s))
}

// mustDigit is CheckDigit on a string already known to be valid.
func mustDigit(s string) byte {
	d, err := CheckDigit(s)
	if err != nil {
		return '<'
	}
	return d
}

// nameField writes PRIMARY<<SECONDARY on width characters, cut at the end
// when it is too long.
func nameField(primary, secondary string, width int) string {
	s := transliterate(primary)
	if sec := transliterate(secondary); sec != "" {
		s += "<<" + sec
	}
	return pad(s, width)
}

// translit maps the Latin letters with diacritics of Doc 9303 Part 3 §6
// (Latin-1 and Latin Extended-A) to their recommended A-Z spelling.
var translit = func() map[rune]string {
	m := map[rune]string{
		'Ä': "AE", 'Å': "AA", 'Æ': "AE", 'Ö': "OE", 'Ø': "OE", 'Ü': "UE",
		'Œ': "OE", 'Þ': "TH", 'ß': "SS", 'Ĳ': "IJ", 'ẞ': "SS",
	}
	groups := map[string]string{
		"ÀÁÂÃĀĂĄ": "A", "ÇĆĈĊČ": "C", "ÐĎĐ": "D", "ÈÉÊËĒĔĖĘĚ": "E",
		"ĜĞĠĢ": "G", "ĤĦ": "H", "ÌÍÎÏĨĪĬĮİ": "I", "Ĵ": "J", "Ķ": "K",
		"ĹĻĽĿŁ": "L", "ÑŃŅŇŊ": "N", "ÒÓÔÕŌŎŐ": "O", "ŔŖŘ": "R",
		"ŚŜŞŠ": "S", "ŢŤŦ": "T", "ÙÚÛŨŪŬŮŰŲ": "U", "Ŵ": "W",
		"ÝŶŸ": "Y", "ŹŻŽ": "Z",
	}
	for letters, to := range groups {
		for _, r := range letters {
			m[r] = to
		}
	}
	return m
}()

// transliterate writes a name component with A-Z and single '<' between
// words: blanks, hyphens and commas separate words, apostrophes and any
// other character are dropped.
func transliterate(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range s {
		r = unicode.ToUpper(r)
		var w string
		switch {
		case r >= 'A' && r <= 'Z':
			w = string(r)
		case r == ' ' || r == '-' || r == ',' || r == '<':
			sep = b.Len() > 0
			continue
		default:
			w = translit[r]
		}
		if w == "" {
			continue
		}
		if sep {
			b.WriteByte('<')
			sep = false
		}
		b.WriteString(w)
	}
	return b.String()
}

// Transliterate writes a name as the MRZ would (Doc 9303 Part 3 §6):
// upper-case A-Z, accents and ligatures transliterated, words joined by
// '<'. Comparing two names written this way ignores accents, case and
// punctuation, as a person would.
func Transliterate(s string) string { return transliterate(s) }
