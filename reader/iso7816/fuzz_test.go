package iso7816

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

func addEncodingSeeds(f *testing.F) {
	for _, tc := range encodingCases {
		if tc.lc > 300 {
			continue // keep the corpus small
		}
		cmd := tc.cmd
		if tc.lc > 0 {
			cmd.Data = seq(tc.lc)
		}
		b, err := cmd.Bytes()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{"", "00", "00A404", "00A4020C02 3F", "00B00000 0001", "00D60000 000000 00", "00880000 000001 AA 00"} {
		f.Add(testhex.Bytes(f, s))
	}
}

// FuzzParseCommand: the card's APDU parser never panics, fails only with a
// WrongLength chip error, and what it accepts re-encodes to the same bytes
// and parses back to the same command.
func FuzzParseCommand(f *testing.F) {
	addEncodingSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCommand(b)
		if err != nil {
			var ce *chiperr.Error
			if !errors.As(err, &ce) || ce.Kind != chiperr.WrongLength {
				t.Fatalf("error %v is not a WrongLength chip error", err)
			}
			return
		}
		if len(c.Data) > MaxExtendedLc || c.Ne < 0 || c.Ne > MaxExtendedNe {
			t.Fatalf("out of range: %v", c)
		}
		enc, err := c.Bytes()
		if err != nil {
			t.Fatalf("parsed %v does not encode: %v", c, err)
		}
		if !bytes.Equal(enc, b) {
			t.Fatalf("re-encoded % X, input % X", clip(enc), clip(b))
		}
		c2, err := ParseCommand(enc)
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if c2.CLA != c.CLA || c2.INS != c.INS || c2.P1 != c.P1 || c2.P2 != c.P2 ||
			c2.Ne != c.Ne || !bytes.Equal(c2.Data, c.Data) || c2.IsExtended() != c.IsExtended() {
			t.Fatalf("round trip changed %v into %v", c, c2)
		}
	})
}

// FuzzParseResponse: never panics, Malformed below two bytes, else an exact
// split that Bytes reverses.
func FuzzParseResponse(f *testing.F) {
	for _, s := range []string{"", "90", "9000", "6A82", "010203 6110", "6CFF"} {
		f.Add(testhex.Bytes(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseResponse(b)
		if len(b) < 2 {
			if !errors.Is(err, chiperr.Malformed) {
				t.Fatalf("% X: %v, want Malformed", b, err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r.Bytes(), b) {
			t.Fatalf("Bytes() = % X, input % X", r.Bytes(), b)
		}
		if (r.Err() == nil) != (r.SW == SWOK) {
			t.Fatalf("Err() = %v for %04X", r.Err(), r.SW)
		}
		if r.Err() != nil && chiperr.KindOf(r.Err()) == 0 {
			t.Fatalf("status %04X has no kind", r.SW)
		}
	})
}

// FuzzResponseHandling plays a hostile card: the input is the sequence of
// its answers (each prefixed by one length byte). Whatever it sends, the
// handler ends without panicking, after a bounded number of exchanges, and
// returns either an error or a response with a status word.
func FuzzResponseHandling(f *testing.F) {
	f.Add([]byte{2, 0x61, 0x10, 5, 1, 2, 3, 0x61, 0x01, 3, 4, 0x90, 0x00})
	f.Add([]byte{2, 0x6C, 0x10, 4, 1, 2, 0x61, 0x02})
	f.Add([]byte{1, 0x61})
	f.Add([]byte{3, 0xAA, 0x61, 0x00})
	f.Fuzz(func(t *testing.T, script []byte) {
		var answers [][]byte
		for len(script) > 0 {
			n := min(int(script[0]), len(script)-1)
			answers = append(answers, script[1:1+n])
			script = script[1+n:]
		}
		sent := 0
		card := TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) {
			sent++
			if sent > 2+maxGetResponse {
				t.Fatalf("%d exchanges", sent)
			}
			if len(answers) == 0 {
				return []byte{0x61, 0x01}, nil // then it never stops
			}
			a := answers[0]
			answers = answers[1:]
			return a, nil
		})
		got, err := WithResponseHandling(card).Transmit(context.Background(), []byte{0x00, 0xB0, 0x00, 0x00, 0x00})
		if err == nil && len(got) < 2 {
			t.Fatalf("response % X without a status word", got)
		}
		if err != nil && chiperr.KindOf(err) == 0 {
			t.Fatalf("error without a kind: %v", err)
		}
	})
}
