package lds

import (
	"strings"
	"unicode/utf8"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// DG11 holds the additional personal details (Doc 9303 Part 10 §4.7.11).
// Text values are UTF-8 as stored; several fields separate their parts
// with '<' (names, place of birth, address, other TD numbers).
type DG11 struct {
	FullName           string // "PRIMARY<<SECONDARY", see Names
	OtherNames         []string
	PersonalNumber     string
	FullDateOfBirth    string // "YYYYMMDD"
	PlaceOfBirth       string
	Address            string
	Telephone          string
	Profession         string
	Title              string
	PersonalSummary    string
	ProofOfCitizenship []byte // an image (ISO/IEC 10918), not text
	OtherTDNumbers     string
	CustodyInformation string
}

// DG11 data object tags (Doc 9303 Part 10 §4.7.11). Other TD numbers are
// 5F17 and custody information 5F18; 5F19 is DG12's issuing authority.
const (
	tagFullName           = 0x5F0E
	tagOtherName          = 0x5F0F
	tagPersonalNumber     = 0x5F10
	tagFullDateOfBirth    = 0x5F2B
	tagPlaceOfBirth       = 0x5F11
	tagAddress            = 0x5F42
	tagTelephone          = 0x5F12
	tagProfession         = 0x5F13
	tagTitle              = 0x5F14
	tagPersonalSummary    = 0x5F15
	tagProofOfCitizenship = 0x5F16
	tagOtherTDNumbers     = 0x5F17
	tagCustody            = 0x5F18
	tagOtherNames         = 0xA0 // { 02 count, 5F0F name... }
	tagCount              = 0x02
)

// maxOtherNames bounds the other names a card may list.
const maxOtherNames = 64

// text returns the string fields in the order Doc 9303 lists them.
func (d *DG11) text() []struct {
	tag uint32
	v   *string
} {
	return []struct {
		tag uint32
		v   *string
	}{
		{tagFullName, &d.FullName}, {tagPersonalNumber, &d.PersonalNumber},
		{tagFullDateOfBirth, &d.FullDateOfBirth}, {tagPlaceOfBirth, &d.PlaceOfBirth},
		{tagAddress, &d.Address}, {tagTelephone, &d.Telephone}, {tagProfession, &d.Profession},
		{tagTitle, &d.Title}, {tagPersonalSummary, &d.PersonalSummary},
		{tagOtherTDNumbers, &d.OtherTDNumbers}, {tagCustody, &d.CustodyInformation},
	}
}

// Names splits FullName into primary and secondary identifiers, fillers
// turned into spaces.
func (d *DG11) Names() (primary, secondary string) {
	p, s, _ := strings.Cut(d.FullName, "<<")
	clean := func(x string) string { return strings.Join(strings.Fields(strings.ReplaceAll(x, "<", " ")), " ") }
	return clean(p), clean(s)
}

// ParseDG11 reads DG11. Unknown data objects are skipped; text that is
// not valid UTF-8 is chiperr.Malformed. The full date of birth is accepted
// as 8 ASCII digits or, as some older documents store it, 4 BCD bytes.
func ParseDG11(b []byte) (*DG11, error) {
	const op = "parse DG11"
	v, err := outer(b, DataGroup(11).Tag(), op)
	if err != nil {
		return nil, err
	}
	items, err := ber.ParseAll(v)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, op, err)
	}
	d := &DG11{}
	fields := map[uint32]*string{}
	for _, f := range d.text() {
		fields[f.tag] = f.v
	}
	for _, it := range items {
		switch it.Tag {
		case tagFullDateOfBirth:
			if d.FullDateOfBirth, err = dateOfBirth(it.Value); err != nil {
				return nil, err
			}
		case tagProofOfCitizenship:
			d.ProofOfCitizenship = append([]byte(nil), it.Value...)
		case tagOtherName:
			if err := d.addOtherName(it.Value); err != nil {
				return nil, err
			}
		case tagOtherNames:
			if err := eachInList(it.Value, tagOtherName, op, d.addOtherName); err != nil {
				return nil, err
			}
		default:
			if err := setTextField(fields, it, op); err != nil {
				return nil, err
			}
		}
	}
	return d, nil
}

func (d *DG11) addOtherName(v []byte) (err error) {
	d.OtherNames, err = appendText(d.OtherNames, v, maxOtherNames, "parse DG11", "other name")
	return err
}

func dateOfBirth(v []byte) (string, error) {
	if len(v) == 4 { // BCD
		var b strings.Builder
		for _, c := range v {
			b.WriteByte('0' + c>>4)
			b.WriteByte('0' + c&0x0F)
		}
		v = []byte(b.String())
	}
	if len(v) != 8 {
		return "", chiperr.Newf(chiperr.Malformed, "parse DG11", "full date of birth of %d bytes", len(v))
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return "", chiperr.New(chiperr.Malformed, "parse DG11", "full date of birth is not digits")
		}
	}
	return string(v), nil
}

// Build encodes DG11 with its tag list; empty fields are left out.
func (d *DG11) Build() ([]byte, error) {
	const op = "build DG11"
	var list []byte
	var parts [][]byte
	put := func(tag uint32, v []byte) {
		list = append(list, byte(tag>>8), byte(tag))
		parts = append(parts, ber.Encode(tag, v))
	}
	if d.FullDateOfBirth != "" {
		if _, err := dateOfBirth([]byte(d.FullDateOfBirth)); err != nil || len(d.FullDateOfBirth) != 8 {
			return nil, chiperr.New(chiperr.BadInput, op, "full date of birth must be YYYYMMDD")
		}
	}
	for _, f := range d.text() {
		if !utf8.ValidString(*f.v) {
			return nil, chiperr.Newf(chiperr.BadInput, op, "data object %X is not UTF-8", f.tag)
		}
	}
	for i, f := range d.text() {
		if *f.v != "" {
			put(f.tag, []byte(*f.v))
		}
		if i == 0 && len(d.OtherNames) > 0 { // other names follow the full name
			if len(d.OtherNames) > maxOtherNames {
				return nil, chiperr.New(chiperr.BadInput, op, "too many other names")
			}
			names := [][]byte{{tagCount, 1, byte(len(d.OtherNames))}}
			for _, n := range d.OtherNames {
				if !utf8.ValidString(n) {
					return nil, chiperr.New(chiperr.BadInput, op, "other name is not UTF-8")
				}
				names = append(names, ber.Encode(tagOtherName, []byte(n)))
			}
			list = append(list, byte(tagOtherName>>8), byte(tagOtherName&0xFF))
			parts = append(parts, ber.Encode(tagOtherNames, names...))
		}
		if f.tag == tagPersonalSummary && len(d.ProofOfCitizenship) > 0 {
			put(tagProofOfCitizenship, d.ProofOfCitizenship)
		}
	}
	return ber.Encode(DataGroup(11).Tag(), append([][]byte{ber.Encode(tagTagList, list)}, parts...)...), nil
}
