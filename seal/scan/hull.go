package scan

import (
	"math"
	"sort"
)

// convexHullSorted is Andrew's monotone chain on points already sorted by
// (y, x); collinear points are dropped.
func convexHullSorted(p []pt) []pt {
	if len(p) < 3 {
		return nil
	}
	cross := func(o, a, b pt) float64 { return (a.x-o.x)*(b.y-o.y) - (a.y-o.y)*(b.x-o.x) }
	h := make([]pt, 0, 2*len(p))
	for _, q := range p {
		for len(h) >= 2 && cross(h[len(h)-2], h[len(h)-1], q) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, q)
	}
	lower := len(h) + 1
	for i := len(p) - 2; i >= 0; i-- {
		q := p[i]
		for len(h) >= lower && cross(h[len(h)-2], h[len(h)-1], q) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, q)
	}
	return h[:len(h)-1]
}

func polyArea(p []pt) float64 {
	var a float64
	for i := range p {
		j := (i + 1) % len(p)
		a += p[i].x*p[j].y - p[j].x*p[i].y
	}
	return math.Abs(a) / 2
}

// hullQuad finds the four sides of a symbol on its convex hull: runs of
// hull edges that keep their direction, the four longest taken as sides,
// and the corners where they meet. Unlike the hull's own vertices this
// recovers a corner that the symbol leaves light (the top-right module of a
// DataMatrix, the data corner of a QR code).
func hullQuad(h []pt) (quad, bool) {
	n := len(h)
	if n < 4 {
		return quad{}, false
	}
	type side struct {
		a, b   pt
		length float64
		first  int
	}
	// Start the walk at the vertex after the sharpest turn, so that no run
	// wraps around the end of the list.
	start, sharp := 0, -1.0
	for i := 0; i < n; i++ {
		p, c, nx := h[(i+n-1)%n], h[i], h[(i+1)%n]
		a1 := math.Atan2(c.y-p.y, c.x-p.x)
		a2 := math.Atan2(nx.y-c.y, nx.x-c.x)
		turn := math.Abs(math.Remainder(a2-a1, 2*math.Pi))
		if turn > sharp {
			sharp, start = turn, i
		}
	}
	var sides []side
	dir := 0.0
	for k := 0; k < n; k++ {
		a, b := h[(start+k)%n], h[(start+k+1)%n]
		l := math.Hypot(b.x-a.x, b.y-a.y)
		if l == 0 {
			continue
		}
		d := math.Atan2(b.y-a.y, b.x-a.x)
		if len(sides) > 0 && math.Abs(math.Remainder(d-dir, 2*math.Pi)) < 0.3 {
			s := &sides[len(sides)-1]
			s.b = b
			s.length += l
			continue
		}
		sides = append(sides, side{a: a, b: b, length: l, first: k})
		dir = d
	}
	if len(sides) < 4 {
		return quad{}, false
	}
	// The four longest runs, back in hull order.
	idx := make([]int, len(sides))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(i, j int) bool { return sides[idx[i]].length > sides[idx[j]].length })
	idx = idx[:4]
	sort.Ints(idx)
	var total float64
	for _, s := range sides {
		total += s.length
	}
	var lines [4]line
	var kept float64
	for i, k := range idx {
		s := sides[k]
		kept += s.length
		dx, dy := s.b.x-s.a.x, s.b.y-s.a.y
		l := math.Hypot(dx, dy)
		nx, ny := dy/l, -dx/l
		lines[i] = line{nx, ny, nx*s.a.x + ny*s.a.y}
	}
	if kept < 0.7*total {
		return quad{}, false
	}
	var q quad
	for i := 0; i < 4; i++ {
		p, ok := lines[(i+3)%4].intersect(lines[i])
		if !ok {
			return quad{}, false
		}
		q[i] = p
	}
	return orderQuad(q), true
}

// maxQuad returns the largest quadrilateral whose corners are vertices of
// a convex polygon: the outline of a symbol seen in perspective. For each
// first corner i and opposite corner k, the best corners between them move
// forward monotonically as k does (a rotating-calipers argument), so the
// search is quadratic.
func maxQuad(h []pt) quad {
	n := len(h)
	if n < 4 {
		return quad{}
	}
	area2 := func(a, b, c pt) float64 { return math.Abs((b.x-a.x)*(c.y-a.y) - (b.y-a.y)*(c.x-a.x)) }
	at := func(i int) pt { return h[i%n] }
	best, bi, bj, bk, bl := -1.0, 0, 1, 2, 3
	for i := 0; i < n; i++ {
		j, l := i+1, i+3
		for k := i + 2; k < i+n-1; k++ {
			if j >= k {
				j = k - 1
			}
			for j+1 < k && area2(at(i), at(j+1), at(k)) >= area2(at(i), at(j), at(k)) {
				j++
			}
			if l <= k {
				l = k + 1
			}
			for l+1 < i+n && area2(at(i), at(k), at(l+1)) >= area2(at(i), at(k), at(l)) {
				l++
			}
			if a := area2(at(i), at(j), at(k)) + area2(at(i), at(k), at(l)); a > best {
				best, bi, bj, bk, bl = a, i, j, k, l
			}
		}
	}
	return orderQuad(quad{at(bi), at(bj), at(bk), at(bl)})
}

// orderQuad rotates the corner order so that q[0] is the corner nearest to
// the top-left, keeping the winding clockwise on screen.
func orderQuad(q quad) quad {
	// Make the winding clockwise on screen (positive signed area with y down).
	var a float64
	for i := 0; i < 4; i++ {
		j := (i + 1) % 4
		a += q[i].x*q[j].y - q[j].x*q[i].y
	}
	if a < 0 {
		q[1], q[3] = q[3], q[1]
	}
	first := 0
	for i := 1; i < 4; i++ {
		if q[i].x+q[i].y < q[first].x+q[first].y {
			first = i
		}
	}
	var out quad
	for i := 0; i < 4; i++ {
		out[i] = q[(first+i)%4]
	}
	return out
}

// minAreaRect returns the smallest rectangle around a convex hull; one of
// its sides lies along a hull edge (Freeman and Shapira, 1975).
func minAreaRect(h []pt) (candidate, bool) {
	if len(h) < 3 {
		return candidate{}, false
	}
	best := candidate{}
	bestArea := math.Inf(1)
	for i := range h {
		j := (i + 1) % len(h)
		ex, ey := h[j].x-h[i].x, h[j].y-h[i].y
		l := math.Hypot(ex, ey)
		if l < 1e-9 {
			continue
		}
		ux, uy := ex/l, ey/l
		minU, maxU, minV, maxV := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, q := range h {
			u, v := q.x*ux+q.y*uy, -q.x*uy+q.y*ux
			minU, maxU = math.Min(minU, u), math.Max(maxU, u)
			minV, maxV = math.Min(minV, v), math.Max(maxV, v)
		}
		if a := (maxU - minU) * (maxV - minV); a < bestArea {
			bestArea = a
			cu, cv := (minU+maxU)/2, (minV+maxV)/2
			best = candidate{
				cx: cu*ux - cv*uy, cy: cu*uy + cv*ux,
				theta: math.Atan2(uy, ux), hu: (maxU - minU) / 2, hv: (maxV - minV) / 2,
			}
		}
	}
	return best, bestArea > 0 && !math.IsInf(bestArea, 0)
}
