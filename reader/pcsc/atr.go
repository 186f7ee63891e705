package pcsc

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// ATR is a decoded answer to reset (ISO/IEC 7816-3 §8.2). For a
// contactless card the reader builds it (PC/SC Part 3 §3.1.3.2.3):
// 3B 8n 80 01, n historical bytes, TCK.
type ATR struct {
	Raw     []byte // the bytes as received, trailing bytes included
	Inverse bool   // TS = 3F (inverse convention); 3B is direct
	T0      byte   // Y1 (high nibble) and K, the number of historical bytes
	// Groups are the interface bytes: Groups[0] is TA1..TD1, announced by
	// T0; Groups[i] is announced by TD(i).
	Groups     []Group
	Protocols  []int  // protocols offered, in order of first mention (T=0 when no TD1)
	Historical []byte // T1..TK
	HasTCK     bool
	TCK        byte
	// Trailing holds bytes after the ATR's announced end. Some cards and
	// readers send them; they are kept apart, never interpreted.
	Trailing []byte

	// What the bytes say about the card.
	Contactless bool          // the PC/SC pseudo-ATR of a contactless card
	Type        RFType        // ISO 14443 type when it can be told
	Storage     *StorageCard  // a memory card (MIFARE...), per PC/SC Part 3
	Hist        *HistoricalTL // the historical bytes in ISO 7816-4 format, nil when proprietary
}

// Group is one set of interface bytes TAi TBi TCi TDi.
type Group struct {
	Y              byte // which bytes are present: bit 0 TA, bit 1 TB, bit 2 TC, bit 3 TD
	TA, TB, TC, TD byte // each meaningful only when present
	// T is the protocol the group qualifies: -1 for group 1 (global),
	// otherwise the T of the TD that announced it (15 = global bytes).
	T int
}

// Has reports whether the byte of the given letter ('A'..'D') is present.
func (g Group) Has(letter byte) bool {
	if letter < 'A' || letter > 'D' {
		return false
	}
	return g.Y&(1<<(letter-'A')) != 0
}

// RFType is the ISO/IEC 14443 type of a contactless card.
type RFType int

const (
	RFUnknown RFType = iota // contact card, or type not told by the ATR
	RFTypeA
	RFTypeB
)

// StorageCard is a memory card as PC/SC names it (Part 3 §3.1.3.2.3.2):
// historical bytes 80 4F 0C A0 00 00 03 06 SS NN NN 00 00 00 00.
type StorageCard struct {
	Standard byte   // SS: the card's air or contact standard
	Name     uint16 // NN NN: the card name code
}

// HistoricalTL is the historical bytes in ISO/IEC 7816-4 §8.1.1 format.
type HistoricalTL struct {
	Category byte         // 00, 10 or 80
	Objects  []CompactTLV // COMPACT-TLV objects (tag, value)
	Status   []byte       // LCS SW1 SW2 (category 00), or the status object's value
}

// CompactTLV is one COMPACT-TLV data object (tag and length in one byte).
type CompactTLV struct {
	Tag   byte
	Value []byte
}

const (
	// MaxATR is the longest ATR ISO/IEC 7816-3 allows: TS and 32 bytes.
	MaxATR = 33
	// maxATRInput bounds what ParseATR accepts, trailing bytes included.
	maxATRInput = 64
)

// pcscRID is the registered application provider identifier of the PC/SC
// Workgroup, which marks a reader-built storage-card ATR.
var pcscRID = []byte{0xA0, 0x00, 0x00, 0x03, 0x06}

// ParseATR decodes an answer to reset. A malformed or truncated ATR, a
// missing or wrong TCK (required unless only T=0 is offered) is
// chiperr.Malformed; more than 64 bytes is chiperr.TooLarge.
func ParseATR(b []byte) (*ATR, error) {
	const op = "parse ATR"
	if len(b) > maxATRInput {
		return nil, chiperr.Newf(chiperr.TooLarge, op, "%d bytes, at most %d", len(b), maxATRInput)
	}
	if len(b) < 2 {
		return nil, chiperr.New(chiperr.Malformed, op, "shorter than TS and T0")
	}
	a := &ATR{Raw: bytes.Clone(b)}
	switch b[0] {
	case 0x3B:
	case 0x3F:
		a.Inverse = true
	default:
		return nil, chiperr.Newf(chiperr.Malformed, op, "TS %02X is neither 3B nor 3F", b[0])
	}
	a.T0 = b[1]
	i := 2
	y := a.T0 >> 4
	t := -1
	onlyT0 := true
	for level := 1; ; level++ {
		g := Group{Y: y, T: t}
		for bit, dst := range []*byte{&g.TA, &g.TB, &g.TC, &g.TD} {
			if y&(1<<bit) == 0 {
				continue
			}
			if i >= len(b) {
				return nil, chiperr.Newf(chiperr.Malformed, op, "interface bytes of level %d cut short", level)
			}
			*dst = b[i]
			i++
		}
		a.Groups = append(a.Groups, g)
		if !g.Has('D') {
			break
		}
		t = int(g.TD & 0x0F)
		a.addProtocol(t)
		if t != 0 {
			onlyT0 = false
		}
		y = g.TD >> 4
	}
	if len(a.Protocols) == 0 {
		a.Protocols = []int{0} // no TD1: T=0 is implied
	}
	k := int(a.T0 & 0x0F)
	if i+k > len(b) {
		return nil, chiperr.Newf(chiperr.Malformed, op, "%d historical bytes announced, %d present", k, len(b)-i)
	}
	a.Historical = bytes.Clone(b[i : i+k])
	i += k
	if !onlyT0 {
		if i >= len(b) {
			return nil, chiperr.New(chiperr.Malformed, op, "TCK missing (required when a protocol other than T=0 is offered)")
		}
		a.HasTCK, a.TCK = true, b[i]
		var x byte
		for _, c := range b[1 : i+1] {
			x ^= c
		}
		if x != 0 {
			return nil, chiperr.Newf(chiperr.Malformed, op, "TCK %02X does not check (XOR of T0..TCK is %02X)", b[i], x)
		}
		i++
	}
	if i > MaxATR {
		return nil, chiperr.Newf(chiperr.Malformed, op, "%d bytes, ISO/IEC 7816-3 allows %d", i, MaxATR)
	}
	if i < len(b) {
		a.Trailing = bytes.Clone(b[i:])
	}
	a.interpret()
	return a, nil
}

// Offers reports whether the ATR offers protocol T=t (15: global bytes).
func (a *ATR) Offers(t int) bool {
	for _, p := range a.Protocols {
		if p == t {
			return true
		}
	}
	return false
}

func (a *ATR) addProtocol(t int) {
	if !a.Offers(t) {
		a.Protocols = append(a.Protocols, t)
	}
}

// interpret derives the contactless, storage and type fields.
func (a *ATR) interpret() {
	g := a.Groups
	a.Contactless = !a.Inverse && a.T0>>4 == 0x8 && len(g) == 3 &&
		g[0].TD == 0x80 && g[1].Y == 0x8 && g[1].TD == 0x01 && g[2].Y == 0
	a.Hist = parseHistorical(a.Historical)
	if !a.Contactless {
		return
	}
	h := a.Historical
	if len(h) == 15 && h[0] == 0x80 && h[1] == 0x4F && h[2] == 0x0C && bytes.Equal(h[3:8], pcscRID) {
		a.Storage = &StorageCard{Standard: h[8], Name: uint16(h[9])<<8 | uint16(h[10])}
		a.Hist = nil // BER-TLV inside, not COMPACT-TLV
		a.Type = a.Storage.rfType()
		return
	}
	switch {
	case a.Hist != nil:
		// A type A card's historical bytes come from its ATS, usually in
		// ISO 7816-4 format; a type B card's come from ATQB fields.
		a.Type = RFTypeA
	case isATQBForm(h):
		a.Type = RFTypeB
	}
}

// isATQBForm recognises a type B pseudo-ATR: PC/SC Part 3 builds 8 bytes
// (application data 4, protocol info 3, MBLI<<4); some readers give the
// whole ATQB instead (50, PUPI 4, application data 4, protocol info 3).
func isATQBForm(h []byte) bool {
	var info []byte
	switch {
	case len(h) == 8 && h[7]&0x0F == 0:
		info = h[4:7]
	case len(h) == 12 && h[0] == 0x50:
		info = h[9:12]
	default:
		return false
	}
	if printable(h) {
		return false // proprietary text from an ATS, not ATQB fields
	}
	// Protocol info byte 2: maximum frame size code (0..C) and protocol
	// type, whose high bit is always 0 (ISO/IEC 14443-3 §7.9.4).
	return info[1]&0x08 == 0 && info[1]>>4 <= 0xC
}

