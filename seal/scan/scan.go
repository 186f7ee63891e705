package scan

import (
	"context"
	"fmt"
	"image"
	"math"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
)

// MaxPixels bounds the images Decode accepts (40 Mpixel), checked before
// any work; image files are checked against it from their header
// (CheckPixels), before they are decoded.
const MaxPixels = 40_000_000

// CheckPixels refuses a width x height image that Decode would refuse, with
// a TooLarge error (NoCode when empty).
func CheckPixels(w, h int) error {
	if w <= 0 || h <= 0 {
		return newErr(NoCode, "empty image")
	}
	if int64(w)*int64(h) > MaxPixels {
		return newErr(TooLarge, "%dx%d pixels, at most %d", w, h, MaxPixels)
	}
	return nil
}

// Result is a decoded seal symbol.
type Result struct {
	Format string // FormatDataMatrix or FormatQR
	// Rows and Cols are the symbol's size in modules (a QR code's are
	// equal), 0 when the decoder that read it does not tell.
	Rows, Cols int
	Payload    []byte // the raw bytes carried by the symbol
	// Corners of the symbol in the original image: its top-left, top-right,
	// bottom-right and bottom-left as it reads (for a DataMatrix the
	// bottom-left is the corner of the "L").
	Corners [4]image.Point
	// Attempt names the strategy that decoded it: "grid" (own location and
	// sampling), "warp" (rectified crop read by gozxing), "frame" (gozxing
	// on the whole frame), with "/fine" when the code was located on the
	// finer plane (a code small in the frame).
	Attempt string
}

// Decode finds and decodes the DataMatrix (ECC200) or QR code in img.
func Decode(img image.Image) (*Result, error) {
	return DecodeContext(context.Background(), img)
}

// DecodeContext is Decode that stops early, with a Canceled error, when
// ctx ends. It checks ctx between attempts, so it returns within a few
// milliseconds.
func DecodeContext(ctx context.Context, img image.Image) (*Result, error) {
	if img == nil {
		return nil, newErr(NoCode, "no image")
	}
	b := img.Bounds()
	if err := CheckPixels(b.Dx(), b.Dy()); err != nil {
		return nil, err
	}
	d := &decoder{ctx: ctx, g: toGray(img)}
	return d.run()
}

// maxWarps bounds the candidates handed to gozxing as rectified crops, the
// costliest attempt.
const maxWarps = 3

type decoder struct {
	ctx      context.Context
	g        *gray
	seen     *sighting // the best symbol seen that did not decode
	deblurs  int       // candidates deconvolved so far
	sweeps   int       // outlines whose sizes were swept so far
	solves   int       // module solves so far
	timed    int       // of sizes told by their timing alone (sweepSizes)
	unparsed string    // a symbol decoded to codewords that do not parse
}

func (d *decoder) canceled() bool { return d.ctx.Err() != nil }

func (d *decoder) run() (*Result, error) {
	// A pyramid of halvings. Candidates are located on the finest plane
	// at most locateWidth pixels wide: on a coarser one a seal's modules
	// (1 to 4 pixels in a webcam frame) shrink below a pixel and the
	// threshold glues the code to the print around it. Large codes are
	// located on the plane one step coarser too, and gozxing reads the
	// whole frame on a plane at most frameWidth wide. Sampling always
	// uses the full-resolution frame.
	levels := []*gray{d.g}
	for levels[len(levels)-1].w > frameWidth {
		levels = append(levels, levels[len(levels)-1].half())
	}
	locIdx := 0
	for locIdx < len(levels)-1 && levels[locIdx].w > locateWidth {
		locIdx++
	}
	scaleOf := func(i int) float64 { return float64(int(1) << i) }
	if d.canceled() {
		return nil, d.cancelErr()
	}
	// The coarser plane first: cheaper, and its dilation holds a
	// blurred code together; then the finer one for small codes.
	var cands []candidate
	if locIdx+1 < len(levels) {
		cands = locate(levels[locIdx+1], scaleOf(locIdx+1), true)
		if r := d.tryCandidates(cands, "grid/coarse", false); r != nil {
			return r, nil
		}
	}
	if d.canceled() {
		return nil, d.cancelErr()
	}
	fine := locate(levels[locIdx], scaleOf(locIdx), false)
	if r := d.tryCandidates(fine, "grid", false); r != nil {
		return r, nil
	}
	cands = append(cands, fine...)
	if d.canceled() {
		return nil, d.cancelErr()
	}
	if r := d.tryCandidates(cands, "warp", true); r != nil {
		return r, nil
	}
	if d.canceled() {
		return nil, d.cancelErr()
	}
	last := len(levels) - 1
	if r := d.tryFrame(levels[last], scaleOf(last), "frame"); r != nil {
		return r, nil
	}
	if d.canceled() {
		return nil, d.cancelErr()
	}
	if d.seen != nil {
		return nil, newErr(d.seen.code(), "%s", d.seen.detail())
	}
	if d.unparsed != "" {
		return nil, newErr(Damaged, "%s", d.unparsed)
	}
	return nil, newErr(NoCode, "%d candidate regions", len(cands))
}

