package scan

import (
	"math"
	"sort"
)

// candidate is a region that may be a 2D code, in full-resolution
// coordinates: its outline as a quadrilateral and its bounding rectangle.
type candidate struct {
	q      quad    // corners, clockwise on screen
	cx, cy float64 // centre of the rectangle
	theta  float64 // direction of the rectangle's u axis
	hu, hv float64 // half extents along u and v
	score  float64
	// What the grid attempt saw: the best fixed-pattern score of any
	// hypothesis, and whether the outline shows a DataMatrix's "L".
	evidence float64
	lShape   bool
}

const maxCands = 6

type compStat struct {
	count                  int
	minX, minY, maxX, maxY int32
	nruns                  int // runs of the dilated plane
	edges                  int // runs of the plane before dilation
}

// locate finds dark connected regions shaped like a 2D code: a symbol's
// dark modules touch each other (the finder patterns see to it), while the
// quiet zone keeps it apart from the print around it. It works on g, which
// the caller may have downscaled; scale converts back to the frame.
func locate(g *gray, scale float64, grow bool) []candidate {
	if g.w < 16 || g.h < 16 {
		return nil
	}
	r := max(8, min(g.w, g.h)/24)
	offset := max(4, int(2.5*noiseLevel(g)+0.5))
	bin0 := binarize(g, r, offset)
	// Close the necks that blur opens between diagonal modules; texture is
	// still measured on the plane before.
	bin := bin0
	if grow {
		bin = append([]uint8(nil), bin0...)
		dilate(bin, g.w, g.h)
	}
	runs := components(bin, g.w, g.h)
	// Component statistics, indexed by root run.
	stats := make([]compStat, len(runs))
	var roots []int32
	minSide := int32(max(12, min(g.w, g.h)/40))
	for i := range runs {
		rn := &runs[i]
		s := &stats[rn.parent]
		if s.nruns == 0 {
			*s = compStat{minX: rn.x0, minY: rn.y, maxX: rn.x1, maxY: rn.y + 1}
			roots = append(roots, rn.parent)
		}
		s.nruns++
		row := bin0[int(rn.y)*g.w:]
		for x := rn.x0; x < rn.x1; x++ {
			if row[x] != 0 {
				s.count++
				if x == rn.x0 || row[x-1] == 0 {
					s.edges++
				}
			}
		}
		s.minX, s.maxX = min(s.minX, rn.x0), max(s.maxX, rn.x1)
		s.minY, s.maxY = min(s.minY, rn.y), max(s.maxY, rn.y+1)
	}
	// Keep the components big enough and textured enough.
	var picks []int32
	for _, id := range roots {
		s := &stats[id]
		bw, bh := s.maxX-s.minX, s.maxY-s.minY
		if bw < minSide || bh < minSide || bw > int32(g.w)*9/10 && bh > int32(g.h)*9/10 {
			continue
		}
		area := int(bw) * int(bh)
		if s.count*10 < area || s.count*10 > area*9 {
			continue
		}
		// a code has several runs per row; a solid blob or a line has one
		if s.edges < 3*int(bh) {
			continue
		}
		picks = append(picks, id)
	}
	if len(picks) > 4*maxCands { // the largest ones
		sort.Slice(picks, func(i, j int) bool { return stats[picks[i]].count > stats[picks[j]].count })
		picks = picks[:4*maxCands]
	}
	// A QR code's finder patterns are components of their own, apart from
	// the data by their light separator: each pick also gets a variant
	// merged with the small components close to it.
	type group struct {
		members []int32
		count   int
		merged  bool
	}
	var groups []group
	for _, id := range picks {
		s := &stats[id]
		groups = append(groups, group{[]int32{id}, s.count, false})
		side := max(s.maxX-s.minX, s.maxY-s.minY)
		gap, small := side/16+2, side
		merged := group{[]int32{id}, s.count, true}
		for _, o := range roots {
			t := &stats[o]
			if o == id || t.maxX-t.minX > small || t.maxY-t.minY > small || t.maxX-t.minX < 3 {
				continue
			}
			if t.minX > s.maxX+gap || t.maxX < s.minX-gap || t.minY > s.maxY+gap || t.maxY < s.minY-gap {
				continue
			}
			// what lies deep inside the pick's box cannot change its hull
			if t.minX >= s.minX+gap && t.maxX <= s.maxX-gap && t.minY >= s.minY+gap && t.maxY <= s.maxY-gap {
				continue
			}
			merged.members = append(merged.members, o)
			merged.count += t.count
		}
		if len(merged.members) > 1 && len(merged.members) < 256 {
			groups = append(groups, merged)
		}
	}
	if len(groups) == 0 {
		return nil
	}
	// The hull of a group only needs the extent of each of its rows.
	inGroups := map[int32][]int{}
	type extent struct {
		y0   int32
		minX []int32
		maxX []int32
	}
	ext := make([]extent, len(groups))
	for gi, gr := range groups {
		var y0, y1 int32 = math.MaxInt32, 0
		for _, m := range gr.members {
			inGroups[m] = append(inGroups[m], gi)
			y0, y1 = min(y0, stats[m].minY), max(y1, stats[m].maxY)
		}
		e := extent{y0: y0, minX: make([]int32, y1-y0), maxX: make([]int32, y1-y0)}
		for i := range e.minX {
			e.minX[i], e.maxX[i] = math.MaxInt32, -1
		}
		ext[gi] = e
	}
	for i := range runs {
		gs, ok := inGroups[runs[i].parent]
		if !ok {
			continue
		}
		rn := &runs[i]
		for _, k := range gs {
			e := &ext[k]
			j := rn.y - e.y0
			e.minX[j], e.maxX[j] = min(e.minX[j], rn.x0), max(e.maxX[j], rn.x1)
		}
	}
	// Points of each horizontal boundary y: the leftmost and rightmost
	// corners of the rows above and below it, in (y, x) order already.
	ends := make([][]pt, len(groups))
	for k, e := range ext {
		pts := make([]pt, 0, 2*len(e.minX)+2)
		for j := 0; j <= len(e.minX); j++ {
			lo, hi := int32(math.MaxInt32), int32(-1)
			for _, r := range [2]int{j - 1, j} {
				if r >= 0 && r < len(e.minX) && e.maxX[r] >= 0 {
					lo, hi = min(lo, e.minX[r]), max(hi, e.maxX[r])
				}
			}
			if hi < 0 {
				continue
			}
			y := float64(e.y0 + int32(j))
			pts = append(pts, pt{float64(lo), y})
			if hi != lo {
				pts = append(pts, pt{float64(hi), y})
			}
		}
		ends[k] = pts
	}
	var out []candidate
	for i, gr := range groups {
		hull := convexHullSorted(ends[i])
		c, ok := minAreaRect(hull)
		if !ok {
			continue
		}
		var qok bool
		if c.q, qok = hullQuad(hull); !qok {
			c.q = maxQuad(hull)
		}
		if !convex(c.q) {
			c.q = rectQuad(c)
		}
		for k := range c.q {
			c.q[k].x *= scale
			c.q[k].y *= scale
		}
		rectArea := 4 * c.hu * c.hv
		hullArea := polyArea(hull)
		aspect := math.Max(c.hu, c.hv) / math.Min(c.hu, c.hv)
		density := float64(gr.count) / rectArea
		if aspect > 3.2 || hullArea < 0.75*rectArea || density < 0.2 || density > 0.95 {
			continue
		}
		c.score = hullArea / (aspect * aspect * aspect * aspect)
		if gr.merged { // a guess: try the plain component first
			c.score /= 2
		}
		c.cx, c.cy, c.hu, c.hv = c.cx*scale, c.cy*scale, c.hu*scale, c.hv*scale
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].score > out[j].score })
	if len(out) > maxCands {
		out = out[:maxCands]
	}
	return out
}
