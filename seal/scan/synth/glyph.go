package synth

import (
	"image"
	"math"

	"golang.org/x/image/font/basicfont"
)

// rgb is a linear reflectance or radiance per channel, 0..1.
type rgb [3]float64

func (c rgb) mix(d rgb, t float64) rgb {
	return rgb{c[0] + (d[0]-c[0])*t, c[1] + (d[1]-c[1])*t, c[2] + (d[2]-c[2])*t}
}

func (c rgb) scale(k float64) rgb { return rgb{c[0] * k, c[1] * k, c[2] * k} }

// Glyphs of basicfont's 7x13 face (X11 misc-fixed): 6x13 cells advancing
// 7 pixels, capitals on rows 2-10, the baseline under row 10.
const (
	fontCellW, fontCellH = 6, 13
	fontAdvance          = 7
	fontCapTop, fontCap  = 2, 9
)

var fontMask = basicfont.Face7x13.Mask.(*image.Alpha)

// text is a line printed on the card in a bitmap font, smoothed: the
// glyph's pixels are interpolated and thresholded, which rounds their
// corners like a printed font at that size.
type text struct {
	x, y   float64 // top-left of the first capital, mm
	cap    float64 // capital height, mm
	pitch  float64 // advance per character, mm
	s      string
	ink    rgb
	thresh float64 // 0.5: the font's weight; lower is bolder

	x0, y0, x1, y1 float64 // bounds, mm
}

func newText(x, y, capH, pitch float64, s string, ink rgb, thresh float64) *text {
	sy := capH / fontCap
	return &text{x: x, y: y, cap: capH, pitch: pitch, s: s, ink: ink, thresh: thresh,
		x0: x, y0: y - fontCapTop*sy, x1: x + pitch*float64(len(s)), y1: y + (fontCellH-fontCapTop)*sy}
}

// cover is the share of ink at card point (u, v).
func (t *text) cover(u, v float64) float64 {
	if u < t.x0 || u >= t.x1 || v < t.y0 || v >= t.y1 {
		return 0
	}
	fx := (u - t.x) / t.pitch * fontAdvance
	i := int(fx / fontAdvance)
	if i >= len(t.s) {
		return 0
	}
	gx := fx - float64(i*fontAdvance)
	gy := fontCapTop + (v-t.y)/t.cap*fontCap
	m := glyphAt(t.s[i], gx-0.5, gy-0.5)
	return clamp01((m - t.thresh + 0.2) / 0.4)
}

// glyphAt interpolates the mask of character ch at (x, y) in its cell.
func glyphAt(ch byte, x, y float64) float64 {
	g := int(ch) - 32
	if g < 0 || g >= 95 {
		g = '?' - 32
	}
	ix, iy := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(ix), y-float64(iy)
	at := func(cx, cy int) float64 {
		if cx < 0 || cx >= fontCellW || cy < 0 || cy >= fontCellH {
			return 0
		}
		return float64(fontMask.Pix[(g*fontCellH+cy)*fontMask.Stride+cx]) / 255
	}
	top := at(ix, iy)*(1-fx) + at(ix+1, iy)*fx
	bot := at(ix, iy+1)*(1-fx) + at(ix+1, iy+1)*fx
	return top*(1-fy) + bot*fy
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }
