package scan

import "math"

// lShape tells whether a quad's outline looks like a DataMatrix whatever
// its size: two adjacent sides solid dark just inside the outline (the
// "L"), the other two broken (the timing), and light just outside. It
// needs no grid, so it still sees a symbol whose modules are too small or
// too blurred for any size to be told.
func lShape(g *gray, q quad) bool {
	const k = 24 // samples per side
	var solid [4]float64
	for i := 0; i < 4; i++ {
		a, b := q[i], q[(i+1)%4]
		l := math.Hypot(b.x-a.x, b.y-a.y)
		if l < 12 {
			return false
		}
		t := pt{(b.x - a.x) / l, (b.y - a.y) / l}
		n := pt{t.y, -t.x} // outward for a clockwise outline
		in, out := 0.6, 2.5
		var vin, vout [k]float64
		lo, hi := 255.0, 0.0
		for j := 0; j < k; j++ {
			s := 0.1 + 0.8*(float64(j)+0.5)/k
			p := pt{a.x + (b.x-a.x)*s, a.y + (b.y-a.y)*s}
			vin[j] = g.bilinear(p.x-n.x*in, p.y-n.y*in)
			vout[j] = g.bilinear(p.x+n.x*out, p.y+n.y*out)
			lo, hi = math.Min(lo, vin[j]), math.Max(hi, vout[j])
		}
		if hi-lo < 16 {
			return false
		}
		dark := 0
		for j := 0; j < k; j++ {
			if vin[j] < vout[j]-(hi-lo)/3 {
				dark++
			}
		}
		solid[i] = float64(dark) / k
	}
	for c := 0; c < 4; c++ {
		// corner c lies between side c-1 and side c
		s1, s2 := solid[(c+3)%4], solid[c]
		o1, o2 := solid[(c+1)%4], solid[(c+2)%4]
		if s1 >= 0.85 && s2 >= 0.85 && o1 > 0.2 && o1 < 0.8 && o2 > 0.2 && o2 < 0.8 {
			return true
		}
	}
	return false
}

// squareLike tells whether an outline is a square between 30 and maxSide
// pixels wide, printed densely inside: what a seal too small or too
// blurred to show its "L" looks like.
func squareLike(g *gray, q quad, maxSide float64) bool {
	var sides [4]float64
	for i := 0; i < 4; i++ {
		j := (i + 1) % 4
		sides[i] = math.Hypot(q[j].x-q[i].x, q[j].y-q[i].y)
	}
	lo, hi := math.Min(math.Min(sides[0], sides[1]), math.Min(sides[2], sides[3])), math.Max(math.Max(sides[0], sides[1]), math.Max(sides[2], sides[3]))
	if lo < 30 || hi > maxSide || hi/lo > 1.25 {
		return false
	}
	h, ok := squareToQuad(q)
	if !ok {
		return false
	}
	// Inside: mid-grey on average with texture; outside: lighter.
	var in, out mean
	var dev float64
	const k = 16
	vals := make([]float64, 0, k*k)
	for y := 0; y < k; y++ {
		for x := 0; x < k; x++ {
			px, py := h.apply((float64(x)+0.5)/k, (float64(y)+0.5)/k)
			v := g.bilinear(px, py)
			vals = append(vals, v)
			in.add(v)
		}
	}
	for _, v := range vals {
		dev += math.Abs(v - in.get())
	}
	dev /= float64(len(vals))
	for j := 0; j < 32; j++ {
		u := (float64(j) + 0.5) / 32
		for _, p := range [4][2]float64{{u, -0.06}, {1.06, u}, {u, 1.06}, {-0.06, u}} {
			x, y := h.apply(p[0], p[1])
			out.add(g.bilinear(x, y))
		}
	}
	return out.get()-in.get() > 25 && dev > 10
}

// besideGlare tells whether one side of an outline runs along a patch
// the sensor saturated: a code half washed out by a reflection shows only
// its other half, and the reflection lies beside it.
func besideGlare(g *gray, q quad) bool {
	for i := 0; i < 4; i++ {
		a, b := q[i], q[(i+1)%4]
		l := math.Hypot(b.x-a.x, b.y-a.y)
		if l < 30 {
			return false
		}
		n := pt{(b.y - a.y) / l, -(b.x - a.x) / l} // outward
		white := 0
		const k = 32
		for j := 0; j < k; j++ {
			s := 0.1 + 0.8*(float64(j)+0.5)/k
			if g.bilinear(a.x+(b.x-a.x)*s+3*n.x, a.y+(b.y-a.y)*s+3*n.y) >= 250 {
				white++
			}
		}
		if white*10 >= 6*k {
			return true
		}
	}
	return false
}
