package iso7816

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// exchange is one expected command and the card's answer to it.
type exchange struct {
	cmd  []byte
	resp []byte
}

// scripted is a card that expects an exact sequence of APDUs.
type scripted struct {
	t    *testing.T
	want []exchange
	n    int
}

func (s *scripted) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	s.t.Helper()
	if s.n >= len(s.want) {
		s.t.Fatalf("unexpected APDU #%d: % X", s.n+1, clip(apdu))
	}
	ex := s.want[s.n]
	s.n++
	if !bytes.Equal(apdu, ex.cmd) {
		s.t.Fatalf("APDU #%d = % X\nwant      % X", s.n, clip(apdu), clip(ex.cmd))
	}
	return append([]byte(nil), ex.resp...), nil
}

func (s *scripted) done() {
	s.t.Helper()
	if s.n != len(s.want) {
		s.t.Errorf("%d APDUs sent, want %d", s.n, len(s.want))
	}
}

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// GET RESPONSE is 00 C0 00 00 Le (ISO/IEC 7816-4, GET RESPONSE), with Le
// taken from SW2 of 61XX (00 meaning 256).
func TestResponseChaining61XX(t *testing.T) {
	a, b, c, d := seq(100), seq(32), seq(256), seq(5)
	card := &scripted{t: t, want: []exchange{
		{testhex.Bytes(t, "00B00000 00"), cat(a, []byte{0x61, 0x20})},
		{testhex.Bytes(t, "00C00000 20"), cat(b, []byte{0x61, 0x00})},
		{testhex.Bytes(t, "00C00000 00"), cat(c, []byte{0x61, 0x05})},
		{testhex.Bytes(t, "00C00000 05"), cat(d, []byte{0x62, 0x82})},
	}}
	got, err := WithResponseHandling(card).Transmit(context.Background(), testhex.Bytes(t, "00B00000 00"))
	if err != nil {
		t.Fatal(err)
	}
	card.done()
	if want := cat(a, b, c, d, []byte{0x62, 0x82}); !bytes.Equal(got, want) {
		t.Errorf("got %d bytes ending % X, want %d bytes with the last status 6282", len(got), got[len(got)-2:], len(want))
	}
}

// The GET RESPONSE of a protected command goes in clear (CLA without the SM
// bits): the whole protected answer is reassembled before it is unwrapped.
func TestResponseChainingClearsSMBits(t *testing.T) {
	card := &scripted{t: t, want: []exchange{
		{testhex.Bytes(t, "0CB00000 0D 970100 8E08 0102030405060708 00"), []byte{0x87, 0x61, 0x03}},
		{testhex.Bytes(t, "00C00000 03"), []byte{0x01, 0x02, 0x03, 0x90, 0x00}},
	}}
	got, err := WithResponseHandling(card).Transmit(context.Background(),
		testhex.Bytes(t, "0CB00000 0D 970100 8E08 0102030405060708 00"))
	if err != nil {
		t.Fatal(err)
	}
	card.done()
	if !bytes.Equal(got, []byte{0x87, 0x01, 0x02, 0x03, 0x90, 0x00}) {
		t.Errorf("got % X", got)
	}
}

// A card that announces more data forever is cut off after maxGetResponse
// rounds with an error, instead of keeping the reader (and its memory).
func TestResponseChainingBounded(t *testing.T) {
	n := 0
	card := TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) {
		n++
		if n > 10*maxGetResponse {
			t.Fatal("no bound on GET RESPONSE rounds")
		}
		return []byte{0xAA, 0x61, 0x01}, nil
	})
	got, err := WithResponseHandling(card).Transmit(context.Background(), testhex.Bytes(t, "00B00000 00"))
	if err == nil {
		t.Fatalf("endless 61XX accepted (%d bytes)", len(got))
	}
	var se *StatusError
	if !errors.As(err, &se) || se.SW != 0x6101 {
		t.Errorf("err = %v, want the 61XX status", err)
	}
	if n != 1+maxGetResponse {
		t.Errorf("%d APDUs sent, want %d", n, 1+maxGetResponse)
	}
}

