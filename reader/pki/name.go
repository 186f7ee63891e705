package pki

import (
	"encoding/asn1"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// Bounds on a distinguished name.
const (
	maxRDNs       = 64
	maxAttrPerRDN = 16
	maxValueLen   = 1024
)

// name is a parsed X.501 Name.
type name struct {
	display string   // RFC 4514 style, most specific first: "CN=CSCA-FRANCE,O=Gouv,C=FR"
	country string   // first C= value, upper case
	orgs    []string // O= values
	canon   string   // for RFC 5280 §7.1 style comparison
	rdns    []string // canonical RDNs, sorted: the name's parts in any order
}

var attrNames = map[string]string{
	"2.5.4.3":                    "CN",
	"2.5.4.4":                    "SN",
	"2.5.4.5":                    "SERIALNUMBER",
	"2.5.4.6":                    "C",
	"2.5.4.7":                    "L",
	"2.5.4.8":                    "ST",
	"2.5.4.9":                    "STREET",
	"2.5.4.10":                   "O",
	"2.5.4.11":                   "OU",
	"2.5.4.12":                   "T",
	"2.5.4.42":                   "GN",
	"2.5.4.97":                   "organizationIdentifier",
	"0.9.2342.19200300.100.1.25": "DC",
	"1.2.840.113549.1.9.1":       "emailAddress",
}

type attrTypeAndValue struct {
	Type  asn1.ObjectIdentifier
	Value asn1.RawValue
}

// parseName reads a DER Name. Attribute values of any string type are
// decoded leniently (real CSCA names carry '@' in PrintableStrings, T61 and
// BMP strings); values of other types are shown as #hex.
func parseName(raw []byte) (name, error) {
	const op = "parse name"
	var seq asn1.RawValue
	if rest, err := asn1.Unmarshal(raw, &seq); err != nil || len(rest) > 0 ||
		seq.Class != asn1.ClassUniversal || seq.Tag != asn1.TagSequence || !seq.IsCompound {
		return name{}, newErr(Malformed, op, "not a SEQUENCE OF RelativeDistinguishedName")
	}
	var (
		n       name
		display []string
		canon   []string
	)
	rest := seq.Bytes
	for len(rest) > 0 {
		if len(display) == maxRDNs {
			return name{}, newErrf(TooLarge, op, "more than %d RDNs", maxRDNs)
		}
		var set asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &set); err != nil ||
			set.Class != asn1.ClassUniversal || set.Tag != asn1.TagSet || !set.IsCompound {
			return name{}, newErr(Malformed, op, "RDN is not a SET")
		}
		var parts, cparts []string
		inner := set.Bytes
		for len(inner) > 0 {
			if len(parts) == maxAttrPerRDN {
				return name{}, newErrf(TooLarge, op, "more than %d attributes in an RDN", maxAttrPerRDN)
			}
			var atv attrTypeAndValue
			if inner, err = asn1.Unmarshal(inner, &atv); err != nil {
				return name{}, newErr(Malformed, op, "AttributeTypeAndValue")
			}
			if len(atv.Value.Bytes) > maxValueLen {
				return name{}, newErrf(TooLarge, op, "attribute value of %d bytes", len(atv.Value.Bytes))
			}
			v, isString := attrString(atv.Value)
			key := atv.Type.String()
			label, ok := attrNames[key]
			if !ok {
				label = key
			}
			shown := escapeValue(v)
			if !isString {
				shown = v
			}
			parts = append(parts, label+"="+shown)
			cparts = append(cparts, key+"="+foldValue(v))
			switch {
			case atv.Type.Equal(oids.AttrCountry) && n.country == "":
				n.country = strings.ToUpper(strings.TrimSpace(v))
			case atv.Type.Equal(oids.AttrOrganization):
				n.orgs = append(n.orgs, v)
			}
		}
		if len(parts) == 0 {
			return name{}, newErr(Malformed, op, "empty RDN")
		}
		sort.Strings(cparts) // a SET has no order
		display = append(display, strings.Join(parts, "+"))
		canon = append(canon, strings.Join(cparts, "+"))
	}
	// RFC 4514 writes the most specific RDN first.
	for i, j := 0, len(display)-1; i < j; i, j = i+1, j-1 {
		display[i], display[j] = display[j], display[i]
	}
	n.display = strings.Join(display, ",")
	n.canon = strings.Join(canon, "\x00")
	n.rdns = slices.Clone(canon)
	slices.Sort(n.rdns)
	return n, nil
}

// sameParts reports whether a and b hold the same RDNs, in any order.
// Some Document Signers name their issuer in EF.SOD with the RDNs in
// the reverse order of the issuer's certificate. Strict RFC 5280 §7.1
// comparison keeps the order; this looser match is only ever used to pick
// a certificate whose signature then decides, so it weakens nothing.
func (a name) sameParts(b name) bool {
	return a.canon == b.canon || slices.Equal(a.rdns, b.rdns)
}

// SameName compares two DER Names by value: RFC 5280 §7.1 (case and inner
// white space folded, RDN attributes in any order), and also with the RDNs
// themselves in another order. A Name that does not parse matches nothing.
func SameName(a, b []byte) bool {
	na, err := parseName(a)
	if err != nil {
		return false
	}
	nb, err := parseName(b)
	if err != nil {
		return false
	}
	return na.sameParts(nb)
}

// attrString decodes a string-typed attribute value; other types come back
// as "#" and the hex of the DER, with isString false.
func attrString(v asn1.RawValue) (s string, isString bool) {
	if v.Class == asn1.ClassUniversal && !v.IsCompound {
		b := v.Bytes
		switch v.Tag {
		case asn1.TagUTF8String:
			return strings.ToValidUTF8(string(b), "\uFFFD"), true
		case asn1.TagPrintableString, asn1.TagIA5String, asn1.TagNumericString, 26 /* VisibleString */ :
			return latin1(b), true
		case asn1.TagT61String:
			// Teletex in practice holds Latin-1 in CSCA names.
			return latin1(b), true
		case asn1.TagBMPString:
			if len(b)%2 == 0 {
				u := make([]uint16, len(b)/2)
				for i := range u {
					u[i] = binary.BigEndian.Uint16(b[2*i:])
				}
				return string(utf16.Decode(u)), true
			}
		case 28: // UniversalString (UCS-4)
			if len(b)%4 == 0 {
				var sb strings.Builder
				for i := 0; i < len(b); i += 4 {
					r := rune(binary.BigEndian.Uint32(b[i:]))
					if !utf8.ValidRune(r) {
						r = utf8.RuneError
					}
					sb.WriteRune(r)
				}
				return sb.String(), true
			}
		}
	}
	return "#" + hex.EncodeToString(v.FullBytes), false
}

func latin1(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// escapeValue escapes the RFC 4514 special characters.
func escapeValue(v string) string {
	var sb strings.Builder
	for i, r := range v {
		switch {
		case strings.ContainsRune(",+\"\\<>;=", r),
			i == 0 && (r == '#' || r == ' '),
			i == len(v)-1 && r == ' ':
			sb.WriteByte('\\')
		case r < 0x20 || r == 0x7f:
			sb.WriteString("\\" + hex.EncodeToString([]byte{byte(r)}))
			continue
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// foldValue is the comparison form of RFC 5280 §7.1: case folded, inner
// white space collapsed, outer white space removed.
func foldValue(v string) string {
	return strings.ToLower(strings.Join(strings.Fields(v), " "))
}
