package lds

import (
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// COM is the content of EF.COM (Doc 9303 Part 10 §4.6.1).
type COM struct {
	LDSVersion     string // four digits, e.g. "0107" for LDS 1.7
	UnicodeVersion string // six digits, e.g. "040000"
	DataGroups     []DataGroup
	// OtherTags are entries of the tag list that name no data group;
	// they are kept rather than refused since EF.COM is not signed.
	OtherTags []byte
}

// Tags of the EF.COM and DG11 data objects.
const (
	tagTagList        = 0x5C
	tagLDSVersion     = 0x5F01
	tagUnicodeVersion = 0x5F36
)

// ParseCOM reads EF.COM. Bytes after the outer element (file padding) are
// ignored. The tag list (5C) is required; the versions may be absent in
// documents older than LDS 1.7.
func ParseCOM(b []byte) (*COM, error) {
	const op = "parse EF.COM"
	v, err := outer(b, TagCOM, op)
	if err != nil {
		return nil, err
	}
	c := &COM{}
	items, err := ber.ParseAll(v)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, op, err)
	}
	var list []byte
	found := false
	for _, it := range items {
		switch it.Tag {
		case tagLDSVersion:
			if c.LDSVersion, err = digits(it.Value, 4, chiperr.Malformed, op); err != nil {
				return nil, err
			}
		case tagUnicodeVersion:
			if c.UnicodeVersion, err = digits(it.Value, 6, chiperr.Malformed, op); err != nil {
				return nil, err
			}
		case tagTagList:
			list, found = it.Value, true
		}
	}
	if !found {
		return nil, chiperr.New(chiperr.Malformed, op, "no tag list (5C)")
	}
	seen := map[byte]bool{}
	for _, t := range list {
		if seen[t] {
			continue
		}
		seen[t] = true
		if dg, ok := DataGroupByTag(uint32(t)); ok {
			c.DataGroups = append(c.DataGroups, dg)
		} else {
			c.OtherTags = append(c.OtherTags, t)
		}
	}
	return c, nil
}

// Build encodes EF.COM. Empty versions are left out.
func (c *COM) Build() ([]byte, error) {
	var parts [][]byte
	if c.LDSVersion != "" {
		if _, err := digits([]byte(c.LDSVersion), 4, chiperr.BadInput, "build EF.COM"); err != nil {
			return nil, err
		}
		parts = append(parts, ber.Encode(tagLDSVersion, []byte(c.LDSVersion)))
	}
	if c.UnicodeVersion != "" {
		if _, err := digits([]byte(c.UnicodeVersion), 6, chiperr.BadInput, "build EF.COM"); err != nil {
			return nil, err
		}
		parts = append(parts, ber.Encode(tagUnicodeVersion, []byte(c.UnicodeVersion)))
	}
	list := make([]byte, 0, len(c.DataGroups)+len(c.OtherTags))
	for _, dg := range c.DataGroups {
		if !dg.Valid() {
			return nil, chiperr.Newf(chiperr.BadInput, "build EF.COM", "no data group %d", int(dg))
		}
		list = append(list, byte(dg.Tag()))
	}
	list = append(list, c.OtherTags...)
	parts = append(parts, ber.Encode(tagTagList, list))
	return ber.Encode(TagCOM, parts...), nil
}

// outer checks that b starts with an element of the given tag and returns
// its value.
func outer(b []byte, tag uint32, op string) ([]byte, error) {
	t, _, err := ber.ParseTLV(b)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, op, err)
	}
	if t.Tag != tag {
		return nil, chiperr.Newf(chiperr.Malformed, op, "outer tag %X, want %X", t.Tag, tag)
	}
	return t.Value, nil
}

// digits checks a fixed-length ASCII digit string.
func digits(v []byte, n int, kind chiperr.Kind, op string) (string, error) {
	if len(v) != n {
		return "", chiperr.Newf(kind, op, "version of %d bytes, want %d digits", len(v), n)
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return "", chiperr.New(kind, op, "version is not digits")
		}
	}
	return string(v), nil
}
