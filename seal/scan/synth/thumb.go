package synth

import (
	"math"
	"math/rand"
)

// thumb is the clerk's thumb holding the card over one edge, in card
// millimetres: a finger 16-20 mm wide coming from outside the card, its
// rounded tip on the card, its nail up, its shadow on the card.
type thumb struct {
	tipX, tipY float64 // the tip
	dx, dy     float64 // unit vector from the tip towards the hand
	half       float64 // half width
	tipLen     float64 // length of the rounded end
	skin       rgb
}

// shadowMM is how far the thumb's soft shadow reaches on the card.
const shadowMM = 1.8

// newThumb places a thumb over an edge (left, bottom, right or top; left
// and bottom the most often, as a card is held to the camera) reaching
// 6-18 mm into the card, pulled back until it leaves the symbol and 0.5
// mm around it clear: it may come close to the seal, never over it.
func newThumb(r *rand.Rand) *thumb {
	t := &thumb{half: uniform(r, 8, 10)}
	t.tipLen = t.half * uniform(r, 1.0, 1.3)
	t.skin = rgb{0.62, 0.36, 0.26}.scale(uniform(r, 0.7, 1.15))
	edge := []int{0, 0, 0, 1, 1, 1, 2, 2, 3}[r.Intn(9)]
	along := r.Float64()
	tilt := rad(uniform(r, -25, 25))
	for depth := uniform(r, 6, 18); ; depth-- {
		var x, y, nx, ny float64 // a point on the edge and the outward normal
		switch edge {
		case 0:
			x, y, nx, ny = 0, 8+along*(cardH-16), -1, 0
		case 1:
			x, y, nx, ny = 8+along*(cardW-16), cardH, 0, 1
		case 2:
			x, y, nx, ny = cardW, 8+along*(cardH-16), 1, 0
		default:
			x, y, nx, ny = 8+along*(cardW-16), 0, 0, -1
		}
		s, c := math.Sincos(tilt)
		t.dx, t.dy = nx*c-ny*s, nx*s+ny*c
		t.tipX, t.tipY = x-t.dx*depth, y-t.dy*depth
		if depth <= 2 || !t.overSeal() {
			return t
		}
	}
}

// overSeal reports whether the thumb or its shadow touches the symbol or
// the 0.5 mm around it.
func (t *thumb) overSeal() bool {
	const m = 0.5
	for i := 0; i <= 16; i++ {
		for j := 0; j <= 16; j++ {
			u := sealX - m + (sealSide+2*m)*float64(i)/16
			v := sealY - m + (sealSide+2*m)*float64(j)/16
			if t.outside(u, v) < shadowMM {
				return true
			}
		}
	}
	return false
}

// local maps (u, v) to the thumb's axis: s from the tip towards the hand,
// w across, and the half width hw at s (0 before the tip).
func (t *thumb) local(u, v float64) (s, w, hw float64) {
	x, y := u-t.tipX, v-t.tipY
	s = x*t.dx + y*t.dy
	w = math.Abs(-x*t.dy + y*t.dx)
	switch {
	case s <= 0:
		hw = 0
	case s < t.tipLen:
		k := (t.tipLen - s) / t.tipLen
		hw = t.half * math.Sqrt(1-k*k)
	default: // widening slowly, then into the hand 35 mm from the tip
		hw = t.half * (1 + 0.04*(s-t.tipLen)/10 + 0.5*smoothstep(35, 60, s))
	}
	return
}

// outside is roughly how far (u, v) lies outside the thumb, in mm (0 on
// or inside it).
func (t *thumb) outside(u, v float64) float64 {
	s, w, hw := t.local(u, v)
	if s <= 0 {
		return math.Hypot(s, w)
	}
	return math.Max(0, w-hw)
}

// over is what is seen at (u, v) with the thumb over what lies below (c):
// the thumb shaded as a cylinder lit from above, its nail, or its shadow.
func (t *thumb) over(u, v float64, c rgb) rgb {
	s, w, hw := t.local(u, v)
	if s <= 0 || w >= hw {
		// The shadow, offset towards the bottom right of the card.
		o := t.outside(u-0.6, v-0.8)
		if o < shadowMM {
			return c.scale(1 - 0.45*(1-o/shadowMM))
		}
		return c
	}
	e := w / hw
	n := math.Sqrt(1 - e*e)
	col := t.skin.scale(0.35 + 0.65*n)
	// The nail: from 1.2 mm behind the tip over 11 mm, 62 % of the width.
	if s > 1.2 && s < 12.2 && w < 0.62*hw {
		nail := rgb{0.80, 0.58, 0.52}
		if s < 2.6 { // its free edge
			nail = rgb{0.86, 0.80, 0.74}
		}
		col = nail.scale(0.5 + 0.5*n)
	}
	return col.mix(rgb{1, 1, 1}, 0.06*math.Pow(n, 12)) // a soft sheen
}
