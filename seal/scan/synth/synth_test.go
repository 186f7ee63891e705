package synth

import (
	"bytes"
	"image"
	"image/draw"
	"math"
	"slices"
	"testing"
)

// framesPer is how many frames per category the tests generate.
func framesPer(full, short int) int {
	if testing.Short() {
		return short
	}
	return full
}

func pixels(img image.Image) []byte {
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	return rgba.Pix
}

// TestDeterministic: the same Params give the same pixels, whatever runs
// in parallel, with every condition on at once.
func TestDeterministic(t *testing.T) {
	p := Params{Seed: 42, FrameW: 640, FrameH: 480, CardFrac: 0.6, AngleDeg: 33, TiltDeg: 25, TiltAxisDeg: 70, DefocusSigma: 0.7,
		MotionLen: 4, MotionAngleDeg: 20, GlareFrac: 0.2, Light: 0.3, Noise: 10, JPEGQuality: 60,
		Thumb: true, PayloadLen: 150}
	a, b := Generate(p), Generate(p)
	if !bytes.Equal(pixels(a.Image), pixels(b.Image)) || !bytes.Equal(a.Payload, b.Payload) || a.Corners != b.Corners {
		t.Fatal("two renderings of the same Params differ")
	}
	if c := newPlan(Params{Seed: 43, PayloadLen: 150}); bytes.Equal(a.Payload, c.payload) {
		t.Error("another seed gave the same payload")
	}
	fs := Frames(Realistic, 2)
	for i, f := range fs {
		if testing.Short() && i == 0 {
			continue
		}
		g := Generate(ParamsFor(Realistic, i))
		if !bytes.Equal(pixels(f.Image), pixels(g.Image)) {
			t.Errorf("Frames(%d) differs from Generate(ParamsFor)", i)
		}
		if f.Name != FrameName(Realistic, i) || f.Category != Realistic {
			t.Errorf("frame %d named %q, %q", i, f.Name, f.Category)
		}
	}
	if ParamsFor(Glare, 3) != ParamsFor(Glare, 3) || ParamsFor(Glare, 3) == ParamsFor(Glare, 4) {
		t.Error("ParamsFor is not a function of (category, index)")
	}
}

// moduleRange is, per category, the range of the module size in pixels
// that the category's description implies (see ParamsFor): a 0.234 mm
// module (52x52) at the smallest card to a 0.339 mm one (36x36) at the
// largest, give or take the tilt's foreshortening.
var moduleRange = map[Category][2]float64{
	Clean: {1.8, 3.8}, Rotation: {1.5, 3.8}, Perspective: {1.2, 4.4}, Small: {1.0, 2.0},
	Defocus: {2.0, 3.8}, Motion: {1.8, 3.8}, Glare: {1.6, 3.8}, LowLight: {1.6, 3.8},
	JPEG: {1.5, 3.8}, Thumb: {1.6, 3.8}, VGA: {0.85, 1.9}, FullHD: {1.5, 5.0}, Binary: {1.5, 3.6},
	Glued:     {1.0, 3.8},
	Realistic: {0.8, 5.6},
}

// TestGeometry: the symbol lies inside the frame, its modules in the
// category's range; over the realistic set the median module is about
// 2.3 px (issue 18). It works on plans (no pixels), so it sees many.
func TestGeometry(t *testing.T) {
	n := framesPer(200, 60)
	var realistic []float64
	for _, c := range Categories() {
		for i := range n {
			pl := newPlan(ParamsFor(c, i))
			if c == Empty {
				if pl.sym != nil || pl.payload != nil || pl.modulePx != 0 {
					t.Errorf("%s: a frame without a code has a symbol", FrameName(c, i))
				}
				continue
			}
			for _, q := range pl.symQuad {
				if q.x < 0 || q.y < 0 || q.x >= float64(pl.p.FrameW) || q.y >= float64(pl.p.FrameH) {
					t.Errorf("%s: corner %v outside the %dx%d frame", FrameName(c, i), q, pl.p.FrameW, pl.p.FrameH)
				}
			}
			r := moduleRange[c]
			if pl.modulePx < r[0] || pl.modulePx > r[1] {
				t.Errorf("%s: module %.2f px, want %.2f-%.2f", FrameName(c, i), pl.modulePx, r[0], r[1])
			}
			if c == Realistic {
				realistic = append(realistic, pl.modulePx)
			}
		}
	}
	slices.Sort(realistic)
	if m := realistic[len(realistic)/2]; m < 2.1 || m > 2.5 {
		t.Errorf("realistic: median module %.2f px, want about 2.3", m)
	}
}

// TestFrames: every category's frames, rendered: sizes, corners, module
// size and payload as the plan says; frames without a code have none.
// With -short, one frame of the categories that change the frame's size
// or content.
func TestFrames(t *testing.T) {
	n, cats := 3, Categories()
	if testing.Short() {
		n, cats = 1, []Category{Thumb, VGA, FullHD, Binary, Empty}
	}
	for _, c := range cats {
		for i, f := range Frames(c, n) {
			p := ParamsFor(c, i)
			if b := f.Image.Bounds(); b.Dx() != p.FrameW || b.Dy() != p.FrameH {
				t.Errorf("%s: %v, want %dx%d", f.Name, b, p.FrameW, p.FrameH)
			}
			if c == Empty {
				if f.Payload != nil || f.Corners != [4]image.Point{} || f.ModulePx != 0 || !f.Params.NoCode {
					t.Errorf("%s: a frame without a code says %x %v %.2f", f.Name, f.Payload, f.Corners, f.ModulePx)
				}
				continue
			}
			for _, q := range f.Corners {
				if !q.In(f.Image.Bounds()) {
					t.Errorf("%s: corner %v outside the frame", f.Name, q)
				}
			}
			if len(f.Payload) < p.PayloadLen || len(f.Payload) > p.PayloadLen+8 {
				t.Errorf("%s: %d payload bytes for %d asked", f.Name, len(f.Payload), p.PayloadLen)
			}
			if r := moduleRange[c]; f.ModulePx < r[0] || f.ModulePx > r[1] {
				t.Errorf("%s: module %.2f px", f.Name, f.ModulePx)
			}
		}
	}
}

// TestThumbAndGlare: a thumb never lies over the symbol, and the glare's
// core covers the share of the symbol asked for.
func TestThumbAndGlare(t *testing.T) {
	n := framesPer(100, 30)
	for i := range n {
		pl := newPlan(ParamsFor(Thumb, i))
		for k := 0; k <= 40; k++ {
			for j := 0; j <= 40; j++ {
				u, v := sealX+sealSide*float64(k)/40, sealY+sealSide*float64(j)/40
				if pl.thumb.outside(u, v) == 0 {
					t.Fatalf("%s: the thumb covers the symbol at %.1f,%.1f mm", FrameName(Thumb, i), u, v)
				}
			}
		}
		p := ParamsFor(Glare, i)
		pl = newPlan(p)
		if got := pl.glare.coverage(pl.symQuad); math.Abs(got-p.GlareFrac) > 0.03 {
			t.Errorf("%s: glare over %.2f of the symbol, want %.2f", FrameName(Glare, i), got, p.GlareFrac)
		}
	}
}
