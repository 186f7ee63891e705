package scan

import "math"

// A card moved during the exposure smears the symbol along a line: its
// modules mix with their neighbours in that direction only, and past about
// two modules no threshold separates them. Knowing the motion, most of it
// can be undone (Richardson-Lucy deconvolution), and the grid read again.

// moveOf estimates the move that blurred the symbol inside q from the
// autocorrelation of the grey level's derivative (Yitzhaky and Kopeika,
// "Identification of blur parameters from motion blurred images", 1997):
// a move of L pixels turns each edge into two opposite steps L apart, so
// along the move the derivative's autocorrelation dips at lag L, and it
// stays positive over the first lags, where across the move the modules'
// own edges make it dip at once.
func moveOf(g *gray, q quad) (pt, bool) {
	cx, cy := (q[0].x+q[1].x+q[2].x+q[3].x)/4, (q[0].y+q[1].y+q[2].y+q[3].y)/4
	// A square well inside the outline.
	r := math.Inf(1)
	for i := 0; i < 4; i++ {
		a, b := q[i], q[(i+1)%4]
		l := math.Hypot(b.x-a.x, b.y-a.y)
		if l < 1 {
			return pt{}, false
		}
		r = math.Min(r, math.Abs((b.x-a.x)*(cy-a.y)-(b.y-a.y)*(cx-a.x))/l)
	}
	r *= 0.85
	n := int(2 * r)
	if n < 24 {
		return pt{}, false
	}
	const angles, maxLag = 36, 14
	var corr [angles][maxLag + 1]float64
	row := make([]float64, n)
	for a := range corr {
		th := float64(a) * math.Pi / angles
		ux, uy := math.Cos(th), math.Sin(th)
		for j := 0; j < n; j += 2 {
			off := float64(j) - r
			for i := range row {
				t := float64(i) - r
				row[i] = g.bilinear(cx+ux*t-uy*off, cy+uy*t+ux*off)
			}
			for i := 0; i+1 < n; i++ {
				row[i] = row[i+1] - row[i]
			}
			for lag := 0; lag <= maxLag && lag < n-1; lag++ {
				var s float64
				for i := 0; i+lag < n-1; i++ {
					s += row[i] * row[i+lag]
				}
				corr[a][lag] += s
			}
		}
		if corr[a][0] <= 0 {
			return pt{}, false
		}
		for lag := maxLag; lag >= 0; lag-- {
			corr[a][lag] /= corr[a][0]
		}
	}
	// The move's direction keeps the derivative correlated longest.
	best := 0
	for a := range corr {
		if corr[a][2] > corr[best][2] {
			best = a
		}
	}
	across := corr[(best+angles/2)%angles][2]
	if corr[best][2]-across < 0.3 {
		return pt{}, false // isotropic: sharp or defocused
	}
	dip := 2
	for lag := 3; lag <= maxLag; lag++ {
		if corr[best][lag] < corr[best][dip] {
			dip = lag
		}
	}
	if dip < 3 || corr[best][dip] > -0.15 {
		return pt{}, false
	}
	// R(2) finds the direction roughly (the grid's own edges bias it);
	// the dip at the move's length is deepest along the move itself.
	for k, first := -5, best; k <= 5; k++ {
		if a := (first + k + angles) % angles; corr[a][dip] < corr[best][dip] {
			best = a
		}
	}
	for lag := 3; lag <= maxLag; lag++ {
		if corr[best][lag] < corr[best][dip] {
			dip = lag
		}
	}
	// Between lags, the parabola through the dip and its neighbours.
	l := float64(dip)
	if dip < maxLag {
		a, b, c := corr[best][dip-1], corr[best][dip], corr[best][dip+1]
		l += vertex(a, b, c)
	}
	// Between angles, the parabola through the best and its neighbours.
	a, b, c := corr[(best+angles-1)%angles][dip], corr[best][dip], corr[(best+1)%angles][dip]
	th := (float64(best) + vertex(a, b, c)) * math.Pi / angles
	return pt{l * math.Cos(th), l * math.Sin(th)}, true
}

// vertex is where the parabola through (-1, a), (0, b), (1, c) has its
// minimum, within half a step of 0 (0 when b is not the least).
func vertex(a, b, c float64) float64 {
	d := a - 2*b + c
	if !(d > 0) || b > a || b > c {
		return 0
	}
	return math.Max(-0.5, math.Min(0.5, 0.5*(a-c)/d))
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
	taps := moveTaps(m)
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
					s += t.w * src[yy*w+xx]
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
