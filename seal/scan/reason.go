package scan

import (
	"fmt"
	"math"
)

// sighting is a symbol seen but not decoded, with what was measured on
// it, so that the error can say what to change: bring the card closer,
// hold it still, tilt it out of a reflection.
type sighting struct {
	what     string  // "DataMatrix 48x48"
	acc      float64 // how well its fixed pattern read
	modulePx float64 // module size in frame pixels
	washed   float64 // share of its modules washed out by glare
	// contrast is the sharpness: the timing's contrast over the solid
	// parts', or the module detail of an outline; low when blurred.
	contrast float64
}

// Thresholds of the reasons; see sighting.code.
const (
	// minModulePx: below about 1.5 pixels per module a webcam frame
	// cannot tell modules apart (sampling below two pixels per period).
	minModulePx = 1.5
	// maxWashed: a share of washed-out modules beyond what the error
	// correction of a seal (about 14 % of codewords for a 48x48 symbol,
	// ISO/IEC 16022 Table 7) can rebuild, allowing for other errors.
	maxWashed = 0.08
	// minContrast: when alternating modules keep less than this share of
	// the contrast of solid areas, blur has mixed them.
	minContrast = 0.45
	// foundAcc: a fixed pattern read at least this well, over at least
	// foundFixed modules, is taken as a symbol seen.
	foundAcc   = 0.85
	foundFixed = 60
)

// measure looks at a hypothesis that did not decode.
func measure(s *sampler, f gridFit) sighting {
	sg := sighting{acc: f.acc, what: fmt.Sprintf("%s %dx%d", formatName(f.qr), f.rows, f.cols)}
	c := s.symbolCorners(f)
	var side float64
	for i := 0; i < 4; i++ {
		j := (i + 1) % 4
		side += math.Hypot(c[j].x-c[i].x, c[j].y-c[i].y) / 4
	}
	sg.modulePx = side / float64(max(f.rows, f.cols))

	var solidDark, solidLight, timeDark, timeLight mean
	for _, m := range fixedOf(f) {
		v := s.at(f, float64(m.c), float64(m.r))
		switch {
		case m.timing && m.dark:
			timeDark.add(v)
		case m.timing:
			timeLight.add(v)
		case m.dark:
			solidDark.add(v)
		default:
			solidLight.add(v)
		}
	}
	if solid := solidLight.get() - solidDark.get(); solid > 0 && timeDark.n > 0 && timeLight.n > 0 {
		sg.contrast = (timeLight.get() - timeDark.get()) / solid
	} else {
		sg.contrast = 1 // nothing to judge blur on
	}
	// Washed out: lighter than the light modules by a clear step, or at
	// the sensor's ceiling.
	limit := math.Min(250, math.Max(235, solidLight.get()+0.4*(255-solidLight.get())))
	washed := 0
	for r := 0; r < f.rows; r++ {
		for c := 0; c < f.cols; c++ {
			if s.at(f, float64(c), float64(r)) >= limit {
				washed++
			}
		}
	}
	sg.washed = float64(washed) / float64(f.rows*f.cols)
	return sg
}

// code is the reason a sighting gives, most actionable first.
func (sg sighting) code() Code {
	switch {
	case sg.washed >= maxWashed:
		return Glare
	case sg.modulePx > 0 && sg.modulePx < minModulePx:
		return TooSmall
	case sg.contrast < minContrast:
		return Blurred
	}
	return Damaged
}

func (sg sighting) detail() string {
	module := "module size unknown"
	if sg.modulePx > 0 {
		module = fmt.Sprintf("%.1f px/module", sg.modulePx)
	}
	return fmt.Sprintf("%s, fixed pattern %.0f%%, %s, %.0f%% washed out, sharpness %.2f (blurred below %.2f)",
		sg.what, 100*sg.acc, module, 100*sg.washed, sg.contrast, minContrast)
}

func formatName(qr bool) string {
	if qr {
		return FormatQR
	}
	return FormatDataMatrix
}

type mean struct {
	sum float64
	n   int
}

func (m *mean) add(v float64) { m.sum, m.n = m.sum+v, m.n+1 }

func (m *mean) get() float64 {
	if m.n == 0 {
		return 0
	}
	return m.sum / float64(m.n)
}

// assumedModules is the module count taken for a symbol whose size could
// not be told: the CNIE's seal is 12.19 mm wide at 0.254 mm (10 mil)
// modules, 48 modules.
const assumedModules = 48

// measureQuad looks at a symbol seen only by its outline (lShape): the
// module size is that of a CNIE seal of that width, the blur is judged on
// the contrast of the "L" against the quiet zone beside it.
func measureQuad(g *gray, q quad) sighting {
	var side float64
	for i := 0; i < 4; i++ {
		j := (i + 1) % 4
		side += math.Hypot(q[j].x-q[i].x, q[j].y-q[i].y) / 4
	}
	sg := sighting{what: "DataMatrix outline", modulePx: side / assumedModules, contrast: 1}
	h, ok := squareToQuad(q)
	if !ok {
		return sg
	}
	// Grey levels over the symbol, on a grid finer than its modules.
	const k = 64
	lo, hi := 255.0, 0.0
	vals := make([]float64, 0, k*k)
	for y := 0; y < k; y++ {
		for x := 0; x < k; x++ {
			px, py := h.apply((float64(x)+0.5)/k, (float64(y)+0.5)/k)
			v := g.bilinear(px, py)
			vals = append(vals, v)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	// The quiet zone just outside gives the paper's level.
	var paper mean
	for i := 0; i < 4; i++ {
		for j := 0; j < 16; j++ {
			u := (float64(j) + 0.5) / 16
			var x, y float64
			switch i {
			case 0:
				x, y = h.apply(u, -0.03)
			case 1:
				x, y = h.apply(1.03, u)
			case 2:
				x, y = h.apply(u, 1.03)
			default:
				x, y = h.apply(-0.03, u)
			}
			paper.add(g.bilinear(x, y))
		}
	}
	limit := math.Min(250, math.Max(235, paper.get()+0.4*(255-paper.get())))
	washed := 0
	for _, v := range vals {
		if v >= limit {
			washed++
		}
	}
	sg.washed = float64(washed) / float64(len(vals))
	// Blur smooths the module-to-module detail: the mean difference
	// between a point and its neighbours half a module away, against the
	// range of the symbol's greys (a sharp code alternates by about half
	// of it).
	if rng := paper.get() - lo; rng > 0 {
		var detail mean
		d := 0.5 / assumedModules
		for y := 0; y < k; y += 2 {
			for x := 0; x < k; x += 2 {
				u, v := (float64(x)+0.5)/k, (float64(y)+0.5)/k
				c := vals[y*k+x]
				for _, o := range [4][2]float64{{d, 0}, {-d, 0}, {0, d}, {0, -d}} {
					px, py := h.apply(u+o[0], v+o[1])
					detail.add(math.Abs(c - g.bilinear(px, py)))
				}
			}
		}
		sg.contrast = detail.get() / rng / outlineDetail
	}
	return sg
}

// outlineDetail scales the detail (see measureQuad) to the timing
// contrast's scale, where minContrast parts sharp from blurred. Measured on
// the generated frames (synth): sharp symbols 0.37-0.44, defocus of 1 px
// 0.29, motion of 3-7 px 0.27-0.18; 0.3 maps to minContrast.
const outlineDetail = 0.3 / minContrast
