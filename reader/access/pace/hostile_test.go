package pace

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// answer builds a response APDU from a data field and a status word.
func answer(data []byte, sw uint16) []byte {
	return iso7816.Response{Data: data, SW: sw}.Bytes()
}

// hostile runs the terminal against an honest chip whose answer to command
// n (0 = MSE:Set AT, 1..4 = the General Authenticate steps) is replaced.
func hostile(t *testing.T, oid []int, param int, n int, replace func(honest []byte, l *link) []byte) error {
	t.Helper()
	can, _ := CAN("123456")
	chip, err := NewChip([]Offer{{OID: oid, ParamID: param}}, []Password{can}, nil)
	if err != nil {
		t.Fatal(err)
	}
	l := &link{chip: chip}
	l.tamper = func(i int, resp []byte) []byte {
		if i == n {
			return replace(resp, l)
		}
		return resp
	}
	res, err := Authenticate(context.Background(), l, oid, param, can, nil)
	if err == nil && res == nil {
		t.Fatal("nil result without error")
	}
	return err
}

func TestHostileECPoints(t *testing.T) {
	oid := paceOID(2, 2)
	for _, tc := range []struct {
		name string
		fix  func(pt []byte) []byte
		kind chiperr.Kind
	}{
		{"off curve", func(pt []byte) []byte { pt[len(pt)-1] ^= 1; return pt }, chiperr.Integrity},
		{"identity", func([]byte) []byte { return []byte{0} }, chiperr.Malformed},
		{"short", func(pt []byte) []byte { return pt[:len(pt)-1] }, chiperr.Malformed},
		{"long", func(pt []byte) []byte { return append(pt, 0) }, chiperr.Malformed},
		{"compressed", func(pt []byte) []byte { pt[0] = 2; return pt[:33] }, chiperr.Malformed},
		{"zero", func(pt []byte) []byte { return append([]byte{4}, make([]byte, 64)...) }, chiperr.Integrity},
		{"x = p", func(pt []byte) []byte {
			p := mustHex("A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377")
			copy(pt[1:33], p.Bytes())
			return pt
		}, chiperr.Integrity},
	} {
		for _, n := range []int{2, 3} {
			tag := byte(0x82)
			if n == 3 {
				tag = 0x84
			}
			err := hostile(t, oid, 13, n, func(honest []byte, _ *link) []byte {
				pt := append([]byte(nil), honest[4:len(honest)-2]...) // 7C 43 8x 41 <point> 90 00
				return answer(ber.Encode(0x7C, ber.Encode(uint32(tag), tc.fix(pt))), 0x9000)
			})
			if err == nil || !errors.Is(err, tc.kind) {
				t.Errorf("%s at step %d: %v, want %v", tc.name, n, err, tc.kind)
			}
		}
	}
}

func TestHostileDHElements(t *testing.T) {
	oid := paceOID(1, 2)
	p := dhGroups[0].p
	for _, tc := range []struct {
		name string
		y    []byte
		kind chiperr.Kind
	}{
		{"one", []byte{1}, chiperr.Integrity},
		{"p-1", new(big.Int).Sub(p, big.NewInt(1)).Bytes(), chiperr.Integrity},
		{"p", p.Bytes(), chiperr.Integrity},
		{"two (not in the subgroup)", []byte{2}, chiperr.Integrity},
		{"too long", make([]byte, 129), chiperr.Malformed},
		{"empty", nil, chiperr.Malformed},
	} {
		for _, n := range []int{2, 3} {
			tag := uint32(0x82 + 2*(n-2))
			err := hostile(t, oid, 0, n, func([]byte, *link) []byte {
				return answer(ber.Encode(0x7C, ber.Encode(tag, tc.y)), 0x9000)
			})
			if err == nil || !errors.Is(err, tc.kind) {
				t.Errorf("%s at step %d: %v, want %v", tc.name, n, err, tc.kind)
			}
		}
	}
}

