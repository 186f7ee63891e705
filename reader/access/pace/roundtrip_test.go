package pace

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
)

// runPair runs the terminal against a fresh Chip and checks that both ends
// agree on the keys and the ephemeral public keys.
func runPair(t *testing.T, oid []int, paramID int, chipPW []Password, pw Password) {
	t.Helper()
	chip, err := NewChip([]Offer{{OID: oid, ParamID: paramID}}, chipPW, nil)
	if err != nil {
		t.Fatal(err)
	}
	l := &link{chip: chip}
	res, err := Authenticate(context.Background(), l, oid, paramID, pw, nil)
	if err != nil {
		t.Fatal(err)
	}
	if l.sess == nil {
		t.Fatal("chip has no session")
	}
	sameKeys(t, res.Session, l.sess)
	if !bytes.Equal(res.ChipEphemeralPublic, chip.EphemeralPublic()) ||
		!bytes.Equal(res.TerminalEphemeralPublic, chip.TerminalEphemeralPublic()) {
		t.Fatal("ephemeral keys differ")
	}
	if chip.PasswordUsed() != pw.Kind {
		t.Fatalf("chip used %v", chip.PasswordUsed())
	}
}

func testPasswords(t *testing.T) (can, mrz Password, both []Password) {
	can, err := CAN("123456")
	if err != nil {
		t.Fatal(err)
	}
	mrz = MRZ(mrzInfo("T22000129", "640812", "101031"))
	return can, mrz, []Password{can, mrz}
}

// TestRoundTripEC covers every curve of reader/ecc with every cipher, both
// ECDH mappings and both passwords.
func TestRoundTripEC(t *testing.T) {
	can, mrz, both := testPasswords(t)
	for _, c := range ecc.All() {
		for _, mapping := range []int{2, 4} { // ECDH-GM, ECDH-IM
			for cipher := 1; cipher <= 4; cipher++ {
				oid := paceOID(mapping, cipher)
				p, _ := ProtocolByOID(oid)
				for _, pw := range []Password{can, mrz} {
					t.Run(fmt.Sprintf("%s/%s/%v", c.Name, p.Name, pw.Kind), func(t *testing.T) {
						runPair(t, oid, c.ParamID, both, pw)
					})
				}
			}
		}
	}
}

// TestRoundTripDH covers the three RFC 5114 groups with every cipher and
// both DH mappings.
func TestRoundTripDH(t *testing.T) {
	can, mrz, both := testPasswords(t)
	for id := 0; id <= 2; id++ {
		for _, mapping := range []int{1, 3} { // DH-GM, DH-IM
			for cipher := 1; cipher <= 4; cipher++ {
				oid := paceOID(mapping, cipher)
				pw := can
				if cipher%2 == 0 {
					pw = mrz
				}
				t.Run(fmt.Sprintf("group%d/%d/%d", id, mapping, cipher), func(t *testing.T) {
					runPair(t, oid, id, both, pw)
				})
			}
		}
	}
}

// TestWrongPassword: the chip refuses the terminal's token with 6300, and
// the terminal reports AccessDenied.
func TestWrongPassword(t *testing.T) {
	can, _, _ := testPasswords(t)
	wrong, _ := CAN("654321")
	for _, oid := range [][]int{paceOID(2, 2), paceOID(4, 4), paceOID(1, 2), paceOID(2, 1)} {
		param := 13
		if oid[9] == 1 {
			param = 0
		}
		chip, _ := NewChip([]Offer{{OID: oid, ParamID: param}}, []Password{can}, nil)
		l := &link{chip: chip}
		_, err := Authenticate(context.Background(), l, oid, param, wrong, nil)
		wantKind(t, err, chiperr.AccessDenied)
		if l.sess != nil {
			t.Fatal("chip opened a session")
		}
	}
	// A password kind the chip does not have: 6A88, Unsupported.
	chip, _ := NewChip([]Offer{{OID: paceOID(2, 2), ParamID: 13}}, []Password{can}, nil)
	_, err := Authenticate(context.Background(), &link{chip: chip}, paceOID(2, 2), 13, MRZ("x"), nil)
	wantKind(t, err, chiperr.Unsupported)
}

func TestPasswordInput(t *testing.T) {
	for _, ok := range []string{"123456", "0000000000", "987654321"} {
		if p, err := CAN(ok); err != nil || p.Kind != RefCAN || string(p.Key) != ok {
			t.Errorf("CAN(%q) = %v, %v", ok, p, err)
		}
	}
	for _, bad := range []string{"", "12345", "12345678901", "12345a", "123 456", "１２３４５６"} {
		_, err := CAN(bad)
		wantKind(t, err, chiperr.BadInput)
	}
	p, _ := CAN("123456")
	k := p.Key
	p.Wipe()
	if p.Key != nil || !bytes.Equal(k, make([]byte, 6)) {
		t.Fatal("Wipe left the key")
	}
}

func TestProtocolTable(t *testing.T) {
	if n := len(Protocols()); n != 19 {
		t.Fatalf("%d protocols, want 19", n)
	}
	for _, c := range []struct {
		oid  string
		name string
		m    Mapping
		a    Agreement
		key  int
		sup  bool
	}{
		{"0.4.0.127.0.7.2.2.4.1.1", "id-PACE-DH-GM-3DES-CBC-CBC", GM, DH, 16, true},
		{"0.4.0.127.0.7.2.2.4.2.4", "id-PACE-ECDH-GM-AES-CBC-CMAC-256", GM, ECDH, 32, true},
		{"0.4.0.127.0.7.2.2.4.3.3", "id-PACE-DH-IM-AES-CBC-CMAC-192", IM, DH, 24, true},
		{"0.4.0.127.0.7.2.2.4.4.2", "id-PACE-ECDH-IM-AES-CBC-CMAC-128", IM, ECDH, 16, true},
		{"0.4.0.127.0.7.2.2.4.6.2", "id-PACE-ECDH-CAM-AES-CBC-CMAC-128", CAM, ECDH, 16, true},
	} {
		var found bool
		for _, p := range Protocols() {
			if p.OID.String() == c.oid {
				found = true
				q, ok := ProtocolByOID(p.OID)
				if !ok || q.Name != c.name || q.Mapping != c.m || q.Agreement != c.a || q.KeyBytes != c.key || q.Supported() != c.sup {
					t.Errorf("%s: %+v", c.oid, q)
				}
			}
		}
		if !found {
			t.Errorf("%s missing", c.oid)
		}
	}
	if _, ok := ProtocolByOID(paceOID(6, 1)); ok {
		t.Error("CAM with 3DES does not exist")
	}
	if _, ok := ProtocolByOID(paceOID(9, 9)); ok {
		t.Error("unknown OID accepted")
	}
}
