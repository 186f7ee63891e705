package scan

import (
	"errors"
	"image"
	"testing"
)

// FuzzDMPayload: any codeword sequence parses or fails, within bounds.
func FuzzDMPayload(f *testing.F) {
	f.Add([]byte{142, 164, 186, 129})
	f.Add([]byte{231, 44, 193, 87})
	f.Add([]byte{230, 91, 11, 254, 240, 255, 255, 255, 235, 66})
	f.Add([]byte{241, 200, 1, 2, 233, 1, 2, 3, 236, 66, 129})
	f.Fuzz(func(t *testing.T, cw []byte) {
		p, err := dmPayload(cw)
		if err == nil && len(p) > maxPayload+8 {
			t.Fatalf("payload of %d bytes", len(p))
		}
	})
}

// FuzzQRPayload: any data codewords parse or fail, for every version.
func FuzzQRPayload(f *testing.F) {
	f.Add([]byte{0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec}, uint8(1))
	f.Add([]byte{0x40, 0x20, 0x00, 0xff, 0x00}, uint8(10))
	f.Add([]byte{0x70, 0x3f, 0xff, 0x80, 0xd0, 0x12, 0x34}, uint8(40))
	f.Fuzz(func(t *testing.T, cw []byte, v uint8) {
		p, err := qrPayload(cw, int(v%42))
		if err == nil && len(p) > maxPayload+8 {
			t.Fatalf("payload of %d bytes", len(p))
		}
	})
}

// FuzzDecodeImage: any small grey image decodes or fails with a typed
// error, without panicking.
func FuzzDecodeImage(f *testing.F) {
	f.Add(uint8(20), []byte{0, 255, 0, 255})
	f.Add(uint8(64), make([]byte, 64*64))
	f.Fuzz(func(t *testing.T, w uint8, pix []byte) {
		if w == 0 || len(pix) < int(w) || len(pix) > 1<<16 {
			return
		}
		h := len(pix) / int(w)
		img := &image.Gray{Pix: pix[:int(w)*h], Stride: int(w), Rect: image.Rect(0, 0, int(w), h)}
		_, err := Decode(img)
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("untyped error %T %v", err, err)
		}
	})
}