// locateWidth and frameWidth bound the planes candidates are located on
// and gozxing reads, in pixels.
const (
	locateWidth = 1400
	frameWidth  = 1000
)

func (d *decoder) cancelErr() error {
	return &Error{Kind: Canceled, Detail: d.ctx.Err().Error()}
}

// tryCandidates decodes each candidate region, by sampling its grid or, if
// warp is set, by handing a rectified crop to gozxing. The grid attempt
// records on each candidate how much it looked like a symbol; only those
// that did are warped (the costliest attempt), so a frame without a code
// is given up quickly.
func (d *decoder) tryCandidates(cands []candidate, attempt string, warp bool) *Result {
	warps := 0
	for i := range cands {
		c := &cands[i]
		if d.canceled() {
			return nil
		}
		if warp && (warps >= maxWarps || c.evidence < warpEvidence && !c.lShape) {
			continue
		}
		if warp {
			q, s, ok := d.outline(*c)
			if !ok {
				continue
			}
			warps++
			if r := d.tryWarp(s, q, attempt); r != nil {
				return r
			}
			continue
		}
		q, s, ok := d.outline(*c)
		if !ok {
			continue
		}
		if r := d.tryQuad(c, q, s, c.q, attempt); r != nil {
			return r
		}
		// A caption or a row of micro-text glued to the symbol by the
		// threshold: cut it off and read again.
		if t, ok := trimQuad(d.g, c.q); ok && !d.canceled() {
			v := *c
			v.q = t
			if q, s, ok := d.outline(v); ok {
				if r := d.tryQuad(c, q, s, t, attempt+"/trimmed"); r != nil {
					return r
				}
			}
		}
		// Glare or a thumb over the far part: extend the outline (when
		// some hypothesis fitted it: most print fits none).
		if c.evidence >= minAcc && unsquare(q) && !d.canceled() {
			if r := d.tryExtended(q, s, attempt); r != nil {
				return r
			}
		}
		// Moved during the exposure: undo the move its texture shows,
		// and read again (one candidate a frame: it is costly).
		if d.deblurs < maxDeblurs && squareLike(d.g, q, 260) {
			if r := d.tryDeblurred(c, q, attempt); r != nil {
				return r
			}
		}
		// A symbol too small or too blurred for any size to be told
		// still shows its "L", or at least a dense square of a seal's
		// size: say so rather than "no code".
		if c.evidence < foundAcc {
			c.lShape = lShape(d.g, q)
			sealShaped := c.lShape || squareLike(d.g, q, smallSeal)
			if sealShaped && d.sweeps < maxSweeps {
				d.sweeps++
				if r := d.trySweep(q, s, attempt); r != nil {
					return r
				}
			}
			switch {
			case d.seen != nil:
			case sealShaped:
				sg := measureQuad(d.g, q)
				d.seen = &sg
			case besideGlare(d.g, q):
				d.seen = &sighting{what: "part of a code beside a saturated patch", washed: 1, contrast: 1}
			}
		}
	}
	return nil
}

// tryQuad decodes the grid of outline q, fitted from the rough outline
// rough; when rough is irregular, the outlines completed from three of its
// corners are tried too.
func (d *decoder) tryQuad(c *candidate, q quad, s *sampler, rough quad, attempt string) *Result {
	if r := d.tryGrid(c, q, s, attempt); r != nil {
		return r
	}
	// Glare or a finger over one corner bends the outline there:
	// complete a parallelogram from the other three corners.
	if c.evidence < minAcc || regular(rough) {
		return nil
	}
	for k := 0; k < 4 && !d.canceled(); k++ {
		v := *c
		v.q = rough
		v.q[k] = pt{rough[(k+3)%4].x + rough[(k+1)%4].x - rough[(k+2)%4].x, rough[(k+3)%4].y + rough[(k+1)%4].y - rough[(k+2)%4].y}
		if q, s, ok := d.outline(v); ok {
			if r := d.tryGrid(c, q, s, attempt); r != nil {
				return r
			}
		}
	}
	return nil
}

