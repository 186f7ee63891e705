package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Passport photo size at 300 dpi (35×45 mm), the default for demo cards.
const (
	PhotoWidth  = 413
	PhotoHeight = 531
)

// Face size bounds: below the minimum the features vanish, above the
// maximum a DG2 would no longer fit the chip.
const (
	MinFaceSize = 64
	MaxFaceSize = 2048
)

// JPEGQuality is the quality FaceJPEG encodes with.
const JPEGQuality = 75

// Text of the labels drawn on every face.
const (
	faceBandText = "DEMO"
	faceNoteText = "NOT A REAL PERSON"
)

type rgb struct{ r, g, b float64 }

func (c rgb) scale(f float64) rgb { return rgb{c.r * f, c.g * f, c.b * f} }

func mix(a, b rgb, t float64) rgb {
	return rgb{a.r + (b.r-a.r)*t, a.g + (b.g-a.g)*t, a.b + (b.b-a.b)*t}
}

// Palettes are deliberately flat, cartoon colours.
var (
	backgrounds = []rgb{{214, 222, 232}, {226, 226, 222}, {208, 220, 214}, {230, 224, 214}}
	skins       = []rgb{{246, 214, 186}, {228, 184, 146}, {196, 144, 104}, {150, 100, 66}, {104, 70, 48}}
	hairs       = []rgb{{30, 26, 24}, {92, 60, 36}, {214, 180, 100}, {150, 64, 30}, {160, 160, 160}}
	irises      = []rgb{{96, 60, 30}, {60, 110, 170}, {70, 120, 70}, {110, 116, 124}}
	shirts      = []rgb{{40, 60, 110}, {90, 90, 96}, {120, 40, 50}, {40, 90, 80}}
)

// faceStyle holds the choices a seed makes.
type faceStyle struct {
	bg, skin, hair, iris, shirt rgb
	hairStyle                   int // 0 short, 1 long, 2 receding
	headW, headH                float64
}

// Face draws an invented, plainly cartoon face: oval head, eyes, nose,
// mouth, hair, plain background, a red DEMO band and a "NOT A REAL PERSON"
// note, so that nobody can mistake it for a photograph of a person. The same
// seed gives the same picture. Sizes are clamped to [MinFaceSize, MaxFaceSize].
func Face(seed uint64, width, height int) image.Image {
	width = clamp(width, MinFaceSize, MaxFaceSize)
	height = clamp(height, MinFaceSize, MaxFaceSize)
	rng := rand.New(rand.NewPCG(seed, 0x44454d4f)) // "DEMO"
	st := faceStyle{
		bg:        backgrounds[rng.IntN(len(backgrounds))],
		skin:      skins[rng.IntN(len(skins))],
		hair:      hairs[rng.IntN(len(hairs))],
		iris:      irises[rng.IntN(len(irises))],
		shirt:     shirts[rng.IntN(len(shirts))],
		hairStyle: rng.IntN(3),
		headW:     0.22 + 0.04*rng.Float64(),
		headH:     0.26 + 0.03*rng.Float64(),
	}
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	w, h := float64(width), float64(height)
	// 2×2 supersampling smooths the edges of the shapes.
	offs := [4][2]float64{{0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}}
	for y := 0; y < height; y++ {
		for x := 0; x < width; x++ {
			var acc rgb
			for _, o := range offs {
				c := st.at((float64(x)+o[0])/w, (float64(y)+o[1])/h, w/h)
				acc = rgb{acc.r + c.r, acc.g + c.g, acc.b + c.b}
			}
			acc = acc.scale(0.25)
			// Mild sensor-like grain: keeps the JPEG at a realistic size.
			n := (rng.Float64() - 0.5) * 10
			img.SetRGBA(x, y, color.RGBA{u8(acc.r + n), u8(acc.g + n), u8(acc.b + n), 255})
		}
	}
	drawLabels(img)
	return img
}