func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7E {
			return false
		}
	}
	return true
}

// parseHistorical reads ISO/IEC 7816-4 §8.1.1 historical bytes, nil when
// they do not follow it.
func parseHistorical(h []byte) *HistoricalTL {
	if len(h) == 0 {
		return nil
	}
	out := &HistoricalTL{Category: h[0]}
	body := h[1:]
	switch h[0] {
	case 0x00:
		if len(body) < 3 {
			return nil
		}
		out.Status = bytes.Clone(body[len(body)-3:])
		body = body[:len(body)-3]
	case 0x80:
	case 0x10:
		// One byte: a DIR data reference.
		if len(body) != 1 {
			return nil
		}
		out.Objects = []CompactTLV{{Tag: 0, Value: bytes.Clone(body)}}
		return out
	default:
		return nil
	}
	for len(body) > 0 {
		tag, n := body[0]>>4, int(body[0]&0x0F)
		if tag == 0 || n+1 > len(body) {
			return nil
		}
		v := bytes.Clone(body[1 : 1+n])
		out.Objects = append(out.Objects, CompactTLV{Tag: tag, Value: v})
		if tag == 8 && h[0] == 0x80 {
			out.Status = v
		}
		body = body[1+n:]
	}
	return out
}

// rfType tells the ISO 14443 type from the storage card's standard byte.
func (s *StorageCard) rfType() RFType {
	switch {
	case s.Standard >= 0x01 && s.Standard <= 0x03:
		return RFTypeA
	case s.Standard >= 0x05 && s.Standard <= 0x07:
		return RFTypeB
	}
	return RFUnknown
}

// StandardName names the SS byte (PC/SC Part 3 Supplemental Document).
func (s *StorageCard) StandardName() string {
	switch s.Standard {
	case 0x00:
		return "no standard given"
	case 0x01, 0x02, 0x03:
		return fmt.Sprintf("ISO 14443 A part %d", s.Standard)
	case 0x05, 0x06, 0x07:
		return fmt.Sprintf("ISO 14443 B part %d", s.Standard-4)
	case 0x09, 0x0A, 0x0B, 0x0C:
		return fmt.Sprintf("ISO 15693 part %d", s.Standard-8)
	case 0x0D:
		return "contact I2C (ISO 7816-10)"
	case 0x0E:
		return "contact extended I2C (ISO 7816-10)"
	case 0x0F:
		return "contact 2WBP (ISO 7816-10)"
	case 0x10:
		return "contact 3WBP (ISO 7816-10)"
	case 0x11:
		return "FeliCa"
	case 0x40:
		return "low frequency (< 135 kHz)"
	}
	return fmt.Sprintf("standard %02X", s.Standard)
}

// storageNames are the card names of the PC/SC Part 3 Supplemental
// Document, as listed in pcsc-tools' smartcard_list.txt.
var storageNames = map[uint16]string{
	0x0001: "MIFARE Classic 1K", 0x0002: "MIFARE Classic 4K", 0x0003: "MIFARE Ultralight",
	0x0004: "SLE55R_XXXX", 0x0006: "SR176", 0x0007: "SRI X4K", 0x0008: "AT88RF020",
	0x0009: "AT88SC0204CRF", 0x000A: "AT88SC0808CRF", 0x000B: "AT88SC1616CRF",
	0x000C: "AT88SC3216CRF", 0x000D: "AT88SC6416CRF", 0x000E: "SRF55V10P",
	0x000F: "SRF55V02P", 0x0010: "SRF55V10S", 0x0011: "SRF55V02S", 0x0012: "TAG_IT",
	0x0013: "LRI512", 0x0014: "ICODE SLI", 0x0015: "TEMPSENS", 0x0016: "I.CODE1",
	0x0017: "PicoPass 2K", 0x0018: "PicoPass 2KS", 0x0019: "PicoPass 16K",
	0x001A: "PicoPass 16KS", 0x001B: "PicoPass 16K (8x2)", 0x001C: "PicoPass 16KS (8x2)",
	0x001D: "PicoPass 32KS (16+16)", 0x001E: "PicoPass 32KS (16+8x2)",
	0x001F: "PicoPass 32KS (8x2+16)", 0x0020: "PicoPass 32KS (8x2+8x2)", 0x0021: "LRI64",
	0x0022: "I.CODE UID", 0x0023: "I.CODE EPC", 0x0024: "LRI12", 0x0025: "LRI128",
	0x0026: "MIFARE Mini", 0x0027: "my-d move (SLE 66R01P)", 0x0028: "my-d NFC (SLE 66RxxP)",
	0x0029: "my-d proximity 2 (SLE 66RxxS)", 0x002A: "my-d proximity enhanced (SLE 55RxxE)",
	0x002B: "my-d light (SRF 55V01P)", 0x002C: "PJM Stack Tag (SRF 66V10ST)",
	0x002D: "PJM Item Tag (SRF 66V10IT)", 0x002E: "PJM Light (SRF 66V01ST)",
	0x002F: "Jewel Tag", 0x0030: "Topaz NFC Tag", 0x0031: "AT88SC0104CRF",
	0x0032: "AT88SC0404CRF", 0x0033: "AT88RF01C", 0x0034: "AT88RF04C", 0x0035: "ICODE SL2",
	0x0036: "MIFARE Plus SL1 2K", 0x0037: "MIFARE Plus SL1 4K", 0x0038: "MIFARE Plus SL2 2K",
	0x0039: "MIFARE Plus SL2 4K", 0x003A: "MIFARE Ultralight C", 0x003B: "FeliCa",
	0x003C: "Melexis Sensor Tag (MLX90129)", 0x003D: "MIFARE Ultralight EV1",
}

