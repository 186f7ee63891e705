package lds

import (
	"strings"
	"unicode/utf8"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// DG12 holds the additional document details (Doc 9303 Part 10 §4.7.12).
// Text is UTF-8 as stored; names of other persons use '<' separators.
type DG12 struct {
	IssuingAuthority    string
	DateOfIssue         string // "YYYYMMDD"
	OtherPersons        []string
	Endorsements        string // endorsements and observations
	TaxExitRequirements string
	ImageFront          []byte // image of the front of the document (ISO/IEC 10918)
	ImageRear           []byte
	PersonalizationTime string // "YYYYMMDDhhmmss"
	// PersonalizationSerial is the serial number of the personalization system.
	PersonalizationSerial string
}

// DG12 data object tags (Doc 9303 Part 10 §4.7.12).
const (
	tagIssuingAuthority    = 0x5F19
	tagDateOfIssue         = 0x5F26
	tagOtherPerson         = 0x5F1A
	tagEndorsements        = 0x5F1B
	tagTaxExit             = 0x5F1C
	tagImageFront          = 0x5F1D
	tagImageRear           = 0x5F1E
	tagPersonalizationTime = 0x5F55
	tagPersonalizationSN   = 0x5F56
	tagOtherPersons        = 0xA0 // { 02 count, 5F1A name... }
)

// maxOtherPersons bounds the other persons a card may list.
const maxOtherPersons = 64

func (d *DG12) text() []struct {
	tag uint32
	v   *string
} {
	return []struct {
		tag uint32
		v   *string
	}{
		{tagIssuingAuthority, &d.IssuingAuthority}, {tagEndorsements, &d.Endorsements},
		{tagTaxExit, &d.TaxExitRequirements}, {tagPersonalizationSN, &d.PersonalizationSerial},
	}
}

// ParseDG12 reads DG12. Unknown data objects are skipped; text that is not
// valid UTF-8 is chiperr.Malformed. Dates are accepted as ASCII digits or,
// as some documents store them, BCD (4 bytes for the date of issue, 7 for
// the personalization time).
func ParseDG12(b []byte) (*DG12, error) {
	const op = "parse DG12"
	v, err := outer(b, DataGroup(12).Tag(), op)
	if err != nil {
		return nil, err
	}
	items, err := ber.ParseAll(v)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, op, err)
	}
	d := &DG12{}
	fields := map[uint32]*string{}
	for _, f := range d.text() {
		fields[f.tag] = f.v
	}
	for _, it := range items {
		switch it.Tag {
		case tagDateOfIssue:
			if d.DateOfIssue, err = bcdOrDigits(it.Value, 8, op, "date of issue"); err != nil {
				return nil, err
			}
		case tagPersonalizationTime:
			if d.PersonalizationTime, err = bcdOrDigits(it.Value, 14, op, "personalization time"); err != nil {
				return nil, err
			}
		case tagImageFront:
			d.ImageFront = append([]byte(nil), it.Value...)
		case tagImageRear:
			d.ImageRear = append([]byte(nil), it.Value...)
		case tagOtherPerson:
			if err := d.addOtherPerson(it.Value); err != nil {
				return nil, err
			}
		case tagOtherPersons:
			if err := eachInList(it.Value, tagOtherPerson, op, d.addOtherPerson); err != nil {
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

func (d *DG12) addOtherPerson(v []byte) (err error) {
	d.OtherPersons, err = appendText(d.OtherPersons, v, maxOtherPersons, "parse DG12", "other person")
	return err
}

// bcdOrDigits reads n ASCII digits, or n/2 BCD bytes turned into digits.
func bcdOrDigits(v []byte, n int, op, what string) (string, error) {
	if len(v) == n/2 {
		var b strings.Builder
		for _, c := range v {
			if c>>4 > 9 || c&0x0F > 9 {
				return "", chiperr.Newf(chiperr.Malformed, op, "%s is not BCD", what)
			}
			b.WriteByte('0' + c>>4)
			b.WriteByte('0' + c&0x0F)
		}
		return b.String(), nil
	}
	if len(v) != n {
		return "", chiperr.Newf(chiperr.Malformed, op, "%s of %d bytes", what, len(v))
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return "", chiperr.Newf(chiperr.Malformed, op, "%s is not digits", what)
		}
	}
	return string(v), nil
}

// Build encodes DG12 with its tag list; empty fields are left out. Dates
// are written as ASCII digits.
func (d *DG12) Build() ([]byte, error) {
	const op = "build DG12"
	for _, c := range []struct {
		v    string
		n    int
		what string
	}{{d.DateOfIssue, 8, "date of issue"}, {d.PersonalizationTime, 14, "personalization time"}} {
		if c.v == "" {
			continue
		}
		if _, err := bcdOrDigits([]byte(c.v), c.n, op, c.what); err != nil || len(c.v) != c.n {
			return nil, chiperr.Newf(chiperr.BadInput, op, "%s must be %d digits", c.what, c.n)
		}
	}
	for _, f := range d.text() {
		if !utf8.ValidString(*f.v) {
			return nil, chiperr.Newf(chiperr.BadInput, op, "data object %X is not UTF-8", f.tag)
		}
	}
	if len(d.OtherPersons) > maxOtherPersons {
		return nil, chiperr.New(chiperr.BadInput, op, "too many other persons")
	}
	var list []byte
	var parts [][]byte
	put := func(tag uint32, v []byte) {
		if len(v) > 0 {
			list = append(list, byte(tag>>8), byte(tag))
			parts = append(parts, ber.Encode(tag, v))
		}
	}
	put(tagIssuingAuthority, []byte(d.IssuingAuthority))
	put(tagDateOfIssue, []byte(d.DateOfIssue))
	if len(d.OtherPersons) > 0 {
		names := [][]byte{{tagCount, 1, byte(len(d.OtherPersons))}}
		for _, n := range d.OtherPersons {
			if !utf8.ValidString(n) {
				return nil, chiperr.New(chiperr.BadInput, op, "other person is not UTF-8")
			}
			names = append(names, ber.Encode(tagOtherPerson, []byte(n)))
		}
		list = append(list, byte(tagOtherPerson>>8), byte(tagOtherPerson&0xFF))
		parts = append(parts, ber.Encode(tagOtherPersons, names...))
	}
	put(tagEndorsements, []byte(d.Endorsements))
	put(tagTaxExit, []byte(d.TaxExitRequirements))
	put(tagImageFront, d.ImageFront)
	put(tagImageRear, d.ImageRear)
	put(tagPersonalizationTime, []byte(d.PersonalizationTime))
	put(tagPersonalizationSN, []byte(d.PersonalizationSerial))
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	if n+len(list)+16 > ber.MaxLength {
		return nil, chiperr.New(chiperr.BadInput, op, "data group too large")
	}
	return ber.Encode(DataGroup(12).Tag(), append([][]byte{ber.Encode(tagTagList, list)}, parts...)...), nil
}
