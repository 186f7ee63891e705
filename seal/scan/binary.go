package scan

import (
	"math"
	"slices"
)

// The module solve (solve.go) finds each module's grey level, and a
// threshold reads them. Where the blur spreads a module over its
// neighbours, or glare lifts part of the symbol, no threshold reads them
// all: a module's level depends on its neighbours' colours. But a module
// is black or white, and the frame shows how a grid of them looks once
// blurred and lit. Among black-and-white grids, the one whose image is
// closest to the pixels is the surest reading (a maximum-likelihood
// detector, as a modem's equaliser decides its symbols). It is searched
// for in three stages: the lighting is fitted to the threshold's reading,
// and the modules' light shares solved under it; mean-field annealing
// commits them to black or white; single modules are flipped where that
// brings the image closer, then runs of up to maxRun modules along a row
// or a column (an edge read a module off moves a whole run, and no single
// flip helps), the lighting fitted again between rounds. On a symbol of
// 1.4-pixel modules under glare, the threshold misread 257 modules of
// 1600, this reading 3 (TestBinaryReadsWhatThresholdsMiss).
//
// The frame is compared in light (see linearLUT), where blur and glare
// add up: each pixel is an offset plus a contrast times the light share
// of the modules it sees. Both vary smoothly over the symbol, fitted on a
// coarse grid: the offset carries the glare the laminate adds, the
// contrast the lamp's falloff. A pixel the sensor saturated says only
// that it is at least that light.

const (
	offsetGrid   = 8   // control points of the offset field, per side
	contrastGrid = 3   // of the contrast field
	flipSweeps   = 10  // single-flip sweeps
	maxRounds    = 6   // rounds of run flips
	maxRun       = 4   // modules in a run flip
	annealSweeps = 12  // from the typical misfit difference to 1/100 of it
	saturated    = 250 // grey level from which a pixel is taken as saturated
)

// pixel kinds in a binary search
const (
	unseen    = iota // not explained by the grid alone
	seen             // compared with its value
	saturates        // at least saturated light
)

type footTap struct {
	p int32   // pixel
	w float32 // share of the module's light in it
}

// fieldTap is a pixel's place in the two light fields: four bilinear
// weights in each, offsets first.
type fieldTap struct {
	i [8]int32
	w [8]float64
}

type binarySearch struct {
	sys    *gridSystem
	y      []float64 // pixels, in light
	kind   []uint8
	foot   [][]footTap // each cell's footprint on the compared pixels
	bits   []float64   // each cell: 1 light, 0 dark (a share while annealed)
	pinned []bool      // the fixed pattern and its quiet zone
	fields []fieldTap
	share  []float64 // each pixel's light share: the bits, blurred
	pred   []float64 // each pixel as the model has it
	offset []float64 // each pixel's offset
	contr  []float64 // and contrast
}

// binaryVals reads the modules of hypothesis f as the black-and-white grid
// that best explains the frame, from grid values x (the whole grid, ring
// included) and their threshold thr. It returns module values around thr
// as sampled ones are: the further from it, the more the image would
// worsen if the module were read the other way.
func (sys *gridSystem) binaryVals(g *gray, f gridFit, x []float64, thr float64) ([]float64, bool) {
	b := newBinarySearch(sys, g, f, x)
	if !b.fitLight() || !b.relax() || !b.anneal() {
		return nil, false
	}
	b.search()
	vals := make([]float64, f.rows*f.cols)
	for r := 0; r < f.rows; r++ {
		for c := 0; c < f.cols; c++ {
			j := (r+solveRing)*sys.gw + c + solveRing
			m := math.Sqrt(math.Max(b.flipCost(j), 0)) + 1e-6
			if b.bits[j] == 0 {
				m = -m
			}
			vals[r*f.cols+c] = thr + m
		}
	}
	return vals, true
}