// at is the colour of the scene at (u, v) in [0,1]² of the picture; aspect
// is width/height, used to keep circles round.
func (st faceStyle) at(u, v, aspect float64) rgb {
	// Work in units of picture height horizontally too.
	x := (u - 0.5) * aspect
	y := v
	cy := 0.43
	hw, hh := st.headW, st.headH
	dark := st.hair.scale(0.7)

	// Background: plain, slightly lighter towards the top.
	c := mix(st.bg, st.bg.scale(0.92), v)

	// Long hair falls behind the head down to the shoulders.
	if st.hairStyle == 1 && (inEllipse(x, y, 0, cy+0.02, hw*1.3, hh*1.1) ||
		(y > cy && y < cy+0.34 && abs(x) < hw*1.25)) {
		c = st.hair
	}
	// Shoulders and shirt.
	if inEllipse(x, y, 0, 1.08, 0.55*aspect, 0.32) {
		c = st.shirt
		if inEllipse(x, y, 0, 0.76, 0.07, 0.06) { // collar opening
			c = st.skin.scale(0.9)
		}
	}
	// Neck.
	if abs(x) < hw*0.42 && y > cy+0.12 && y < cy+0.33 && !inEllipse(x, y, 0, 1.08, 0.55*aspect, 0.32) {
		c = st.skin.scale(0.88)
	}
	// Ears.
	if inEllipse(x, y, -hw, cy+0.01, 0.028, 0.05) || inEllipse(x, y, hw, cy+0.01, 0.028, 0.05) {
		c = st.skin.scale(0.93)
	}
	// Head, with a soft shade towards the sides.
	if d := ellipseDist(x, y, 0, cy, hw, hh); d <= 1 {
		c = st.skin.scale(1 - 0.08*d*d)
	}
	// Hair on top of the head.
	switch st.hairStyle {
	case 0, 1:
		if inEllipse(x, y, 0, cy-0.05, hw*1.07, hh*0.98) && y < cy-0.12+0.04*(x/hw)*(x/hw) {
			c = st.hair
		}
	case 2:
		if inEllipse(x, y, 0, cy-0.02, hw*1.06, hh*0.95) && !inEllipse(x, y, 0, cy+0.04, hw*0.9, hh*1.02) && y < cy {
			c = st.hair
		}
	}
	// Eyebrows.
	for _, s := range []float64{-1, 1} {
		ex := s * hw * 0.42
		if inEllipse(x, y, ex, cy-0.055, hw*0.28, 0.009) {
			c = dark
		}
	}
	// Eyes: white, iris, pupil, highlight.
	for _, s := range []float64{-1, 1} {
		ex, ey := s*hw*0.42, cy-0.02
		if inEllipse(x, y, ex, ey, hw*0.22, 0.017) {
			c = rgb{245, 245, 240}
			if inEllipse(x, y, ex, ey, 0.014, 0.014) {
				c = st.iris
			}
			if inEllipse(x, y, ex, ey, 0.006, 0.006) {
				c = rgb{15, 15, 15}
			}
			if inEllipse(x, y, ex+0.005, ey-0.005, 0.003, 0.003) {
				c = rgb{255, 255, 255}
			}
		}
	}
	// Nose: a narrow shaded wedge and a tip.
	if y > cy && y < cy+0.08 && x > 0 && x < 0.004+0.03*(y-cy) {
		c = st.skin.scale(0.85)
	}
	if inEllipse(x, y, 0, cy+0.085, 0.022, 0.008) {
		c = st.skin.scale(0.82)
	}
	// Mouth: neutral, closed.
	if inEllipse(x, y, 0, cy+0.15, hw*0.35, 0.008) {
		c = rgb{160, 70, 70}
	}
	return c
}

// drawLabels paints the red DEMO band at the bottom and the note at the top.
func drawLabels(img *image.RGBA) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	bandH := max(h/8, glyphH+4)
	red := color.RGBA{190, 20, 30, 255}
	for y := h - bandH; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, red)
		}
	}
	scale := max(1, min((bandH-4)/glyphH, (w*2/3)/textWidth(faceBandText, 1)))
	drawText(img, (w-textWidth(faceBandText, scale))/2, h-bandH+(bandH-glyphH*scale)/2, scale,
		faceBandText, color.RGBA{255, 255, 255, 255})

	ns := max(1, min(h/200, (w-8)/textWidth(faceNoteText, 1)))
	drawText(img, (w-textWidth(faceNoteText, ns))/2, max(2, h/60), ns, faceNoteText, color.RGBA{150, 20, 30, 255})
}

// FaceJPEG returns Face(seed, width, height) encoded as JPEG (quality 75),
// about 15–25 KB at 413×531.
func FaceJPEG(seed uint64, width, height int) ([]byte, error) {
	if width < MinFaceSize || height < MinFaceSize || width > MaxFaceSize || height > MaxFaceSize {
		return nil, chiperr.Newf(chiperr.BadInput, "demo: face JPEG", "size %dx%d outside %d..%d", width, height, MinFaceSize, MaxFaceSize)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, Face(seed, width, height), &jpeg.Options{Quality: JPEGQuality}); err != nil {
		return nil, chiperr.Wrap(chiperr.Unsupported, "demo: face JPEG", err)
	}
	return buf.Bytes(), nil
}

func inEllipse(x, y, cx, cy, rx, ry float64) bool { return ellipseDist(x, y, cx, cy, rx, ry) <= 1 }

// ellipseDist is 0 at the centre and 1 on the border of the ellipse.
func ellipseDist(x, y, cx, cy, rx, ry float64) float64 {
	dx, dy := (x-cx)/rx, (y-cy)/ry
	return dx*dx + dy*dy
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func u8(f float64) uint8 {
	switch {
	case f <= 0:
		return 0
	case f >= 255:
		return 255
	}
	return uint8(f + 0.5)
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }
