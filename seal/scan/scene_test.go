package scan

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"math/rand"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	dmenc "github.com/makiuchi-d/gozxing/datamatrix/encoder"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/cnie-reader/cnie-reader/seal/scan/synth"
)

// Test images are generated: a seal is rendered with gozxing's DataMatrix
// writer or go-qrcode, printed on a synthetic ID card lying on a desk, seen
// by a 1280x720 "webcam", then distorted.

// testPayload returns n pseudo-random bytes that always contain 0x00 and
// bytes from 0x80 to 0xFF, like the binary part of a VDS or 2D-Doc.
func testPayload(seed int64, n int) []byte {
	r := rand.New(rand.NewSource(seed))
	p := make([]byte, n)
	r.Read(p)
	p[0], p[n/3], p[n/2], p[n-1] = 0x00, 0x80, 0xff, 0x00
	return p
}

// latin1 maps each byte to the rune of the same value, which gozxing's
// writer turns back into that byte (it encodes its input as ISO-8859-1).
func latin1(p []byte) string {
	r := make([]rune, len(p))
	for i, b := range p {
		r[i] = rune(b)
	}
	return string(r)
}

// moduleGrid is a symbol, true for dark, without quiet zone.
type moduleGrid [][]bool

func dmGrid(t testing.TB, p []byte) moduleGrid {
	t.Helper()
	if cw, err := dmenc.EncodeHighLevel(latin1(p), dmenc.SymbolShapeHint_FORCE_SQUARE, nil, nil); err != nil || synth.Base256Bug(cw) {
		return nil // see synth.Base256Bug
	}
	hints := map[gozxing.EncodeHintType]interface{}{
		gozxing.EncodeHintType_DATA_MATRIX_SHAPE: dmenc.SymbolShapeHint_FORCE_SQUARE,
	}
	m, err := datamatrix.NewDataMatrixWriter().Encode(latin1(p), gozxing.BarcodeFormat_DATA_MATRIX, 0, 0, hints)
	if err != nil {
		t.Fatalf("DataMatrix writer: %v", err)
	}
	g := make(moduleGrid, m.GetHeight())
	for y := range g {
		g[y] = make([]bool, m.GetWidth())
		for x := range g[y] {
			g[y][x] = m.Get(x, y)
		}
	}
	return g
}

func qrGrid(t testing.TB, p []byte) moduleGrid {
	t.Helper()
	q, err := qrcode.New(string(p), qrcode.Medium)
	if err != nil {
		t.Fatalf("go-qrcode: %v", err)
	}
	q.DisableBorder = true
	return q.Bitmap()
}

// scene describes one synthetic frame.
type scene struct {
	format    string  // "DataMatrix" or "QR"
	angle     float64 // card rotation, degrees
	tilt      float64 // keystone: the far edge is (1-tilt) as wide as the near one
	codeWidth float64 // width of the symbol in the frame, pixels (before tilt)
	blur      float64 // Gaussian sigma, pixels
	noise     float64 // Gaussian noise sigma, grey levels
	contrast  float64 // 1 = full; 0.3 squeezes the grey range around its middle
	light     float64 // strength of an uneven lighting gradient, 0..1
	jpegQ     int     // 0: no JPEG round trip
	seed      int64
	payload   int  // payload length
	noCode    bool // leave the code's place blank
}

const frameW, frameH = 1280, 720

// render draws the scene and returns the frame and the payload.
func (s scene) render(t testing.TB) (image.Image, []byte) {
	img, p, _ := s.renderQ(t)
	return img, p
}

