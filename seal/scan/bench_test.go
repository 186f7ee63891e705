package scan

import (
	"bytes"
	"image"
	"testing"
)

// BenchmarkDecode1280x720 measures one frame on one core: "easy" is a clean
// DataMatrix rotated 17 degrees, "hard" the webcam distortion (tilt, blur,
// noise, uneven light, JPEG 70, code at 17% of the width), "qr-hard" the
// same with a QR code, and "nocode" a card without a code, where every
// strategy runs to its end. Run with -cpu 1.
func BenchmarkDecode1280x720(b *testing.B) {
	webcam := func(s scene) scene {
		s.tilt, s.blur, s.noise, s.light, s.jpegQ, s.codeWidth = 0.15, 0.8, 5, 0.3, 70, 220
		return s
	}
	cases := []struct {
		name string
		s    scene
	}{
		{"easy", scene{format: FormatDataMatrix, angle: 17, codeWidth: 300, seed: 1, payload: 200}},
		{"hard", webcam(scene{format: FormatDataMatrix, angle: 17, seed: 2, payload: 200})},
		{"qr-hard", webcam(scene{format: FormatQR, angle: 17, seed: 3, payload: 200})},
		{"nocode", scene{format: FormatDataMatrix, angle: 17, codeWidth: 300, seed: 4, payload: 200, noCode: true}},
	}
	for _, c := range cases {
		img, p := c.s.render(b)
		b.Run(c.name, func(b *testing.B) {
			benchFrame(b, img, p, c.s.noCode)
		})
	}
}

func benchFrame(b *testing.B, img image.Image, p []byte, noCode bool) {
	r, err := Decode(img)
	if noCode {
		if err == nil {
			b.Fatal("decoded a frame without a code")
		}
	} else if err != nil || !bytes.Equal(r.Payload, p) {
		b.Fatalf("frame does not decode: %v", err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Decode(img)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
}

// BenchmarkDecodeRates prints the decode-rate table of the robustness set
// (rotation step 15 degrees); its time is that of the whole set.
func BenchmarkDecodeRates(b *testing.B) {
	for i := 0; i < b.N; i++ {
		rows := decodeRates(b, 15, false)
		if i == 0 {
			b.Logf("decode rate, rotation step 15 degrees:\n%s", formatRates(rows))
		}
	}
}
