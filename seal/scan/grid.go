package scan

import (
	"errors"
	"math"
	"slices"
	"sort"

	"github.com/cnie-reader/cnie-reader/seal/scan/ecc200"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	dmdecoder "github.com/makiuchi-d/gozxing/datamatrix/decoder"
	qrdecoder "github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// dmSizes are the ECC200 symbol sizes, rows x columns (ISO/IEC 16022
// Table 7), that can hold a seal. The smallest seal is a header and a
// 64-byte ECDSA signature, more than the 36 data codewords of a 24x24
// symbol: smaller sizes are not tried, as they are the sizes that print
// and guilloche match by chance (gozxing's whole-frame attempt still reads
// a small code).
var dmSizes = [][2]int{
	{26, 26}, {32, 32}, {36, 36}, {40, 40}, {44, 44}, {48, 48}, {52, 52}, {64, 64},
	{72, 72}, {80, 80}, {88, 88}, {96, 96}, {104, 104}, {120, 120}, {132, 132}, {144, 144},
	{16, 48},
}

// minQRSize is the smallest QR code that can hold a seal: version 3 (29
// modules, 44 data codewords at level M).
const minQRSize = 29

// gridFit is one hypothesis on the symbol inside a quad.
type gridFit struct {
	qr         bool
	rows, cols int
	orient     int     // quarter turns of the symbol inside the quad
	acc        float64 // share of fixed-pattern modules sampled right
	thr        float64 // grey level between the dark and light modules
}

// sampler reads module values through the homography of a quad.
type sampler struct {
	g *gray
	h homography
}

// toQuad maps symbol coordinates (x right, y down, both in [0,1]) into the
// quad's unit square for a given orientation.
func toQuad(o int, x, y float64) (float64, float64) {
	switch o & 3 {
	case 1:
		return 1 - y, x
	case 2:
		return 1 - x, 1 - y
	case 3:
		return y, 1 - x
	}
	return x, y
}

func (s *sampler) at(f gridFit, c, r float64) float64 {
	u, v := toQuad(f.orient, (c+0.5)/float64(f.cols), (r+0.5)/float64(f.rows))
	x, y := s.h.apply(u, v)
	return s.g.bilinear(x, y)
}

// atAvg averages five samples around the module centre, against noise.
func (s *sampler) atAvg(f gridFit, c, r float64) float64 {
	const d = 0.2
	return (2*s.at(f, c, r) + s.at(f, c-d, r) + s.at(f, c+d, r) + s.at(f, c, r-d) + s.at(f, c, r+d)) / 6
}

type fixedModule struct {
	c, r   int
	dark   bool
	timing bool // a DataMatrix timing edge: scored on its own
}

// dmFixed lists the finder and timing modules of a DataMatrix: the solid
// "L" on the left and bottom, the dashed edges on the top and right.
func dmFixed(rows, cols int) []fixedModule {
	m := make([]fixedModule, 0, 2*(rows+cols))
	for r := 0; r < rows; r++ {
		m = append(m, fixedModule{0, r, true, false}, fixedModule{cols - 1, r, r%2 == 1, true})
	}
	for c := 1; c < cols-1; c++ {
		m = append(m, fixedModule{c, rows - 1, true, false}, fixedModule{c, 0, c%2 == 0, true})
	}
	// The quiet zone along the "L": light, it gives the solid sides a
	// local reference.
	for r := 0; r < rows; r++ {
		m = append(m, fixedModule{-1, r, false, false})
	}
	for c := 0; c < cols; c++ {
		m = append(m, fixedModule{c, rows, false, false})
	}
	return m
}

// qrFixed lists the finder patterns, their separators and the timing
// patterns of a QR code of n modules.
func qrFixed(n int) []fixedModule {
	m := make([]fixedModule, 0, 3*64+2*n)
	for _, o := range [3][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}} {
		for j := 0; j < 7; j++ {
			for i := 0; i < 7; i++ {
				d := max(abs(i-3), abs(j-3))
				m = append(m, fixedModule{o[0] + i, o[1] + j, d != 2, false})
			}
		}
	}
	for k := 0; k < 8; k++ { // separators
		m = append(m, fixedModule{7, k, false, false}, fixedModule{k, 7, false, false},
			fixedModule{n - 8, k, false, false}, fixedModule{n - 1 - k, 7, false, false},
			fixedModule{7, n - 1 - k, false, false}, fixedModule{k, n - 8, false, false})
	}
	for k := 8; k < n-8; k++ {
		m = append(m, fixedModule{k, 6, k%2 == 0, true}, fixedModule{6, k, k%2 == 0, true})
	}
	return m
}

