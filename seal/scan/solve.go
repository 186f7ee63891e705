package scan

import "math"

// Below two pixels per module, or under blur of a module or more, sampling
// each module at its centre mostly reads its neighbours. But every pixel
// is still a known mix of a few modules: the symbol's grid, drawn through
// the homography, averaged over the pixel and spread by the blur. With the
// grid and the blur known, the modules' grey levels are the least-squares
// solution of that linear system, found by conjugate gradients (CGLS),
// and are thresholded as sampled ones are.

// blurModel is the spread of a point of the card in the frame: Gaussian
// defocus of sigma pixels, then a move along motion (pixels, centred).
type blurModel struct {
	sigma  float64
	motion pt
}

// solveRing is the number of module rings around the symbol solved for
// too: the quiet zone and whatever print the blur brings in.
const solveRing = 2

// maxSolveArea bounds the pixels of a solve: a seal of 3.5-pixel modules
// and its ring.
const maxSolveArea = 240 * 240

// gridSystem is the linear map from the module grid (the symbol and its
// ring) to the frame pixels around it.
type gridSystem struct {
	gw, gh     int // cells in the grid, ring included
	x0, y0     int // top-left pixel of the region
	w, h       int // region size, pixels
	cells      []int32
	weights    []float32
	start      []int32 // pixel i's entries: start[i]..start[i+1]
	observed   []bool  // pixels whose blurred value the grid fully explains
	blur       blurModel
	gauss      []float64 // the defocus kernel, nil for none
	moveTaps   []tap
	moveOffs   []int // each move tap as an offset in the region
	moveReach  int   // the move's reach, pixels
	tmp1, tmp2 []float64
	tmp3, tmp4 []float64 // the blur's own scratch
}

// newGridSystem builds the system of a hypothesis f read through s.
func newGridSystem(s *sampler, f gridFit, b blurModel) (*gridSystem, bool) {
	inv, ok := s.h.inverse()
	if !ok {
		return nil, false
	}
	gw, gh := f.cols+2*solveRing, f.rows+2*solveRing
	// The region: the grid's corners in the frame, plus the blur's reach.
	taps := moveTaps(b.motion)
	reach := 1.0
	if b.sigma > 0.25 {
		reach += float64(len(gaussTaps(b.sigma)) / 2)
	}
	mr := 0
	for _, t := range taps {
		mr = max(mr, abs(t.dx), abs(t.dy))
	}
	reach += float64(mr)
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, c := range [4][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}} {
		sx := (c[0]*float64(gw) - solveRing) / float64(f.cols)
		sy := (c[1]*float64(gh) - solveRing) / float64(f.rows)
		u, v := toQuad(f.orient, sx, sy)
		x, y := s.h.apply(u, v)
		minX, minY = math.Min(minX, x), math.Min(minY, y)
		maxX, maxY = math.Max(maxX, x), math.Max(maxY, y)
	}
	x0, y0 := int(math.Floor(minX-reach)), int(math.Floor(minY-reach))
	x1, y1 := int(math.Ceil(maxX+reach)), int(math.Ceil(maxY+reach))
	if math.IsNaN(minX+minY+maxX+maxY) || x0 < 0 || y0 < 0 || x1 >= s.g.w || y1 >= s.g.h || (x1-x0)*(y1-y0) > maxSolveArea {
		return nil, false
	}
	sys := &gridSystem{gw: gw, gh: gh, x0: x0, y0: y0, w: x1 - x0 + 1, h: y1 - y0 + 1, blur: b, moveTaps: taps}
	if b.sigma > 0.25 {
		sys.gauss = gaussTaps(b.sigma)
	}
	for _, t := range taps {
		sys.moveOffs = append(sys.moveOffs, t.dy*sys.w+t.dx)
		sys.moveReach = max(sys.moveReach, abs(t.dx), abs(t.dy))
	}
	n := sys.w * sys.h
	sys.start = make([]int32, n+1)
	inside := make([]bool, n)
	// Each pixel averages 3x3 points of the card.
	const sub = 3
	for py := 0; py < sys.h; py++ {
		for px := 0; px < sys.w; px++ {
			i := py*sys.w + px
			all := true
			first := len(sys.cells)
			for k := 0; k < sub*sub; k++ {
				fx := float64(x0+px) + (float64(k%sub)+0.5)/sub
				fy := float64(y0+py) + (float64(k/sub)+0.5)/sub
				u, v := inv.apply(fx, fy)
				sx, sy := fromQuad(f.orient, u, v)
				cx := int(math.Floor(sx*float64(f.cols))) + solveRing
				cy := int(math.Floor(sy*float64(f.rows))) + solveRing
				if cx < 0 || cy < 0 || cx >= gw || cy >= gh {
					all = false
					continue
				}
				cell := int32(cy*gw + cx)
				merged := false
				for e := first; e < len(sys.cells); e++ {
					if sys.cells[e] == cell {
						sys.weights[e] += 1.0 / (sub * sub)
						merged = true
						break
					}
				}
				if !merged {
					sys.cells = append(sys.cells, cell)
					sys.weights = append(sys.weights, 1.0/(sub*sub))
				}
			}
			inside[i] = all
			sys.start[i+1] = int32(len(sys.cells))
		}
	}
	// Observed: pixels whose whole blur footprint lies on the grid (the
	// grid's image is convex: the corners of the footprint's box suffice).
	r := int(math.Ceil(reach))
	sys.observed = make([]bool, n)
	for py := r; py < sys.h-r; py++ {
		for px := r; px < sys.w-r; px++ {
			ok := true
			for _, d := range [4][2]int{{-r, -r}, {r, -r}, {-r, r}, {r, r}} {
				if !inside[(py+d[1])*sys.w+px+d[0]] {
					ok = false
					break
				}
			}
			sys.observed[py*sys.w+px] = ok && inside[py*sys.w+px]
		}
	}
	sys.tmp1, sys.tmp2 = make([]float64, n), make([]float64, n)
	sys.tmp3, sys.tmp4 = make([]float64, n), make([]float64, n)
	return sys, true
}

