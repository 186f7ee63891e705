package bac

import (
	"context"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// FuzzAuthenticate feeds hostile answers to GET CHALLENGE and EXTERNAL
// AUTHENTICATE.
func FuzzAuthenticate(f *testing.F) {
	f.Add(testhex.MustBytes(dRndIC+"9000"), testhex.MustBytes(dChipAnswer+"9000"))
	f.Add(testhex.MustBytes("9000"), testhex.MustBytes("6300"))
	f.Fuzz(func(t *testing.T, challenge, answer []byte) {
		n := 0
		card := iso7816.TransmitFunc(func(context.Context, []byte) ([]byte, error) {
			n++
			if n == 1 {
				return challenge, nil
			}
			return answer, nil
		})
		_, err := Authenticate(context.Background(), card, dMRZ, nil)
		if err != nil && chiperr.KindOf(err) == 0 {
			t.Fatalf("error without a chip error kind: %v", err)
		}
	})
}

// FuzzChipExternalAuthenticate feeds hostile terminal data to the chip side.
func FuzzChipExternalAuthenticate(f *testing.F) {
	f.Add(testhex.MustBytes(dEIFD + dMIFD))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		chip := NewChip(dMRZ, nil)
		chip.GetChallenge()
		_, s, err := chip.ExternalAuthenticate(data)
		if err == nil || s != nil {
			t.Fatal("the chip accepted a forged terminal answer")
		}
		if chiperr.KindOf(err) == 0 {
			t.Fatalf("error without a chip error kind: %v", err)
		}
	})
}
