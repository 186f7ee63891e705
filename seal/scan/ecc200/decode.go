// Package ecc200 decodes the error correction of a DataMatrix ECC200
// symbol (ISO/IEC 16022) from soft module readings: how dark each module
// looked, not only whether it did. The codewords whose modules read least
// surely are treated as erasures, unknown but at known places, and
// Reed-Solomon corrects twice as many erasures as errors: a symbol whose
// blur or glare left more codewords wrong than a decoder of hard bits
// corrects is still read when the wrong ones are among the least sure.
package ecc200

import (
	"errors"
	"math"
	"sort"
)

var (
	// ErrSize is a symbol size that is not an ECC200 size a seal uses.
	ErrSize = errors.New("ecc200: not a symbol size of a seal")
	// ErrUncorrectable is a symbol with more damage than its error
	// correction holds.
	ErrUncorrectable = errors.New("ecc200: too many codewords wrong to correct")
)

// spare is the number of check codewords of each block that a correction
// with erasures leaves unspent, so that a wrong decode (a misread symbol
// taken for another codeword) still fails their check: a random word
// passes with a chance of about 256^-spare. Errors alone are corrected to
// the code's full reach, as every DataMatrix decoder does.
const spare = 6

// Decode returns the data codewords of a rows x cols symbol read from
// dark, one value per module, row-major: positive reads dark, negative
// light, and the size of the value says how sure the reading is. It
// returns too the number of codewords it corrected or erased.
func Decode(rows, cols int, dark []float64) ([]byte, int, error) {
	s, si, ok := sizeOf(rows, cols)
	if !ok || len(dark) != rows*cols {
		return nil, 0, ErrSize
	}
	place := placementOf(si)
	blocks := make([][]byte, s.blocks)
	sureness := make([][]float64, s.blocks)
	for b := range blocks {
		n := s.blockData(b) + s.nCheck
		blocks[b] = make([]byte, n)
		sureness[b] = make([]float64, n)
	}
	for i, bits := range place {
		var cw byte
		sure := math.Inf(1)
		for _, m := range bits {
			v := dark[m]
			cw <<= 1
			if v > 0 {
				cw |= 1
			}
			a := math.Abs(v)
			if math.IsNaN(v) {
				a = 0 // unread: the least sure
			}
			sure = math.Min(sure, a)
		}
		b, pos := s.blockOf(i)
		blocks[b][pos] = cw
		sureness[b][pos] = sure
	}
	fixed := 0
	for b, blk := range blocks {
		n, ok := correctBlock(blk, sureness[b], s.nCheck)
		if !ok {
			return nil, 0, ErrUncorrectable
		}
		fixed += n
	}
	data := make([]byte, s.data)
	for i := range data {
		b, pos := s.blockOf(i)
		data[i] = blocks[b][pos]
	}
	return data, fixed, nil
}

// correctBlock corrects errors alone, then erases more and more of the
// least sure codewords until the block decodes.
func correctBlock(blk []byte, sure []float64, nCheck int) (int, bool) {
	synd := syndromes(blk, nCheck)
	if n, ok := correctWith(blk, synd, nil, 0); ok {
		return n, true
	}
	order := make([]int, len(blk))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return sure[order[i]] < sure[order[j]] })
	for f := 2; f <= nCheck-spare; f += 2 {
		if n, ok := correctWith(blk, synd, order[:f], spare); ok {
			return n + f, true
		}
	}
	return 0, false
}
