package chipauth

import (
	"math/big"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

func setKATCmd(pub []byte, extra ...byte) iso7816.Command {
	return iso7816.Command{INS: 0x22, P1: 0x41, P2: 0xA6, Data: append(ber.Encode(0x91, pub), extra...)}
}

func setATCmd(oid []int, extra ...byte) iso7816.Command {
	return iso7816.Command{INS: 0x22, P1: 0x41, P2: 0xA4, Data: append(ber.Encode(0x80, ber.OIDContents(oid)), extra...)}
}

func gaCmd(pub []byte) iso7816.Command {
	return iso7816.Command{INS: 0x86, Data: ber.Encode(0x7C, ber.Encode(0x80, pub)), Ne: 256}
}

// TestChipRejectsTerminalKeys: the chip validates the terminal's ephemeral
// key and answers 6A80 without a new session.
func TestChipRejectsTerminalKeys(t *testing.T) {
	ec := ecKey(t, "brainpoolP256r1")
	eph := ecKey(t, "brainpoolP256r1")
	otherCurve := ecKey(t, "P-256")
	off := append([]byte(nil), eph.Public.Point...)
	off[10] ^= 0x40
	infinity := make([]byte, len(off))
	infinity[0] = 4
	compressed := append([]byte{2}, eph.Public.Point[1:33]...)

	dh := dhKey(t)
	p := rfc5114P
	pad := func(v *big.Int) []byte { return v.FillBytes(make([]byte, 256)) }
	dhCases := map[string][]byte{
		"zero":            pad(big.NewInt(0)),
		"one":             pad(big.NewInt(1)),
		"p-1":             pad(new(big.Int).Sub(p, big.NewInt(1))),
		"outside q":       pad(big.NewInt(2)),
		"longer than |p|": append([]byte{1}, pad(big.NewInt(5))...),
	}
	ecCases := map[string][]byte{
		"off curve":   off,
		"infinity":    infinity,
		"compressed":  compressed,
		"other curve": otherCurve.Public.Point,
		"one byte":    {4},
	}
	for _, tc := range []struct {
		key   *PrivateKey
		cases map[string][]byte
	}{{ec, ecCases}, {dh, dhCases}} {
		for name, pub := range tc.cases {
			for _, kat := range []bool{true, false} {
				oid := DefaultOID(tc.key.Public)
				if !kat {
					oid = append(oid[:len(oid)-1:len(oid)-1], 2)
				}
				chip, err := NewChip(tc.key, oid, nil)
				if err != nil {
					t.Fatal(err)
				}
				var r iso7816.Response
				var next *sm.Session
				if kat {
					r, next = chip.Handle(setKATCmd(pub))
				} else {
					if r, _ := chip.Handle(setATCmd(oid)); r.SW != 0x9000 {
						t.Fatalf("Set AT: %04X", r.SW)
					}
					r, next = chip.Handle(gaCmd(pub))
				}
				if r.SW != 0x6A80 || next != nil {
					t.Errorf("%s (KAT %v): SW %04X, session %v; want 6A80 and none", name, kat, r.SW, next != nil)
				}
			}
		}
	}
}

func TestChipCommands(t *testing.T) {
	key := ecKey(t, "P-256")
	pub := ecKey(t, "P-256").Public.Point
	aes := protocol(t, "id-CA-ECDH-AES-CBC-CMAC-128").OID
	tdes := protocol(t, "id-CA-ECDH-3DES-CBC-CBC").OID
	id := 7
	type step struct {
		cmd     iso7816.Command
		sw      uint16
		session bool
	}
	cases := []struct {
		name  string
		oid   []int
		id    *int
		steps []step
	}{
		{"KAT", tdes, nil, []step{{setKATCmd(pub), 0x9000, true}}},
		{"KAT with key id", tdes, &id, []step{{setKATCmd(pub, 0x84, 0x01, 0x07), 0x9000, true}}},
		{"KAT wrong key id", tdes, &id, []step{{setKATCmd(pub, 0x84, 0x01, 0x08), 0x6A88, false}}},
		{"KAT key id the chip lacks", tdes, nil, []step{{setKATCmd(pub, 0x84, 0x01, 0x08), 0x6A88, false}}},
		{"KAT for an AES chip", aes, nil, []step{{setKATCmd(pub), 0x6985, false}}},
		{"KAT without key", tdes, &id, []step{{iso7816.Command{INS: 0x22, P1: 0x41, P2: 0xA6, Data: []byte{0x84, 0x01, 0x07}}, 0x6A80, false}}},
		{"KAT unknown DO", tdes, nil, []step{{setKATCmd(pub, 0x99, 0x00), 0x6A80, false}}},
		{"KAT empty key", tdes, nil, []step{{setKATCmd(nil), 0x6700, false}}},
		{"AT + GA", aes, nil, []step{{setATCmd(aes), 0x9000, false}, {gaCmd(pub), 0x9000, true}}},
		{"3DES by AT + GA", tdes, nil, []step{{setATCmd(tdes), 0x9000, false}, {gaCmd(pub), 0x9000, true}}},
		{"AT other protocol", aes, nil, []step{{setATCmd(tdes), 0x6A88, false}, {gaCmd(pub), 0x6985, false}}},
		{"GA alone", aes, nil, []step{{gaCmd(pub), 0x6985, false}}},
		{"GA twice", aes, nil, []step{{setATCmd(aes), 0x9000, false}, {gaCmd(pub), 0x9000, true}, {gaCmd(pub), 0x6985, false}}},
		{"GA chained", aes, nil, []step{{setATCmd(aes), 0x9000, false}, {iso7816.Command{CLA: 0x10, INS: 0x86, Data: gaCmd(pub).Data}, 0x6884, false}}},
		{"GA P1", aes, nil, []step{{setATCmd(aes), 0x9000, false}, {iso7816.Command{INS: 0x86, P1: 1, Data: gaCmd(pub).Data}, 0x6A86, false}}},
		{"GA two keys", aes, nil, []step{{setATCmd(aes), 0x9000, false}, {iso7816.Command{INS: 0x86, Data: ber.Encode(0x7C, append(ber.Encode(0x80, pub), ber.Encode(0x80, pub)...))}, 0x6A80, false}}},
		{"GA garbage", aes, nil, []step{{setATCmd(aes), 0x9000, false}, {iso7816.Command{INS: 0x86, Data: []byte{0x7C, 0x09}}, 0x6A80, false}}},
		{"MSE other P1P2", aes, nil, []step{{iso7816.Command{INS: 0x22, P1: 0xC1, P2: 0xA4}, 0x6A86, false}}},
		{"other INS", aes, nil, []step{{iso7816.Command{INS: 0xB0}, 0x6D00, false}}},
		{"AT without OID", aes, &id, []step{{iso7816.Command{INS: 0x22, P1: 0x41, P2: 0xA4, Data: []byte{0x84, 0x01, 0x07}}, 0x6A80, false}}},
		{"AT bad OID", aes, nil, []step{{iso7816.Command{INS: 0x22, P1: 0x41, P2: 0xA4, Data: []byte{0x80, 0x01, 0x80}}, 0x6A80, false}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			chip, err := NewChip(key, c.oid, c.id)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range c.steps {
				resp, next := chip.Handle(s.cmd)
				if resp.SW != s.sw || (next != nil) != s.session {
					t.Fatalf("step %d: SW %04X session %v, want %04X %v", i, resp.SW, next != nil, s.sw, s.session)
				}
				if next != nil && s.cmd.INS == 0x86 && string(resp.Data) != "\x7C\x00" {
					t.Errorf("GA response %X", resp.Data)
				}
				if next != nil && s.cmd.INS == 0x22 && len(resp.Data) != 0 {
					t.Errorf("Set KAT response %X", resp.Data)
				}
			}
		})
	}
}

func TestNewChip(t *testing.T) {
	ec := ecKey(t, "P-256")
	if _, err := NewChip(ec, []int{1, 2}, nil); err == nil {
		t.Error("unknown OID accepted")
	}
	if _, err := NewChip(ec, protocol(t, "id-CA-DH-3DES-CBC-CBC").OID, nil); err == nil {
		t.Error("EC key for DH protocol accepted")
	}
	if _, err := NewChip(nil, protocol(t, "id-CA-DH-3DES-CBC-CBC").OID, nil); err == nil {
		t.Error("nil key accepted")
	}
	if r, _ := (&Chip{}).Handle(setKATCmd([]byte{4})); r.SW != 0x6985 {
		t.Errorf("keyless chip: %04X", r.SW)
	}
}

// TestHandles: the virtual card routes only CA commands to the Chip; PACE
// (MSE C1A4) and Terminal Authentication (MSE 81A4) go elsewhere.
func TestHandles(t *testing.T) {
	chip, _ := NewChip(ecKey(t, "P-256"), protocol(t, "id-CA-ECDH-AES-CBC-CMAC-128").OID, nil)
	pace := []int{0, 4, 0, 127, 0, 7, 2, 2, 4, 2, 2}
	cases := []struct {
		cmd  iso7816.Command
		want bool
	}{
		{setKATCmd([]byte{4}), true},
		{setATCmd(chip.Protocol.OID), true},
		{setATCmd(protocol(t, "id-CA-DH-3DES-CBC-CBC").OID), true},
		{setATCmd(pace), false},
		{iso7816.Command{INS: 0x22, P1: 0xC1, P2: 0xA4, Data: ber.Encode(0x80, ber.OIDContents(pace))}, false},
		{iso7816.Command{INS: 0x22, P1: 0x81, P2: 0xA4}, false},
		{iso7816.Command{INS: 0x22, P1: 0x41, P2: 0xA4, Data: []byte{0x80}}, false},
		{gaCmd([]byte{4}), false},
		{iso7816.Command{INS: 0xB0}, false},
	}
	for i, c := range cases {
		if got := chip.Handles(c.cmd); got != c.want {
			t.Errorf("case %d (%v): %v", i, c.cmd, got)
		}
	}
	chip.Handle(setATCmd(chip.Protocol.OID))
	if !chip.Handles(gaCmd([]byte{4})) {
		t.Error("GA after CA Set AT not routed to the chip")
	}
}
