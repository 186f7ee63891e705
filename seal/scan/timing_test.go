package scan

import (
	"math"
	"testing"

	"github.com/cnie-reader/cnie-reader/seal/scan/synth"
)

// Small defocused symbols whose outline is found to a fraction of a
// module, but whose right size aligns to a fixed-pattern score under
// sweepAcc, and a wrong size above it: the size is told by the timing's
// frequency. c7e2508 read neither.
func TestTimedSizesRead(t *testing.T) {
	frames := framesOf(synth.Realistic, 213, 219)
	if testing.Short() {
		frames = frames[:1]
	}
	for _, f := range frames {
		decodesExactly(t, f)
	}
}

// On 1.4-pixel modules under a defocus of 0.9 pixels, the timing's
// frequency names the symbol's size first among the seal sizes that fit.
func TestTimingScore(t *testing.T) {
	for _, tc := range []struct {
		seed  int64
		size  int
		angle float64
	}{{1, 60, 3}, {2, 110, -9}, {3, 160, 21}} {
		var g moduleGrid
		for seed := tc.seed; g == nil; seed += 10 {
			g = dmGrid(t, testPayload(seed, tc.size))
		}
		side := 1.4 * float64(len(g))
		w := int(1.5*side) + 40
		th := tc.angle * math.Pi / 180
		var q quad
		for i, d := range [4][2]float64{{-0.5, -0.5}, {0.5, -0.5}, {0.5, 0.5}, {-0.5, 0.5}} {
			q[i] = pt{float64(w)/2 + side*(d[0]*math.Cos(th)-d[1]*math.Sin(th)), float64(w)/2 + side*(d[0]*math.Sin(th)+d[1]*math.Cos(th))}
		}
		img := lightFrame(g, q, w, w, 0.9, pt{-1e3, -1e3}, 1, tc.seed)
		h, _ := squareToQuad(q)
		got := timedSizes(&sampler{g: img, h: h}, side/0.95, 2)
		t.Logf("%dx%d symbol: timing names %v", len(g), len(g), got)
		if len(got) == 0 || got[0] != len(g) {
			t.Errorf("%dx%d symbol at %g deg: timing names %v first", len(g), len(g), tc.angle, got)
		}
	}
}
