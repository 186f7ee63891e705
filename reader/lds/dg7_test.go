package lds

import (
	"bytes"
	"errors"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

func TestDG7(t *testing.T) {
	in := []Image{{Data: fakeJPEG}, {Data: fakeJ2K}, {Data: []byte("GIF89a")}}
	b, err := BuildDG7(in)
	if err != nil {
		t.Fatal(err)
	}
	// 67 { 02 01 03, 5F43 .. } (Doc 9303 Part 10 §4.7.7).
	want := ber.Encode(0x67, []byte{2, 1, 3}, ber.Encode(0x5F43, fakeJPEG), ber.Encode(0x5F43, fakeJ2K), ber.Encode(0x5F43, []byte("GIF89a")))
	if !bytes.Equal(b, want) {
		t.Fatalf("DG7 = % X\nwant  % X", b, want)
	}
	imgs, err := ParseDG7(b)
	if err != nil || len(imgs) != 3 {
		t.Fatal(imgs, err)
	}
	for i, f := range []ImageFormat{ImageJPEG, ImageJPEG2000, ImageUnknown} {
		if imgs[i].Format != f || !bytes.Equal(imgs[i].Data, in[i].Data) {
			t.Errorf("image %d: %v", i, imgs[i].Format)
		}
	}
	// The count is not trusted: a wrong one does not matter.
	imgs, err = ParseDG7(ber.Encode(0x67, []byte{2, 1, 9}, ber.Encode(0x5F43, fakeJPEG)))
	if err != nil || len(imgs) != 1 {
		t.Error(imgs, err)
	}
}

func TestDG7Malformed(t *testing.T) {
	nine := [][]byte{{2, 1, 9}}
	for range 9 {
		nine = append(nine, ber.Encode(0x5F43, fakeJPEG))
	}
	for name, c := range map[string]struct {
		b    []byte
		kind chiperr.Kind
	}{
		"wrong tag":   {ber.Encode(0x68, ber.Encode(0x5F43, fakeJPEG)), chiperr.Malformed},
		"no image":    {ber.Encode(0x67, []byte{2, 1, 0}), chiperr.Malformed},
		"empty image": {ber.Encode(0x67, ber.Encode(0x5F43)), chiperr.Malformed},
		"9 images":    {ber.Encode(0x67, nine...), chiperr.TooLarge},
		"truncated":   {ber.Encode(0x67, ber.Encode(0x5F43, fakeJPEG))[:8], chiperr.Malformed},
	} {
		if imgs, err := ParseDG7(c.b); imgs != nil || !errors.Is(err, c.kind) {
			t.Errorf("%s: %v %v", name, imgs, err)
		}
	}
	for name, in := range map[string][]Image{
		"none":  nil,
		"empty": {{Data: nil}},
		"nine":  make([]Image, 9),
		"huge":  {{Data: make([]byte, ber.MaxLength)}},
	} {
		if _, err := BuildDG7(in); !errors.Is(err, chiperr.BadInput) {
			t.Errorf("build %s: %v", name, err)
		}
	}
}
