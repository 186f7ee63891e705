package scan

import "math"

// A card moved during the exposure smears the symbol along a line: its
// modules mix with their neighbours in that direction only, and past about
// two modules no threshold separates them. Knowing the motion, most of it
// can be undone (Richardson-Lucy deconvolution), and the grid read again.

// motionOf estimates the motion that blurred a symbol from the ramps across
// its outline's edges: a move of L pixels widens the ramp across an edge
// by L times the cosine of the angle between the move and the edge's
// normal. Both signs of the cross term fit the ramps: the two moves are
// returned, or none when the ramps are those of a sharp or defocused edge.
func motionOf(g *gray, q quad) ([2]pt, bool) {
	var w [4]float64
	var normal [4]pt
	for i := 0; i < 4; i++ {
		a, b := q[i], q[(i+1)%4]
		l := math.Hypot(b.x-a.x, b.y-a.y)
		if l < 20 {
			return [2]pt{}, false
		}
		n := pt{(b.y - a.y) / l, -(b.x - a.x) / l} // outward
		normal[i] = n
		w[i] = rampWidth(g, a, b, n)
	}
	// Opposite sides see the same component of the move.
	intrinsic := 1.5 // anti-aliasing, optics, dot gain
	comp := func(x, y float64) float64 {
		m := (x + y) / 2
		return math.Sqrt(math.Max(0, m*m-intrinsic*intrinsic))
	}
	cu, cv := comp(w[0], w[2]), comp(w[1], w[3])
	if math.Hypot(cu, cv) < 2.5 {
		return [2]pt{}, false
	}
	nu, nv := normal[0], normal[1]
	return [2]pt{
		{cu*nu.x + cv*nv.x, cu*nu.y + cv*nv.y},
		{cu*nu.x - cv*nv.x, cu*nu.y - cv*nv.y},
	}, true
}

// rampWidth is the width of the grey ramp across the side a-b (outward
// normal n): twice the distance between the 25 % and 75 % levels of the
// mean profile, which for a move of w pixels across the edge is w.
func rampWidth(g *gray, a, b, n pt) float64 {
	const k, half, step = 16, 8.0, 0.5
	ns := int(2*half/step) + 1
	prof := make([]float64, ns)
	for j := 0; j < k; j++ {
		s := 0.15 + 0.7*(float64(j)+0.5)/k
		p := pt{a.x + (b.x-a.x)*s, a.y + (b.y-a.y)*s}
		for i := range prof {
			t := -half + float64(i)*step // inside < 0 < outside
			prof[i] += g.bilinear(p.x+n.x*t, p.y+n.y*t) / k
		}
	}
	light := prof[ns-1]
	dark := light
	for i := range prof[:ns/2+2] {
		dark = math.Min(dark, prof[i])
	}
	if light-dark < 10 {
		return 0
	}
	// Walk outward from the darkest point: where the profile crosses each
	// level.
	cross := func(level float64) float64 {
		for i := ns - 1; i > 0; i-- {
			if prof[i-1] < level && prof[i] >= level {
				f := (level - prof[i-1]) / (prof[i] - prof[i-1])
				return -half + (float64(i-1)+f)*step
			}
		}
		return 0
	}
	return 2 * (cross(light-0.25*(light-dark)) - cross(light-0.75*(light-dark)))
}

// deblurred returns a copy of g where the region around q is deconvolved
// for the move m (pixels), by iters rounds of Richardson-Lucy.
func deblurred(g *gray, q quad, m pt, iters int) *gray {
	l := math.Hypot(m.x, m.y)
	margin := int(l) + 6
	x0, y0, x1, y1 := g.w, g.h, 0, 0
	for _, p := range q {
		x0, y0 = min(x0, int(p.x)-margin), min(y0, int(p.y)-margin)
		x1, y1 = max(x1, int(p.x)+margin), max(y1, int(p.y)+margin)
	}
	x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, g.w), min(y1, g.h)
	w, h := x1-x0, y1-y0
	out := &gray{w: g.w, h: g.h, pix: append([]uint8(nil), g.pix...)}
	if w < 8 || h < 8 {
		return out
	}
	// The point spread: a line of length l, sampled finely and splatted.
	type tap struct {
		dx, dy int
		v      float64
	}
	acc := map[[2]int]float64{}
	samples := int(4*l) + 1
	for i := 0; i < samples; i++ {
		t := (float64(i)+0.5)/float64(samples) - 0.5
		acc[[2]int{int(math.Round(t * m.x)), int(math.Round(t * m.y))}] += 1 / float64(samples)
	}
	taps := make([]tap, 0, len(acc))
	for k, v := range acc {
		taps = append(taps, tap{k[0], k[1], v})
	}
	obs := make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			obs[y*w+x] = float64(g.pix[(y+y0)*g.w+x+x0]) + 1
		}
	}
	conv := func(dst, src []float64, sign int) {
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				var s float64
				for _, t := range taps {
					xx, yy := min(max(x+sign*t.dx, 0), w-1), min(max(y+sign*t.dy, 0), h-1)
					s += t.v * src[yy*w+xx]
				}
				dst[y*w+x] = s
			}
		}
	}
	est := append([]float64(nil), obs...)
	blur := make([]float64, w*h)
	ratio := make([]float64, w*h)
	back := make([]float64, w*h)
	for it := 0; it < iters; it++ {
		conv(blur, est, 1)
		for i := range ratio {
			ratio[i] = obs[i] / math.Max(blur[i], 1e-3)
		}
		conv(back, ratio, -1)
		for i := range est {
			est[i] = math.Min(est[i]*back[i], 400)
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			out.pix[(y+y0)*g.w+x+x0] = uint8(math.Min(255, math.Max(0, est[y*w+x]-1)))
		}
	}
	return out
}