// renderQ also returns the symbol's corners in the frame.
func (s scene) renderQ(t testing.TB) (image.Image, []byte, quad) {
	t.Helper()
	r := rand.New(rand.NewSource(s.seed))
	p := testPayload(s.seed, s.payload)
	var grid moduleGrid
	if s.format == "QR" {
		grid = qrGrid(t, p)
	} else {
		// Lengthen the payload until gozxing's writer encodes it right.
		for grid = dmGrid(t, p); grid == nil; grid = dmGrid(t, p) {
			p = append(p, byte(r.Intn(256)))
		}
	}
	n := float64(len(grid))
	// Card plane: 856 x 540 units (an ID-1 card in 0.1 mm). The code is a
	// square of side cs units at (cx0, cy0), with 3 modules of quiet zone.
	const cardW, cardH = 856.0, 540.0
	cs := 230.0
	cx0, cy0 := 560.0, 150.0
	pxPerUnit := s.codeWidth / cs
	// Place the code centre near the frame centre, then rotate the card
	// about it and apply the keystone.
	ccx, ccy := cx0+cs/2, cy0+cs/2
	fx := frameW/2 + (r.Float64()-0.5)*200
	fy := frameH/2 + (r.Float64()-0.5)*100
	th := s.angle * math.Pi / 180
	corner := func(u, v float64) pt {
		dx, dy := (u-ccx)*pxPerUnit, (v-ccy)*pxPerUnit
		return pt{fx + dx*math.Cos(th) - dy*math.Sin(th), fy + dx*math.Sin(th) + dy*math.Cos(th)}
	}
	q := [4]pt{corner(0, 0), corner(cardW, 0), corner(cardW, cardH), corner(0, cardH)}
	if s.tilt > 0 { // shrink the top edge towards its middle
		mid := pt{(q[0].x + q[1].x) / 2, (q[0].y + q[1].y) / 2}
		k := 1 - s.tilt
		q[0] = pt{mid.x + (q[0].x-mid.x)*k, mid.y + (q[0].y-mid.y)*k}
		q[1] = pt{mid.x + (q[1].x-mid.x)*k, mid.y + (q[1].y-mid.y)*k}
	}
	h, _ := squareToQuad(q)
	inv, _ := h.inverse()

	// Card print: text glyphs (5x7 random bitmaps) in lines, a photo block.
	glyphs := make([][35]bool, 64)
	for i := range glyphs {
		for k := range glyphs[i] {
			glyphs[i][k] = r.Intn(100) < 40
		}
	}
	textAt := func(u, v float64) bool {
		// Lines of 40-unit glyphs (20 wide, 28 high plus spacing), left of
		// the code and below it, never in its quiet zone.
		qz := 3 * cs / n
		if u > cx0-qz-10 && u < cx0+cs+qz+10 && v > cy0-qz-10 && v < cy0+cs+qz+10 {
			return false
		}
		if u < 300 && v < 360 { // photo area
			return false
		}
		if u < 30 || u > cardW-30 || v < 30 || v > cardH-30 {
			return false
		}
		line := int(v / 40)
		if math.Mod(v, 40) >= 28 || line%4 == 3 {
			return false
		}
		col := int(u / 24)
		if math.Mod(u, 24) >= 20 || (col*7+line*3)%11 == 0 {
			return false
		}
		gx, gy := int(math.Mod(u, 24)/4), int(math.Mod(v, 40)/4)
		return glyphs[(col*13+line*7)%64][gy*5+gx]
	}
	shade := func(u, v float64) float64 {
		if u < 0 || v < 0 || u >= cardW || v >= cardH {
			// desk: dark wood-like stripes
			return 70 + 20*math.Sin(u*0.01+v*0.003) + 10*math.Sin(v*0.05)
		}
		if u >= cx0 && u < cx0+cs && v >= cy0 && v < cy0+cs {
			if s.noCode {
				return 225
			}
			mx, my := int((u-cx0)/cs*n), int((v-cy0)/cs*n)
			if grid[my][mx] {
				return 30
			}
			return 225
		}
		if u >= 40 && u < 280 && v >= 40 && v < 340 { // photo
			return 120 + 60*math.Sin(u*0.05)*math.Cos(v*0.04)
		}
		if textAt(u, v) {
			return 45
		}
		return 222 + 8*math.Sin(u*0.15+v*0.07) // guilloche
	}
	buf := make([]float64, frameW*frameH)
	// Supersample 3x3 around the code, once elsewhere.
	codeQuad := quad{}
	for i, c := range [][2]float64{{cx0, cy0}, {cx0 + cs, cy0}, {cx0 + cs, cy0 + cs}, {cx0, cy0 + cs}} {
		x, y := h.apply(c[0]/cardW, c[1]/cardH)
		codeQuad[i] = pt{x, y}
	}
	minX, minY, maxX, maxY := 1e9, 1e9, -1e9, -1e9
	for _, c := range codeQuad {
		minX, minY = math.Min(minX, c.x), math.Min(minY, c.y)
		maxX, maxY = math.Max(maxX, c.x), math.Max(maxY, c.y)
	}
	for y := 0; y < frameH; y++ {
		for x := 0; x < frameW; x++ {
			fxp, fyp := float64(x), float64(y)
			ss := 1
			if fxp > minX-4 && fxp < maxX+4 && fyp > minY-4 && fyp < maxY+4 {
				ss = 3
			}
			var sum float64
			for j := 0; j < ss; j++ {
				for i := 0; i < ss; i++ {
					u, v := inv.apply(fxp+(float64(i)+0.5)/float64(ss), fyp+(float64(j)+0.5)/float64(ss))
					sum += shade(u*cardW, v*cardH)
				}
			}
			buf[y*frameW+x] = sum / float64(ss*ss)
		}
	}
	if s.blur > 0 {
		gaussBlur(buf, frameW, frameH, s.blur)
	}
	for i := range buf {
		v := buf[i]
		if s.contrast > 0 && s.contrast < 1 {
			v = 128 + (v-128)*s.contrast
		}
		if s.light > 0 {
			x, y := float64(i%frameW)/frameW, float64(i/frameW)/frameH
			// a lamp at the top left, fading across the frame
			f := 1 - s.light*math.Min(1, math.Hypot(x-0.1, y-0.1)/1.1)
			v *= f
		}
		if s.noise > 0 {
			v += r.NormFloat64() * s.noise
		}
		buf[i] = v
	}
	img := image.NewRGBA(image.Rect(0, 0, frameW, frameH))
	for i, v := range buf {
		c := uint8(math.Max(0, math.Min(255, math.Round(v))))
		// a slightly warm tint, as webcams give
		img.Pix[4*i] = uint8(math.Min(255, float64(c)*1.04))
		img.Pix[4*i+1] = c
		img.Pix[4*i+2] = uint8(float64(c) * 0.93)
		img.Pix[4*i+3] = 255
	}
	if s.jpegQ > 0 {
		return jpegRoundTrip(t, img, s.jpegQ), p, codeQuad
	}
	return img, p, codeQuad
}

func jpegRoundTrip(t testing.TB, img image.Image, q int) image.Image {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	dec, err := jpeg.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	return dec
}

// gaussBlur blurs buf in place with a separable Gaussian kernel.
func gaussBlur(buf []float64, w, h int, sigma float64) {
	k := gaussTaps(sigma)
	rad := len(k) / 2
	tmp := make([]float64, len(buf))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s float64
			for i, kv := range k {
				xx := min(max(x+i-rad, 0), w-1)
				s += kv * buf[y*w+xx]
			}
			tmp[y*w+x] = s
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s float64
			for i, kv := range k {
				yy := min(max(y+i-rad, 0), h-1)
				s += kv * tmp[yy*w+x]
			}
			buf[y*w+x] = s
		}
	}
}
