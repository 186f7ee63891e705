package pace

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

func cmdOf(t *testing.T, h string) iso7816.Command {
	t.Helper()
	c, err := iso7816.ParseCommand(testhex.MustBytes(h))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newTestChip(t *testing.T) *Chip {
	t.Helper()
	can, _ := CAN("123456")
	chip, err := NewChip([]Offer{{OID: paceOID(2, 2), ParamID: 13}, {OID: paceOID(2, 2), ParamID: 12}, {OID: paceOID(1, 4), ParamID: 2}}, []Password{can}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return chip
}

func expectSW(t *testing.T, chip *Chip, apdu string, want uint16) []byte {
	t.Helper()
	resp, done := chip.Handle(cmdOf(t, apdu))
	if resp.SW != want {
		t.Fatalf("%s: SW %04X, want %04X", apdu, resp.SW, want)
	}
	if done != nil {
		t.Fatalf("%s: session opened", apdu)
	}
	return resp.Data
}

const (
	mseCAN13 = "0022C1A412800A04007F00070202040202830102 84010D"
	gaNonce  = "10860000027C0000"
)

func TestChipRefusals(t *testing.T) {
	chip := newTestChip(t)
	expectSW(t, chip, gaNonce, 0x6985)                                           // GA before MSE
	expectSW(t, chip, "0022C1A40F800A04007F00070202040202830101", 0x6A88)        // no MRZ password
	expectSW(t, chip, "0022C1A40F800A04007F00070202040302830102", 0x6A80)        // DH-IM not offered
	expectSW(t, chip, "0022C1A412800A04007F00070202040202830102 84010F", 0x6A80) // curve not offered
	expectSW(t, chip, "0022C1A4 03 830102", 0x6A80)                              // no OID
	expectSW(t, chip, "0022C1A4 04 80020102", 0x6A80)                            // no password
	expectSW(t, chip, "0022C1A4 05 7C03800102", 0x6A80)                          // junk
	expectSW(t, chip, "0022C1A4 03 80FF01", 0x6A80)                              // bad length
	expectSW(t, chip, "1022C1A412800A04007F00070202040202830102 84010D", 0x6E00) // chained MSE
	expectSW(t, chip, "00B0000004", 0x6D00)                                      // not PACE
	expectSW(t, chip, "0022C1A40F800A04007F00070202040202830102", 0x9000)        // ambiguous: first offer
	expectSW(t, chip, mseCAN13, 0x9000)
	expectSW(t, chip, "10860100027C0000", 0x6A86) // P1 != 0
	expectSW(t, chip, gaNonce, 0x6985)            // reset by the error
	expectSW(t, chip, mseCAN13, 0x9000)
	expectSW(t, chip, "00860000027C0000", 0x6985) // step 1 not chained
	expectSW(t, chip, mseCAN13, 0x9000)
	expectSW(t, chip, "10860000047C028000", 0x6A80) // step 1 with data
	expectSW(t, chip, mseCAN13, 0x9000)
	expectSW(t, chip, "1086000003 7C0100", 0x6A80) // bad TLV
	expectSW(t, chip, mseCAN13, 0x9000)
	expectSW(t, chip, gaNonce, 0x9000)
	// Invalid mapping points from the terminal.
	for _, pt := range []string{"00", "04" + g1.mapTPub[2:len(g1.mapTPub)-2] + "00", g1.mapTPub[:len(g1.mapTPub)-2]} {
		d := ber.Encode(0x7C, ber.Encode(0x81, testhex.MustBytes(pt)))
		expectSW(t, chip, fmt.Sprintf("108600 00%02X%X00", len(d), d), 0x6A80)
		expectSW(t, chip, mseCAN13, 0x9000)
		expectSW(t, chip, gaNonce, 0x9000)
	}
}

// TestChipWrongToken: a bad terminal token costs a 6300 and the run.
func TestChipWrongToken(t *testing.T) {
	can, _ := CAN("123456")
	chip, _ := NewChip([]Offer{{OID: paceOID(2, 2), ParamID: 13}}, []Password{can}, nil)
	l := &link{chip: chip, cmdHook: func(n int, apdu []byte) []byte {
		if n == 4 {
			apdu[9] ^= 1
		}
		return apdu
	}}
	_, err := Authenticate(context.Background(), l, paceOID(2, 2), 13, can, nil)
	wantKind(t, err, chiperr.AccessDenied)
	expectSW(t, chip, "008600000C7C0A85080102030405060708 00", 0x6985)
	if chip.EphemeralPublic() != nil || l.sess != nil {
		t.Fatal("chip reports a run that failed")
	}
	// Step 4 with the chaining bit is refused too.
	l = &link{chip: chip, cmdHook: func(n int, apdu []byte) []byte {
		if n == 4 {
			apdu[0] = 0x10
		}
		return apdu
	}}
	_, err = Authenticate(context.Background(), l, paceOID(2, 2), 13, can, nil)
	if err == nil {
		t.Fatal("chained last step accepted")
	}
	// And the chip still works afterwards.
	l = &link{chip: chip}
	if _, err := Authenticate(context.Background(), l, paceOID(2, 2), 13, can, nil); err != nil || l.sess == nil {
		t.Fatal(err)
	}
}

func TestNewChipInputs(t *testing.T) {
	can, _ := CAN("123456")
	for _, c := range []struct {
		offers []Offer
		pws    []Password
	}{
		{nil, []Password{can}},
		{[]Offer{{OID: paceOID(2, 2), ParamID: 13}}, nil},
		{[]Offer{{OID: paceOID(2, 2), ParamID: 99}}, []Password{can}},
		{[]Offer{{OID: paceOID(6, 2), ParamID: 13}}, []Password{can}},
		{[]Offer{{OID: []int{1, 2}, ParamID: 13}}, []Password{can}},
		{[]Offer{{OID: paceOID(2, 2), ParamID: 13}}, []Password{{Kind: RefCAN}}},
	} {
		if _, err := NewChip(c.offers, c.pws, nil); err == nil {
			t.Errorf("NewChip(%v, %v) accepted", c.offers, c.pws)
		}
	}
	// The chip keeps its own copy of the password.
	pw, _ := CAN("123456")
	chip, _ := NewChip([]Offer{{OID: paceOID(2, 2), ParamID: 13}}, []Password{pw}, nil)
	pw.Wipe()
	l := &link{chip: chip}
	if _, err := Authenticate(context.Background(), l, paceOID(2, 2), 13, can, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(can.Key, []byte("123456")) {
		t.Fatal("terminal changed the password")
	}
}
