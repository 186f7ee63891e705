package faceimage

import (
	"bytes"
	"image/jpeg"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/sim/demo"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/lds"
)

// Seeds are small images (64x64 faces: testdata/tiny.j2k and tiny_roi.jp2
// come from opj_compress -I -r 20 -n 3 [-ROI c=1,U=8 -SOP -EPH] on
// demo.Face(5, 64, 64)), so that the fuzzer's minimization of what it finds
// stays quick; a passport-size seed makes each minimization step cost a
// full decode.

// checkDecode fails unless Decode gave a chip error with a kind, or an
// image within the limits.
func checkDecode(t *testing.T, f lds.ImageFormat, b []byte) {
	img, err := Decode(f, b)
	if err != nil {
		if img != nil || chiperr.KindOf(err) == 0 {
			t.Fatalf("image %v with error %v", img, err)
		}
		return
	}
	r := img.Bounds()
	if r.Dx() < 1 || r.Dy() < 1 || r.Dx() > MaxSide || r.Dy() > MaxSide {
		t.Fatalf("image of %v", r)
	}
}

func FuzzDecodeJPEG(f *testing.F) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, demo.Face(5, 64, 64), &jpeg.Options{Quality: 50}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(buf.Bytes()[:buf.Len()/2])
	f.Fuzz(func(t *testing.T, b []byte) {
		checkDecode(t, lds.ImageJPEG, b)
		// Also as the tail of a valid signature, to reach the markers.
		checkDecode(t, lds.ImageJPEG, append([]byte{0xFF, 0xD8, 0xFF}, b...))
	})
}

func FuzzDecodeJPEG2000(f *testing.F) {
	for _, name := range []string{"tiny.j2k", "tiny_roi.jp2"} {
		b := readTestdata(f, name)
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkDecode(t, lds.ImageJPEG2000, b)
		// Keep the fuzzer inside the codestream past the signature.
		if !bytes.HasPrefix(b, []byte{0xFF, 0x4F, 0xFF, 0x51}) && !lds.IsJP2(b) {
			checkDecode(t, lds.ImageJPEG2000, append([]byte{0xFF, 0x4F, 0xFF, 0x51}, b...))
		}
	})
}
