package ecc200

import (
	"bytes"
	"errors"
	"math"
	"math/rand"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	dmenc "github.com/makiuchi-d/gozxing/datamatrix/encoder"
)

// written is a symbol drawn by gozxing's writer (an implementation of
// ISO/IEC 16022 independent of this package) and its data codewords.
type written struct {
	rows, cols int
	dark       []float64 // +1 dark, -1 light
	data       []byte
}

func write(t *testing.T, msg string, shape dmenc.SymbolShapeHint) written {
	t.Helper()
	cw, err := dmenc.EncodeHighLevel(msg, shape, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	hints := map[gozxing.EncodeHintType]interface{}{gozxing.EncodeHintType_DATA_MATRIX_SHAPE: shape}
	m, err := datamatrix.NewDataMatrixWriter().Encode(msg, gozxing.BarcodeFormat_DATA_MATRIX, 0, 0, hints)
	if err != nil {
		t.Fatal(err)
	}
	w := written{rows: m.GetHeight(), cols: m.GetWidth(), data: []byte(cw)}
	for y := 0; y < w.rows; y++ {
		for x := 0; x < w.cols; x++ {
			v := -1.0
			if m.Get(x, y) {
				v = 1
			}
			w.dark = append(w.dark, v)
		}
	}
	return w
}

func randomText(r *rand.Rand, n int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 abcdefghijklmnopqrstuvwxyz<>/"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.Intn(len(chars))]
	}
	return string(b)
}

// Every size of the table decodes gozxing's symbols to the codewords its
// encoder made: the table, the placement and the interleaving agree with
// an independent writer.
func TestDecodeReadsWrittenSymbols(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	seen := map[[2]int]bool{}
	for n := 1; n <= 1500; n += 1 + n/12 {
		w := write(t, randomText(r, n), dmenc.SymbolShapeHint_FORCE_SQUARE)
		got, fixed, err := Decode(w.rows, w.cols, w.dark)
		if err != nil || fixed != 0 {
			t.Fatalf("%dx%d: %d corrected, %v", w.rows, w.cols, fixed, err)
		}
		if !bytes.Equal(got, w.data) {
			t.Fatalf("%dx%d: data codewords differ from the encoder's", w.rows, w.cols)
		}
		seen[[2]int{w.rows, w.cols}] = true
	}
	w := write(t, randomText(r, 40), dmenc.SymbolShapeHint_FORCE_RECTANGLE)
	if w.rows != 16 || w.cols != 48 {
		t.Fatalf("the writer chose %dx%d", w.rows, w.cols)
	}
	if got, _, err := Decode(w.rows, w.cols, w.dark); err != nil || !bytes.Equal(got, w.data) {
		t.Fatalf("16x48: %v", err)
	}
	seen[[2]int{16, 48}] = true
	for _, s := range sizes {
		if !seen[[2]int{s.rows, s.cols}] {
			t.Errorf("size %dx%d never written", s.rows, s.cols)
		}
	}
}

func TestPlacementCoversEachDataModuleOnce(t *testing.T) {
	for _, s := range sizes {
		place := s.placement()
		if len(place) != s.total() {
			t.Fatalf("%dx%d: %d codewords placed, %d in the table", s.rows, s.cols, len(place), s.total())
		}
		used := map[int]bool{}
		for _, bits := range place {
			for _, m := range bits {
				r, c := m/s.cols, m%s.cols
				if m < 0 || m >= s.rows*s.cols || r%(s.regionRows+2) == 0 || c%(s.regionCols+2) == 0 ||
					r%(s.regionRows+2) == s.regionRows+1 || c%(s.regionCols+2) == s.regionCols+1 {
					t.Fatalf("%dx%d: a bit placed on the finder or timing (%d,%d)", s.rows, s.cols, r, c)
				}
				if used[m] {
					t.Fatalf("%dx%d: module (%d,%d) placed twice", s.rows, s.cols, r, c)
				}
				used[m] = true
			}
		}
	}
}

// damage flips whole codewords of w: each of the codewords at cws gets
// its modules read the other way, with sureness sure.
func damage(w written, cws []int, sure float64) []float64 {
	s, _, _ := sizeOf(w.rows, w.cols)
	place := s.placement()
	d := append([]float64(nil), w.dark...)
	for _, k := range cws {
		for b, m := range place[k] {
			if b%2 == 0 { // half its bits: a codeword, not a pattern
				d[m] = -math.Copysign(sure, w.dark[m])
			}
		}
	}
	return d
}

// Blur leaves the wrong modules grey: erasing the least sure codewords
// corrects nearly twice what errors alone correct.
func TestDecodeErasesUnsureCodewords(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	w := write(t, randomText(r, 150), dmenc.SymbolShapeHint_FORCE_SQUARE)
	s, _, _ := sizeOf(w.rows, w.cols)
	if s.blocks != 1 {
		t.Fatalf("a %dx%d symbol; the test wants one block", w.rows, w.cols)
	}
	// Beyond errors alone (nCheck/2), within erasures (nCheck - spare).
	bad := r.Perm(s.total())[:s.nCheck-spare]
	got, fixed, err := Decode(w.rows, w.cols, damage(w, bad, 0.1))
	if err != nil || !bytes.Equal(got, w.data) {
		t.Fatalf("%d unsure codewords wrong of %d check: %v", len(bad), s.nCheck, err)
	}
	if fixed < len(bad) {
		t.Errorf("%d codewords reported corrected, %d were wrong", fixed, len(bad))
	}
	// As many wrong but read surely: beyond what the code corrects.
	if _, _, err := Decode(w.rows, w.cols, damage(w, bad, 2)); !errors.Is(err, ErrUncorrectable) {
		t.Fatalf("%d surely wrong codewords: %v", len(bad), err)
	}
}

func TestDecodeHostile(t *testing.T) {
	if _, _, err := Decode(30, 30, make([]float64, 900)); !errors.Is(err, ErrSize) {
		t.Errorf("30x30: %v", err)
	}
	if _, _, err := Decode(36, 36, make([]float64, 10)); !errors.Is(err, ErrSize) {
		t.Errorf("short values: %v", err)
	}
	r := rand.New(rand.NewSource(5))
	for _, s := range sizes {
		noise := make([]float64, s.rows*s.cols)
		for i := range noise {
			noise[i] = r.NormFloat64()
			if i%97 == 0 {
				noise[i] = math.NaN()
			}
		}
		if _, _, err := Decode(s.rows, s.cols, noise); err == nil {
			t.Errorf("%dx%d: noise decoded", s.rows, s.cols)
		}
	}
}

// The cost of a symbol that fails: every erasure count is tried.
func BenchmarkDecodeUncorrectable(b *testing.B) {
	r := rand.New(rand.NewSource(6))
	noise := make([]float64, 48*48)
	for i := range noise {
		noise[i] = r.NormFloat64()
	}
	b.ResetTimer()
	for range b.N {
		if _, _, err := Decode(48, 48, noise); err == nil {
			b.Fatal("noise decoded")
		}
	}
}