func newBinarySearch(sys *gridSystem, g *gray, f gridFit, x []float64) *binarySearch {
	n, nc := sys.w*sys.h, sys.gw*sys.gh
	b := &binarySearch{sys: sys, y: make([]float64, n), kind: make([]uint8, n),
		foot: make([][]footTap, nc), bits: make([]float64, nc), pinned: make([]bool, nc),
		fields: make([]fieldTap, n), share: make([]float64, n), pred: make([]float64, n),
		offset: make([]float64, n), contr: make([]float64, n)}
	for py := 0; py < sys.h; py++ {
		for px := 0; px < sys.w; px++ {
			i := py*sys.w + px
			v := g.at(sys.x0+px, sys.y0+py)
			b.y[i] = linearLUT[v]
			switch {
			case !sys.observed[i]:
			case v >= saturated:
				b.kind[i] = saturates
			default:
				b.kind[i] = seen
			}
			b.fields[i] = fieldTapAt(px, py, sys.w, sys.h)
		}
	}
	b.footprints()
	// The threshold's reading, each cell against its neighbourhood (glare
	// over part of the symbol shifts the levels), the fixed pattern as it
	// is.
	for j := range b.bits {
		if x[j] >= localMid(x, sys.gw, sys.gh, j%sys.gw, j/sys.gw, 2) {
			b.bits[j] = 1
		}
	}
	for _, m := range fixedOf(f) {
		c, r := m.c+solveRing, m.r+solveRing
		if c < 0 || r < 0 || c >= sys.gw || r >= sys.gh {
			continue
		}
		j := r*sys.gw + c
		b.pinned[j] = true
		b.bits[j] = 1
		if m.dark {
			b.bits[j] = 0
		}
	}
	for j := range b.pinned {
		if len(b.foot[j]) == 0 {
			b.pinned[j] = true // nothing to judge it by
		}
	}
	return b
}

// footprints finds the light each cell sends to each compared pixel: its
// share of the pixel's area, spread by the blur.
func (b *binarySearch) footprints() {
	sys := b.sys
	type tap2 struct {
		off int
		w   float64
	}
	gauss := sys.gauss
	if gauss == nil {
		gauss = []float64{1}
	}
	move := sys.moveTaps
	if len(move) == 0 {
		move = []tap{{0, 0, 1}}
	}
	r := len(gauss) / 2
	psf := map[int]float64{}
	for j, gy := range gauss {
		for i, gx := range gauss {
			for _, t := range move {
				psf[(j-r+t.dy)*sys.w+i-r+t.dx] += gx * gy * t.w
			}
		}
	}
	var kern []tap2
	for off, w := range psf {
		if w > 0 {
			kern = append(kern, tap2{off, w})
		}
	}
	// In a fixed order: sums in the map's would differ from run to run.
	slices.SortFunc(kern, func(a, b tap2) int { return a.off - b.off })
	n := len(b.y)
	// Each cell's pixels before the blur.
	pre := make([][]footTap, len(b.foot))
	for i := 0; i < n; i++ {
		for e := sys.start[i]; e < sys.start[i+1]; e++ {
			c := sys.cells[e]
			pre[c] = append(pre[c], footTap{int32(i), sys.weights[e]})
		}
	}
	acc := make([]float64, n)
	var touched []int
	for c, taps := range pre {
		touched = touched[:0]
		for _, e := range taps {
			for _, k := range kern {
				q := int(e.p) + k.off
				if q < 0 || q >= n || b.kind[q] == unseen {
					continue
				}
				if acc[q] == 0 {
					touched = append(touched, q)
				}
				acc[q] += float64(e.w) * k.w
			}
		}
		for _, q := range touched {
			b.foot[c] = append(b.foot[c], footTap{int32(q), float32(acc[q])})
			acc[q] = 0
		}
	}
}

// fieldTapAt places pixel (px, py) of a w x h region in the offset and
// contrast fields.
func fieldTapAt(px, py, w, h int) fieldTap {
	var t fieldTap
	for k, grid := range [2]int{offsetGrid, contrastGrid} {
		fx := float64(px) / float64(max(w-1, 1)) * float64(grid-1)
		fy := float64(py) / float64(max(h-1, 1)) * float64(grid-1)
		ix, iy := min(int(fx), grid-2), min(int(fy), grid-2)
		tx, ty := fx-float64(ix), fy-float64(iy)
		base := 0
		if k == 1 {
			base = offsetGrid * offsetGrid
		}
		for m, d := range [4][3]float64{{0, 0, (1 - tx) * (1 - ty)}, {1, 0, tx * (1 - ty)}, {0, 1, (1 - tx) * ty}, {1, 1, tx * ty}} {
			t.i[4*k+m] = int32(base + (iy+int(d[1]))*grid + ix + int(d[0]))
			t.w[4*k+m] = d[2]
		}
	}
	return t
}

