package reader_test

import (
	"context"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// tamperer forwards to a real virtual card and damages one answer: the
// fuzzer picks which APDU, and what to do to it. Whatever the damage, the
// read must end in a Document or a typed error, never a panic or a hang.
type tamperer struct {
	card  sim.Chip
	n     int
	which int
	patch []byte
	cut   int
}

func (t *tamperer) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	resp, err := t.card.Transmit(ctx, apdu)
	t.n++
	if err != nil || t.n != t.which {
		return resp, err
	}
	out := append([]byte{}, resp...)
	for i, b := range t.patch {
		if len(out) > 0 {
			out[(t.cut+i)%len(out)] ^= b
		}
	}
	if t.cut > 0 && t.cut < len(out) && len(t.patch) == 0 {
		out = out[:t.cut]
	}
	return out, nil
}

func (t *tamperer) ATR() []byte { return t.card.ATR() }

func FuzzReadHostileCard(f *testing.F) {
	f.Add(1, []byte{0x01}, 0)
	f.Add(3, []byte{}, 5)
	f.Add(6, []byte{0xFF, 0x00, 0x80}, 2)
	f.Add(12, []byte{0x01}, 200)
	f.Add(18, []byte{0x90}, 0)
	card, err := sim.NewNamed("cnie-p256") // P-256: fast enough for fuzzing
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, which int, patch []byte, cut int) {
		if which < 1 || which > 25 || cut < 0 || len(patch) > 64 {
			return
		}
		card.Reset()
		tw := &tamperer{card: card, which: which, patch: patch, cut: cut}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		doc, err := reader.Read(ctx, tw, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{APDUTimeout: time.Second})
		if err != nil {
			if chiperr.KindOf(err) == 0 {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if doc.MRZ == nil {
			t.Fatal("a read without error and without MRZ")
		}
	})
}
