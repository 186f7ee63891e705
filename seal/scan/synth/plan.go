package synth

import (
	"image"
	"math"
)

// plan is everything about a frame but its pixels: the payload and
// symbol, where the card is, the desk, the thumb and the glare.
type plan struct {
	p        Params
	payload  []byte
	sym      symbol
	cam      camera
	symQuad  [4]pt // the symbol's corners in the frame, as it reads
	modulePx float64
	print    *cardPrint
	desk     desk
	thumb    *thumb
	glare    *glare
	// The card's shadow on the desk: offset and softness, mm.
	shadowDX, shadowDY, shadowSoft float64
	// Uneven light: a lamp's falloff across the frame, and the lens's
	// vignetting; the white balance's error.
	lampX, lampY, lampFall, vignette float64
	wb                               rgb
	// spacing between samples on the card, mm, for the design's mipmap.
	spacing float64
}

// Supersampling: each pixel is the mean of ss x ss samples.
const ss = 3

func newPlan(p Params) *plan {
	p = p.withDefaults()
	pl := &plan{p: p}
	if !p.NoCode {
		pl.payload, pl.sym = makeSymbol(stream(p.Seed, "payload"), p.Binary, p.PayloadLen)
	}
	pl.cam = placeCamera(p, stream(p.Seed, "place"))
	for i, c := range [4][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}} {
		x, y, _ := pl.cam.toFrame.apply(sealX+c[0]*sealSide, sealY+c[1]*sealSide)
		pl.symQuad[i] = pt{x, y}
	}
	if pl.sym != nil {
		q := pl.symQuad
		pl.modulePx = (dist(q[0], q[1]) + dist(q[1], q[2]) + dist(q[2], q[3]) + dist(q[3], q[0])) / 4 / float64(len(pl.sym))
	}
	pxmm := pl.cam.pxPerMM(sealX+sealSide/2, sealY+sealSide/2)
	pl.spacing = 1 / (ss * pxmm)
	pl.print = newCardPrint(stream(p.Seed, "print"), pl.sym, designLevel(pl.spacing), p.QuietMM)

	r := stream(p.Seed, "scene")
	pl.desk = newDesk(r, p.FrameW, p.FrameH)
	if p.Thumb {
		pl.thumb = newThumb(r)
	}
	if p.GlareFrac > 0 {
		pl.glare = newGlare(r, pl.symQuad, math.Min(p.GlareFrac, 1))
		if p.GlarePeak > 0 {
			pl.glare.peak = p.GlarePeak
		}
	}
	pl.shadowDX, pl.shadowDY, pl.shadowSoft = uniform(r, -2, 2), uniform(r, 0.5, 3), uniform(r, 1.5, 4)
	pl.lampX, pl.lampY = uniform(r, -0.3, 1.3), uniform(r, -0.5, 0.5)
	pl.lampFall, pl.vignette = uniform(r, 0, 0.35), uniform(r, 0.1, 0.3)
	pl.wb = rgb{uniform(r, 0.94, 1.08), 1, uniform(r, 0.88, 1.04)}
	return pl
}

// corners is the symbol's quad, rounded to pixels.
func (pl *plan) corners() [4]image.Point {
	var c [4]image.Point
	for i, q := range pl.symQuad {
		c[i] = image.Pt(int(math.Round(q.x)), int(math.Round(q.y)))
	}
	return c
}

// render makes the frame: the scene's light, then optics and sensor in
// their order.
func (pl *plan) render() image.Image {
	p := pl.p
	lp, laminate := pl.scene()
	lp.defocus(p.DefocusSigma)
	lp.motion(p.MotionLen, p.MotionAngleDeg)
	if pl.glare != nil {
		lp.addGlare(pl.glare, laminate)
	}
	lp.expose(p.Light, pl.wb)
	img := lp.sensor(stream(p.Seed, "noise"), p.Noise)
	if p.JPEGQuality > 0 {
		return jpegRoundTrip(img, p.JPEGQuality)
	}
	return img
}

