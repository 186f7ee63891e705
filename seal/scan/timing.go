package scan

import (
	"math"
	"slices"
)

// On a small or blurred symbol the fixed pattern, aligned for the right
// size, scores little better than for a wrong one: the timing modules are
// a pixel or so, and blur mixes each with its neighbours. But the timing
// pattern alternates along two whole sides, n/2 periods for n modules,
// and over a side that frequency still stands out of the blur and the
// noise: its strength tells the size.

// timingScore is how strongly two adjacent sides of the outline under s
// alternate as an n-module timing pattern would, half a module in: the
// normalised Fourier magnitude at n/2 periods per side (0..1 on each
// side), summed over the best pair of adjacent sides.
func timingScore(s *sampler, n int) float64 {
	var side [4]float64
	k := 8 * n // samples along a side
	d := 0.5 / float64(n)
	vals := make([]float64, k)
	for i := range side {
		var mean float64
		for j := range vals {
			t := (float64(j) + 0.5) / float64(k)
			u, v := [4]float64{t, 1 - d, t, d}[i], [4]float64{d, t, 1 - d, t}[i]
			x, y := s.h.apply(u, v)
			vals[j] = s.g.bilinear(x, y)
			mean += vals[j]
		}
		mean /= float64(k)
		var re, im, power float64
		for j, v := range vals {
			a := math.Pi * float64(n) * (float64(j) + 0.5) / float64(k)
			re += (v - mean) * math.Cos(a)
			im += (v - mean) * math.Sin(a)
			power += (v - mean) * (v - mean)
		}
		if power > 0 {
			side[i] = math.Hypot(re, im) / math.Sqrt(float64(k)*power)
		}
	}
	best := 0.0
	for i := range side {
		best = math.Max(best, side[i]+side[(i+1)%4])
	}
	return best
}

// timedSizes are the square DataMatrix sizes of at most maxModules
// modules whose timing pattern the outline under s shows most strongly,
// the strongest first.
func timedSizes(s *sampler, maxModules float64, count int) []int {
	type scored struct {
		n     int
		score float64
	}
	var all []scored
	for _, sz := range dmSizes {
		if sz[0] == sz[1] && float64(sz[0]) <= maxModules {
			all = append(all, scored{sz[0], timingScore(s, sz[0])})
		}
	}
	slices.SortStableFunc(all, func(a, b scored) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	var out []int
	for _, a := range all[:min(count, len(all))] {
		out = append(out, a.n)
	}
	return out
}
