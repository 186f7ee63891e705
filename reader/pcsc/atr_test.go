package pcsc

import (
	"errors"
	"slices"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// realATRs are ATRs seen on real cards, from Ludovic Rousseau's
// smartcard_list.txt (pcsc-tools, github.com/LudovicRousseau/pcsc-tools,
// also /usr/share/pcsc/smartcard_list.txt in Debian's pcsc-tools); the
// label is the list's description.
var realATRs = []struct {
	label       string
	atr         string
	contactless bool
	rf          RFType
	protocols   []int
	storage     string // card name of a memory card
}{
	{"French ID Card 2021 (contactless interface)", "3B 8B 80 01 00 31 C1 64 09 37 72 13 00 90 00 51", true, RFTypeA, []int{0, 1}, ""},
	{"German ID Card - Personalausweis", "3B 8A 80 01 80 31 B8 73 84 01 E0 82 90 00 06", true, RFTypeA, []int{0, 1}, ""},
	{"National Identity Card of Slovakia (NFC interface)", "3B 8F 80 01 00 31 B9 64 09 37 72 13 73 84 01 E0 00 00 00 AB", true, RFTypeA, []int{0, 1}, ""},
	{"French residency permit (contactless interface)", "3B 8F 80 01 00 51 00 64 09 08 06 78 73 D3 20 C0 C0 90 00 54", true, RFTypeA, []int{0, 1}, ""},
	{"French biometric ePassport (issued in 2012)", "3B 88 80 01 E1 F3 5E 11 77 83 95 00 35", true, RFTypeB, []int{0, 1}, ""},
	{"French passport (2007-2008), whole ATQB", "3B 8C 80 01 50 18 61 88 CE E1 F3 5E 11 77 81 C7 0E", true, RFTypeB, []int{0, 1}, ""},
	{"US passport (2009)", "3B 8C 80 01 80 91 E1 65 D0 00 46 00 00 82 90 00 1C", true, RFTypeA, []int{0, 1}, ""},
	{"Russian Foreign Passport", "3B 87 80 01 4D 52 54 44 31 2E 30 26", true, RFUnknown, []int{0, 1}, ""},
	{"ISO 14443 Type B without historical bytes (Electronic Passport)", "3B 80 80 01 01", true, RFUnknown, []int{0, 1}, ""},
	{"Contactless Barclaycard Visa", "3B 8E 80 01 80 31 80 66 B0 84 12 01 6E 01 83 00 90 00 03", true, RFTypeA, []int{0, 1}, ""},
	{"Navigo Découverte (RFID interface)", "3B 88 80 01 00 00 00 00 00 81 71 00 F9", true, RFTypeB, []int{0, 1}, ""},
	{"NXP/Philips MIFARE Classic 1K (as per PCSC std part3)", "3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A", true, RFTypeA, []int{0, 1}, "MIFARE Classic 1K"},
	{"RFID - FeliCa (generic) (as per PCSC std part3)", "3B 8F 80 01 80 4F 0C A0 00 00 03 06 11 00 3B 00 00 00 00 42", true, RFUnknown, []int{0, 1}, "FeliCa"},
	{"OuroCard VISA International - Banco do Brasil (contact, T=0)", "3B 7F 13 00 00 80 31 C0 52 0B 71 64 05 66 98 36 83 83 90 00", false, RFUnknown, []int{0}, ""},
	{"vsmartcard - iso7816 (contact, T=1)", "3B 95 13 81 01 80 73 FF 01 00 0B", false, RFUnknown, []int{1}, ""},
	{"sim card RUS Beeline Krasnodar (contact, T=0 and T=15)", "3B 9F 94 80 1F C7 80 31 E0 73 FE 21 11 63 07 52 51 83 07 90 00 CC", false, RFUnknown, []int{0, 15}, ""},
}

func TestParseATRReal(t *testing.T) {
	for _, v := range realATRs {
		t.Run(v.label, func(t *testing.T) {
			a, err := ParseATR(testhex.Bytes(t, v.atr))
			if err != nil {
				t.Fatal(err)
			}
			if a.Contactless != v.contactless || a.Type != v.rf {
				t.Errorf("contactless %v type %v, want %v %v", a.Contactless, a.Type, v.contactless, v.rf)
			}
			if !slices.Equal(a.Protocols, v.protocols) {
				t.Errorf("protocols %v, want %v", a.Protocols, v.protocols)
			}
			name := ""
			if a.Storage != nil {
				name = a.Storage.CardName()
			}
			if name != v.storage {
				t.Errorf("storage card %q, want %q", name, v.storage)
			}
			if len(a.Trailing) != 0 {
				t.Errorf("trailing bytes % X", a.Trailing)
			}
			if int(a.T0&0x0F) != len(a.Historical) {
				t.Errorf("%d historical bytes, T0 says %d", len(a.Historical), a.T0&0x0F)
			}
			// The words of every code are app/explain's to test.
			if code, _ := a.Description(); !slices.Contains(ATRCodes, code) {
				t.Errorf("Description code %q is not listed", code)
			}
		})
	}
}

// The interface bytes of a contact ATR, read by hand from ISO/IEC 7816-3
// §8.2: the Beeline SIM above has T0=9F (TA1, TD1, K=15), TA1=94, TD1=80
// (TD2, T=0), TD2=1F (TA3, T=15), TA3=C7 (clock stop, class A/B/C).
func TestParseATRInterfaceBytes(t *testing.T) {
	a, err := ParseATR(testhex.Bytes(t, "3B 9F 94 80 1F C7 80 31 E0 73 FE 21 11 63 07 52 51 83 07 90 00 CC"))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Groups) != 3 {
		t.Fatalf("%d groups, want 3", len(a.Groups))
	}
	g1, g2, g3 := a.Groups[0], a.Groups[1], a.Groups[2]
	if !g1.Has('A') || g1.TA != 0x94 || g1.Has('B') || !g1.Has('D') || g1.TD != 0x80 || g1.T != -1 {
		t.Errorf("group 1 %+v", g1)
	}
	if g2.Y != 0x8 || g2.TD != 0x1F || g2.T != 0 {
		t.Errorf("group 2 %+v", g2)
	}
	if g3.Y != 0x1 || g3.TA != 0xC7 || g3.T != 15 || g3.Has('D') {
		t.Errorf("group 3 %+v", g3)
	}
	if !a.HasTCK || a.TCK != 0xCC || !a.Offers(15) || a.Offers(1) {
		t.Errorf("TCK %v %02X, protocols %v", a.HasTCK, a.TCK, a.Protocols)
	}
	if a.Hist == nil || a.Hist.Category != 0x80 || a.Hist.Status == nil {
		t.Errorf("historical bytes %+v", a.Hist)
	}
	// app/explain words it "Contact card, protocol T=0.".
	if code, args := a.Description(); code != ATRContact || args["Protocols"] != "T=0" {
		t.Errorf("Description = %q %v", code, args)
	}
	// T=0 only: no TCK, and none expected.
	b, err := ParseATR(testhex.Bytes(t, "3B 7F 13 00 00 80 31 C0 52 0B 71 64 05 66 98 36 83 83 90 00"))
	if err != nil {
		t.Fatal(err)
	}
	if b.HasTCK || len(b.Groups) != 1 || b.Groups[0].Y != 0x7 || b.Groups[0].TA != 0x13 {
		t.Errorf("T=0 ATR %+v", b)
	}
}