// scene is the light from the scene reaching each pixel, before the
// optics: reflectance under an uneven light; and the share of each pixel
// showing the card's laminate (where glare can be).
func (pl *plan) scene() (*plane, []float32) {
	w, h := pl.p.FrameW, pl.p.FrameH
	lp := newPlane(w, h)
	laminate := make([]float32, w*h)
	// Beyond margin mm of the card (and thumb) a pixel is desk only, a
	// smooth texture: one sample is enough.
	margin := 3 / (0.5 * pl.cam.pxPerMM(cardW/2, cardH/2))
	diag := math.Hypot(float64(w), float64(h)) / 2
	parallelRows(h, func(y int) {
		for x := range w {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			var c rgb
			if pl.needsSamples(fx, fy, margin) {
				on := 0
				for j := range ss {
					for i := range ss {
						s, card := pl.sample(float64(x)+(float64(i)+0.5)/ss, float64(y)+(float64(j)+0.5)/ss)
						c[0], c[1], c[2] = c[0]+s[0], c[1]+s[1], c[2]+s[2]
						if card {
							on++
						}
					}
				}
				c = c.scale(1.0 / (ss * ss))
				laminate[y*w+x] = float32(on) / (ss * ss)
			} else {
				c, _ = pl.sample(fx, fy)
			}
			// The lamp falls off across the frame; the lens vignettes.
			lx, ly := fx/float64(w)-pl.lampX, fy/float64(h)-0.5-pl.lampY
			r := math.Hypot(fx-float64(w)/2, fy-float64(h)/2) / diag
			k := (1 - pl.lampFall*math.Min(1, math.Hypot(lx, ly))) * (1 - pl.vignette*r*r)
			o := 3 * (y*w + x)
			for ch := range 3 {
				lp.pix[o+ch] = float32(c[ch] * k)
			}
		}
	})
	return lp, laminate
}

// needsSamples reports whether pixel centre (x, y) is near the card or the
// thumb, where detail needs supersampling.
func (pl *plan) needsSamples(x, y, margin float64) bool {
	u, v, ok := pl.cam.toCard.apply(x, y)
	if !ok {
		return false
	}
	if u > -margin && v > -margin && u < cardW+margin && v < cardH+margin {
		return true
	}
	if o := pl.desk.obj; o != nil && math.Abs(o.nx*x*pl.desk.scale+o.ny*y*pl.desk.scale-o.d) < 3 {
		return true
	}
	return pl.thumb != nil && pl.thumb.outside(u, v) < margin+shadowMM
}

// sample is the reflectance seen at frame point (x, y), and whether it is
// the card's laminate.
func (pl *plan) sample(x, y float64) (rgb, bool) {
	u, v, ok := pl.cam.toCard.apply(x, y)
	card := ok && inCard(u, v)
	var c rgb
	switch {
	case !ok:
		c = pl.desk.at(x, y)
	case card:
		c = pl.print.at(u, v)
	default:
		c = pl.desk.at(x, y).scale(1 - 0.45*pl.cardShadow(u, v))
	}
	if pl.thumb != nil && ok {
		d := c
		if c = pl.thumb.over(u, v, c); c != d && pl.thumb.outside(u, v) == 0 {
			card = false
		}
	}
	return c, card
}

// cardShadow is the card's soft shadow on the desk at card-plane point
// (u, v), 0..1.
func (pl *plan) cardShadow(u, v float64) float64 {
	u, v = u-pl.shadowDX, v-pl.shadowDY
	dx := math.Max(0, math.Abs(u-cardW/2)-cardW/2)
	dy := math.Max(0, math.Abs(v-cardH/2)-cardH/2)
	d := math.Hypot(dx, dy) / pl.shadowSoft
	return math.Exp(-d * d)
}
