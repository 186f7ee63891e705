package synth

import (
	"math"
	"math/rand"
	"sync"
)

// The card's design, the same on every card: a pastel base, guilloche,
// rows of micro-text and the labels. It is rendered once, at 32 texels per
// millimetre (a 0.1 mm line is 3 texels wide), with coarser mipmap levels
// for cards seen small.
const designTexelMM = 1.0 / 32

var (
	designOnce   sync.Once
	designLevels []*texture
)

// designLevel is the finest mipmap level whose texels are no smaller than
// spacing millimetres (the distance between two samples of the frame):
// finer texels would alias, coarser ones blur.
func designLevel(spacing float64) *texture {
	designOnce.Do(func() {
		w, h := int(math.Ceil(cardW/designTexelMM)), int(math.Ceil(cardH/designTexelMM))
		t := renderTexture(w, h, designTexelMM, func(u, v float64) rgb { return designAt(u, v, designTexelMM) })
		designLevels = []*texture{t}
		for t.w > 200 {
			t = t.half()
			designLevels = append(designLevels, t)
		}
	})
	l := designLevels[0]
	for _, t := range designLevels[1:] {
		if t.mm > spacing {
			break
		}
		l = t
	}
	return l
}

// paper is the card's base: off-white, tinted pink on the left and blue on
// the right as the CNIE's back.
func paper(u, v float64) rgb {
	t := u / cardW
	c := rgb{0.93, 0.82, 0.86}.mix(rgb{0.80, 0.87, 0.95}, t)
	c = c.mix(rgb{0.84, 0.92, 0.84}, 0.35*math.Exp(-sq((u-45)/18)-sq((v-28)/14)))
	return c.scale(1 - 0.02*math.Sin(v*0.15+u*0.05))
}

func sq(x float64) float64 { return x * x }

// A guilloche family: sinusoidal lines (wave) or a rosette of circles
// modulated by petals, printed 0.1 mm wide in a pastel ink.
type guilloche struct {
	rosette              bool
	cx, cy, angle        float64 // rosette centre; wave direction, degrees
	spacing, amp, period float64 // mm; period is a rosette's petal count
	phase                float64
	ink                  rgb
}

const guillocheLine = 0.1 // mm

// guilloches: line spacing 0.3-0.6 mm, in light blue, pink and green,
// over the whole card.
var guilloches = []guilloche{
	{angle: 0, spacing: 0.45, amp: 1.3, period: 10, phase: 0, ink: rgb{0.70, 0.84, 1.0}},
	{angle: 0, spacing: 0.45, amp: 1.3, period: 10, phase: math.Pi, ink: rgb{1.0, 0.74, 0.86}},
	{rosette: true, cx: -12, cy: 64, spacing: 0.5, amp: 0.7, period: 90, ink: rgb{0.74, 0.95, 0.76}},
	{rosette: true, cx: 104, cy: -18, spacing: 0.55, amp: 0.5, period: 120, phase: 1, ink: rgb{0.86, 0.78, 1.0}},
	{angle: 35, spacing: 0.6, amp: 2, period: 17, phase: 0.5, ink: rgb{1.0, 0.95, 0.72}},
}

// cover is the share of a texel of aa millimetres covered by the nearest
// line of the family at (u, v).
func (g *guilloche) cover(u, v, aa float64) float64 {
	var y, slope float64
	if g.rosette {
		dx, dy := u-g.cx, v-g.cy
		r := math.Hypot(dx, dy)
		th := math.Atan2(dy, dx)*g.period + g.phase
		y = r - g.amp*math.Sin(th)
		slope = g.amp * g.period * math.Cos(th) / math.Max(r, 2)
	} else {
		s, c := math.Sincos(rad(g.angle))
		a, b := u*c+v*s, -u*s+v*c
		ph := 2*math.Pi*a/g.period + g.phase
		y = b - g.amp*math.Sin(ph)
		slope = g.amp * 2 * math.Pi / g.period * math.Cos(ph)
	}
	t := y / g.spacing
	d := math.Abs(t-math.Round(t)) * g.spacing / math.Sqrt(1+slope*slope)
	return lineCover(d, guillocheLine, aa)
}

// lineCover is the share of a texel of size aa, at distance d from the
// middle of a line of width w, that the line covers.
func lineCover(d, w, aa float64) float64 {
	lo, hi := math.Max(d-aa/2, -w/2), math.Min(d+aa/2, w/2)
	return math.Max(0, hi-lo) / aa
}

// Micro-text: rows of glyph-like marks 0.3 mm high, one of them just above
// the seal's quiet zone and one just below it.
type microRow struct{ y, x0, x1 float64 }

var microRows = []microRow{
	{2.25, 3, 83}, {17.45, 40, 84}, {19.2, 3, 66}, {33.4, 3, 83}, {36.8, 3, 83},
}

const (
	microH, microW, microPitch = 0.3, 0.2, 0.26 // mm
	microInkShare              = 0.8            // darkness of its ink
)

var microInk = rgb{0.28, 0.30, 0.42}

// microGlyphs are 3x5 bitmaps, drawn once.
var microGlyphs = func() [32][15]bool {
	var g [32][15]bool
	r := rand.New(rand.NewSource(18))
	for i := range g {
		for k := range g[i] {
			g[i][k] = r.Intn(100) < 55
		}
	}
	return g
}()

func microAt(u, v float64) bool {
	for _, m := range microRows {
		if v < m.y || v >= m.y+microH || u < m.x0 || u >= m.x1 {
			continue
		}
		col := int((u - m.x0) / microPitch)
		x := u - m.x0 - float64(col)*microPitch
		if x >= microW || col%9 == 8 { // a space every ninth character
			return false
		}
		gx, gy := int(x/microW*3), int((v-m.y)/microH*5)
		return microGlyphs[(col*7+int(m.y*3))%32][gy*3+gx]
	}
	return false
}

// labels of the card's fields, 1.5 mm capitals in dark blue.
var labels = func() []*text {
	var t []*text
	for _, l := range []struct {
		x, y float64
		s    string
	}{
		{4, 3.1, "ADDRESS"}, {4, 11.7, "ISSUED ON"}, {28, 11.7, "ISSUED BY"},
		{4, 20.3, "HEIGHT"}, {28, 20.3, "VALID UNTIL"}, {52, 20.3, "CARD No"},
	} {
		t = append(t, newText(l.x, l.y, 1.5, 1.25, l.s, labelInk, 0.5))
	}
	return t
}()

// designAt is the design's reflectance at (u, v), averaged over a texel of
// aa millimetres.
func designAt(u, v, aa float64) rgb {
	c := paper(u, v)
	// The MRZ's band is printed lighter, as on real cards.
	fade := 1 - 0.55*smoothstep(37.5, 39.5, v)
	for i := range guilloches {
		g := &guilloches[i]
		if k := g.cover(u, v, aa) * fade; k > 0 {
			for ch := range 3 {
				c[ch] *= 1 - k*(1-g.ink[ch])
			}
		}
	}
	if microAt(u, v) {
		c = c.mix(microInk, microInkShare)
	}
	for _, t := range labels {
		if k := t.cover(u, v); k > 0 {
			c = c.mix(t.ink, k)
		}
	}
	return c
}