// tryExtended reads an outline that is not square on the outlines
// extendQuad grows for its best DataMatrix hypotheses: on a short outline
// the right size and orientation often score below a wrong one, yet
// extend it to the symbol's own outline, where they are fitted again.
func (d *decoder) tryExtended(q quad, s *sampler, attempt string) *Result {
	for i, f := range fits(s, q, true, false) {
		if i == maxExtended || d.canceled() {
			break
		}
		// Stretched, print fits some grid a little better; a symbol's
		// own outline reads well.
		q2, f2, ok := extendQuad(s, q, f)
		if !ok || f2.acc < foundAcc {
			continue
		}
		h, ok := squareToQuad(q2)
		if !ok {
			continue
		}
		s2 := &sampler{g: d.g, h: h}
		if r := d.tryFits(s2, q2, fits(s2, q2, true, false), attempt+"/extended"); r != nil {
			return r
		}
	}
	return nil
}

// maxExtended bounds the hypotheses of a short outline that are extended.
const maxExtended = 3

// trySweep decodes the sizes sweepSizes aligns on an outline, solving for
// their modules whatever their score: the outline is already shaped like a
// seal, and on a small or moved one the right size scores little better
// than print.
func (d *decoder) trySweep(q quad, s *sampler, attempt string) *Result {
	for i, a := range sweepSizes(s, q) {
		if i == 3 || d.canceled() {
			break
		}
		res, err := sampleDecode(a.s, a.f)
		f := a.f
		switch {
		case err == nil:
		case a.timed && d.timed < maxTimed:
			d.timed++
			res, f, err = solveDecode(a.s, a.f, q)
		case !a.timed && d.solves < maxSolves:
			d.solves++
			res, f, err = solveDecode(a.s, a.f, q)
		}
		if err != nil {
			continue
		}
		if r := d.result(res, f, a.s, attempt+"/sweep"); r != nil {
			return r
		}
	}
	return nil
}

// maxSolves bounds the hypotheses solved for (solveDecode) per frame, each
// one to four solves of 5-40 ms, and solveAcc is the fixed-pattern score
// from which one is worth it.
const (
	maxSolves = 3
	solveAcc  = 0.75
)

// maxTimed bounds the solves, per frame, of sizes told by their timing
// alone: apart from maxSolves, which a symbol's outline read well needs.
const maxTimed = 2

// maxSweeps bounds the outlines whose sizes are swept per frame.
const maxSweeps = 2

// smallSeal is the widest outline, in pixels, taken for a seal too small
// to read (48 modules of at most about 2.3 pixels).
const smallSeal = 110

// maxDeblurs bounds the candidates deconvolved per frame: with the sizes
// then solved under the move, one costs up to about 300 ms.
const maxDeblurs = 1

// tryDeblurred deconvolves the region of an outline for the move its
// texture shows (moveOf), then locates and reads it again there; failing
// that, the sizes aligned on the sharper outline are solved for on the
// frame itself under that move (solve.go), which undoes more of it.
func (d *decoder) tryDeblurred(c *candidate, q quad, attempt string) *Result {
	m, ok := moveOf(d.g, q)
	if !ok {
		return nil
	}
	d.deblurs++
	// The deconvolved copy is read by sampling only: solving is done on
	// the frame itself, below.
	sharp := &decoder{ctx: d.ctx, g: deblurred(d.g, q, m, 10), solves: maxSolves}
	v := *c
	v.q = q
	q2, s, ok := sharp.outline(v)
	if !ok {
		return nil
	}
	attempt += "/deblurred"
	if r := sharp.tryGrid(&v, q2, s, attempt); r != nil {
		return r
	}
	for i, a := range sweepSizes(s, q2) {
		if i == 3 || d.solves == maxSolves || d.canceled() {
			break
		}
		if a.timed {
			continue // a size told by its timing alone is trySweep's to solve
		}
		d.solves++
		blurred := &sampler{g: d.g, h: a.s.h}
		sol, ok := solvedVals(blurred, a.f, blurModel{sigma: 0.5, motion: m}, solveIters)
		if !ok {
			continue
		}
		f := a.f
		f.thr = sol.thr
		if res, err := decodeVals(sol.vals, f); err == nil {
			if r := d.result(res, f, blurred, attempt+"/solved"); r != nil {
				return r
			}
		}
	}
	return nil
}

