package scan

import (
	"math"
	"testing"

	"github.com/cnie-reader/cnie-reader/seal/scan/synth"
)

// Glare over the far rows of a symbol: the outline stopped 13 pixels
// short on two corners, no size scored well enough, and 3905e86 read
// none of these frames.
func TestShortOutlineExtended(t *testing.T) {
	for _, f := range framesOf(synth.Realistic, 200) {
		decodesExactly(t, f)
	}
}

// extendQuad, given a symbol's outline cut short by a sixth on a side of
// its "L" (the finder's solid edge gives the far side's place), gives back
// the symbol's outline within a module, for one of the three best
// hypotheses fitted on the short outline. Cut on a timing side it does
// not: a dashed edge fits a grid two modules off, or of another size.
func TestExtendQuad(t *testing.T) {
	for _, f := range framesOf(synth.Clean, 0, 1, 2) {
		g := toGray(f.Image)
		var sym quad // as the symbol reads: the "L" is the left and bottom sides
		for i, c := range f.Corners {
			sym[i] = pt{float64(c.X), float64(c.Y)}
		}
		for _, k := range []int{0, 1} {
			// Side k (top, right) stays; the far side (bottom, left)
			// comes a sixth of the way in.
			short := sym
			for _, j := range [2][2]int{{(k + 3) % 4, k}, {(k + 2) % 4, (k + 1) % 4}} {
				far, near := sym[j[0]], sym[j[1]]
				short[j[0]] = pt{far.x + (near.x-far.x)/6, far.y + (near.y-far.y)/6}
			}
			if !unsquare(short) {
				t.Errorf("%s: an outline a sixth short taken for a square", f.Name)
			}
			h, _ := squareToQuad(short)
			s := &sampler{g: g, h: h}
			// One of the three best hypotheses extends to the symbol.
			best := math.Inf(1)
			for i, h := range fits(s, short, true, false) {
				if i == maxExtended {
					break
				}
				long, _, ok := extendQuad(s, short, h)
				if !ok {
					continue
				}
				var worst float64
				for i := range sym {
					worst = math.Max(worst, math.Hypot(long[i].x-sym[i].x, long[i].y-sym[i].y))
				}
				best = math.Min(best, worst)
			}
			if best > f.ModulePx {
				t.Errorf("%s side %d: the best extension is %.1f px (%.1f modules) off", f.Name, k, best, best/f.ModulePx)
			}
		}
		if unsquare(sym) {
			t.Errorf("%s: the symbol's own outline taken for unsquare", f.Name)
		}
	}
}
