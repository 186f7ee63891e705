package chipauth

import (
	"crypto/rand"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// FuzzChipHandle feeds arbitrary command APDUs to the chip side, once fresh
// and once after an accepted MSE:Set AT: no panic, and a session only with 9000.
func FuzzChipHandle(f *testing.F) {
	c, _ := ecc.ByName("P-256")
	key, err := GenerateECKey(rand.Reader, c)
	if err != nil {
		f.Fatal(err)
	}
	eph, _ := GenerateECKey(rand.Reader, c)
	aes, _ := ProtocolByOID(caOID(2, 2))
	tdes, _ := ProtocolByOID(caOID(2, 1))
	for _, cmd := range []iso7816.Command{setKATCmd(eph.Public.Point), setATCmd(aes.OID), gaCmd(eph.Public.Point), setKATCmd(eph.Public.Point, 0x84, 0x01, 0x01)} {
		b, _ := cmd.Bytes()
		f.Add(b)
	}
	f.Add([]byte{0x00, 0x86, 0x00, 0x00, 0x04, 0x7C, 0x82, 0xFF, 0xFF})
	f.Fuzz(func(t *testing.T, apdu []byte) {
		cmd, err := iso7816.ParseCommand(apdu)
		if err != nil {
			return
		}
		for _, p := range []Protocol{aes, tdes} {
			chip, _ := NewChip(key, p.OID, nil)
			chip.Handles(cmd)
			for round := 0; round < 2; round++ {
				resp, next := chip.Handle(cmd)
				if next != nil && resp.SW != 0x9000 {
					t.Fatalf("session with SW %04X", resp.SW)
				}
				chip.Handle(setATCmd(p.OID))
			}
		}
	})
}

// FuzzGAResponse: the terminal's check of the chip's General Authenticate answer.
func FuzzGAResponse(f *testing.F) {
	f.Add([]byte{0x7C, 0x00})
	f.Add([]byte{0x7C, 0x04, 0x81, 0x02, 0x01, 0x02})
	f.Add([]byte{0x7C, 0x81, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = checkGAResponse(b)
	})
}