// outline fits a candidate's edges (its rough outline when they do not
// fit) and the sampler of that outline.
func (d *decoder) outline(c candidate) (quad, *sampler, bool) {
	q, ok := refine(d.g, c)
	if !ok {
		q = c.q
	}
	h, ok := squareToQuad(q)
	if !ok {
		return q, nil, false
	}
	return q, &sampler{g: d.g, h: h}, true
}

// tryGrid decodes an outline by sampling its grid, DataMatrix hypotheses
// first, then QR (scoring all QR versions costs more than a DataMatrix
// decode); it records on c the best score seen.
func (d *decoder) tryGrid(c *candidate, q quad, s *sampler, attempt string) *Result {
	for _, qr := range [2]bool{false, true} {
		fs := fits(s, q, !qr, qr)
		if len(fs) > 0 {
			c.evidence = math.Max(c.evidence, fs[0].acc)
		}
		if r := d.tryFits(s, q, fs, attempt); r != nil {
			return r
		}
	}
	return nil
}

// regular tells whether a quad's opposite sides are close in length, as
// a symbol's are under moderate perspective.
func regular(q quad) bool {
	l := func(i int) float64 { j := (i + 1) % 4; return math.Hypot(q[j].x-q[i].x, q[j].y-q[i].y) }
	r1, r2 := l(0)/l(2), l(1)/l(3)
	return r1 < 1.15 && r1 > 1/1.15 && r2 < 1.15 && r2 > 1/1.15
}

// decodeAcc is the fixed-pattern score from which a hypothesis is worth
// its decode: on the generated frames (synth) no hypothesis below 0.75
// decoded, while print and guilloche reach 0.7.
const decodeAcc = 0.72

// warpEvidence is the fixed-pattern score from which a candidate that the
// grid did not decode is handed to gozxing as a rectified crop.
const warpEvidence = 0.75

// tryFits decodes the best three hypotheses of a quad.
func (d *decoder) tryFits(s *sampler, q quad, fs []gridFit, attempt string) *Result {
	for i, f := range fs {
		if i == 3 || f.acc < decodeAcc {
			break
		}
		res, f, s, err := gridDecode(s, f, q, fixedOf(f))
		if err != nil && f.acc >= solveAcc && d.solves < maxSolves {
			d.solves++
			res, f, err = solveDecode(s, f, q)
		}
		if err != nil {
			// Evidence of a symbol: a long fixed pattern read well
			// (gozxing's exceptions are no such evidence: three
			// finder-like blobs in print are enough for its QR
			// detector). What is measured on it says why it failed.
			if f.acc >= foundAcc && len(fixedOf(f)) >= foundFixed && (d.seen == nil || f.acc > d.seen.acc) {
				sg := measure(s, f)
				d.seen = &sg
			}
			continue
		}
		if r := d.result(res, f, s, attempt); r != nil {
			return r
		}
	}
	return nil
}

// result is the seal a grid decode gave, or nil when its payload does not
// parse.
func (d *decoder) result(res *common.DecoderResult, f gridFit, s *sampler, attempt string) *Result {
	p, err := payloadOf(f.qr, res.GetRawBytes(), res.GetECLevel(), res.GetByteSegments())
	if err != nil {
		d.unparsed = fmt.Sprintf("%s %dx%d: payload does not parse", formatName(f.qr), f.rows, f.cols)
		return nil
	}
	r := &Result{Format: formatName(f.qr), Rows: f.rows, Cols: f.cols, Payload: p, Attempt: attempt}
	r.Corners = toPoints(s.symbolCorners(f))
	return r
}

// tryFrame runs gozxing on a whole plane (scale maps it to the frame).
func (d *decoder) tryFrame(g *gray, scale float64, attempt string) *Result {
	res, err := zxRead(g, true)
	if err != nil {
		return nil
	}
	return d.zxResult(res, attempt, func(x, y float64) pt { return pt{x * scale, y * scale} })
}

func (d *decoder) zxResult(res *gozxing.Result, attempt string, toFrame func(x, y float64) pt) *Result {
	format, p, err := zxPayload(res)
	if err != nil {
		d.unparsed = attempt + ": payload does not parse"
		return nil
	}
	r := &Result{Format: format, Payload: p, Attempt: attempt}
	r.Corners = toPoints(zxCorners(res, toFrame))
	return r
}

// tryWarp rectifies the quad onto an upright square with a quiet zone, at a
// few sizes, and lets gozxing read it.
func (d *decoder) tryWarp(s *sampler, q quad, attempt string) *Result {
	side := (math.Hypot(q[1].x-q[0].x, q[1].y-q[0].y) + math.Hypot(q[3].x-q[0].x, q[3].y-q[0].y)) / 2
	for _, k := range []float64{1, 2} {
		// Native size for a large symbol, twice for a small one.
		if d.canceled() || k == 1 && side < 120 || k == 2 && side > 250 {
			continue
		}
		n := int(math.Min(500, math.Max(120, side*k)))
		w, inner := warp(s, n)
		res, err := zxRead(w, true)
		if err != nil {
			continue
		}
		toFrame := func(x, y float64) pt {
			u := (x - float64(inner)) / float64(n)
			v := (y - float64(inner)) / float64(n)
			fx, fy := s.h.apply(u, v)
			return pt{fx, fy}
		}
		if r := d.zxResult(res, attempt, toFrame); r != nil {
			return r
		}
	}
	return nil
}

// warp samples the quad onto an n x n square (bilinear) inside a quiet
// zone: the image's own surroundings for 4% of the side, then white.
func warp(s *sampler, n int) (*gray, int) {
	pad := n / 6
	near := n / 25
	out := newGray(n+2*pad, n+2*pad)
	for i := range out.pix {
		out.pix[i] = 255
	}
	// The quiet zone is painted as light as the symbol's light modules.
	light := 0.0
	for y := -near; y < n+near; y++ {
		for x := -near; x < n+near; x++ {
			u, v := (float64(x)+0.5)/float64(n), (float64(y)+0.5)/float64(n)
			fx, fy := s.h.apply(u, v)
			val := s.g.bilinear(fx, fy)
			light = math.Max(light, val)
			out.pix[(y+pad)*out.w+x+pad] = uint8(val + 0.5)
		}
	}
	for y := 0; y < out.h; y++ {
		for x := 0; x < out.w; x++ {
			if x < pad-near || y < pad-near || x >= pad+n+near || y >= pad+n+near {
				out.pix[y*out.w+x] = uint8(light)
			}
		}
	}
	return out, pad
}

// zxCorners turns gozxing's result points into the symbol's corners. For a
// DataMatrix they are its corners; for a QR code the finder centres, 3.5
// modules inside the corners, from which the corners are extrapolated.
func zxCorners(res *gozxing.Result, toFrame func(x, y float64) pt) [4]pt {
	rp := res.GetResultPoints()
	var c [4]pt
	if len(rp) < 3 {
		return c
	}
	p := make([]pt, len(rp))
	for i, r := range rp {
		p[i] = pt{r.GetX(), r.GetY()}
	}
	if res.GetBarcodeFormat() == gozxing.BarcodeFormat_QR_CODE {
		// points: bottom-left, top-left, top-right finder centres.
		bl, tl, tr := p[0], p[1], p[2]
		dim := 21.0
		md := res.GetResultMetadata()
		ec, _ := md[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL].(string)
		if v := qrVersion(len(res.GetRawBytes()), ec); v > 0 {
			dim = float64(17 + 4*v)
		}
		k := 3.5 / (dim - 7)
		ex, ey := pt{tr.x - tl.x, tr.y - tl.y}, pt{bl.x - tl.x, bl.y - tl.y}
		at := func(a, b float64) pt { return pt{tl.x + a*ex.x + b*ey.x, tl.y + a*ex.y + b*ey.y} }
		c = [4]pt{at(-k, -k), at(1+k, -k), at(1+k, 1+k), at(-k, 1+k)}
	} else if len(p) >= 4 {
		// gozxing's DataMatrix detector: top-left, bottom-left,
		// bottom-right, top-right, with the "L" at the bottom-left.
		c = [4]pt{p[0], p[3], p[2], p[1]}
	}
	for i := range c {
		c[i] = toFrame(c[i].x, c[i].y)
	}
	return c
}

func toPoints(p [4]pt) [4]image.Point {
	var out [4]image.Point
	for i, q := range p {
		out[i] = image.Point{int(math.Round(q.x)), int(math.Round(q.y))}
	}
	return out
}