// A chip that echoes the terminal's ephemeral key back is refused.
func TestHostileEchoedKey(t *testing.T) {
	for _, c := range []struct {
		oid   []int
		param int
	}{{paceOID(2, 2), 13}, {paceOID(1, 2), 0}} {
		err := hostile(t, c.oid, c.param, 3, func(_ []byte, l *link) []byte {
			d, err := parseDynAuth(l.trace[3][5:len(l.trace[3])-1], "test")
			if err != nil {
				t.Fatal(err)
			}
			return answer(ber.Encode(0x7C, ber.Encode(0x84, d[0x83])), 0x9000)
		})
		wantKind(t, err, chiperr.Integrity)
	}
}

func TestHostileToken(t *testing.T) {
	for _, oid := range [][]int{paceOID(2, 2), paceOID(2, 1), paceOID(4, 3)} {
		err := hostile(t, oid, 13, 4, func(honest []byte, _ *link) []byte {
			honest[4] ^= 0x80
			return honest
		})
		wantKind(t, err, chiperr.Integrity)
	}
	err := hostile(t, paceOID(2, 2), 13, 4, func(honest []byte, _ *link) []byte {
		return answer(ber.Encode(0x7C, ber.Encode(0x86, make([]byte, 7))), 0x9000)
	})
	wantKind(t, err, chiperr.Malformed)
}

func TestHostileStructure(t *testing.T) {
	oid := paceOID(2, 2)
	for _, tc := range []struct {
		name string
		n    int
		resp []byte
		kind chiperr.Kind
	}{
		{"no status word", 1, []byte{0x90}, chiperr.Malformed},
		{"garbage", 1, answer([]byte{0x01, 0x02, 0x03}, 0x9000), chiperr.Malformed},
		{"no nonce", 1, answer([]byte{0x7C, 0x00}, 0x9000), chiperr.Malformed},
		{"empty", 1, answer(nil, 0x9000), chiperr.Malformed},
		{"nonce not whole blocks", 1, answer(ber.Encode(0x7C, ber.Encode(0x80, make([]byte, 17))), 0x9000), chiperr.Malformed},
		{"nonce too long", 1, answer(ber.Encode(0x7C, ber.Encode(0x80, make([]byte, 80))), 0x9000), chiperr.Malformed},
		{"nonce twice", 1, answer(ber.Encode(0x7C, ber.Encode(0x80, make([]byte, 16)), ber.Encode(0x80, make([]byte, 16))), 0x9000), chiperr.Malformed},
		{"trailing bytes", 1, answer(append(ber.Encode(0x7C, ber.Encode(0x80, make([]byte, 16))), 0), 0x9000), chiperr.Malformed},
		{"wrong template", 1, answer(ber.Encode(0x7D, ber.Encode(0x80, make([]byte, 16))), 0x9000), chiperr.Malformed},
		{"length overflow", 2, answer([]byte{0x7C, 0x82, 0xFF, 0xFF, 0x82}, 0x9000), chiperr.Malformed},
		{"huge", 2, answer(make([]byte, 5000), 0x9000), chiperr.TooLarge},
		{"no mapping data", 2, answer([]byte{0x7C, 0x00}, 0x9000), chiperr.Malformed},
	} {
		err := hostile(t, oid, 13, tc.n, func([]byte, *link) []byte { return tc.resp })
		if err == nil || !errors.Is(err, tc.kind) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.kind)
		}
	}
}

