package scan

import "math"

// Glare washing out the far part of a symbol, or a thumb over it, leaves
// an outline that stops short: one side is right, the two sides that
// leave it run the right way, and the fourth lies a few modules in. A
// symbol is square, so the right side tells the size the others should
// have, give or take the perspective. extendQuad slides the fourth side
// along the two others, for each side taken as the right one, to where the
// fixed pattern of hypothesis f reads best. That finds a lost side of the
// "L", whose solid edge and quiet zone fit in one place only; a timing
// side, dashed, also fits two modules off, and a grid of another size.

// unsquare tells whether an outline's sides are too unequal for a square
// symbol seen at up to 35 degrees, yet not so unequal that more than a
// third of the symbol would be lost (a line of text, more likely).
func unsquare(q quad) bool {
	l := func(i int) float64 { j := (i + 1) % 4; return math.Hypot(q[j].x-q[i].x, q[j].y-q[i].y) }
	r := (l(0) + l(2)) / (l(1) + l(3))
	r = math.Min(r, 1/r)
	return r < 0.85 && r > 0.65
}

// extendQuad returns the outline, grown or shrunk along one axis from one
// of its sides, on which hypothesis f's fixed pattern scores best, and
// that score; ok is false when none scores better than on q.
func extendQuad(s *sampler, q quad, f gridFit) (quad, gridFit, bool) {
	fixed := fixedOf(f)
	best, bestQ, found := f, q, false
	bestK, bestE := 0, 0.0
	// extent scores q with the far side from side k at e pixels from it.
	extent := func(k int, e float64) {
		a, b := q[k], q[(k+1)%4]
		c, d := q[(k+2)%4], q[(k+3)%4] // the far ends of the sides from b and a
		la, lb := math.Hypot(d.x-a.x, d.y-a.y), math.Hypot(c.x-b.x, c.y-b.y)
		if la < 1 || lb < 1 {
			return
		}
		t := q
		t[(k+3)%4] = pt{a.x + (d.x-a.x)/la*e, a.y + (d.y-a.y)/la*e}
		t[(k+2)%4] = pt{b.x + (c.x-b.x)/lb*e, b.y + (c.y-b.y)/lb*e}
		h, ok := squareToQuad(t)
		if !ok {
			return
		}
		if g := (&sampler{g: s.g, h: h}).score(f, fixed); g.acc > best.acc+0.02 {
			best, bestQ, found, bestK, bestE = g, t, true, k, e
		}
	}
	// A module at a time, from 0.75 to 1.3 times the side kept; then
	// half a module either side of the best.
	var module [4]float64
	for k := 0; k < 4; k++ {
		base := math.Hypot(q[(k+1)%4].x-q[k].x, q[(k+1)%4].y-q[k].y)
		if base < 8 {
			continue
		}
		module[k] = base / float64(max(f.rows, f.cols))
		for e := 0.75 * base; e <= 1.3*base; e += module[k] {
			extent(k, e)
		}
	}
	if found {
		k, e := bestK, bestE
		extent(k, e-module[k]/2)
		extent(k, e+module[k]/2)
	}
	return bestQ, best, found
}
