package scan

import (
	"math"
	"testing"

	"github.com/cnie-reader/cnie-reader/seal/scan/synth"
)

// A caption or a row of micro-text one or two modules from the seal, that
// the threshold glued to it: the outline took them in, two or three corners
// were 10-45 pixels off, and cf82908 read none of these frames.
func TestCaptionCutFromOutline(t *testing.T) {
	frames := framesOf(synth.Realistic, 206, 220, 301, 360)
	if testing.Short() {
		frames = frames[:2]
	}
	for _, f := range frames {
		decodesExactly(t, f)
	}
}

// trimQuad, given the symbol's outline stretched over the print below and
// beside it, gives back the symbol's own outline within a module; given
// the symbol's own outline, it cuts nothing off the symbol.
func TestTrimQuad(t *testing.T) {
	for _, f := range framesOf(synth.Glued, 0, 1, 2, 3, 4, 5) {
		g := toGray(f.Image)
		var sym quad
		for i, c := range f.Corners {
			sym[i] = pt{float64(c.X), float64(c.Y)}
		}
		// Push the bottom side (the caption's side) 7 modules down and
		// the right side 4 modules out.
		along := func(a, b pt, k float64) pt {
			l := math.Hypot(b.x-a.x, b.y-a.y)
			return pt{(b.x - a.x) / l * k * f.ModulePx, (b.y - a.y) / l * k * f.ModulePx}
		}
		wide := sym
		down := along(sym[0], sym[3], 7)
		right := along(sym[0], sym[1], 4)
		wide[3] = pt{wide[3].x + down.x, wide[3].y + down.y}
		wide[2] = pt{wide[2].x + down.x + right.x, wide[2].y + down.y + right.y}
		wide[1] = pt{wide[1].x + right.x, wide[1].y + right.y}
		trimmed, ok := trimQuad(g, wide)
		if !ok {
			t.Errorf("%s: nothing cut from an outline 7 modules too long", f.Name)
			continue
		}
		for i := range sym {
			if d := math.Hypot(trimmed[i].x-sym[i].x, trimmed[i].y-sym[i].y); d > 1.5*f.ModulePx {
				t.Errorf("%s: corner %d is %.1f px (%.1f modules) from the symbol's", f.Name, i, d, d/f.ModulePx)
			}
		}
		if own, ok := trimQuad(g, sym); ok {
			for i := range sym {
				if d := math.Hypot(own[i].x-sym[i].x, own[i].y-sym[i].y); d > f.ModulePx {
					t.Errorf("%s: the symbol's own outline lost %.1f px at corner %d", f.Name, d, i)
				}
			}
		}
	}
}

// Degenerate and absurd outlines are refused or clamped, never a panic.
func TestTrimQuadHostile(t *testing.T) {
	g := newGray(64, 48)
	for i := range g.pix {
		g.pix[i] = uint8(i * 37)
	}
	nan := math.NaN()
	for _, q := range []quad{
		{},
		{{nan, 0}, {10, 0}, {10, 10}, {0, 10}},
		{{0, 0}, {1e12, 0}, {1e12, 1e12}, {0, 1e12}},
		{{-500, -500}, {500, -500}, {500, 500}, {-500, 500}},
		{{5, 5}, {5, 5}, {40, 40}, {40, 40}},
	} {
		if tq, ok := trimQuad(g, q); ok {
			for _, c := range tq {
				if math.IsNaN(c.x) || math.IsNaN(c.y) {
					t.Errorf("%v: trimmed to %v", q, tq)
				}
			}
		}
	}
}
