package scan

import (
	"bytes"
	"math/rand"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	dmdecoder "github.com/makiuchi-d/gozxing/datamatrix/decoder"
	dmenc "github.com/makiuchi-d/gozxing/datamatrix/encoder"
)

// A band of modules left grey, half of them on the wrong side of the
// threshold (glare, or blur the solve could not undo), spoils more
// codewords than Reed-Solomon corrects from hard bits; told which modules
// read least surely, it erases their codewords and corrects them all.
func TestGreyModulesAreErased(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	msg := make([]byte, 250)
	for i := range msg {
		msg[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"[r.Intn(37)]
	}
	hints := map[gozxing.EncodeHintType]interface{}{gozxing.EncodeHintType_DATA_MATRIX_SHAPE: dmenc.SymbolShapeHint_FORCE_SQUARE}
	m, err := datamatrix.NewDataMatrixWriter().Encode(string(msg), gozxing.BarcodeFormat_DATA_MATRIX, 0, 0, hints)
	if err != nil {
		t.Fatal(err)
	}
	f := gridFit{rows: m.GetHeight(), cols: m.GetWidth(), thr: 120}
	if f.rows != 48 {
		t.Fatalf("a %dx%d symbol; the test is tuned for 48x48 (68 check codewords)", f.rows, f.cols)
	}
	vals := make([]float64, f.rows*f.cols)
	bits, _ := gozxing.NewBitMatrix(f.cols, f.rows)
	for y := 0; y < f.rows; y++ {
		for x := 0; x < f.cols; x++ {
			dark := m.Get(x, y)
			v := 200.0
			if dark {
				v = 40
			}
			if y >= 20 && y < 29 && x > 0 && x < f.cols-1 && r.Intn(2) == 0 {
				// grey, on the wrong side
				v = 126
				if !dark {
					v = 114
				}
			}
			vals[y*f.cols+x] = v
			if v < f.thr {
				bits.Set(x, y)
			}
		}
	}
	if _, err := dmdecoder.NewDecoder().Decode(bits); err == nil {
		t.Fatal("hard bits decode: the damage is within reach of errors alone")
	}
	res, err := decodeVals(vals, f)
	if err != nil {
		t.Fatalf("grey band not corrected: %v", err)
	}
	got, err := dmPayload(res.GetRawBytes())
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("decoded %q, %v", got, err)
	}
}