// fixedOf lists the fixed modules of a hypothesis.
func fixedOf(f gridFit) []fixedModule {
	if f.qr {
		return qrFixed(f.rows)
	}
	return dmFixed(f.rows, f.cols)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// score samples the fixed modules of a hypothesis. Each module is judged
// against a threshold of its own sector of the symbol (eight sectors
// around the centre), so glare or a shadow over one part does not sink the
// whole pattern; a sector without contrast (washed out) is left out, and
// acc is the share right among the modules judged, provided at least half
// of them were.
func (s *sampler) score(f gridFit, fixed []fixedModule) gridFit {
	fs := sampleFixed(s, f, fixed)
	var lo, hi [sectors]float64
	for k := range lo {
		lo[k], hi[k] = 255, 0
	}
	for i, v := range fs.vals {
		k := fs.secs[i]
		lo[k], hi[k] = math.Min(lo[k], v), math.Max(hi[k], v)
	}
	md, ml, ok := fs.means(sectors)
	if !ok || ml-md < 8 {
		return f
	}
	f.thr = (md + ml) / 2
	var thr [sectors]float64
	var judged [sectors]bool
	for k := range thr {
		// Washed out: the spread of the samples, not the hypothesis's
		// own dark/light split, says so (a wrong hypothesis must not
		// escape judgement by mixing its classes).
		judged[k] = hi[k]-lo[k] >= math.Max(16, (ml-md)/4)
		thr[k] = fs.mid(k, f.thr)
	}
	// The solid parts and the timing are scored apart and the worse
	// counts: the solid "L" and its quiet zone look right at any size, the
	// timing only at the right one.
	var right, n [2]int
	for i, m := range fixed {
		k := fs.secs[i]
		if !judged[k] {
			continue
		}
		t := 0
		if m.timing && !f.qr {
			t = 1
		}
		n[t]++
		if (fs.vals[i] < thr[k]) == m.dark {
			right[t]++
		}
	}
	if 2*(n[0]+n[1]) < len(fixed) {
		return f
	}
	f.acc = float64(right[0]+right[1]) / float64(n[0]+n[1])
	for t := range n {
		if n[t] > 0 {
			f.acc = math.Min(f.acc, float64(right[t])/float64(n[t]))
		}
	}
	return f
}

// minAcc is the share of fixed modules a hypothesis must get right to be
// decoded; glare or a fraction of a module off leaves the right one well
// below 1, and Reed-Solomon has the last word.
const minAcc = 0.6

// octant numbers the eight sectors around the origin that (dx, dy) may
// fall in (atan2's, without its cost).
func octant(dx, dy int) int {
	k := 0
	if dy < 0 {
		k, dx, dy = 4, -dx, -dy
	}
	if dx <= 0 {
		k, dx, dy = k+2, dy, -dx
	}
	if dy > dx {
		k++
	}
	return k
}

// fits ranks the symbol hypotheses for a quad, best first.
func fits(s *sampler, q quad, wantDM, wantQR bool) []gridFit {
	sideU := math.Hypot(q[1].x-q[0].x, q[1].y-q[0].y) + math.Hypot(q[2].x-q[3].x, q[2].y-q[3].y)
	sideV := math.Hypot(q[3].x-q[0].x, q[3].y-q[0].y) + math.Hypot(q[2].x-q[1].x, q[2].y-q[1].y)
	// Below ~1.2 pixel per module nothing can be read.
	maxModules := math.Max(sideU, sideV) / 2 / 1.2
	var out []gridFit
	if wantDM {
		for _, sz := range dmSizes {
			if float64(max(sz[0], sz[1])) > maxModules {
				continue
			}
			fixed := dmFixed(sz[0], sz[1])
			for o := 0; o < 4; o++ {
				// The quad's aspect must agree with the symbol's.
				cu, cv := float64(sz[1]), float64(sz[0])
				if o%2 == 1 {
					cu, cv = cv, cu
				}
				if r := (sideU / sideV) / (cu / cv); r > 1.5 || r < 1/1.5 {
					continue
				}
				f := s.score(gridFit{rows: sz[0], cols: sz[1], orient: o}, fixed)
				if f.acc >= minAcc {
					out = append(out, f)
				}
			}
		}
	}
	if wantQR {
		for n := minQRSize; n <= 177 && float64(n) <= maxModules; n += 4 {
			if r := sideU / sideV; r > 1.5 || r < 1/1.5 {
				break
			}
			fixed := qrFixed(n)
			for o := 0; o < 4; o++ {
				f := s.score(gridFit{qr: true, rows: n, cols: n, orient: o}, fixed)
				if f.acc >= minAcc {
					out = append(out, f)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].acc > out[j].acc })
	// Hypotheses well behind the best are wrong sizes that share its
	// solid parts; only close ones go on to the costly decode.
	for i := range out {
		if out[i].acc < out[0].acc-0.1 {
			return out[:i]
		}
	}
	return out
}

// gridDecode samples every module of a hypothesis and decodes it with
// gozxing's error correction: with one threshold for the symbol, then with
// thresholds that follow the local grey level; if both fail, the corners
// are adjusted to the fixed patterns (a blurred or small symbol is often
// off by a fraction of a module) and the sampling is tried again.
func gridDecode(s *sampler, f gridFit, q quad, fixed []fixedModule) (*common.DecoderResult, gridFit, *sampler, error) {
	res, err := sampleDecode(s, f)
	if err == nil {
		return res, f, s, nil
	}
	s2, f2, ok := alignGrid(s, f, q, fixed)
	if !ok {
		return nil, f, s, err
	}
	res, err = sampleDecode(s2, f2)
	return res, f2, s2, err
}

// solveDecode solves for the modules of a small or blurred symbol (see
// solve.go) and decodes them: when the modules are small, under a mild
// defocus and under none; at any size, under a strong defocus (sigma 0.9
// px), which leaves too little contrast between modules for sampling;
// under the move its texture shows, with and without the mild defocus. A
// defocus the frame does not have smears modules that are barely apart
// already. When no threshold reads any solve, the one that best explains
// the frame is read in black and white (binary.go).
func solveDecode(s *sampler, f gridFit, q quad) (*common.DecoderResult, gridFit, error) {
	var blurs []blurModel
	c := s.symbolCorners(f)
	module := (math.Hypot(c[1].x-c[0].x, c[1].y-c[0].y) + math.Hypot(c[3].x-c[0].x, c[3].y-c[0].y)) / float64(f.rows+f.cols)
	if module > 3.5 {
		return nil, f, errNoSolve // sampling reads modules this large
	}
	if module < 2 {
		blurs = append(blurs, blurModel{sigma: 0.5}, blurModel{})
	}
	blurs = append(blurs, blurModel{sigma: 0.9})
	if m, ok := moveOf(s.g, q); ok {
		blurs = append(blurs, blurModel{sigma: 0.5, motion: m}, blurModel{motion: m})
	}
	err := errNoSolve
	var solves []*moduleSolve
	for _, b := range blurs {
		m, ok := solvedVals(s, f, b, solveIters)
		if !ok {
			continue
		}
		f.thr = m.thr
		var res *common.DecoderResult
		if res, err = decodeVals(m.vals, f); err == nil {
			return res, f, nil
		}
		solves = append(solves, m)
	}
	sort.SliceStable(solves, func(i, j int) bool { return solves[i].misfit < solves[j].misfit })
	for _, m := range solves[:min(len(solves), binaryTries)] {
		vals, ok := m.binary()
		if !ok {
			continue
		}
		f.thr = m.thr
		var res *common.DecoderResult
		if res, err = decodeVals(vals, f); err == nil {
			return res, f, nil
		}
	}
	return nil, f, err
}

// binaryTries bounds the black-and-white readings of a hypothesis: each
// takes as long as a few solves, and a second one read 1 more frame of
// 400 generated ones for a fifth more time on frames with a code (p90).
const binaryTries = 1

var errNoSolve = errors.New("no module solve")

// sweepSizes aligns every square DataMatrix size that fits the outline, in
// its two best orientations, and returns those whose fixed pattern then reads
// at least sweepAcc, best first: the outline of a small symbol is often a
// module off at a corner, where no size scores well before aligning. After
// them come the timedSizes sizes whatever their score, each in its best
// orientation: blur can sink the right size's fixed pattern under
// sweepAcc, rarely its timing's frequency.
func sweepSizes(s *sampler, q quad) []aligned {
	sideU := math.Hypot(q[1].x-q[0].x, q[1].y-q[0].y) + math.Hypot(q[2].x-q[3].x, q[2].y-q[3].y)
	sideV := math.Hypot(q[3].x-q[0].x, q[3].y-q[0].y) + math.Hypot(q[2].x-q[1].x, q[2].y-q[1].y)
	// The module solve reads modules down to about a pixel.
	maxModules := math.Max(sideU, sideV) / 2 / 0.95
	timed := timedSizes(s, maxModules, timedTries)
	var out, weak []aligned
	for _, sz := range dmSizes {
		if sz[0] != sz[1] || float64(sz[0]) > maxModules {
			continue
		}
		fixed := dmFixed(sz[0], sz[1])
		var fs []gridFit
		for o := 0; o < 4; o++ {
			fs = append(fs, s.score(gridFit{rows: sz[0], cols: sz[1], orient: o}, fixed))
		}
		// Before aligning, the right orientation may score second.
		sort.Slice(fs, func(i, j int) bool { return fs[i].acc > fs[j].acc })
		var best *aligned
		for _, f := range fs[:2] {
			if f.acc < 0.5 {
				continue
			}
			s2, f2, ok := alignGrid(s, f, q, fixed)
			switch {
			case !ok:
			case f2.acc >= sweepAcc:
				out = append(out, aligned{s: s2, f: f2})
			case slices.Contains(timed, sz[0]) && (best == nil || f2.acc > best.f.acc):
				best = &aligned{s2, f2, true}
			}
		}
		if best != nil {
			weak = append(weak, *best)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].f.acc > out[j].f.acc })
	return append(out, weak...)
}

// timedTries is how many sizes are swept by their timing's frequency.
const timedTries = 2

// aligned is a hypothesis with the sampler of its aligned corners.
type aligned struct {
	s     *sampler
	f     gridFit
	timed bool // told by the timing's frequency, its fixed pattern weak
}

// solveIters is the number of CGLS rounds of a module solve.
const solveIters = 20

func sampleDecode(s *sampler, f gridFit) (*common.DecoderResult, error) {
	return decodeVals(sampleVals(s, f), f)
}

// sampleVals samples every module of a hypothesis, row-major.
func sampleVals(s *sampler, f gridFit) []float64 {
	vals := make([]float64, f.rows*f.cols)
	for r := 0; r < f.rows; r++ {
		for c := 0; c < f.cols; c++ {
			vals[r*f.cols+c] = s.atAvg(f, float64(c), float64(r))
		}
	}
	return vals
}

// decodeVals thresholds the module values of hypothesis f (row-major) and
// decodes them.
func decodeVals(vals []float64, f gridFit) (*common.DecoderResult, error) {
	var lastErr error
	var sharp []float64
	var darks [][]float64 // each pass's threshold minus value, per module
	// Passes: one threshold for the symbol; half global, half local; then
	// the same on a sharpened copy; last, a threshold wholly local, for a
	// symbol partly washed out by glare or shadowed.
	for pass := 0; pass < 5; pass++ {
		v := vals
		if pass == 2 || pass == 3 {
			// Blur mixes each module with its neighbours; undo a share of
			// it (an unsharp mask in module space).
			if sharp == nil {
				sharp = sharpen(vals, f.cols, f.rows, 4)
			}
			v = sharp
		}
		bits, _ := gozxing.NewBitMatrix(f.cols, f.rows)
		dark := make([]float64, len(v))
		for r := 0; r < f.rows; r++ {
			for c := 0; c < f.cols; c++ {
				thr := f.thr
				switch pass {
				case 1, 3:
					thr = (thr + localMean(v, f.cols, f.rows, c, r, 3)) / 2
				case 4:
					thr = localMid(v, f.cols, f.rows, c, r, 2)
				}
				dark[r*f.cols+c] = thr - v[r*f.cols+c]
				if v[r*f.cols+c] < thr {
					bits.Set(c, r)
				}
			}
		}
		var res *common.DecoderResult
		var err error
		if f.qr {
			res, err = qrdecoder.NewDecoder().Decode(bits, nil)
		} else {
			res, err = dmdecoder.NewDecoder().Decode(bits)
		}
		if err == nil {
			return res, nil
		}
		lastErr = err
		darks = append(darks, dark)
	}
	// Too many errors for hard bits: tell Reed-Solomon which modules read
	// least surely, and it corrects up to twice as many codewords.
	if !f.qr {
		if res := eraseDecode(f, darks); res != nil {
			return res, nil
		}
	}
	return nil, lastErr
}

// eraseDecode decodes a DataMatrix hypothesis from the readings of its
// modules by the passes of decodeVals (threshold minus value): a module
// reads as dark as the passes that read it dark outnumber the others, and
// as surely as they agree, ties broken by the first pass's margin. The
// codewords of unsure modules are erased (package ecc200).
func eraseDecode(f gridFit, darks [][]float64) *common.DecoderResult {
	if len(darks) == 0 {
		return nil
	}
	var scale float64
	for _, v := range darks[0] {
		scale = math.Max(scale, math.Abs(v))
	}
	vote := make([]float64, f.rows*f.cols)
	for i := range vote {
		for _, d := range darks {
			if d[i] > 0 {
				vote[i]++
			} else {
				vote[i]--
			}
		}
		if scale > 0 {
			vote[i] += darks[0][i] / scale // within one vote
		}
	}
	data, _, err := ecc200.Decode(f.rows, f.cols, vote)
	if err != nil {
		return nil
	}
	if _, err := dmPayload(data); err != nil {
		return nil
	}
	return common.NewDecoderResult(data, "", nil, "")
}

// alignGrid moves the four corners, by coordinate descent in steps of a
// fraction of a module, to make the fixed modules as dark or as light as
// they should be.
func alignGrid(s *sampler, f gridFit, q quad, fixed []fixedModule) (*sampler, gridFit, bool) {
	side := 0.0
	for i := 0; i < 4; i++ {
		j := (i + 1) % 4
		side += math.Hypot(q[j].x-q[i].x, q[j].y-q[i].y) / 4
	}
	module := side / float64(max(f.rows, f.cols))
	// Each module counts by how surely it reads right (a saturating
	// measure), so the solid parts' large contrast cannot outvote the
	// timing; against the threshold of its own sector, taken where the
	// search starts, so that glare over part of the symbol does not pull
	// the corners towards it.
	thr, scale := sectorThresholds(s, f, fixed)
	objective := func(q quad) (float64, *sampler) {
		h, ok := squareToQuad(q)
		if !ok {
			return math.Inf(-1), nil
		}
		t := &sampler{g: s.g, h: h}
		var sum float64
		for i, m := range fixed {
			v := (thr[i] - t.at(f, float64(m.c), float64(m.r))) / scale
			if !m.dark {
				v = -v
			}
			sum += math.Tanh(v)
		}
		return sum, t
	}
	best, bs := objective(q)
	if bs == nil {
		return nil, f, false
	}
	for _, step := range []float64{0.3, 0.15, 0.08} {
		d := step * module
		for sweep := 0; sweep < 4; sweep++ {
			improved := false
			for k := 0; k < 8; k++ {
				// the better of the two directions, if it improves
				var cand quad
				cv, moved := best, (*sampler)(nil)
				for _, sg := range []float64{1, -1} {
					t := q
					if k%2 == 0 {
						t[k/2].x += sg * d
					} else {
						t[k/2].y += sg * d
					}
					if v, ts := objective(t); ts != nil && v > cv {
						cv, moved, cand = v, ts, t
					}
				}
				if moved != nil {
					best, bs, q, improved = cv, moved, cand, true
				}
			}
			if !improved {
				break
			}
		}
	}
	f = bs.score(f, fixed)
	return bs, f, f.acc > 0
}

// sectorThresholds gives each fixed module the grey level between the dark
// and light fixed modules of its sector of the symbol (as score judges
// them), and the scale of a sure reading.
func sectorThresholds(s *sampler, f gridFit, fixed []fixedModule) ([]float64, float64) {
	fs := sampleFixed(s, f, fixed)
	global, scale := f.thr, 20.0
	if md, ml, ok := fs.means(sectors); ok {
		global, scale = (md+ml)/2, math.Max(8, (ml-md)/4)
	}
	thr := make([]float64, len(fixed))
	for i, k := range fs.secs {
		thr[i] = fs.mid(k, global)
	}
	return thr, scale
}

// sectors is the number of sectors around a symbol's centre whose fixed
// modules are judged apart: glare washes out part of a symbol only.
const sectors = 8

// fixedSamples are the sampled fixed modules of a hypothesis, the sector
// of each, and the sums of the dark and of the light ones per sector (the
// last slot: the whole symbol).
type fixedSamples struct {
	vals   []float64
	secs   []int
	sd, sl [sectors + 1]float64
	nd, nl [sectors + 1]int
}

func sampleFixed(s *sampler, f gridFit, fixed []fixedModule) fixedSamples {
	fs := fixedSamples{vals: make([]float64, len(fixed)), secs: make([]int, len(fixed))}
	for i, m := range fixed {
		v := s.at(f, float64(m.c), float64(m.r))
		k := octant(2*m.c+1-f.cols, 2*m.r+1-f.rows)
		fs.vals[i], fs.secs[i] = v, k
		for _, j := range [2]int{k, sectors} {
			if m.dark {
				fs.sd[j] += v
				fs.nd[j]++
			} else {
				fs.sl[j] += v
				fs.nl[j]++
			}
		}
	}
	return fs
}

// means returns the mean dark and light levels of sector k, false when it
// lacks either.
func (fs *fixedSamples) means(k int) (float64, float64, bool) {
	if fs.nd[k] == 0 || fs.nl[k] == 0 {
		return 0, 0, false
	}
	return fs.sd[k] / float64(fs.nd[k]), fs.sl[k] / float64(fs.nl[k]), true
}

// mid is the threshold of sector k, or else when it lacks dark or light
// modules.
func (fs *fixedSamples) mid(k int, otherwise float64) float64 {
	if md, ml, ok := fs.means(k); ok {
		return (md + ml) / 2
	}
	return otherwise
}

// sharpen returns v + k (v - mean of the 4 neighbours), per module.
func sharpen(vals []float64, w, h int, k float64) []float64 {
	out := make([]float64, len(vals))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := vals[y*w+x]
			var s float64
			for _, d := range [4][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
				xx, yy := x+d[0], y+d[1]
				if xx < 0 || yy < 0 || xx >= w || yy >= h {
					s += c
				} else {
					s += vals[yy*w+xx]
				}
			}
			out[y*w+x] = c + k*(c-s/4)
		}
	}
	return out
}

