package scan

import "encoding/binary"

// run is a horizontal run of dark pixels [x0, x1) on row y.
type run struct {
	y, x0, x1 int32
	parent    int32
}

// binarize thresholds g against its local mean over a (2r+1)² window,
// minus an offset that grows with the image noise so that flat paper does
// not turn into speckle.
func binarize(g *gray, r int, offset int) []uint8 {
	w, h := g.w, g.h
	// Integral image with a zero row and column.
	iw := w + 1
	integ := make([]uint32, iw*(h+1))
	for y := 0; y < h; y++ {
		var rowSum uint32
		row := g.pix[y*w:]
		for x := 0; x < w; x++ {
			rowSum += uint32(row[x])
			integ[(y+1)*iw+x+1] = integ[y*iw+x+1] + rowSum
		}
	}
	out := make([]uint8, w*h)
	for y := 0; y < h; y++ {
		y0, y1 := max(y-r, 0), min(y+r+1, h)
		top, bot := integ[y0*iw:(y0+1)*iw], integ[y1*iw:(y1+1)*iw]
		row, dst := g.pix[y*w:(y+1)*w], out[y*w:(y+1)*w]
		rows := y1 - y0
		dark := func(x, x0, x1 int) {
			s := bot[x1] - top[x1] - bot[x0] + top[x0]
			n := rows * (x1 - x0)
			if (int(row[x])+offset)*n < int(s) {
				dst[x] = 1
			}
		}
		// Left and right borders, where the window is cut, then the
		// interior, where it is whole.
		lo, hi := min(r, w), max(w-r-1, min(r, w))
		for x := 0; x < lo; x++ {
			dark(x, 0, min(x+r+1, w))
		}
		n := rows * (2*r + 1)
		for x := lo; x < hi; x++ {
			s := bot[x+r+1] - top[x+r+1] - bot[x-r] + top[x-r]
			if (int(row[x])+offset)*n < int(s) {
				dst[x] = 1
			}
		}
		for x := hi; x < w; x++ {
			dark(x, max(x-r, 0), min(x+r+1, w))
		}
	}
	return out
}

// dilate grows the dark pixels of a binary plane by one pixel (3x3).
func dilate(bin []uint8, w, h int) {
	if w < 2 || h < 1 {
		return
	}
	tmp := make([]uint8, len(bin))
	for y := 0; y < h; y++ {
		row, out := bin[y*w:(y+1)*w], tmp[y*w:(y+1)*w]
		out[0] = row[0] | row[1]
		for x := 1; x < w-1; x++ {
			out[x] = row[x-1] | row[x] | row[x+1]
		}
		out[w-1] = row[w-2] | row[w-1]
	}
	// The vertical pass ORs whole rows, eight pixels at a time.
	for y := 0; y < h; y++ {
		up, mid, down := tmp[max(y-1, 0)*w:], tmp[y*w:], tmp[min(y+1, h-1)*w:]
		out := bin[y*w : (y+1)*w]
		x := 0
		for ; x+8 <= w; x += 8 {
			v := binary.LittleEndian.Uint64(up[x:]) | binary.LittleEndian.Uint64(mid[x:]) | binary.LittleEndian.Uint64(down[x:])
			binary.LittleEndian.PutUint64(out[x:], v)
		}
		for ; x < w; x++ {
			out[x] = up[x] | mid[x] | down[x]
		}
	}
}

// noiseLevel estimates the pixel noise (in grey levels) from the median
// absolute difference of horizontal neighbours, on a subset of rows.
func noiseLevel(g *gray) float64 {
	var hist [256]int
	n := 0
	for y := 0; y < g.h; y += 4 {
		row := g.pix[y*g.w:]
		for x := 1; x < g.w; x += 2 {
			d := int(row[x]) - int(row[x-1])
			if d < 0 {
				d = -d
			}
			hist[d]++
			n++
		}
	}
	acc := 0
	for d, c := range hist {
		acc += c
		if acc*2 >= n {
			// For Gaussian noise the median |difference| is 0.95 sigma.
			return float64(d) / 0.95
		}
	}
	return 0
}

func find(runs []run, i int32) int32 {
	for runs[i].parent != i {
		runs[i].parent = runs[runs[i].parent].parent
		i = runs[i].parent
	}
	return i
}

// components labels the 8-connected dark regions of a binary plane as sets
// of runs; it returns the runs and, for each run, its root.
func components(bin []uint8, w, h int) []run {
	runs := make([]run, 0, 4096)
	prevStart, prevEnd := 0, 0
	for y := 0; y < h; y++ {
		row := bin[y*w : (y+1)*w]
		start := len(runs)
		for x := 0; x < w; {
			if row[x] == 0 {
				x++
				continue
			}
			x0 := x
			for x < w && row[x] != 0 {
				x++
			}
			id := int32(len(runs))
			runs = append(runs, run{y: int32(y), x0: int32(x0), x1: int32(x), parent: id})
			// Union with the runs of the previous row that touch it,
			// diagonals included.
			for j := prevStart; j < prevEnd; j++ {
				p := &runs[j]
				if p.x1 < int32(x0) || p.x0 > int32(x) {
					continue
				}
				a, b := find(runs, id), find(runs, int32(j))
				if a != b {
					if a < b {
						runs[b].parent = a
					} else {
						runs[a].parent = b
					}
				}
			}
		}
		prevStart, prevEnd = start, len(runs)
	}
	for i := range runs {
		runs[i].parent = find(runs, int32(i))
	}
	return runs
}