// The historical bytes of the CNIE 2021, in ISO/IEC 7816-4 §8.1.1 format:
// category 00, card service data (tag 3), pre-issuing data (tag 6), and
// the status LCS 00, SW 9000.
func TestHistoricalCNIE(t *testing.T) {
	a, err := ParseATR(testhex.Bytes(t, realATRs[0].atr))
	if err != nil {
		t.Fatal(err)
	}
	h := a.Hist
	if h == nil || h.Category != 0x00 || len(h.Objects) != 2 {
		t.Fatalf("historical %+v", h)
	}
	if h.Objects[0].Tag != 3 || string(h.Objects[0].Value) != "\xC1" ||
		h.Objects[1].Tag != 6 || string(h.Objects[1].Value) != "\x09\x37\x72\x13" {
		t.Errorf("objects %+v", h.Objects)
	}
	if string(h.Status) != "\x00\x90\x00" {
		t.Errorf("status % X", h.Status)
	}
	if !a.MatchesCNIE2021() {
		t.Error("CNIE 2021 ATR not matched")
	}
	// app/explain words it "Carte sans contact (ISO 14443 type A) à microprocesseur.".
	if code, _ := a.Description(); code != ATRContactlessA {
		t.Errorf("Description = %q", code)
	}
}

// The storage-card ATR of PC/SC Part 3 §3.1.3.2.3.2, with the standard and
// the card name decoded; the example is MIFARE Classic 1K.
func TestStorageCard(t *testing.T) {
	a, err := ParseATR(testhex.Bytes(t, "3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A"))
	if err != nil {
		t.Fatal(err)
	}
	s := a.Storage
	if s == nil || s.Standard != 0x03 || s.Name != 0x0001 || s.StandardName() != "ISO 14443 A part 3" {
		t.Fatalf("storage %+v", s)
	}
	if a.Hist != nil {
		t.Error("storage historical bytes decoded as COMPACT-TLV")
	}
	// app/explain words it "Contactless memory card (MIFARE Classic 1K, ISO
	// 14443 A part 3): no microprocessor, not an identity document.".
	if code, args := a.Description(); code != ATRStorage || args["Name"] != "MIFARE Classic 1K" || args["Standard"] != "ISO 14443 A part 3" {
		t.Errorf("Description = %q %v", code, args)
	}
	for ss, want := range map[byte]string{0x07: "ISO 14443 B part 3", 0x0B: "ISO 15693 part 3", 0x40: "low frequency (< 135 kHz)", 0x99: "standard 99"} {
		if got := (&StorageCard{Standard: ss}).StandardName(); got != want {
			t.Errorf("standard %02X: %q, want %q", ss, got, want)
		}
	}
}

