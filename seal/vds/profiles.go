package vds

// Kind is how a feature value is encoded.
type Kind int

const (
	// KindBinary: bytes taken as they are; Text is lower-case hex.
	KindBinary Kind = iota
	// KindC40: C40 text (BSI TR-03137 Annex B).
	KindC40
	// KindMRZ: a machine readable zone, C40-encoded with '<' as space;
	// Text gives the lines separated by "\n", fillers restored.
	KindMRZ
	// KindUTF8: UTF-8 text (BSI social insurance card).
	KindUTF8
	// KindDate: a 3-byte date; Text is YYYY-MM-DD.
	KindDate
	// KindInt: a 1-byte unsigned integer; Text is decimal.
	KindInt
	// KindDuration: the visa duration of stay, 3 bytes days, months,
	// years (ICAO 9303-13 visa profile); Text is ISO 8601, e.g. "P0Y0M160D".
	KindDuration
)

func (k Kind) String() string {
	switch k {
	case KindC40:
		return "C40"
	case KindMRZ:
		return "MRZ"
	case KindUTF8:
		return "UTF-8"
	case KindDate:
		return "date"
	case KindInt:
		return "integer"
	case KindDuration:
		return "duration"
	}
	return "binary"
}

// FeatureSpec describes one tag of a profile.
type FeatureSpec struct {
	Tag            byte
	NameFR, NameEN string // from names.tsv
	Kind           Kind
	// MinLen and MaxLen bound the encoded value, in bytes.
	MinLen, MaxLen int
	Required       bool
	// MRZLine is the MRZ line length (36 or 44) for KindMRZ; MRZChars is
	// how many characters are encoded when the profile truncates the MRZ
	// (the ICAO visa leaves out the optional data at the end of line 2),
	// 0 when both full lines are.
	MRZLine, MRZChars int
}

// Profile is a document type: the features behind the tags of its seals.
type Profile struct {
	ID             string // stable identifier, e.g. "icao-visa"
	NameFR, NameEN string // from names.tsv
	Source         string // where the table comes from
	FeatureRef     byte
	Category       byte
	Features       []FeatureSpec
}

// Feature returns the spec of a tag.
func (p *Profile) Feature(tag byte) (FeatureSpec, bool) {
	for _, f := range p.Features {
		if f.Tag == tag {
			return f, true
		}
	}
	return FeatureSpec{}, false
}

// Shared feature specs.
var (
	mrzTD2 = func(tag byte) FeatureSpec {
		return FeatureSpec{Tag: tag, Kind: KindMRZ, MinLen: 48, MaxLen: 48, Required: true, MRZLine: 36}
	}
	docNumber = func(tag byte, n int) FeatureSpec {
		return FeatureSpec{Tag: tag, Kind: KindC40, MinLen: n, MaxLen: n, Required: true}
	}
)

const (
	srcICAO = "ICAO Doc 9303-13 (8th ed.), as tabulated by de.tsenger.vdstools SealCodings.json"
	srcBSI  = "BSI TR-03137 Part 1 v2.5"
)

// profiles is the table of known document types; their names and their
// features' names are in names.tsv (see names.go).
var profiles = []*Profile{
	{
		ID: "icao-visa", Source: srcICAO + "; BSI TR-03137 §5",
		FeatureRef: 0x5D, Category: 0x01,
		Features: []FeatureSpec{
			{Tag: 1, Kind: KindMRZ, MinLen: 48, MaxLen: 48, MRZLine: 44, MRZChars: 72},
			{Tag: 2, Kind: KindMRZ, MinLen: 44, MaxLen: 44, MRZLine: 36, MRZChars: 64},
			{Tag: 3, Kind: KindInt, MinLen: 1, MaxLen: 1},
			{Tag: 4, Kind: KindDuration, MinLen: 3, MaxLen: 3, Required: true},
			{Tag: 5, Kind: KindC40, MinLen: 6, MaxLen: 6, Required: true},
			{Tag: 6, Kind: KindBinary, MinLen: 1, MaxLen: 4},
			{Tag: 7, Kind: KindBinary, MinLen: 0, MaxLen: 254},
		},
	},
	{
		ID: "icao-etd", Source: srcICAO,
		FeatureRef: 0x5E, Category: 0x03,
		Features: []FeatureSpec{mrzTD2(2)},
	},
	{
		ID: "bsi-arrival-attestation", Source: srcBSI + " §6",
		FeatureRef: 0xFD, Category: 0x02,
		Features: []FeatureSpec{mrzTD2(2), docNumber(3, 8)},
	},
	{
		ID: "bsi-social-insurance-card", Source: srcBSI + " §7",
		FeatureRef: 0xFC, Category: 0x04,
		Features: []FeatureSpec{
			docNumber(1, 8),
			{Tag: 2, Kind: KindUTF8, MinLen: 1, MaxLen: 90, Required: true},
			{Tag: 3, Kind: KindUTF8, MinLen: 1, MaxLen: 90, Required: true},
			{Tag: 4, Kind: KindUTF8, MinLen: 1, MaxLen: 90},
		},
	},
	{
		ID: "bsi-residence-permit", Source: srcBSI + " §8.2",
		FeatureRef: 0xFB, Category: 0x06,
		Features: []FeatureSpec{mrzTD2(2), docNumber(3, 6)},
	},
	{
		ID: "bsi-supplementary-sheet", Source: srcBSI + " §8.4",
		FeatureRef: 0xFA, Category: 0x06,
		Features: []FeatureSpec{mrzTD2(4), docNumber(5, 6)},
	},
	{
		ID: "bsi-address-sticker-id", Source: srcBSI + " §9",
		FeatureRef: 0xF9, Category: 0x08,
		Features: []FeatureSpec{
			docNumber(1, 6),
			docNumber(2, 6),
			{Tag: 3, Kind: KindC40, MinLen: 6, MaxLen: 18, Required: true},
		},
	},
	{
		ID: "bsi-residence-sticker-passport", Source: srcBSI + " §10",
		FeatureRef: 0xF8, Category: 0x0A,
		Features: []FeatureSpec{
			docNumber(1, 6),
			docNumber(2, 6),
			docNumber(3, 4),
		},
	},
}

// Profiles lists the known document profiles.
func Profiles() []*Profile { return append([]*Profile(nil), profiles...) }

// ProfileFor returns the profile of a feature definition reference and
// document type category.
func ProfileFor(featureRef, category byte) (*Profile, bool) {
	for _, p := range profiles {
		if p.FeatureRef == featureRef && p.Category == category {
			return p, true
		}
	}
	return nil, false
}

// CheckProfile checks the seal against its profile: required features
// present, known features within their lengths. Unknown tags are allowed
// (BSI TR-03137 §3.2.3: they do not affect validity). A seal of an unknown
// profile passes. Failures are Malformed errors naming the tag.
func (s *Seal) CheckProfile() error {
	const op = "profile"
	p, ok := ProfileFor(s.FeatureRef, s.Category)
	if !ok {
		return nil
	}
	for _, spec := range p.Features {
		f, present := s.Field(spec.Tag)
		switch {
		case !present && spec.Required:
			return newErrf(Malformed, op, "%s: required tag %#02x missing", p.ID, spec.Tag)
		case present && (len(f.Raw) < spec.MinLen || len(f.Raw) > spec.MaxLen):
			return newErrf(Malformed, op, "%s: tag %#02x of %d bytes (want %d to %d)", p.ID, spec.Tag, len(f.Raw), spec.MinLen, spec.MaxLen)
		}
	}
	return nil
}
