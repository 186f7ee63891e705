package files_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/files"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// checkOutcome is what ReadFile promises whatever the card does: a chip
// error with a kind, or a whole TLV within MaxFileSize.
func checkOutcome(t *testing.T, got []byte, err error) {
	t.Helper()
	if err != nil {
		if chiperr.KindOf(err) == 0 {
			t.Fatalf("error without a kind: %v", err)
		}
		return
	}
	hdr, vlen, herr := ber.HeaderLength(got)
	if herr != nil || hdr+vlen != len(got) || len(got) > files.MaxFileSize {
		t.Fatalf("returned %d bytes that are not one TLV (%d+%d, %v)", len(got), hdr, vlen, herr)
	}
}

// FuzzReadFile serves the fuzzed bytes as a file through an honest card,
// with a fuzzed chunk size (so B1 and the probe are reached).
func FuzzReadFile(f *testing.F) {
	f.Add([]byte{0x61, 0x03, 1, 2, 3}, uint16(0))
	f.Add(tlvFile(0x75, 40000), uint16(8192))
	f.Add([]byte{0x75, 0x83, 0xFF, 0xFF, 0xFF}, uint16(0))
	f.Add([]byte{0x7F, 0x61, 0x82, 0x01, 0x00}, uint16(9))
	f.Add([]byte{0x75, 0x84, 0, 0, 0, 1}, uint16(0))
	f.Fuzz(func(t *testing.T, content []byte, chunk uint16) {
		if c := len(content)/64 + 1; int(chunk) < c {
			chunk = uint16(min(c, 0xFFFF)) // keep each run short: at most ~64 APDUs
		}
		card := newFakeCard(t)
		card.eofWarning = chunk&1 == 1
		card.neWithinFile = chunk&2 == 2
		card.add(fidDG2, sfiDG2, content)
		got, err := (&files.Reader{T: card, Chunk: int(chunk)}).ReadFile(context.Background(), fidDG2, sfiDG2)
		checkOutcome(t, got, err)
		if err == nil && string(got) != string(content[:len(got)]) {
			t.Fatal("content differs from the card's")
		}
	})
}

// FuzzReadFileHostile plays a card that answers each READ BINARY with the
// next fuzzed answer (one length byte, then the answer), and 6B00 when it
// has none left.
func FuzzReadFileHostile(f *testing.F) {
	f.Add([]byte{6, 0x75, 0x82, 0x01, 0x00, 0x90, 0x00, 4, 0xAA, 0xBB, 0x90, 0x00}, uint16(0))
	f.Add([]byte{2, 0x67, 0x00, 4, 0x75, 0x08, 0x90, 0x00, 2, 0x90, 0x00}, uint16(0))
	f.Add([]byte{7, 0x75, 0x83, 0x00, 0x90, 0x00, 0x90, 0x00, 5, 0x53, 0x01, 0xAA, 0x90, 0x00}, uint16(0x7FFF))
	f.Fuzz(func(t *testing.T, script []byte, chunk uint16) {
		var answers [][]byte
		for len(script) > 0 {
			n := min(int(script[0]), len(script)-1)
			answers = append(answers, script[1:1+n])
			script = script[1+n:]
		}
		calls, limit := 0, len(answers)+1
		card := iso7816.TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) {
			calls++
			if calls > limit {
				t.Fatalf("%d APDUs for %d answers", calls, limit-1)
			}
			if _, err := iso7816.ParseCommand(apdu); err != nil {
				t.Fatalf("malformed APDU % X", apdu)
			}
			if len(answers) == 0 {
				return []byte{0x6B, 0x00}, nil
			}
			a := answers[0]
			answers = answers[1:]
			return a, nil
		})
		got, err := (&files.Reader{T: card, Chunk: int(chunk)}).ReadFile(context.Background(), fidDG2, sfiDG2)
		checkOutcome(t, got, err)
		if err != nil && errors.Is(err, chiperr.Canceled) {
			t.Fatal("canceled without a cancellation")
		}
	})
}
