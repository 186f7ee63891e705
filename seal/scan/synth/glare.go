package synth

import (
	"math"
	"math/rand"
)

// glare is the specular reflection of a lamp or a window on the card's
// laminate: an elliptical highlight with soft edges, added to the light
// reaching the sensor. Its core (where it is at least half its peak) is
// the ellipse of semi-axes a, b; it fades out by 1.5 times that.
type glare struct {
	x, y     float64 // centre, frame pixels
	a, b     float64 // semi-axes, pixels
	sin, cos float64 // orientation
	peak     float64 // linear radiance added at the centre (1 = full scale)
}

// newGlare places a highlight of random shape, orientation, direction and
// strength (0.55-0.95 of full scale: nearly saturating on the paper, the
// modules under it washed out but not erased) so that its core covers
// frac of the symbol, given by its corners in the frame.
func newGlare(r *rand.Rand, sym [4]pt, frac float64) *glare {
	side := (dist(sym[0], sym[1]) + dist(sym[1], sym[2]) + dist(sym[2], sym[3]) + dist(sym[3], sym[0])) / 4
	g := &glare{a: side * uniform(r, 0.5, 0.9), peak: uniform(r, 0.55, 0.95)}
	g.b = g.a * uniform(r, 0.45, 0.8)
	g.sin, g.cos = math.Sincos(r.Float64() * math.Pi)
	dir := r.Float64() * 2 * math.Pi
	cx := (sym[0].x + sym[1].x + sym[2].x + sym[3].x) / 4
	cy := (sym[0].y + sym[1].y + sym[2].y + sym[3].y) / 4
	at := func(d float64) float64 {
		g.x, g.y = cx+d*math.Cos(dir), cy+d*math.Sin(dir)
		return g.coverage(sym)
	}
	for at(0) < frac { // too small to cover that much: grow it
		g.a, g.b = g.a*1.2, g.b*1.2
	}
	lo, hi := 0.0, 2*side+2*g.a // coverage falls from at(lo) >= frac to 0
	for range 40 {
		if mid := (lo + hi) / 2; at(mid) >= frac {
			lo = mid
		} else {
			hi = mid
		}
	}
	at(lo)
	return g
}

// coverage is the share of the symbol (a quad in the frame) under the
// glare's core, sampled on a 32x32 grid (bilinear in the quad: close
// enough to the perspective for a 12 mm symbol).
func (g *glare) coverage(q [4]pt) float64 {
	const n = 32
	in := 0
	for i := range n {
		for j := range n {
			s, t := (float64(i)+0.5)/n, (float64(j)+0.5)/n
			x := (1-t)*((1-s)*q[0].x+s*q[1].x) + t*((1-s)*q[3].x+s*q[2].x)
			y := (1-t)*((1-s)*q[0].y+s*q[1].y) + t*((1-s)*q[3].y+s*q[2].y)
			if g.radius(x, y) <= 1 {
				in++
			}
		}
	}
	return float64(in) / (n * n)
}

// radius is the elliptical distance of (x, y) from the centre: 1 on the
// core's edge.
func (g *glare) radius(x, y float64) float64 {
	dx, dy := x-g.x, y-g.y
	u, v := dx*g.cos+dy*g.sin, -dx*g.sin+dy*g.cos
	return math.Hypot(u/g.a, v/g.b)
}

// at is the radiance the glare adds at (x, y): a plateau to 0.5, half the
// peak at 1, nothing beyond 1.5, and a faint halo twice as wide.
func (g *glare) at(x, y float64) float64 {
	e := g.radius(x, y)
	core := 1 - smoothstep(0.5, 1.5, e)
	halo := 0.12 * (1 - smoothstep(0.8, 3, e))
	return g.peak * math.Max(core, halo)
}

func smoothstep(a, b, x float64) float64 {
	t := clamp01((x - a) / (b - a))
	return t * t * (3 - 2*t)
}

// pt is a point in the frame, pixels.
type pt struct{ x, y float64 }

func dist(a, b pt) float64 { return math.Hypot(a.x-b.x, a.y-b.y) }
