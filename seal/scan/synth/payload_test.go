package synth

import (
	"bytes"
	"testing"

	dmenc "github.com/makiuchi-d/gozxing/datamatrix/encoder"
)

// TestPayloadShapes: text payloads are 2D-Doc-like in C40's alphabet,
// binary ones VDS-like with 0x00 and high bytes, both of the asked length
// unless the writer's defect forced a longer one.
func TestPayloadShapes(t *testing.T) {
	for i := range framesPer(100, 30) {
		text := ParamsFor(Clean, i)
		pl := newPlan(text)
		if !bytes.HasPrefix(pl.payload, []byte("DC04FR")) || bytes.IndexByte(pl.payload, us) < 0 {
			t.Errorf("%s: not 2D-Doc-like: %q", FrameName(Clean, i), pl.payload)
		}
		for _, b := range pl.payload {
			if !(b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == ' ' || b == gs || b == us) {
				t.Fatalf("%s: %q outside C40's alphabet", FrameName(Clean, i), b)
			}
		}
		if n := len(pl.payload); n < 100 || n > 290 || n < text.PayloadLen {
			t.Errorf("%s: %d bytes for %d", FrameName(Clean, i), n, text.PayloadLen)
		}
		bin := ParamsFor(Binary, i)
		pl = newPlan(bin)
		p := pl.payload
		if p[0] != 0xdc || p[1] != 0x03 || bytes.IndexByte(p, 0) < 0 || bytes.IndexFunc(p, func(r rune) bool { return r >= 0x80 }) < 0 {
			t.Errorf("%s: not VDS-like: %x", FrameName(Binary, i), p)
		}
		if n := len(p); n < 90 || n > 175 || n < bin.PayloadLen {
			t.Errorf("%s: %d bytes for %d", FrameName(Binary, i), n, bin.PayloadLen)
		}
		cw, err := dmenc.EncodeHighLevel(latin1(p), dmenc.SymbolShapeHint_FORCE_SQUARE, nil, nil)
		if err != nil || Base256Bug(cw) {
			t.Errorf("%s: a payload the writer gets wrong: %v", FrameName(Binary, i), err)
		}
	}
}

// TestBase256Bug: the defect is seen in the codewords of a payload that
// ends in a Base256 segment filling its symbol, and makeSymbol steps over
// it.
func TestBase256Bug(t *testing.T) {
	hit := 0
	for n := 90; n <= 170; n++ {
		p := bytes.Repeat([]byte{0x80, 0x00, 0xff}, n)[:n]
		cw, err := dmenc.EncodeHighLevel(latin1(p), dmenc.SymbolShapeHint_FORCE_SQUARE, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if Base256Bug(cw) {
			hit++
			if encodeSquare(p) != nil {
				t.Errorf("%d bytes: encoded despite the defect", n)
			}
		}
	}
	if hit == 0 {
		t.Error("no length of 90-170 bytes hits the defect: the detector sees nothing")
	}
}
