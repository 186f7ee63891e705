package pace

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// FuzzParseDynAuth: the parser of General Authenticate data (chip
// responses on the terminal side, terminal commands on the chip side).
func FuzzParseDynAuth(f *testing.F) {
	for _, s := range g1Trace() {
		r := testhex.MustBytes(s.resp)
		f.Add(r[:len(r)-2])
	}
	f.Add([]byte{0x7C, 0x00})
	f.Add([]byte{0x7C, 0x82, 0x01, 0x04, 0x84, 0x82, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := parseDynAuth(b, "fuzz")
		if err == nil {
			for tag, v := range d {
				if len(v) > len(b) || tag == 0 {
					t.Fatalf("tag %X of %d bytes from %d", tag, len(v), len(b))
				}
			}
			_, _ = d.need(tagNonce, 8, maxNonce, "fuzz")
		}
	})
}

// FuzzParseSetAT: the chip's parser of MSE:Set AT data.
func FuzzParseSetAT(f *testing.F) {
	f.Add(testhex.MustBytes("800A04007F00070202040202830101"))
	f.Add(testhex.MustBytes("800A04007F0007020204020283010284010D"))
	f.Add(testhex.MustBytes("7F4C0E060904007F000703010202530500000000108301FF"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseSetAT(b)
		if err == nil && (s.oid == nil || (s.hasParam && (s.paramID < 0 || s.paramID > 255))) {
			t.Fatalf("accepted %+v", s)
		}
	})
}

// FuzzChip feeds the chip a sequence of commands, each preceded by its
// length byte, starting from a state where MSE:Set AT has been accepted.
func FuzzChip(f *testing.F) {
	var seed []byte
	for _, s := range g1Trace()[1:] {
		c := testhex.MustBytes(s.cmd)
		seed = append(append(seed, byte(len(c))), c...)
	}
	f.Add(seed)
	f.Add([]byte{8, 0x10, 0x86, 0, 0, 2, 0x7C, 0, 0, 5, 0x10, 0x86, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		can, _ := CAN("123456")
		mrz := MRZ(mrzInfo("T22000129", "640812", "101031"))
		chip, err := NewChip([]Offer{{OID: paceOID(2, 2), ParamID: 13}, {OID: paceOID(4, 1), ParamID: 12}, {OID: paceOID(1, 2), ParamID: 0}},
			[]Password{can, mrz}, rand.NewChaCha8([32]byte{1}))
		if err != nil {
			t.Fatal(err)
		}
		set, _ := SetATCommand(paceOID(2, 2), RefMRZ, 13)
		if r, _ := chip.Handle(set); r.SW != iso7816.SWOK {
			t.Fatalf("MSE %04X", r.SW)
		}
		for len(b) > 0 {
			n := int(b[0])
			b = b[1:]
			if n > len(b) {
				n = len(b)
			}
			cmd, err := iso7816.ParseCommand(b[:n])
			b = b[n:]
			if err != nil {
				continue
			}
			resp, _ := chip.Handle(cmd)
			if len(resp.Data) > maxResponse {
				t.Fatalf("response of %d bytes", len(resp.Data))
			}
		}
	})
}

// FuzzTerminal replaces the answer of an honest chip at one step with
// fuzzed bytes; the terminal must fail cleanly (or succeed) without panic.
func FuzzTerminal(f *testing.F) {
	f.Add(byte(2), byte(0), testhex.MustBytes("7C438241"+g1.mapCPub[2:]+"9000"))
	f.Add(byte(3), byte(1), testhex.MustBytes("7C0080109000"))
	f.Add(byte(1), byte(2), testhex.MustBytes("7C128010"+g2.z+"9000"))
	f.Add(byte(4), byte(0), testhex.MustBytes("7C0A8608"+g1.tIC+"9000"))
	f.Fuzz(func(t *testing.T, n, proto byte, resp []byte) {
		cfgs := []struct {
			oid   []int
			param int
		}{{paceOID(2, 2), 13}, {paceOID(4, 1), 12}, {paceOID(1, 2), 0}, {paceOID(3, 4), 0}, {paceOID(6, 3), 13}}
		cfg := cfgs[int(proto)%len(cfgs)]
		can, _ := CAN("123456")
		chip, err := NewChip([]Offer{{OID: cfg.oid, ParamID: cfg.param, CAMKey: []byte{7}}}, []Password{can}, rand.NewChaCha8([32]byte{2}))
		if err != nil {
			t.Fatal(err)
		}
		l := &link{chip: chip, tamper: func(i int, honest []byte) []byte {
			if i == int(n%5) {
				return resp
			}
			return honest
		}}
		res, err := Authenticate(context.Background(), l, cfg.oid, cfg.param, can, rand.NewChaCha8([32]byte{3}))
		if (err == nil) == (res == nil) {
			t.Fatalf("result %v with error %v", res, err)
		}
	})
}
