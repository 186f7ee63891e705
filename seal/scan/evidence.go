package scan

import "math"

// lShape tells whether a quad's outline looks like a DataMatrix whatever
// its size: two adjacent sides solid dark just inside the outline (the
// "L"), the other two broken (the timing), and light just outside. It
// needs no grid, so it still sees a symbol whose modules are too small or
// too blurred for any size to be told; it returns the index of the corner
// between the two solid sides.
func lShape(g *gray, q quad) (int, bool) {
	const k = 24 // samples per side
	var solid [4]float64
	for i := 0; i < 4; i++ {
		a, b := q[i], q[(i+1)%4]
		l := math.Hypot(b.x-a.x, b.y-a.y)
		if l < 12 {
			return 0, false
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
			return 0, false
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
			return c, true
		}
	}
	return 0, false
}
