package demo

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

func TestFaceDeterministic(t *testing.T) {
	a := Face(7, 120, 150)
	b := Face(7, 120, 150)
	c := Face(8, 120, 150)
	if !samePixels(a, b) {
		t.Error("same seed, different pictures")
	}
	if samePixels(a, c) {
		t.Error("different seeds, same picture")
	}
}

func TestFaceClampsSize(t *testing.T) {
	for _, c := range []struct{ w, h, ww, wh int }{
		{0, 0, MinFaceSize, MinFaceSize},
		{-5, 100, MinFaceSize, 100},
		{1 << 20, 70, MaxFaceSize, 70},
	} {
		if got := Face(1, c.w, c.h).Bounds().Size(); got != image.Pt(c.ww, c.wh) {
			t.Errorf("Face(%d, %d) is %v", c.w, c.h, got)
		}
	}
}

// TestFaceLabels checks that the DEMO band is there: the bottom rows are
// mostly the band's red, with white letter pixels in its middle.
func TestFaceLabels(t *testing.T) {
	img := Face(3, PhotoWidth, PhotoHeight)
	red, white := 0, 0
	for y := PhotoHeight - PhotoHeight/8; y < PhotoHeight; y++ {
		for x := 0; x < PhotoWidth; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			switch {
			case r>>8 == 190 && g>>8 == 20 && b>>8 == 30:
				red++
			case r>>8 == 255 && g>>8 == 255 && b>>8 == 255:
				white++
			}
		}
	}
	total := PhotoWidth * (PhotoHeight / 8)
	if red < total/2 || white < total/20 {
		t.Errorf("DEMO band: %d red, %d white of %d pixels", red, white, total)
	}
}

func TestFaceJPEG(t *testing.T) {
	for seed := uint64(0); seed < 3; seed++ {
		j, err := FaceJPEG(seed, PhotoWidth, PhotoHeight)
		if err != nil {
			t.Fatal(err)
		}
		// A passport photo JPEG on a chip is typically 15-25 KB.
		if len(j) < 15000 || len(j) > 25000 {
			t.Errorf("seed %d: %d bytes, want 15-25 KB", seed, len(j))
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(j))
		if err != nil || cfg.Width != PhotoWidth || cfg.Height != PhotoHeight {
			t.Errorf("seed %d: decodes as %dx%d, %v", seed, cfg.Width, cfg.Height, err)
		}
	}
	for _, sz := range [][2]int{{0, 100}, {100, MinFaceSize - 1}, {MaxFaceSize + 1, 100}} {
		if _, err := FaceJPEG(1, sz[0], sz[1]); !errors.Is(err, chiperr.BadInput) {
			t.Errorf("FaceJPEG(%v): %v", sz, err)
		}
	}
}

func TestTextWidth(t *testing.T) {
	if textWidth("", 3) != 0 || textWidth("DEMO", 1) != 23 || textWidth("DEMO", 2) != 46 {
		t.Error("textWidth")
	}
	for r := range glyphs {
		for _, row := range glyphs[r] {
			if len(row) != glyphW {
				t.Errorf("glyph %q has a row of %d", r, len(row))
			}
		}
	}
}