// The virtual card's ATR is a PC/SC contactless pseudo-ATR.
func TestVirtualCardATR(t *testing.T) {
	chip, err := sim.NewNamed("cnie")
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseATR(chip.ATR())
	if err != nil {
		t.Fatal(err)
	}
	if !a.Contactless || !a.IsDemo() || a.MatchesCNIE2021() || a.Storage != nil {
		t.Errorf("virtual card ATR %s: %+v", a, a)
	}
}

// A type B card's PUPI is masked when the ATR is printed.
func TestStringMasksPUPI(t *testing.T) {
	a, err := ParseATR(testhex.Bytes(t, "3B 8C 80 01 50 18 61 88 CE E1 F3 5E 11 77 81 C7 0E"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.String(), "3B 8C 80 01 50 .. .. .. .. E1 F3 5E 11 77 81 C7 0E"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	b, _ := ParseATR(testhex.Bytes(t, realATRs[0].atr))
	if got := b.String(); got != realATRs[0].atr {
		t.Errorf("String = %q", got)
	}
	var nilATR *ATR
	if code, _ := nilATR.Description(); nilATR.String() == "" || code != ATRNoAnswer {
		t.Error("nil ATR prints nothing")
	}
}

func TestParseATRTrailing(t *testing.T) {
	// Two bytes after the TCK (the list has such captures): kept apart.
	a, err := ParseATR(testhex.Bytes(t, "3B 84 80 01 01 11 20 03 36 90 00"))
	if err != nil {
		t.Fatal(err)
	}
	if string(a.Trailing) != "\x90\x00" || len(a.Historical) != 4 {
		t.Errorf("trailing % X, historical % X", a.Trailing, a.Historical)
	}
}

// tooManyGroups is a T=0 ATR of 41 bytes: 6 full interface groups and 15
// historical bytes, beyond the 33 bytes of ISO/IEC 7816-3.
func tooManyGroups() []byte {
	b := []byte{0x3B, 0xFF}
	for i := 0; i < 5; i++ {
		b = append(b, 0xFF, 0xFF, 0xFF, 0xF0)
	}
	b = append(b, 0xFF, 0xFF, 0xFF, 0x00)
	return append(b, make([]byte, 15)...)
}

func TestParseATRMalformed(t *testing.T) {
	good := testhex.Bytes(t, realATRs[0].atr)
	tampered := slices.Clone(good)
	tampered[6] ^= 0x01
	cases := map[string]struct {
		b    []byte
		kind chiperr.Kind
	}{
		"empty":                {nil, chiperr.Malformed},
		"TS only":              {[]byte{0x3B}, chiperr.Malformed},
		"bad TS":               {testhex.Bytes(t, "3A 80 80 01 01"), chiperr.Malformed},
		"interface cut":        {testhex.Bytes(t, "3B 80 80"), chiperr.Malformed},
		"historical cut":       {testhex.Bytes(t, "3B 8B 80 01 00 31 C1"), chiperr.Malformed},
		"TCK missing":          {good[:len(good)-1], chiperr.Malformed},
		"TCK wrong":            {tampered, chiperr.Malformed},
		"too long":             {make([]byte, maxATRInput+1), chiperr.TooLarge},
		"longer than ISO 7816": {tooManyGroups(), chiperr.Malformed},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseATR(c.b)
			if !errors.Is(err, c.kind) {
				t.Errorf("error %v, want kind %v", err, c.kind)
			}
		})
	}
}
