package ecc200

import "sync"

// size is one ECC200 symbol size (ISO/IEC 16022 Table 7): its modules, the
// size of each data region (the regions tile the symbol, each inside its
// own finder and timing), its data codewords and its error correction in
// blocks of nCheck check codewords each.
type size struct {
	rows, cols int
	regionRows int
	regionCols int
	data       int
	nCheck     int // per block
	blocks     int
}

// sizes holds the square sizes and the 16x48 rectangle, the sizes a seal
// is printed in. The data counts of the blocks differ only for 144x144
// (eight of 156, two of 155).
var sizes = [...]size{
	{10, 10, 8, 8, 3, 5, 1},
	{12, 12, 10, 10, 5, 7, 1},
	{14, 14, 12, 12, 8, 10, 1},
	{16, 16, 14, 14, 12, 12, 1},
	{18, 18, 16, 16, 18, 14, 1},
	{20, 20, 18, 18, 22, 18, 1},
	{22, 22, 20, 20, 30, 20, 1},
	{24, 24, 22, 22, 36, 24, 1},
	{26, 26, 24, 24, 44, 28, 1},
	{32, 32, 14, 14, 62, 36, 1},
	{36, 36, 16, 16, 86, 42, 1},
	{40, 40, 18, 18, 114, 48, 1},
	{44, 44, 20, 20, 144, 56, 1},
	{48, 48, 22, 22, 174, 68, 1},
	{52, 52, 24, 24, 204, 42, 2},
	{64, 64, 14, 14, 280, 56, 2},
	{72, 72, 16, 16, 368, 36, 4},
	{80, 80, 18, 18, 456, 48, 4},
	{88, 88, 20, 20, 576, 56, 4},
	{96, 96, 22, 22, 696, 68, 4},
	{104, 104, 24, 24, 816, 56, 6},
	{120, 120, 18, 18, 1050, 68, 6},
	{132, 132, 20, 20, 1304, 62, 8},
	{144, 144, 22, 22, 1558, 62, 10},
	{16, 48, 14, 22, 49, 28, 1},
}

// sizeOf finds a size in the table, and its index there.
func sizeOf(rows, cols int) (size, int, bool) {
	for i, s := range sizes {
		if s.rows == rows && s.cols == cols {
			return s, i, true
		}
	}
	return size{}, 0, false
}

// placements are worked out once per size, on first use.
var placements struct {
	once [len(sizes)]sync.Once
	of   [len(sizes)][][8]int
}

// placementOf is size i's placement.
func placementOf(i int) [][8]int {
	placements.once[i].Do(func() { placements.of[i] = sizes[i].placement() })
	return placements.of[i]
}

// total is the number of codewords the symbol holds.
func (s size) total() int { return s.data + s.nCheck*s.blocks }

// blockOf gives where codeword i of the symbol's stream sits: its block and
// its place in that block. Blocks are interleaved codeword by codeword,
// data first, then check codewords (ISO/IEC 16022 5.7.2).
func (s size) blockOf(i int) (block, pos int) {
	if i < s.data {
		return i % s.blocks, i / s.blocks
	}
	j := i - s.data
	return j % s.blocks, s.blockData(j%s.blocks) + j/s.blocks
}

// blockData is the number of data codewords of block b.
func (s size) blockData(b int) int {
	n := s.data / s.blocks
	if b < s.data%s.blocks {
		n++
	}
	return n
}

// placement gives, for each codeword of the stream, the symbol modules of
// its eight bits, most significant first, as row*cols+col. It follows the
// placement of ISO/IEC 16022 Annex F on the mapping matrix (the data
// regions side by side, without their finders and timing), then moves
// each place into its region.
func (s size) placement() [][8]int {
	nrow := s.rows / (s.regionRows + 2) * s.regionRows
	ncol := s.cols / (s.regionCols + 2) * s.regionCols
	p := placer{nrow: nrow, ncol: ncol, taken: make([]bool, nrow*ncol)}
	p.run()
	out := make([][8]int, len(p.cw))
	for k, bits := range p.cw {
		for b, m := range bits {
			r, c := m/ncol, m%ncol
			r = r/s.regionRows*(s.regionRows+2) + 1 + r%s.regionRows
			c = c/s.regionCols*(s.regionCols+2) + 1 + c%s.regionCols
			out[k][b] = r*s.cols + c
		}
	}
	return out
}

// placer walks the mapping matrix diagonally, laying each codeword out in
// the "utah" shape or, at four places, in a corner shape.
type placer struct {
	nrow, ncol int
	taken      []bool
	cw         [][8]int // mapping-matrix places of each codeword's bits
}

// module places bit b of the current codeword at row, col, wrapping
// places that fall outside the matrix as Annex F does.
func (p *placer) module(row, col, b int) {
	if row < 0 {
		row += p.nrow
		col += 4 - (p.nrow+4)%8
	}
	if col < 0 {
		col += p.ncol
		row += 4 - (p.ncol+4)%8
	}
	i := row*p.ncol + col
	p.taken[i] = true
	p.cw[len(p.cw)-1][b] = i
}

func (p *placer) shape(places [8][2]int) {
	p.cw = append(p.cw, [8]int{})
	for b, rc := range places {
		p.module(rc[0], rc[1], b)
	}
}

func (p *placer) utah(r, c int) {
	p.shape([8][2]int{{r - 2, c - 2}, {r - 2, c - 1}, {r - 1, c - 2}, {r - 1, c - 1},
		{r - 1, c}, {r, c - 2}, {r, c - 1}, {r, c}})
}

func (p *placer) run() {
	nr, nc := p.nrow, p.ncol
	row, col := 4, 0
	for {
		switch {
		case row == nr && col == 0:
			p.shape([8][2]int{{nr - 1, 0}, {nr - 1, 1}, {nr - 1, 2}, {0, nc - 2},
				{0, nc - 1}, {1, nc - 1}, {2, nc - 1}, {3, nc - 1}})
		case row == nr-2 && col == 0 && nc%4 != 0:
			p.shape([8][2]int{{nr - 3, 0}, {nr - 2, 0}, {nr - 1, 0}, {0, nc - 4},
				{0, nc - 3}, {0, nc - 2}, {0, nc - 1}, {1, nc - 1}})
		case row == nr-2 && col == 0 && nc%8 == 4:
			p.shape([8][2]int{{nr - 3, 0}, {nr - 2, 0}, {nr - 1, 0}, {0, nc - 2},
				{0, nc - 1}, {1, nc - 1}, {2, nc - 1}, {3, nc - 1}})
		case row == nr+4 && col == 2 && nc%8 == 0:
			p.shape([8][2]int{{nr - 1, 0}, {nr - 1, nc - 1}, {0, nc - 3}, {0, nc - 2},
				{0, nc - 1}, {1, nc - 3}, {1, nc - 2}, {1, nc - 1}})
		}
		// Up and to the right, then down and to the left.
		for {
			if row < nr && col >= 0 && !p.taken[row*nc+col] {
				p.utah(row, col)
			}
			row, col = row-2, col+2
			if row < 0 || col >= nc {
				break
			}
		}
		row, col = row+1, col+3
		for {
			if row >= 0 && col < nc && !p.taken[row*nc+col] {
				p.utah(row, col)
			}
			row, col = row+2, col-2
			if row >= nr || col < 0 {
				break
			}
		}
		row, col = row+3, col+1
		if row >= nr && col >= nc {
			break
		}
	}
}
