package pcsc

import (
	"context"
	"encoding/asn1"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

func parse(t testing.TB, s string) *ATR {
	t.Helper()
	a, err := ParseATR(testhex.Bytes(t, s))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Real ATRs from smartcard_list.txt (see realATRs).
const (
	atrCNIE     = "3B 8B 80 01 00 31 C1 64 09 37 72 13 00 90 00 51"
	atrGermanID = "3B 8A 80 01 80 31 B8 73 84 01 E0 82 90 00 06"
	atrMifare1K = "3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A"
	atrVisa     = "3B 8E 80 01 80 31 80 66 B0 84 12 01 6E 01 83 00 90 00 03"
	atrNavigo   = "3B 88 80 01 00 00 00 00 00 81 71 00 F9"
)

// cardAccessPACE is an EF.CardAccess with one PACEInfo:
// id-PACE-ECDH-GM-AES-CBC-CMAC-128, version 2, brainpoolP256r1 (13).
func cardAccessPACE(t testing.TB) []byte {
	id := 13
	si := &lds.SecurityInfos{PACE: []lds.PACEInfo{{
		Protocol: lds.ProtocolOID(oids.PACE, lds.PACEECDHGM, lds.CipherAES128), Version: 2, ParameterID: &id,
	}}}
	b, err := si.Build()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// cardAccessCAOnly announces Chip Authentication but no PACE.
func cardAccessCAOnly(t testing.TB) []byte {
	si := &lds.SecurityInfos{ChipAuthentication: []lds.ChipAuthenticationInfo{{
		Protocol: lds.ProtocolOID(oids.CA, lds.CAECDH, lds.CipherAES128), Version: 1,
	}}}
	b, err := si.Build()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestClassify(t *testing.T) {
	pace := cardAccessPACE(t)
	cases := []struct {
		name     string
		atr      *ATR
		access   []byte
		selected bool
		want     CardKind
		note     CardNote // app/explain's tests check its words
	}{
		{"CNIE with PACE", parse(t, atrCNIE), pace, false, CardCNIE, NoteCNIE},
		{"CNIE with eMRTD application", parse(t, atrCNIE), nil, true, CardCNIE, NoteCNIE},
		{"German eID with PACE", parse(t, atrGermanID), pace, true, CardICAODocument, NoteICAO},
		{"unknown ATR with application", nil, nil, true, CardICAODocument, NoteICAO},
		{"MIFARE Classic", parse(t, atrMifare1K), nil, false, CardNotIdentityDocument, NoteStorage},
		{"bank card", parse(t, atrVisa), nil, false, CardNotIdentityDocument, NoteNotID},
		{"transport card, type B", parse(t, atrNavigo), nil, false, CardNotIdentityDocument, NoteNotID},
		{"CNIE ATR, application silent", parse(t, atrCNIE), nil, false, CardUnknown, NoteCNIENoApp},
		{"nothing known", nil, nil, false, CardUnknown, NoteUnknown},
		{"garbage EF.CardAccess", parse(t, atrVisa), []byte{0x31, 0x05, 0xFF}, false, CardNotIdentityDocument, NoteNotID},
		{"EF.CardAccess without PACE", parse(t, atrVisa), cardAccessCAOnly(t), false, CardNotIdentityDocument, NoteNotID},
		// A storage card cannot answer the eMRTD SELECT; if something says
		// it did, the application wins over the ATR.
		{"storage ATR but application", parse(t, atrMifare1K), nil, true, CardICAODocument, NoteICAO},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kind, note := Classify(c.atr, c.access, c.selected)
			if kind != c.want {
				t.Errorf("kind %v, want %v", kind, c.want)
			}
			if note != c.note {
				t.Errorf("note %q, want %q", note, c.note)
			}
		})
	}
}

func TestGuessFromATR(t *testing.T) {
	// app/explain words the note "weak evidence" / "indice faible".
	if kind, note := GuessFromATR(parse(t, atrCNIE)); kind != CardCNIE || note != NoteCNIEGuess {
		t.Errorf("CNIE ATR: %v %q", kind, note)
	}
	if kind, _ := GuessFromATR(parse(t, atrMifare1K)); kind != CardNotIdentityDocument {
		t.Errorf("MIFARE: %v", kind)
	}
	if kind, _ := GuessFromATR(parse(t, atrVisa)); kind != CardUnknown {
		t.Errorf("bank card: %v", kind)
	}
	if kind, _ := GuessFromATR(nil); kind != CardUnknown {
		t.Errorf("nil: %v", kind)
	}
}

// probe does what the reader does before access control: SELECT the eMRTD
// application, and read EF.CardAccess from the master file.
func probe(t *testing.T, chip sim.Chip) (cardAccess []byte, selected bool) {
	t.Helper()
	ctx := context.Background()
	do := func(c iso7816.Command) iso7816.Response {
		b, err := c.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		out, err := chip.Transmit(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		r, err := iso7816.ParseResponse(out)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// READ BINARY with short EF identifier 1C (EF.CardAccess), from the MF.
	if r := do(iso7816.Command{INS: 0xB0, P1: 0x80 | 0x1C, Ne: 256}); r.SW == iso7816.SWOK {
		cardAccess = r.Data
	}
	aid := []byte{0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01}
	selected = do(iso7816.Command{INS: 0xA4, P1: 0x04, P2: 0x0C, Data: aid}).SW == iso7816.SWOK
	return cardAccess, selected
}

// The virtual CNIE (PACE) and passport (BAC) are told apart as a real
// reader would, through their answers.
func TestClassifyVirtualCards(t *testing.T) {
	for _, c := range []struct {
		profile string
		want    CardKind
	}{{"cnie", CardCNIE}, {"passport", CardICAODocument}} {
		t.Run(c.profile, func(t *testing.T) {
			if c.profile == "passport" && testing.Short() {
				t.Skip("-short: the passport's RSA key takes a while")
			}
			chip, err := sim.NewNamed(c.profile)
			if err != nil {
				t.Fatal(err)
			}
			atr, err := ParseATR(chip.ATR())
			if err != nil {
				t.Fatal(err)
			}
			access, selected := probe(t, chip)
			if !selected {
				t.Fatal("eMRTD application not selected")
			}
			// app/explain words both notes "Demonstration ...".
			kind, note := Classify(atr, access, selected)
			if kind != c.want || (note != NoteCNIEDemo && note != NoteICAODemo) {
				t.Errorf("kind %v %q, want %v", kind, note, c.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	for k := CardUnknown; k <= CardNotIdentityDocument; k++ {
		if k.String() == "" {
			t.Errorf("kind %d has no name", k)
		}
	}
	// The PACE OID used above is the one Doc 9303 names.
	if got := lds.ProtocolOID(oids.PACE, lds.PACEECDHGM, lds.CipherAES128); !got.Equal(asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 2, 2}) {
		t.Errorf("id-PACE-ECDH-GM-AES-CBC-CMAC-128 = %v", got)
	}
}