// forward computes the blurred region of grid values x into out (observed
// pixels only are meaningful).
func (sys *gridSystem) forward(x, out []float64) {
	lat := sys.tmp1
	for i := range lat {
		var v float64
		for e := sys.start[i]; e < sys.start[i+1]; e++ {
			v += float64(sys.weights[e]) * x[sys.cells[e]]
		}
		lat[i] = v
	}
	sys.spread(lat, out)
	for i := range out {
		if !sys.observed[i] {
			out[i] = 0
		}
	}
}

// adjoint computes the grid's share of the pixel residuals r.
func (sys *gridSystem) adjoint(r, out []float64) {
	masked := sys.tmp2
	for i := range r {
		masked[i] = 0
		if sys.observed[i] {
			masked[i] = r[i]
		}
	}
	spread := sys.tmp1
	sys.spread(masked, spread) // the blur is symmetric: its own adjoint
	for i := range out {
		out[i] = 0
	}
	for i := range spread {
		for e := sys.start[i]; e < sys.start[i+1]; e++ {
			out[sys.cells[e]] += float64(sys.weights[e]) * spread[i]
		}
	}
}

// spread applies the blur: a separable Gaussian, then the move. Pixels
// within the blur's reach of the region's border are copied (none of them
// is observed).
func (sys *gridSystem) spread(in, out []float64) {
	w, h := sys.w, sys.h
	cur := in
	if k := sys.gauss; k != nil {
		r := len(k) / 2
		nxt := sys.tmp3
		copy(nxt, cur)
		for y := 0; y < h; y++ {
			row := cur[y*w : (y+1)*w]
			for x := r; x < w-r; x++ {
				var v float64
				for j, t := range k {
					v += t * row[x+j-r]
				}
				nxt[y*w+x] = v
			}
		}
		cur = sys.tmp4
		copy(cur, nxt)
		for y := r; y < h-r; y++ {
			for x := 0; x < w; x++ {
				var v float64
				for j, t := range k {
					v += t * nxt[(y+j-r)*w+x]
				}
				cur[y*w+x] = v
			}
		}
	}
	copy(out, cur)
	if len(sys.moveTaps) == 0 {
		return
	}
	r, offs := sys.moveReach, sys.moveOffs
	for y := r; y < h-r; y++ {
		for x := r; x < w-r; x++ {
			i := y*w + x
			var v float64
			for k, t := range sys.moveTaps {
				v += t.w * cur[i+offs[k]]
			}
			out[i] = v
		}
	}
}

type tap struct {
	dx, dy int
	w      float64
}

// moveTaps is the kernel of a move: points along it, centred, each
// shared among its four nearest pixels. The points come in opposite
// pairs, so the kernel is symmetric and the blur its own adjoint.
func moveTaps(m pt) []tap {
	l := math.Hypot(m.x, m.y)
	if !(l >= 1 && l <= 64) { // NaN too
		return nil
	}
	r := int(math.Ceil(l/2)) + 1
	size := 2*r + 1
	grid := make([]float64, size*size)
	steps := int(math.Ceil(l * 4))
	for i := 0; i <= steps; i++ {
		t := float64(i)/float64(steps) - 0.5
		x, y := t*m.x+float64(r), t*m.y+float64(r)
		x0, y0 := int(math.Floor(x)), int(math.Floor(y))
		fx, fy := x-float64(x0), y-float64(y0)
		grid[y0*size+x0] += (1 - fx) * (1 - fy)
		grid[y0*size+x0+1] += fx * (1 - fy)
		grid[(y0+1)*size+x0] += (1 - fx) * fy
		grid[(y0+1)*size+x0+1] += fx * fy
	}
	var taps []tap
	for j := 0; j < size; j++ {
		for i := 0; i < size; i++ {
			if w := grid[j*size+i] / float64(steps+1); w > 1e-4 {
				taps = append(taps, tap{i - r, j - r, w})
			}
		}
	}
	var sum float64
	for _, t := range taps {
		sum += t.w
	}
	for i := range taps {
		taps[i].w /= sum
	}
	return taps
}

