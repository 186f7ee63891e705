package scan

import (
	"bytes"
	"math"
	"math/rand"
	"testing"

	"github.com/cnie-reader/cnie-reader/seal/scan/synth"
)

// Frames where every threshold of the module solve misreads too many
// modules (defocus or a move on modules of 1-2 pixels, JPEG); read in
// black and white, they decode. c7e2508 read none of them.
func TestBinaryReadingDecodes(t *testing.T) {
	frames := framesOf(synth.Realistic, 145, 379, 398)
	if testing.Short() {
		frames = frames[:1]
	}
	for _, f := range frames {
		decodesExactly(t, f)
	}
}

// lightFrame draws grid g (true: dark) the way a camera sees a printed
// symbol, independently of the module solve's own model: modules of
// toner and paper, each pixel the mean of 5x5 points of
// the card, a Gaussian defocus of sigma pixels and glare added in light,
// then sensor noise and the sRGB tone curve. The symbol's corners are q.
func lightFrame(g moduleGrid, q quad, w, h int, sigma float64, glare pt, glareR float64, seed int64) *gray {
	hm, _ := squareToQuad(q)
	inv, _ := hm.inverse()
	n := float64(len(g))
	light := make([]float64, w*h)
	const ss = 5.0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var sum float64
			for j := 0.0; j < ss; j++ {
				for i := 0.0; i < ss; i++ {
					u, v := inv.apply(float64(x)+(i+0.5)/ss, float64(y)+(j+0.5)/ss)
					c, r := int(math.Floor(u*n)), int(math.Floor(v*n))
					refl := 0.8 // paper
					if c >= 0 && r >= 0 && c < len(g) && r < len(g) && g[r][c] {
						refl = 0.04 // toner
					}
					sum += refl
				}
			}
			light[y*w+x] = sum / (ss * ss)
		}
	}
	gaussBlur(light, w, h, sigma)
	rnd := rand.New(rand.NewSource(seed))
	out := newGray(w, h)
	for i, v := range light {
		x, y := float64(i%w)+0.5, float64(i/w)+0.5
		d := math.Hypot(x-glare.x, y-glare.y) / glareR
		v = 0.85*v + 0.6*math.Exp(-d*d) + rnd.NormFloat64()*0.004
		if v <= 0.0031308 {
			v = 12.92 * v
		} else {
			v = 1.055*math.Pow(math.Min(v, 1), 1/2.4) - 0.055
		}
		out.pix[i] = uint8(math.Max(0, math.Min(255, math.Round(255*v))))
	}
	return out
}

// A symbol of 1.4-pixel modules under a defocus of 0.9 pixels, half of it
// under glare, at known corners: no threshold of the solve reads it, the
// black-and-white reading does, with far fewer modules wrong.
func TestBinaryReadsWhatThresholdsMiss(t *testing.T) {
	p := testPayload(3, 110)
	g := dmGrid(t, p)
	if g == nil {
		t.Fatal("payload not encodable")
	}
	n := float64(len(g))
	side := 1.4 * n
	th := 7 * math.Pi / 180
	c0 := pt{30.3, 24.6}
	var q quad
	for i, d := range [4][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}} {
		q[i] = pt{c0.x + side*(d[0]*math.Cos(th)-d[1]*math.Sin(th)), c0.y + side*(d[0]*math.Sin(th)+d[1]*math.Cos(th))}
	}
	img := lightFrame(g, q, int(side)+70, int(side)+70, 0.9, pt{c0.x + side*0.8, c0.y + side*0.4}, side*0.35, 1)
	hm, _ := squareToQuad(q)
	s := &sampler{g: img, h: hm}
	f := gridFit{rows: len(g), cols: len(g)}
	m, ok := solvedVals(s, f, blurModel{sigma: 0.9}, solveIters)
	if !ok {
		t.Fatal("no solve")
	}
	f.thr = m.thr
	wrong := func(vals []float64) int {
		k := 0
		for r := range g {
			for c := range g[r] {
				if (vals[r*f.cols+c] < f.thr) != g[r][c] {
					k++
				}
			}
		}
		return k
	}
	if _, err := decodeVals(m.vals, f); err == nil {
		t.Fatal("the solve's thresholds read the symbol: the test is too easy")
	}
	bin, ok := m.binary()
	if !ok {
		t.Fatal("no binary reading")
	}
	t.Logf("modules wrong: threshold %d, black and white %d of %d", wrong(m.vals), wrong(bin), len(g)*len(g))
	if wrong(bin)*2 > wrong(m.vals) {
		t.Errorf("black and white reads %d modules wrong, the threshold %d", wrong(bin), wrong(m.vals))
	}
	res, err := decodeVals(bin, f)
	if err != nil {
		t.Fatalf("black and white reading: %v", err)
	}
	got, err := dmPayload(res.GetRawBytes())
	if err != nil || !bytes.Equal(got, p) {
		t.Fatalf("decoded %q, %v", got, err)
	}
}

// A flip's cost is exactly the change of the whole misfit, saturated
// pixels included, whatever the bits and the blur: the search's every
// step is judged by it. And the footprints flips are made of agree with
// the solve's own model of the grid.
func TestFlipCost(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	g := newGray(120, 120)
	for i := range g.pix {
		g.pix[i] = uint8(r.Intn(256))
		if r.Intn(8) == 0 {
			g.pix[i] = 255
		}
	}
	q := quad{{30, 25}, {85, 32}, {80, 90}, {26, 84}}
	h, _ := squareToQuad(q)
	s := &sampler{g: g, h: h}
	f := gridFit{rows: 24, cols: 24}
	for _, blur := range []blurModel{{}, {sigma: 0.9}, {sigma: 0.5, motion: pt{4, -3}}} {
		sys, ok := newGridSystem(s, f, blur)
		if !ok {
			t.Fatal("no grid system")
		}
		x := make([]float64, sys.gw*sys.gh)
		for i := range x {
			x[i] = float64(r.Intn(256))
		}
		b := newBinarySearch(sys, g, f, x)
		if !b.fitLight() {
			t.Fatal("no light fit")
		}
		total := func() float64 {
			var e float64
			for i := range b.pred {
				e += b.misfit(i, b.pred[i])
			}
			return e
		}
		for k := 0; k < 50; k++ {
			j := r.Intn(len(b.bits))
			before, cost := total(), b.flipCost(j)
			b.flip(j)
			if got := total() - before; math.Abs(got-cost) > 1e-6*math.Max(1, math.Abs(before)) {
				t.Fatalf("blur %+v, cell %d: cost %g, misfit changed by %g", blur, j, cost, got)
			}
		}
		share := make([]float64, len(b.pred))
		sys.forward(b.bits, share)
		for i, k := range b.kind {
			if want := b.offset[i] + b.contr[i]*share[i]; k != unseen && math.Abs(b.pred[i]-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Fatalf("blur %+v, pixel %d: predicted %g after flips, the model gives %g", blur, i, b.pred[i], want)
			}
		}
	}
}