// 6CXX: resend the same command with Le = XX (ISO/IEC 7816-4 status words,
// Table 6, "wrong Le field; SW2 encodes the exact number of available bytes").
func TestResend6CXX(t *testing.T) {
	for _, tc := range []struct {
		name         string
		cmd, again   string
		sw2          byte
		answer, want []byte
	}{
		{"case 2 short", "00B00000 00", "00B00000 10", 0x10, cat(seq(16), []byte{0x90, 0x00}), nil},
		{"6C00 means 256", "00B00000 10", "00B00000 00", 0x00, cat(seq(256), []byte{0x90, 0x00}), nil},
		{"case 4 short", "00880000 08 0102030405060708 00", "00880000 08 0102030405060708 40", 0x40, cat(seq(64), []byte{0x90, 0x00}), nil},
		{"case 2 extended keeps its form", "00B00000 000000", "00B00000 000020", 0x20, cat(seq(32), []byte{0x90, 0x00}), nil},
		{"an error after the resend is kept", "00B00000 00", "00B00000 08", 0x08, []byte{0x6A, 0x82}, nil},
		{"61XX after the resend is chained", "00B00000 00", "00B00000 04", 0x04, []byte{1, 2, 0x61, 0x02}, cat([]byte{1, 2, 3, 4, 0x90, 0x00})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ex := []exchange{
				{testhex.Bytes(t, tc.cmd), []byte{0x6C, tc.sw2}},
				{testhex.Bytes(t, tc.again), tc.answer},
			}
			want := tc.answer
			if tc.want != nil {
				ex = append(ex, exchange{testhex.Bytes(t, "00C00000 02"), []byte{3, 4, 0x90, 0x00}})
				want = tc.want
			}
			card := &scripted{t: t, want: ex}
			got, err := WithResponseHandling(card).Transmit(context.Background(), testhex.Bytes(t, tc.cmd))
			if err != nil {
				t.Fatal(err)
			}
			card.done()
			if !bytes.Equal(got, want) {
				t.Errorf("got % X, want % X", clip(got), clip(want))
			}
		})
	}
}

// A second 6CXX is not resent again (one retry only, so the exchange ends).
func TestResend6CXXOnce(t *testing.T) {
	card := &scripted{t: t, want: []exchange{
		{testhex.Bytes(t, "00B00000 00"), []byte{0x6C, 0x10}},
		{testhex.Bytes(t, "00B00000 10"), []byte{0x6C, 0x08}},
	}}
	got, err := WithResponseHandling(card).Transmit(context.Background(), testhex.Bytes(t, "00B00000 00"))
	if err != nil || !bytes.Equal(got, []byte{0x6C, 0x08}) {
		t.Fatalf("got % X, %v", got, err)
	}
	card.done()
}

// A 6CXX answer to a command that does not parse is passed up unchanged.
func TestResend6CXXUnparsable(t *testing.T) {
	card := &scripted{t: t, want: []exchange{{testhex.Bytes(t, "00B00000 02 AA"), []byte{0x6C, 0x10}}}}
	got, err := WithResponseHandling(card).Transmit(context.Background(), testhex.Bytes(t, "00B00000 02 AA"))
	if err != nil || !bytes.Equal(got, []byte{0x6C, 0x10}) {
		t.Fatalf("got % X, %v", got, err)
	}
}

func TestResponseHandlingPassThrough(t *testing.T) {
	for _, resp := range [][]byte{{0x90, 0x00}, {1, 2, 3, 0x90, 0x00}, {0x6A, 0x82}, {0x62, 0x82}} {
		card := &scripted{t: t, want: []exchange{{testhex.Bytes(t, "00B00000 00"), resp}}}
		got, err := WithResponseHandling(card).Transmit(context.Background(), testhex.Bytes(t, "00B00000 00"))
		if err != nil || !bytes.Equal(got, resp) {
			t.Errorf("got % X, %v; want % X", got, err, resp)
		}
	}
}

func TestResponseHandlingErrors(t *testing.T) {
	removed := chiperr.New(chiperr.CardRemoved, "test", "")
	for _, tc := range []struct {
		name  string
		resps [][]byte
		errAt int // the exchange that fails at the transport, -1 for none
		kind  chiperr.Kind
	}{
		{"transport error", nil, 0, chiperr.CardRemoved},
		{"transport error on GET RESPONSE", [][]byte{{0x61, 0x10}}, 1, chiperr.CardRemoved},
		{"transport error on the resend", [][]byte{{0x6C, 0x10}}, 1, chiperr.CardRemoved},
		{"1-byte response", [][]byte{{0x90}}, -1, chiperr.Malformed},
		{"empty response to GET RESPONSE", [][]byte{{0x61, 0x10}, {}}, -1, chiperr.Malformed},
		{"1-byte response to the resend", [][]byte{{0x6C, 0x10}, {0x61}}, -1, chiperr.Malformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			card := TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) {
				defer func() { n++ }()
				if n == tc.errAt {
					return nil, removed
				}
				if n >= len(tc.resps) {
					t.Fatalf("unexpected APDU #%d", n+1)
				}
				return tc.resps[n], nil
			})
			got, err := WithResponseHandling(card).Transmit(context.Background(), testhex.Bytes(t, "00B00000 00"))
			if !errors.Is(err, tc.kind) {
				t.Errorf("got % X, %v; want kind %d", got, err, tc.kind)
			}
		})
	}
}

// BUG: a 61XX answer to an empty command APDU makes WithResponseHandling
// index apdu[0] and panic. No input, from the caller or the card, may panic.
func TestResponseHandlingEmptyCommandNoPanic(t *testing.T) {
	card := TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) {
		if len(apdu) == 0 {
			return []byte{0x61, 0x02}, nil
		}
		return []byte{1, 2, 0x90, 0x00}, nil
	})
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panic: %v", r)
		}
	}()
	_, _ = WithResponseHandling(card).Transmit(context.Background(), nil)
}