// CardName names the NN NN code, "" when unknown or not given.
func (s *StorageCard) CardName() string { return storageNames[s.Name] }

// String is the ATR in hexadecimal. The PUPI of a type B card (a chip
// identifier that can follow its holder) is masked as "..".
func (a *ATR) String() string {
	if a == nil {
		return "<no ATR>"
	}
	mask := -1
	if a.Type == RFTypeB && len(a.Historical) == 12 {
		mask = 4 + 1 // 3B 8C 80 01, then 50, then the PUPI
	}
	var sb strings.Builder
	for i, c := range a.Raw {
		if i > 0 {
			sb.WriteByte(' ')
		}
		if mask >= 0 && i >= mask && i < mask+4 {
			sb.WriteString("..")
			continue
		}
		fmt.Fprintf(&sb, "%02X", c)
	}
	return sb.String()
}

// What an ATR tells, as codes the application renders in the reader's
// language (key "reader.atr.<code>", see package app/explain).
const (
	ATRNoAnswer          = "no-answer"           // no ATR at all
	ATRUnreadable        = "unreadable"          // an ATR that does not parse (diagnostics)
	ATRStorage           = "storage"             // a memory card: Args Name, Standard
	ATRStorageUnnamed    = "storage-unnamed"     // a memory card of no known model: Args Standard
	ATRContactless       = "contactless"         // a contactless microprocessor card
	ATRContactlessA      = "contactless-a"       // ...of ISO 14443 type A
	ATRContactlessB      = "contactless-b"       // ...of ISO 14443 type B
	ATRContact           = "contact"             // a contact card: Args Protocols ("T=0, T=1")
	ATRContactNoProtocol = "contact-no-protocol" // a contact card naming no protocol
)

// ATRCodes lists every code Description gives, for the tests that check
// each has words.
var ATRCodes = []string{ATRNoAnswer, ATRUnreadable, ATRStorage, ATRStorageUnnamed, ATRContactless,
	ATRContactlessA, ATRContactlessB, ATRContact, ATRContactNoProtocol}

// Description says what the ATR tells, as a code and its arguments (the
// storage card's model and standard, the protocols: technical names).
func (a *ATR) Description() (code string, args map[string]string) {
	if a == nil {
		return ATRNoAnswer, nil
	}
	if s := a.Storage; s != nil {
		if name := s.CardName(); name != "" {
			return ATRStorage, map[string]string{"Name": name, "Standard": s.StandardName()}
		}
		return ATRStorageUnnamed, map[string]string{"Standard": s.StandardName()}
	}
	if a.Contactless {
		switch a.Type {
		case RFTypeA:
			return ATRContactlessA, nil
		case RFTypeB:
			return ATRContactlessB, nil
		}
		return ATRContactless, nil
	}
	var protocols []string
	for _, p := range a.Protocols {
		if p != 15 { // global interface bytes, not a protocol
			protocols = append(protocols, fmt.Sprintf("T=%d", p))
		}
	}
	if len(protocols) == 0 {
		return ATRContactNoProtocol, nil
	}
	return ATRContact, map[string]string{"Protocols": strings.Join(protocols, ", ")}
}
