package scan

import (
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	dmdecoder "github.com/makiuchi-d/gozxing/datamatrix/decoder"
	qrdecoder "github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// dmSizes are the ECC200 symbol sizes, rows x columns (ISO/IEC 16022
// Table 7).
var dmSizes = [][2]int{
	{10, 10}, {12, 12}, {14, 14}, {16, 16}, {18, 18}, {20, 20}, {22, 22}, {24, 24},
	{26, 26}, {32, 32}, {36, 36}, {40, 40}, {44, 44}, {48, 48}, {52, 52}, {64, 64},
	{72, 72}, {80, 80}, {88, 88}, {96, 96}, {104, 104}, {120, 120}, {132, 132}, {144, 144},
	{8, 18}, {8, 32}, {12, 26}, {12, 36}, {16, 36}, {16, 48},
}

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
	c, r int
	dark bool
}

// dmFixed lists the finder and timing modules of a DataMatrix: the solid
// "L" on the left and bottom, the dashed edges on the top and right.
func dmFixed(rows, cols int) []fixedModule {
	m := make([]fixedModule, 0, 2*(rows+cols))
	for r := 0; r < rows; r++ {
		m = append(m, fixedModule{0, r, true}, fixedModule{cols - 1, r, r%2 == 1})
	}
	for c := 1; c < cols-1; c++ {
		m = append(m, fixedModule{c, rows - 1, true}, fixedModule{c, 0, c%2 == 0})
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
				m = append(m, fixedModule{o[0] + i, o[1] + j, d != 2})
			}
		}
	}
	for k := 0; k < 8; k++ { // separators
		m = append(m, fixedModule{7, k, false}, fixedModule{k, 7, false},
			fixedModule{n - 8, k, false}, fixedModule{n - 1 - k, 7, false},
			fixedModule{7, n - 1 - k, false}, fixedModule{k, n - 8, false})
	}
	for k := 8; k < n-8; k++ {
		m = append(m, fixedModule{k, 6, k%2 == 0}, fixedModule{6, k, k%2 == 0})
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

// score samples the fixed modules of a hypothesis.
func (s *sampler) score(f gridFit, fixed []fixedModule) gridFit {
	var sd, sl float64
	var nd, nl int
	vals := make([]float64, len(fixed))
	for i, m := range fixed {
		v := s.at(f, float64(m.c), float64(m.r))
		vals[i] = v
		if m.dark {
			sd += v
			nd++
		} else {
			sl += v
			nl++
		}
	}
	if nd == 0 || nl == 0 {
		return f
	}
	md, ml := sd/float64(nd), sl/float64(nl)
	if ml-md < 8 {
		return f
	}
	f.thr = (md + ml) / 2
	ok := 0
	for i, m := range fixed {
		if (vals[i] < f.thr) == m.dark {
			ok++
		}
	}
	f.acc = float64(ok) / float64(len(fixed))
	return f
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
				if f.acc >= 0.8 {
					out = append(out, f)
				}
			}
		}
	}
	if wantQR {
		for n := 21; n <= 177 && float64(n) <= maxModules; n += 4 {
			if r := sideU / sideV; r > 1.5 || r < 1/1.5 {
				break
			}
			fixed := qrFixed(n)
			for o := 0; o < 4; o++ {
				f := s.score(gridFit{qr: true, rows: n, cols: n, orient: o}, fixed)
				if f.acc >= 0.8 {
					out = append(out, f)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].acc > out[j].acc })
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

func sampleDecode(s *sampler, f gridFit) (*common.DecoderResult, error) {
	vals := make([]float64, f.rows*f.cols)
	for r := 0; r < f.rows; r++ {
		for c := 0; c < f.cols; c++ {
			vals[r*f.cols+c] = s.atAvg(f, float64(c), float64(r))
		}
	}
	var lastErr error
	var sharp []float64
	for pass := 0; pass < 4; pass++ {
		v := vals
		if pass >= 2 {
			// Blur mixes each module with its neighbours; undo a share of
			// it (an unsharp mask in module space).
			if sharp == nil {
				sharp = sharpen(vals, f.cols, f.rows, 4)
			}
			v = sharp
		}
		bits, _ := gozxing.NewBitMatrix(f.cols, f.rows)
		for r := 0; r < f.rows; r++ {
			for c := 0; c < f.cols; c++ {
				thr := f.thr
				if pass%2 == 1 {
					thr = (thr + localMean(v, f.cols, f.rows, c, r, 3)) / 2
				}
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
	}
	return nil, lastErr
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
	objective := func(q quad) (float64, *sampler) {
		h, ok := squareToQuad(q)
		if !ok {
			return math.Inf(-1), nil
		}
		t := &sampler{g: s.g, h: h}
		var sum float64
		for _, m := range fixed {
			v := t.at(f, float64(m.c), float64(m.r))
			if m.dark {
				sum += f.thr - v
			} else {
				sum += v - f.thr
			}
		}
		return sum, t
	}
	best, bs := objective(q)
	if bs == nil {
		return nil, f, false
	}
	for _, step := range []float64{0.4, 0.2, 0.1} {
		d := step * module
		for sweep := 0; sweep < 3; sweep++ {
			improved := false
			for k := 0; k < 8; k++ {
				for _, sg := range []float64{1, -1} {
					t := q
					if k%2 == 0 {
						t[k/2].x += sg * d
					} else {
						t[k/2].y += sg * d
					}
					if v, ts := objective(t); ts != nil && v > best {
						best, bs, q, improved = v, ts, t, true
						break
					}
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
