package scan

import "math"

// trimQuad cuts from an outline the print that the threshold glued to a
// symbol: a caption or a row of micro-text beyond the quiet zone. Seen
// along each axis of the outline, a symbol is one band where a good share
// of the samples is dark; glued print is a sparser band, apart from it by
// the light quiet zone. The band with the most dark samples is kept along
// each axis. It reports false when nothing is cut.
func trimQuad(g *gray, q quad) (quad, bool) {
	h, ok := squareToQuad(q)
	if !ok {
		return q, false
	}
	l := func(a, b pt) float64 { return math.Hypot(b.x-a.x, b.y-a.y) }
	// Samples 0.75 px apart, so that a one-module gap is seen.
	nu := min(max(int((l(q[0], q[1])+l(q[3], q[2]))/2/0.75), 16), 320)
	nv := min(max(int((l(q[0], q[3])+l(q[1], q[2]))/2/0.75), 16), 320)
	vals := make([]uint8, nu*nv)
	var hist [256]int
	for j := 0; j < nv; j++ {
		for i := 0; i < nu; i++ {
			x, y := h.apply((float64(i)+0.5)/float64(nu), (float64(j)+0.5)/float64(nv))
			v := uint8(g.bilinear(x, y))
			vals[j*nu+i] = v
			hist[v]++
		}
	}
	lo, hi := percentile(&hist, len(vals), 0.05), percentile(&hist, len(vals), 0.95)
	if hi-lo < 24 {
		return q, false
	}
	thr := uint8((int(lo) + int(hi)) / 2)
	cols, rows := make([]float64, nu), make([]float64, nv)
	for j := 0; j < nv; j++ {
		for i := 0; i < nu; i++ {
			if vals[j*nu+i] < thr {
				cols[i]++
				rows[j]++
			}
		}
	}
	for i := range cols {
		cols[i] /= float64(nv)
	}
	for j := range rows {
		rows[j] /= float64(nu)
	}
	u0, u1 := densestBand(cols)
	v0, v1 := densestBand(rows)
	if u1-u0 > nu*19/20 && v1-v0 > nv*19/20 {
		return q, false
	}
	us := [2]float64{float64(u0) / float64(nu), float64(u1) / float64(nu)}
	vs := [2]float64{float64(v0) / float64(nv), float64(v1) / float64(nv)}
	var t quad
	for k, c := range [4][2]int{{0, 0}, {1, 0}, {1, 1}, {0, 1}} {
		x, y := h.apply(us[c[0]], vs[c[1]])
		t[k] = pt{x, y}
	}
	return t, true
}

// densestBand splits a profile of dark fractions at its light gaps and
// returns the part [lo, hi) with the most dark samples.
func densestBand(f []float64) (int, int) {
	const gap = 0.1
	best, bl, bh := 0.0, 0, len(f)
	for i := 0; i < len(f); {
		if f[i] < gap {
			i++
			continue
		}
		j, sum := i, 0.0
		for ; j < len(f) && f[j] >= gap; j++ {
			sum += f[j]
		}
		if sum > best {
			best, bl, bh = sum, i, j
		}
		i = j
	}
	return bl, bh
}

// percentile is the grey level below which a share p of n samples lies.
func percentile(hist *[256]int, n int, p float64) uint8 {
	k, acc := int(p*float64(n)), 0
	for v := range hist {
		acc += hist[v]
		if acc > k {
			return uint8(v)
		}
	}
	return 255
}
