package scan

import "math"

// pt is a point in image coordinates (pixel (0,0) covers [0,1)x[0,1)).
type pt struct{ x, y float64 }

// homography maps the unit square onto a quadrilateral:
// (u,v) -> ((a u + b v + c)/(g u + h v + 1), (d u + e v + f)/(g u + h v + 1)).
type homography struct{ a, b, c, d, e, f, g, h float64 }

// squareToQuad maps (0,0), (1,0), (1,1), (0,1) onto q[0], q[1], q[2], q[3]
// (Heckbert, "Fundamentals of Texture Mapping", 1989, 2.2.3).
func squareToQuad(q [4]pt) (homography, bool) {
	dx1, dy1 := q[1].x-q[2].x, q[1].y-q[2].y
	dx2, dy2 := q[3].x-q[2].x, q[3].y-q[2].y
	dx3, dy3 := q[0].x-q[1].x+q[2].x-q[3].x, q[0].y-q[1].y+q[2].y-q[3].y
	var m homography
	if math.Abs(dx3) < 1e-9 && math.Abs(dy3) < 1e-9 {
		m = homography{a: q[1].x - q[0].x, b: q[3].x - q[0].x, c: q[0].x,
			d: q[1].y - q[0].y, e: q[3].y - q[0].y, f: q[0].y}
	} else {
		den := dx1*dy2 - dx2*dy1
		if math.Abs(den) < 1e-12 {
			return m, false
		}
		g := (dx3*dy2 - dx2*dy3) / den
		h := (dx1*dy3 - dx3*dy1) / den
		m = homography{
			a: q[1].x - q[0].x + g*q[1].x, b: q[3].x - q[0].x + h*q[3].x, c: q[0].x,
			d: q[1].y - q[0].y + g*q[1].y, e: q[3].y - q[0].y + h*q[3].y, f: q[0].y,
			g: g, h: h,
		}
	}
	for _, p := range [...]float64{m.a, m.b, m.c, m.d, m.e, m.f, m.g, m.h} {
		if math.IsNaN(p) || math.IsInf(p, 0) {
			return m, false
		}
	}
	return m, true
}

func (m *homography) apply(u, v float64) (float64, float64) {
	w := m.g*u + m.h*v + 1
	if w == 0 {
		w = 1e-12
	}
	return (m.a*u + m.b*v + m.c) / w, (m.d*u + m.e*v + m.f) / w
}

// projective is a general 3x3 projective map, row-major.
type projective [9]float64

// inverse returns the map from the quad back to the unit square.
func (m homography) inverse() (projective, bool) {
	a := [9]float64{m.a, m.b, m.c, m.d, m.e, m.f, m.g, m.h, 1}
	inv := projective{
		a[4]*a[8] - a[5]*a[7], a[2]*a[7] - a[1]*a[8], a[1]*a[5] - a[2]*a[4],
		a[5]*a[6] - a[3]*a[8], a[0]*a[8] - a[2]*a[6], a[2]*a[3] - a[0]*a[5],
		a[3]*a[7] - a[4]*a[6], a[1]*a[6] - a[0]*a[7], a[0]*a[4] - a[1]*a[3],
	}
	det := a[0]*inv[0] + a[1]*inv[3] + a[2]*inv[6]
	return inv, math.Abs(det) > 1e-12
}

func (m projective) apply(x, y float64) (float64, float64) {
	w := m[6]*x + m[7]*y + m[8]
	if w == 0 {
		w = 1e-12
	}
	return (m[0]*x + m[1]*y + m[2]) / w, (m[3]*x + m[4]*y + m[5]) / w
}

// line is a x + b y = c with (a, b) a unit normal.
type line struct{ a, b, c float64 }

func (l line) intersect(o line) (pt, bool) {
	det := l.a*o.b - l.b*o.a
	if math.Abs(det) < 1e-9 {
		return pt{}, false
	}
	return pt{(l.c*o.b - l.b*o.c) / det, (l.a*o.c - l.c*o.a) / det}, true
}

// convex reports whether q is a convex, non-degenerate quadrilateral in
// order (either winding).
func convex(q [4]pt) bool {
	sign := 0
	for i := 0; i < 4; i++ {
		a, b, c := q[i], q[(i+1)%4], q[(i+2)%4]
		z := (b.x-a.x)*(c.y-b.y) - (b.y-a.y)*(c.x-b.x)
		s := 1
		if z < 0 {
			s = -1
		}
		if math.Abs(z) < 1 {
			return false
		}
		if sign != 0 && s != sign {
			return false
		}
		sign = s
	}
	return true
}
