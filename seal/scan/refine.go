package scan

import (
	"math"
)

// quad is the outline of a symbol: corners in order around it.
type quad [4]pt

// refine fits the four edges of the symbol around a candidate outline:
// scanlines perpendicular to each side, from outside inward, stop at the
// first dark sample; a line is fitted robustly through those stops (on a
// dashed timing edge only the dark modules reach the line, deeper stops are
// rejected). The corners are the intersections of adjacent lines, so
// perspective is caught as well as rotation.
func refine(g *gray, c candidate) (quad, bool) {
	q0 := c.q
	side := 0.0
	for i := 0; i < 4; i++ {
		j := (i + 1) % 4
		side += math.Hypot(q0[j].x-q0[i].x, q0[j].y-q0[i].y) / 4
	}
	margin := math.Max(3, side*0.05)
	var lines [4]line
	for i := 0; i < 4; i++ {
		a, b := q0[i], q0[(i+1)%4]
		l := math.Hypot(b.x-a.x, b.y-a.y)
		if l < 4 {
			return quad{}, false
		}
		t := pt{(b.x - a.x) / l, (b.y - a.y) / l}
		n := pt{t.y, -t.x} // outward for a clockwise (on screen) outline
		mid := pt{(a.x + b.x) / 2, (a.y + b.y) / 2}
		ln, ok := fitEdge(g, mid, n, t, 0, l/2, margin)
		if !ok {
			return quad{}, false
		}
		lines[i] = ln
	}
	// Corner i lies between side i-1 and side i.
	var q quad
	for i := 0; i < 4; i++ {
		x, ok := lines[(i+3)%4].intersect(lines[i])
		if !ok {
			return quad{}, false
		}
		q[i] = x
	}
	if !convex(q) {
		return quad{}, false
	}
	// The fit must stay close to the outline it started from.
	for i := range q {
		if math.Hypot(q[i].x-q0[i].x, q[i].y-q0[i].y) > side/4 {
			return quad{}, false
		}
	}
	return q, true
}

// rectQuad is the candidate rectangle itself, when the edges do not fit.
func rectQuad(c candidate) quad {
	cs, sn := math.Cos(c.theta), math.Sin(c.theta)
	var q quad
	for i, sgn := range [4][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
		q[i] = pt{c.cx + sgn[0]*c.hu*cs - sgn[1]*c.hv*sn, c.cy + sgn[0]*c.hu*sn + sgn[1]*c.hv*cs}
	}
	return q
}

// fitEdge scans across one side and fits its line.
func fitEdge(g *gray, ctr, n, t pt, dist, halfT, margin float64) (line, bool) {
	const step = 0.5
	k := int(math.Min(48, math.Max(12, halfT)))
	ts := make([]float64, 0, k)
	ds := make([]float64, 0, k)
	depthOut, depthIn := margin, margin*1.5
	ns := int((depthOut + depthIn) / step)
	samples := make([]float64, ns)
	for i := 0; i < k; i++ {
		tt := (-0.9 + 1.8*(float64(i)+0.5)/float64(k)) * halfT
		bx, by := ctr.x+t.x*tt, ctr.y+t.y*tt
		lo, hi := 255.0, 0.0
		for j := 0; j < ns; j++ {
			d := dist + depthOut - float64(j)*step
			s := g.bilinear(bx+n.x*d, by+n.y*d)
			samples[j] = s
			lo, hi = math.Min(lo, s), math.Max(hi, s)
		}
		if hi-lo < 12 {
			continue
		}
		// Light reference: the brightest of the outer samples, the quiet
		// zone; dark reference: the darkest overall.
		light := 0.0
		for j := 0; j < ns/3; j++ {
			light = math.Max(light, samples[j])
		}
		thr := (light + lo) / 2
		for j := 1; j < ns; j++ {
			if samples[j] < thr {
				if samples[j-1] < thr {
					break // started dark: no quiet zone on this line
				}
				// The edge is where the grey is halfway between the
				// quiet zone and this module's own darkest: a lone
				// timing module is blurred lighter than a solid run,
				// and the overall threshold would place its edge
				// too deep.
				local := samples[j]
				for k := j; k < min(ns, j+int(2.5/step)); k++ {
					if samples[k] > local+4 {
						break
					}
					local = math.Min(local, samples[k])
				}
				half := (light + local) / 2
				for j > 1 && samples[j-1] < half {
					j--
				}
				f := (samples[j-1] - half) / (samples[j-1] - samples[j])
				if samples[j] >= half {
					f = 1
				}
				d := dist + depthOut - (float64(j-1)+f)*step
				ts = append(ts, tt)
				ds = append(ds, d)
				break
			}
		}
	}
	a, b, ok := robustLine(ts, ds, math.Max(0.8, margin*0.08))
	if !ok {
		return line{}, false
	}
	// d = a + b t: the points p = ctr + t*T + d*N satisfy
	// (N - b T)·(p - ctr) = a (since T and N are orthonormal).
	nx, ny := n.x-b*t.x, n.y-b*t.y
	l := math.Hypot(nx, ny)
	nx, ny = nx/l, ny/l
	return line{nx, ny, (a + nx*ctr.x*l + ny*ctr.y*l) / l}, true
}

// robustLine fits d = a + b t: among the lines through two points it keeps
// the one with the most points within tol, preferring the outermost (the
// largest d) on ties, then refits on those points by least squares.
func robustLine(ts, ds []float64, tol float64) (float64, float64, bool) {
	n := len(ts)
	if n < 4 {
		return 0, 0, false
	}
	bestN, bestA, bestB := 0, 0.0, 0.0
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			dt := ts[j] - ts[i]
			if math.Abs(dt) < 1e-9 {
				continue
			}
			b := (ds[j] - ds[i]) / dt
			if math.Abs(b) > 0.6 { // more than ~30 degrees off the rectangle
				continue
			}
			a := ds[i] - b*ts[i]
			cnt := 0
			for k := 0; k < n; k++ {
				if math.Abs(ds[k]-(a+b*ts[k])) <= tol {
					cnt++
				}
			}
			if cnt > bestN || cnt == bestN && a > bestA {
				bestN, bestA, bestB = cnt, a, b
			}
		}
	}
	if bestN < 4 || bestN*4 < n {
		return 0, 0, false
	}
	var st, sd, stt, std float64
	m := 0.0
	for k := 0; k < n; k++ {
		if math.Abs(ds[k]-(bestA+bestB*ts[k])) <= tol {
			st += ts[k]
			sd += ds[k]
			stt += ts[k] * ts[k]
			std += ts[k] * ds[k]
			m++
		}
	}
	den := m*stt - st*st
	if math.Abs(den) < 1e-9 {
		return bestA, bestB, true
	}
	b := (m*std - st*sd) / den
	a := (sd - b*st) / m
	return a, b, true
}