func TestStatusWords(t *testing.T) {
	oid := paceOID(2, 2)
	for _, tc := range []struct {
		n    int
		sw   uint16
		kind chiperr.Kind
	}{
		{0, 0x6A80, chiperr.Unsupported},
		{0, 0x6A88, chiperr.Unsupported},
		{0, 0x6D00, chiperr.Unsupported},
		{0, 0x63C0, chiperr.AccessDenied},
		{0, 0x6983, chiperr.AccessDenied},
		{0, 0x6F00, chiperr.Status},
		{1, 0x6982, chiperr.AccessDenied},
		{1, 0x6A80, chiperr.Status},
		{2, 0x6983, chiperr.AccessDenied},
		{3, 0x6700, chiperr.Status},
		{4, 0x6300, chiperr.AccessDenied},
		{4, 0x63C2, chiperr.AccessDenied},
		{4, 0x6982, chiperr.AccessDenied},
		{4, 0x6A80, chiperr.AccessDenied},
		{4, 0x6F00, chiperr.Status},
	} {
		err := hostile(t, oid, 13, tc.n, func([]byte, *link) []byte { return answer(nil, tc.sw) })
		if err == nil || chiperr.KindOf(err) != tc.kind {
			t.Errorf("step %d SW %04X: %v, want %v", tc.n, tc.sw, err, tc.kind)
		}
		var se *iso7816.StatusError
		if !errors.As(err, &se) || se.SW != tc.sw {
			t.Errorf("step %d SW %04X: status word lost", tc.n, tc.sw)
		}
	}
	// A retry-counter warning on MSE:Set AT lets the protocol go on.
	if err := hostile(t, oid, 13, 0, func([]byte, *link) []byte { return answer(nil, 0x63C2) }); err != nil {
		t.Errorf("63C2 on MSE:Set AT: %v", err)
	}
}

func TestTerminalInputs(t *testing.T) {
	can, _ := CAN("123456")
	never := iso7816.TransmitFunc(func(context.Context, []byte) ([]byte, error) {
		t.Fatal("transmitted")
		return nil, nil
	})
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		oid   []int
		param int
		pw    Password
		kind  chiperr.Kind
	}{
		{"unknown OID", []int{1, 2, 3}, 13, can, chiperr.Unsupported},
		{"unknown curve", paceOID(2, 2), 11, can, chiperr.Unsupported},
		{"unknown DH group", paceOID(1, 2), 3, can, chiperr.Unsupported},
		{"no password kind", paceOID(2, 2), 13, Password{Key: []byte("1")}, chiperr.BadInput},
		{"empty password", paceOID(2, 2), 13, Password{Kind: RefCAN}, chiperr.BadInput},
	} {
		_, err := Authenticate(ctx, never, tc.oid, tc.param, tc.pw, nil)
		if err == nil || chiperr.KindOf(err) != tc.kind {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err := Authenticate(cctx, never, paceOID(2, 2), 13, can, nil)
	wantKind(t, err, chiperr.Canceled)
	dctx, cancel2 := context.WithTimeout(ctx, -time.Second)
	defer cancel2()
	_, err = Authenticate(dctx, never, paceOID(2, 2), 13, can, nil)
	wantKind(t, err, chiperr.Timeout)

	broken := iso7816.TransmitFunc(func(context.Context, []byte) ([]byte, error) { return nil, errors.New("usb unplugged") })
	_, err = Authenticate(ctx, broken, paceOID(2, 2), 13, can, nil)
	wantKind(t, err, chiperr.Transport)
	removed := iso7816.TransmitFunc(func(context.Context, []byte) ([]byte, error) {
		return nil, chiperr.New(chiperr.CardRemoved, "pcsc", "")
	})
	_, err = Authenticate(ctx, removed, paceOID(2, 2), 13, can, nil)
	wantKind(t, err, chiperr.CardRemoved)

	// Cancelled in the middle of the run (after the nonce).
	mctx, cancel3 := context.WithCancel(ctx)
	chip, _ := NewChip([]Offer{{OID: paceOID(2, 2), ParamID: 13}}, []Password{can}, nil)
	l := &link{chip: chip, tamper: func(n int, resp []byte) []byte {
		if n == 1 {
			cancel3()
		}
		return resp
	}}
	_, err = Authenticate(mctx, l, paceOID(2, 2), 13, can, nil)
	wantKind(t, err, chiperr.Canceled)
	if len(l.trace) != 2 {
		t.Errorf("%d APDUs after cancellation", len(l.trace))
	}

	// A random source that runs dry.
	_, err = Authenticate(ctx, &link{chip: chip}, paceOID(2, 2), 13, can, bytes.NewReader(nil))
	if err == nil {
		t.Error("empty random source accepted")
	}
}
