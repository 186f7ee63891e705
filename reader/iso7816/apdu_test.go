package iso7816

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// seq returns n bytes 01 02 03 ... (wrapping), easy to recognise in a dump.
func seq(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i + 1)
	}
	return b
}

// encodingCases are the four cases of ISO/IEC 7816-4 (command-response
// pairs: the short and extended Lc and Le fields), at the bounds:
// Lc 1/255/256/65535 and Ne 1/256/257/65536, where Ne 256 is Le 00 and
// Ne 65536 is Le 0000 (or 000000 in case 2E). Expected bytes worked out by
// hand from that table.
var encodingCases = []struct {
	name string
	cmd  Command
	head string // expected encoding up to the data field
	lc   int    // data length (the data is seq(lc))
	tail string // expected encoding after the data field
}{
	{"1", Command{CLA: 0x00, INS: 0xA4, P1: 0x04, P2: 0x0C}, "00A4040C", 0, ""},
	{"2S Ne=1", Command{INS: 0xB0, Ne: 1}, "00B00000 01", 0, ""},
	{"2S Ne=255", Command{INS: 0xB0, Ne: 255}, "00B00000 FF", 0, ""},
	{"2S Ne=256", Command{INS: 0xB0, Ne: 256}, "00B00000 00", 0, ""},
	{"2E Ne=257", Command{INS: 0xB0, Ne: 257}, "00B00000 000101", 0, ""},
	{"2E Ne=65535", Command{INS: 0xB0, Ne: 65535}, "00B00000 00FFFF", 0, ""},
	{"2E Ne=65536", Command{INS: 0xB0, Ne: 65536}, "00B00000 000000", 0, ""},
	{"2E forced Ne=1", Command{INS: 0xB0, Ne: 1, Extended: true}, "00B00000 000001", 0, ""},
	{"2E forced Ne=256", Command{INS: 0xB0, Ne: 256, Extended: true}, "00B00000 000100", 0, ""},
	{"3S Lc=1", Command{INS: 0xA4, P1: 0x02, P2: 0x0C}, "00A4020C 01", 1, ""},
	{"3S Lc=255", Command{INS: 0xD6}, "00D60000 FF", 255, ""},
	{"3E Lc=256", Command{INS: 0xD6}, "00D60000 000100", 256, ""},
	{"3E Lc=65535", Command{INS: 0xD6}, "00D60000 00FFFF", 65535, ""},
	{"3E forced Lc=1", Command{INS: 0xD6, Extended: true}, "00D60000 000001", 1, ""},
	{"4S Lc=1 Ne=1", Command{INS: 0x88, Ne: 1}, "00880000 01", 1, "01"},
	{"4S Lc=1 Ne=256", Command{INS: 0x88, Ne: 256}, "00880000 01", 1, "00"},
	{"4S Lc=255 Ne=256", Command{INS: 0x88, Ne: 256}, "00880000 FF", 255, "00"},
	{"4E Lc=1 Ne=257", Command{INS: 0x88, Ne: 257}, "00880000 000001", 1, "0101"},
	{"4E Lc=1 Ne=65536", Command{INS: 0x88, Ne: 65536}, "00880000 000001", 1, "0000"},
	{"4E Lc=256 Ne=1", Command{INS: 0x88, Ne: 1}, "00880000 000100", 256, "0001"},
	{"4E Lc=256 Ne=256", Command{INS: 0x88, Ne: 256}, "00880000 000100", 256, "0100"},
	{"4E Lc=65535 Ne=65536", Command{INS: 0x88, Ne: 65536}, "00880000 00FFFF", 65535, "0000"},
	{"4E forced Lc=8 Ne=8", Command{CLA: 0x0C, INS: 0x88, Ne: 8, Extended: true}, "0C880000 000008", 8, "0008"},
}

func TestCommandBytes(t *testing.T) {
	for _, tc := range encodingCases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := tc.cmd
			if tc.lc > 0 {
				cmd.Data = seq(tc.lc)
			}
			got, err := cmd.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			want := append(append(testhex.Bytes(t, tc.head), seq(tc.lc)...), testhex.Bytes(t, tc.tail)...)
			if !bytes.Equal(got, want) {
				t.Fatalf("Bytes() = % X\nwant      % X", clip(got), clip(want))
			}
		})
	}
}

// TestParseCommandRoundTrip parses every encoding back: same fields, and
// re-encoding the parsed command gives the same bytes.
func TestParseCommandRoundTrip(t *testing.T) {
	for _, tc := range encodingCases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := tc.cmd
			if tc.lc > 0 {
				cmd.Data = seq(tc.lc)
			}
			b, err := cmd.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseCommand(b)
			if err != nil {
				t.Fatalf("ParseCommand(% X): %v", clip(b), err)
			}
			if got.CLA != cmd.CLA || got.INS != cmd.INS || got.P1 != cmd.P1 || got.P2 != cmd.P2 ||
				got.Ne != cmd.Ne || !bytes.Equal(got.Data, cmd.Data) || got.IsExtended() != cmd.IsExtended() {
				t.Fatalf("parsed %v ext=%v, want %v ext=%v", got, got.IsExtended(), cmd, cmd.IsExtended())
			}
			again, err := got.Bytes()
			if err != nil || !bytes.Equal(again, b) {
				t.Fatalf("re-encoded % X, want % X (%v)", clip(again), clip(b), err)
			}
		})
	}
}