// fitLight fits the two fields to the pixels under the current bits (least
// squares) and predicts every pixel.
func (b *binarySearch) fitLight() bool {
	const nf = offsetGrid*offsetGrid + contrastGrid*contrastGrid
	b.sys.forward(b.bits, b.share)
	var ata [nf * nf]float64
	var atb [nf]float64
	var row [8]float64
	for i, k := range b.kind {
		if k != seen {
			continue
		}
		t := &b.fields[i]
		for m := 0; m < 4; m++ {
			row[m], row[m+4] = t.w[m], t.w[m+4]*b.share[i]
		}
		for a := range row {
			ia := int(t.i[a])
			atb[ia] += row[a] * b.y[i]
			for c := range row {
				ata[ia*nf+int(t.i[c])] += row[a] * row[c]
			}
		}
	}
	for a := 0; a < nf; a++ {
		ata[a*nf+a] += 1e-3 // a field point no pixel sees stays at 0
	}
	sol, ok := solveCholesky(ata[:], atb[:], nf)
	if !ok {
		return false
	}
	for i := range b.pred {
		t := &b.fields[i]
		var off, con float64
		for m := 0; m < 4; m++ {
			off += t.w[m] * sol[t.i[m]]
			con += t.w[m+4] * sol[t.i[m+4]]
		}
		b.offset[i], b.contr[i] = off, con
		b.pred[i] = off + con*b.share[i]
	}
	return true
}

// relax replaces the bits by the least-squares light shares that best
// explain the frame under the fitted lighting, clamped to 0..1: a start
// that does not yet commit any module.
func (b *binarySearch) relax() bool {
	z := make([]float64, len(b.y))
	for i := range z {
		if b.contr[i] > 1e-6 {
			z[i] = (b.y[i] - b.offset[i]) / b.contr[i]
		}
	}
	shares, _ := b.sys.solveFor(z, b.bits, solveIters)
	for j, v := range shares {
		if !b.pinned[j] {
			b.bits[j] = math.Max(0, math.Min(1, v))
		}
	}
	return b.fitLight()
}

// anneal commits the modules by mean-field annealing: each cell's share
// becomes the probability that it is light, given how much lighter it
// would make the misfit than dark, at a temperature that falls from a
// third of the median difference to a hundredth of that; then each is
// rounded. A
// greedy search from the threshold's reading stops at the first grid no
// single change improves; this one first weighs all of them together.
func (b *binarySearch) anneal() bool {
	var diffs []float64
	for j := range b.bits {
		if !b.pinned[j] {
			diffs = append(diffs, math.Abs(b.lightCost(j)))
		}
	}
	if len(diffs) == 0 {
		return true
	}
	slices.Sort(diffs)
	t0 := 0.3 * diffs[len(diffs)/2]
	if !(t0 > 0) {
		return true
	}
	for sweep := 0; sweep < annealSweeps; sweep++ {
		t := t0 * math.Pow(0.01, float64(sweep)/(annealSweeps-1))
		for j := range b.bits {
			if !b.pinned[j] {
				e := math.Max(-50, math.Min(50, b.lightCost(j)/t))
				b.set(j, 1/(1+math.Exp(e)))
			}
		}
		if sweep%4 == 3 && !b.fitLight() {
			return false
		}
	}
	for j, v := range b.bits {
		if !b.pinned[j] {
			b.set(j, math.Round(v))
		}
	}
	return b.fitLight()
}

// lightCost is how much higher the misfit is with cell j light than dark,
// the other cells as they are.
func (b *binarySearch) lightCost(j int) float64 {
	var cost float64
	for _, e := range b.foot[j] {
		p := int(e.p)
		cw := b.contr[p] * float64(e.w)
		dark := b.pred[p] - b.bits[j]*cw
		cost += b.misfit(p, dark+cw) - b.misfit(p, dark)
	}
	return cost
}

// set gives cell j the light share v.
func (b *binarySearch) set(j int, v float64) {
	d := v - b.bits[j]
	b.bits[j] = v
	for _, e := range b.foot[j] {
		b.pred[e.p] += d * b.contr[e.p] * float64(e.w)
	}
}

// misfit is pixel i's share of the distance between image and model when
// the model predicts v.
func (b *binarySearch) misfit(i int, v float64) float64 {
	d := b.y[i] - v
	switch b.kind[i] {
	case seen:
		return d * d
	case saturates:
		if d > 0 {
			return d * d // darker than what the sensor saturated at
		}
	}
	return 0
}