// localMid is the grey level halfway between the darkest and the lightest
// module within k modules of (x, y): in a washed-out patch both rise.
func localMid(vals []float64, w, h, x, y, k int) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for yy := max(0, y-k); yy <= min(h-1, y+k); yy++ {
		for xx := max(0, x-k); xx <= min(w-1, x+k); xx++ {
			v := vals[yy*w+xx]
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return (lo + hi) / 2
}

func localMean(vals []float64, w, h, x, y, k int) float64 {
	var s float64
	n := 0
	for yy := max(0, y-k); yy <= min(h-1, y+k); yy++ {
		for xx := max(0, x-k); xx <= min(w-1, x+k); xx++ {
			s += vals[yy*w+xx]
			n++
		}
	}
	return s / float64(n)
}

// symbolCorners maps the symbol's own corners (top-left, top-right,
// bottom-right, bottom-left as it reads) into the image.
func (s *sampler) symbolCorners(f gridFit) [4]pt {
	var out [4]pt
	for i, c := range [4][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}} {
		u, v := toQuad(f.orient, c[0], c[1])
		x, y := s.h.apply(u, v)
		out[i] = pt{x, y}
	}
	return out
}

// sweepAcc is the aligned fixed-pattern score from which a swept size is
// read. It is under decodeAcc because only an outline already shaped like
// a seal is swept, and blur lowers the score of a symbol's own size.
const sweepAcc = 0.68