// gaussTaps is a normalised Gaussian kernel of sigma s, to 2.5 sigma.
func gaussTaps(s float64) []float64 {
	r := int(math.Ceil(2.5 * s))
	k := make([]float64, 2*r+1)
	var sum float64
	for i := range k {
		d := float64(i - r)
		k[i] = math.Exp(-d * d / (2 * s * s))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	return k
}

// solve returns the grey level of every cell of the grid (ring included),
// starting from x0, after iters rounds of CGLS with a small ridge against
// noise; and the mean square residual per compared pixel.
func (sys *gridSystem) solve(g *gray, x0 []float64, iters int) ([]float64, float64) {
	y := make([]float64, sys.w*sys.h)
	for py := 0; py < sys.h; py++ {
		for px := 0; px < sys.w; px++ {
			y[py*sys.w+px] = float64(g.at(sys.x0+px, sys.y0+py))
		}
	}
	return sys.solveFor(y, x0, iters)
}

// solveFor is solve for pixel values y of the region.
func (sys *gridSystem) solveFor(y, x0 []float64, iters int) ([]float64, float64) {
	n := sys.w * sys.h
	x := append([]float64(nil), x0...)
	ax := make([]float64, n)
	sys.forward(x, ax)
	r := make([]float64, n)
	for i := range r {
		if sys.observed[i] {
			r[i] = y[i] - ax[i]
		}
	}
	const ridge = 0.02
	s := make([]float64, len(x))
	sys.adjoint(r, s)
	for i := range s {
		s[i] -= ridge * (x[i] - x0[i])
	}
	p := append([]float64(nil), s...)
	gamma := dot(s, s)
	q := make([]float64, n)
	for it := 0; it < iters && gamma > 1e-9; it++ {
		sys.forward(p, q)
		den := dot(q, q) + ridge*dot(p, p)
		if den <= 0 {
			break
		}
		alpha := gamma / den
		for i := range x {
			x[i] += alpha * p[i]
		}
		for i := range r {
			r[i] -= alpha * q[i]
		}
		sys.adjoint(r, s)
		for i := range s {
			s[i] -= ridge * (x[i] - x0[i])
		}
		g2 := dot(s, s)
		beta := g2 / gamma
		gamma = g2
		for i := range p {
			p[i] = s[i] + beta*p[i]
		}
	}
	var sum, seen float64
	for i, v := range r {
		if sys.observed[i] {
			sum, seen = sum+v*v, seen+1
		}
	}
	return x, sum / math.Max(seen, 1)
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// fromQuad inverts toQuad: the quad's unit square to symbol coordinates.
func fromQuad(o int, u, v float64) (float64, float64) {
	switch o & 3 {
	case 1:
		return v, 1 - u
	case 2:
		return 1 - u, 1 - v
	case 3:
		return 1 - v, u
	}
	return u, v
}

// moduleSolve is a solved hypothesis: its modules' values (row-major)
// and the threshold between its fixed dark and light modules; how well
// the solve explains the pixels; and what reading it in black and white
// (binary.go) needs.
type moduleSolve struct {
	vals   []float64
	thr    float64
	misfit float64 // mean square residual per compared pixel
	g      *gray
	sys    *gridSystem
	f      gridFit
	grid   []float64 // every cell's value, ring included
}

// binary reads the modules in black and white (see binaryVals).
func (m *moduleSolve) binary() ([]float64, bool) {
	return m.sys.binaryVals(m.g, m.f, m.grid, m.thr)
}

// solvedVals solves the grid of hypothesis f under blur b.
func solvedVals(s *sampler, f gridFit, b blurModel, iters int) (*moduleSolve, bool) {
	sys, ok := newGridSystem(s, f, b)
	if !ok {
		return nil, false
	}
	x, misfit := sys.solve(s.g, sys.sampled(s, f), iters)
	vals := make([]float64, f.rows*f.cols)
	for r := 0; r < f.rows; r++ {
		for c := 0; c < f.cols; c++ {
			vals[r*f.cols+c] = x[(r+solveRing)*sys.gw+c+solveRing]
		}
	}
	var sd, sl float64
	var nd, nl int
	for _, m := range fixedOf(f) {
		if m.c < 0 || m.r < 0 || m.c >= f.cols || m.r >= f.rows {
			continue
		}
		if v := vals[m.r*f.cols+m.c]; m.dark {
			sd, nd = sd+v, nd+1
		} else {
			sl, nl = sl+v, nl+1
		}
	}
	if nd == 0 || nl == 0 {
		return nil, false
	}
	thr := (sd/float64(nd) + sl/float64(nl)) / 2
	return &moduleSolve{vals: vals, thr: thr, misfit: misfit, g: s.g, sys: sys, f: f, grid: x}, true
}

// sampled is the grid's cells sampled at their centres: where a solve
// starts.
func (sys *gridSystem) sampled(s *sampler, f gridFit) []float64 {
	x := make([]float64, sys.gw*sys.gh)
	for j := 0; j < sys.gh; j++ {
		for i := 0; i < sys.gw; i++ {
			x[j*sys.gw+i] = s.at(f, float64(i-solveRing), float64(j-solveRing))
		}
	}
	return x
}