// flipCost is how much the misfit grows when cell j is flipped.
func (b *binarySearch) flipCost(j int) float64 {
	d := 1 - 2*b.bits[j]
	var cost float64
	for _, e := range b.foot[j] {
		p := int(e.p)
		cost += b.misfit(p, b.pred[p]+d*b.contr[p]*float64(e.w)) - b.misfit(p, b.pred[p])
	}
	return cost
}

func (b *binarySearch) flip(j int) { b.set(j, 1-b.bits[j]) }

// search improves the bits by single flips, then by runs, while any
// helps; cells whose neighbourhood did not change are not tried again.
func (b *binarySearch) search() {
	sys := b.sys
	for sweep := 0; sweep < flipSweeps; sweep++ {
		flips := 0
		for j := range b.bits {
			if !b.pinned[j] && b.flipCost(j) < 0 {
				b.flip(j)
				flips++
			}
		}
		if flips == 0 {
			break
		}
		if sweep%3 == 2 && !b.fitLight() {
			return
		}
	}
	active := make([]bool, len(b.bits))
	for j := range active {
		active[j] = !b.pinned[j]
	}
	wake := func(k int) {
		kx, ky := k%sys.gw, k/sys.gw
		for y := max(ky-3, 0); y <= min(ky+3, sys.gh-1); y++ {
			for x := max(kx-3, 0); x <= min(kx+3, sys.gw-1); x++ {
				active[y*sys.gw+x] = !b.pinned[y*sys.gw+x]
			}
		}
	}
	for round := 0; round < maxRounds; round++ {
		moves := 0
		for j := range b.bits {
			if !active[j] {
				continue
			}
			active[j] = false
			for _, dir := range [2][2]int{{1, 0}, {0, 1}} {
				if n := b.flipRun(j, dir); n > 0 {
					moves++
					for l := 0; l < n; l++ {
						wake(j + l*(dir[1]*sys.gw+dir[0]))
					}
				}
			}
		}
		if moves == 0 || !b.fitLight() {
			return
		}
	}
}

// flipRun flips the run of up to maxRun cells from j along dir that most
// lowers the misfit, if one does, and returns its length.
func (b *binarySearch) flipRun(j int, dir [2]int) int {
	sys := b.sys
	var run [maxRun]int
	n, best, total, bestLen := 0, 0.0, 0.0, 0
	x, y := j%sys.gw, j/sys.gw
	for ; n < maxRun; n++ {
		cx, cy := x+n*dir[0], y+n*dir[1]
		if cx >= sys.gw || cy >= sys.gh {
			break
		}
		k := cy*sys.gw + cx
		if b.pinned[k] {
			break
		}
		total += b.flipCost(k)
		b.flip(k)
		run[n] = k
		if total < best-1e-9 {
			best, bestLen = total, n+1
		}
	}
	for i := n - 1; i >= bestLen; i-- {
		b.flip(run[i])
	}
	return bestLen
}

// solveCholesky solves a x = v for a symmetric positive definite n x n.
func solveCholesky(a, v []float64, n int) ([]float64, bool) {
	l := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			s := a[i*n+j]
			for k := 0; k < j; k++ {
				s -= l[i*n+k] * l[j*n+k]
			}
			if i == j {
				if !(s > 0) { // NaN too
					return nil, false
				}
				l[i*n+i] = math.Sqrt(s)
			} else {
				l[i*n+j] = s / l[j*n+j]
			}
		}
	}
	x := make([]float64, n)
	for i := 0; i < n; i++ {
		s := v[i]
		for k := 0; k < i; k++ {
			s -= l[i*n+k] * x[k]
		}
		x[i] = s / l[i*n+i]
	}
	for i := n - 1; i >= 0; i-- {
		s := x[i]
		for k := i + 1; k < n; k++ {
			s -= l[k*n+i] * x[k]
		}
		x[i] = s / l[i*n+i]
	}
	return x, true
}

// A camera blurs light, then encodes it for display (sRGB or a curve close
// to it): a pixel half on a dark module reads much lighter than the mean
// of the two levels. linearLUT decodes the levels back to light, 0..255.
var linearLUT = func() (t [256]float64) {
	for i := range t {
		v := float64(i) / 255
		if v <= 0.04045 {
			v /= 12.92
		} else {
			v = math.Pow((v+0.055)/1.055, 2.4)
		}
		t[i] = 255 * v
	}
	return t
}()