func clip(b []byte) []byte {
	if len(b) > 24 {
		return b[:24]
	}
	return b
}

func TestCommandBytesOutOfRange(t *testing.T) {
	for _, cmd := range []Command{
		{INS: 0xD6, Data: make([]byte, 65536)},
		{INS: 0xB0, Ne: 65537},
		{INS: 0xB0, Ne: -1},
	} {
		b, err := cmd.Bytes()
		if b != nil || !errors.Is(err, chiperr.TooLarge) {
			t.Errorf("%v: got % X, %v; want a TooLarge error", cmd, b, err)
		}
	}
}

func TestParseCommandMalformed(t *testing.T) {
	for _, tc := range []struct{ name, apdu string }{
		{"empty", ""},
		{"1 byte", "00"},
		{"3 bytes", "00A404"},
		{"short Lc above body", "00A4020C 02 3F"},
		{"short Lc below body", "00A4020C 01 3F 00 00 00"},
		{"short Lc 255 with 254 bytes", "00D60000 FF" + strings.Repeat("AA", 254)},
		{"extended, 2 bytes", "00B00000 0001"},
		{"extended Lc zero", "00D60000 000000 00"},
		{"extended Lc zero with Le", "00D60000 000000 0000"},
		{"extended Lc above body", "00D60000 000002 AA"},
		{"extended Lc with a one-byte Le", "00880000 000001 AA 00"},
		{"extended Lc with a three-byte Le", "00880000 000001 AA 000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseCommand(testhex.Bytes(t, tc.apdu))
			var ce *chiperr.Error
			if !errors.As(err, &ce) || ce.Kind != chiperr.WrongLength {
				t.Fatalf("got %v, %v; want a WrongLength chip error", c, err)
			}
		})
	}
}

func TestParseResponse(t *testing.T) {
	r, err := ParseResponse([]byte{0x90, 0x00})
	if err != nil || len(r.Data) != 0 || r.SW != SWOK || !r.OK() || r.Err() != nil {
		t.Fatalf("9000: %+v, %v", r, err)
	}
	r, err = ParseResponse([]byte{0x01, 0x02, 0x03, 0x61, 0x10})
	if err != nil || !bytes.Equal(r.Data, []byte{1, 2, 3}) || r.SW != 0x6110 || r.SW1() != 0x61 || r.SW2() != 0x10 {
		t.Fatalf("data+6110: %+v, %v", r, err)
	}
	if r.OK() {
		t.Error("6110 is not OK")
	}
	if !bytes.Equal(r.Bytes(), []byte{0x01, 0x02, 0x03, 0x61, 0x10}) {
		t.Errorf("Bytes() = % X", r.Bytes())
	}
	var se *StatusError
	if !errors.As(r.Err(), &se) || se.SW != 0x6110 {
		t.Errorf("Err() = %v", r.Err())
	}
	for _, b := range [][]byte{nil, {}, {0x90}} {
		if _, err := ParseResponse(b); !errors.Is(err, chiperr.Malformed) {
			t.Errorf("ParseResponse(% X) = %v, want Malformed", b, err)
		}
	}
}

// TestResponseBytesCopies checks that Bytes does not write into the data
// slice's spare capacity (the caller may still own it).
func TestResponseBytesCopies(t *testing.T) {
	buf := make([]byte, 3, 10)
	r := Response{Data: buf, SW: 0x9000}
	_ = r.Bytes()
	if got := buf[:5]; got[3] != 0 || got[4] != 0 {
		t.Errorf("Bytes wrote into the caller's buffer: % X", got)
	}
}

func TestDo(t *testing.T) {
	var sent []byte
	card := TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) {
		sent = apdu
		return []byte{0x6A, 0x82}, nil
	})
	cmd := Command{INS: 0xA4, P1: 0x02, P2: 0x0C, Data: []byte{0x01, 0x1E}}
	r, err := Do(context.Background(), card, cmd)
	if err != nil || r.SW != SWFileNotFound {
		t.Fatalf("Do: %+v, %v (Do must not turn a status into an error)", r, err)
	}
	if !bytes.Equal(sent, testhex.Bytes(t, "00A4020C 02 011E")) {
		t.Errorf("sent % X", sent)
	}
	if _, err := DoOK(context.Background(), card, cmd); !errors.Is(err, chiperr.FileNotFound) {
		t.Errorf("DoOK: %v, want FileNotFound", err)
	}

	sent = nil
	if _, err := Do(context.Background(), card, Command{Ne: 70000}); !errors.Is(err, chiperr.TooLarge) || sent != nil {
		t.Errorf("an unencodable command must fail before sending: %v, sent % X", err, sent)
	}

	broken := TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) {
		return nil, chiperr.New(chiperr.CardRemoved, "test", "")
	})
	if _, err := DoOK(context.Background(), broken, cmd); !errors.Is(err, chiperr.CardRemoved) {
		t.Errorf("transport error lost: %v", err)
	}
	short := TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) { return []byte{0x90}, nil })
	if _, err := DoOK(context.Background(), short, cmd); !errors.Is(err, chiperr.Malformed) {
		t.Errorf("1-byte response: %v, want Malformed", err)
	}
	ok := TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) { return []byte{0xAB, 0x90, 0x00}, nil })
	if data, err := DoOK(context.Background(), ok, cmd); err != nil || !bytes.Equal(data, []byte{0xAB}) {
		t.Errorf("DoOK = % X, %v", data, err)
	}
}
