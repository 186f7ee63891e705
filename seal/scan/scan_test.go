package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/makiuchi-d/gozxing"
)

// allBytes is a payload holding every byte value once, 0x00 and 0x80-0xFF
// included, in a scrambled order.
func allBytes() []byte {
	p := make([]byte, 256)
	for i, j := range rand.New(rand.NewSource(7)).Perm(256) {
		p[i] = byte(j)
	}
	return p
}

// symbolImage draws a symbol upright, k pixels per module, with a quiet
// zone of 4 modules.
func symbolImage(g moduleGrid, k int) *image.Gray {
	n := len(g)
	m := len(g[0])
	img := image.NewGray(image.Rect(0, 0, (m+8)*k, (n+8)*k))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.Gray{240}), image.Point{}, draw.Src)
	for y := range g {
		for x := range g[y] {
			if g[y][x] {
				draw.Draw(img, image.Rect((x+4)*k, (y+4)*k, (x+5)*k, (y+5)*k), image.NewUniform(color.Gray{20}), image.Point{}, draw.Src)
			}
		}
	}
	return img
}

func TestBinaryPayloadSurvives(t *testing.T) {
	p := allBytes()
	for _, f := range formats {
		var g moduleGrid
		if f == FormatQR {
			g = qrGrid(t, p)
		} else {
			g = dmGrid(t, p)
			if g == nil {
				t.Fatal("payload hits the gozxing writer bug; pick another")
			}
		}
		r, err := Decode(symbolImage(g, 4))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if r.Format != f || !bytes.Equal(r.Payload, p) {
			t.Errorf("%s: got %s %x, want %x", f, r.Format, r.Payload, p)
		}
	}
}

// TestQRMixedModes: go-qrcode splits this payload into numeric,
// alphanumeric and byte segments; all must come back in order.
func TestQRMixedModes(t *testing.T) {
	p := append([]byte("0123456789012345678901234567890HELLO WORLD $%*+-./:ABCDEFGHIJKLMNOP"), 0x00, 0xff, 0x80, 'a', 'b')
	p = append(p, []byte("98765432109876543210")...)
	r, err := Decode(symbolImage(qrGrid(t, p), 4))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r.Payload, p) {
		t.Errorf("got %q, want %q", r.Payload, p)
	}
}

func TestImageTypes(t *testing.T) {
	p := testPayload(11, 120)
	gray := symbolImage(dmGrid(t, p), 3)
	b := gray.Bounds()
	rgba := image.NewRGBA(b)
	nrgba := image.NewNRGBA(b)
	pal := image.NewPaletted(b, color.Palette{color.Gray{20}, color.Gray{240}})
	ycc := image.NewYCbCr(b, image.YCbCrSubsampleRatio420)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := gray.GrayAt(x, y)
			rgba.Set(x, y, c)
			nrgba.Set(x, y, c)
			pal.Set(x, y, c)
			ycc.Y[ycc.YOffset(x, y)] = c.Y
		}
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = 128, 128
	}
	// A sub-image whose bounds do not start at the origin.
	sub := rgba.SubImage(image.Rect(1, 1, b.Dx()-1, b.Dy()-1))
	for name, img := range map[string]image.Image{"gray": gray, "rgba": rgba, "nrgba": nrgba, "paletted": pal, "ycbcr": ycc, "sub": sub} {
		r, err := Decode(img)
		if err != nil || !bytes.Equal(r.Payload, p) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestCorners: the corners are those of the symbol as it reads, in the
// original frame.
func TestCorners(t *testing.T) {
	for _, f := range formats {
		for _, a := range []float64{0, 17, 100, 200, 290} {
			s := scene{format: f, angle: a, codeWidth: 300, seed: int64(a) + 3, payload: 150, tilt: 0.1}
			img, p, truth := s.renderQ(t)
			r, err := Decode(img)
			if err != nil || !bytes.Equal(r.Payload, p) {
				t.Errorf("%s @%v: %v", f, a, err)
				continue
			}
			for i := range truth {
				if d := math.Hypot(float64(r.Corners[i].X)-truth[i].x, float64(r.Corners[i].Y)-truth[i].y); d > 4 {
					t.Errorf("%s @%v (%s): corner %d at %v, want %.1f,%.1f", f, a, r.Attempt, i, r.Corners[i], truth[i].x, truth[i].y)
				}
			}
		}
	}
}

// hugeImage has bounds but no pixels: Decode must refuse it before
// reading any.
type hugeImage struct{}

func (hugeImage) ColorModel() color.Model { return color.GrayModel }
func (hugeImage) Bounds() image.Rectangle { return image.Rect(0, 0, 8000, 5001) }
func (hugeImage) At(x, y int) color.Color { panic("pixel read") }

func checkErr(t *testing.T, err error, want Code, kind chiperr.Kind) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *scan.Error", err, err)
	}
	if !errors.Is(err, want) || e.Kind != want {
		t.Errorf("error %v: code %d, want %d", err, e.Kind, want)
	}
	if kind != 0 && !errors.Is(err, kind) {
		t.Errorf("error %v does not match chiperr kind %v", err, kind)
	}
	// Its sentences are app/problem's (its table test walks Codes).
	if name := e.Kind.Error(); name == "" || name == fmt.Sprintf("scan error %d", int(e.Kind)) {
		t.Errorf("code %d has no name", e.Kind)
	}
}

func TestErrors(t *testing.T) {
	_, err := Decode(hugeImage{})
	checkErr(t, err, TooLarge, chiperr.TooLarge)

	_, err = Decode(nil)
	checkErr(t, err, NoCode, 0)

	_, err = Decode(image.NewGray(image.Rect(0, 0, 0, 10)))
	checkErr(t, err, NoCode, 0)

	blank := image.NewGray(image.Rect(0, 0, 640, 480))
	draw.Draw(blank, blank.Bounds(), image.NewUniform(color.Gray{200}), image.Point{}, draw.Src)
	_, err = Decode(blank)
	checkErr(t, err, NoCode, 0)

	img, _ := scene{format: FormatQR, angle: 10, codeWidth: 300, seed: 5, payload: 150, noCode: true}.render(t)
	_, err = Decode(img)
	checkErr(t, err, NoCode, 0)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	img, _ = scene{format: FormatDataMatrix, angle: 10, codeWidth: 300, seed: 5, payload: 150}.render(t)
	_, err = DecodeContext(ctx, img)
	checkErr(t, err, Canceled, chiperr.Canceled)
}

// TestDeadline: a deadline stops the slow strategies on a frame without
// a code.
func TestDeadline(t *testing.T) {
	img, _ := scene{format: FormatQR, angle: 30, codeWidth: 300, seed: 8, payload: 150, noCode: true}.render(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Millisecond)
	defer cancel()
	t0 := time.Now()
	_, err := DecodeContext(ctx, img)
	if el := time.Since(t0); el > 500*time.Millisecond {
		t.Errorf("returned after %v", el)
	}
	checkErr(t, err, Canceled, chiperr.Canceled)
}

// TestDamaged: a symbol whose finder and timing patterns are intact but
// whose data is scrambled beyond its error correction is reported as
// found but undecodable.
func TestDamaged(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for _, f := range formats {
		p := testPayload(21, 150)
		var g moduleGrid
		if f == FormatQR {
			g = qrGrid(t, p)
		} else {
			g = dmGrid(t, p)
		}
		n := len(g)
		for y := 9; y < n-9; y++ {
			for x := 9; x < n-9; x++ {
				if r.Intn(2) == 0 {
					g[y][x] = !g[y][x]
				}
			}
		}
		_, err := Decode(symbolImage(g, 4))
		t.Logf("%s: %v", f, err)
		checkErr(t, err, Damaged, chiperr.Malformed)
	}
}

// TestRandomImages: noise, flat fields and patterns never panic and end
// with the typed "no code" error.
func TestRandomImages(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	sizes := [][2]int{{1, 1}, {2, 3}, {17, 5}, {5, 900}, {4001, 3}, {64, 64}, {300, 200}, {1280, 720}}
	for i := 0; i < 40; i++ {
		sz := sizes[i%len(sizes)]
		if testing.Short() && sz[0]*sz[1] > 300*200 && i > len(sizes) {
			continue
		}
		img := image.NewGray(image.Rect(0, 0, sz[0], sz[1]))
		switch i % 5 {
		case 0: // white noise
			r.Read(img.Pix)
		case 1: // flat
			for k := range img.Pix {
				img.Pix[k] = byte(i * 37)
			}
		case 2: // checkerboard of random cell size
			c := 1 + r.Intn(9)
			for y := 0; y < sz[1]; y++ {
				for x := 0; x < sz[0]; x++ {
					img.Pix[y*img.Stride+x] = byte(255 * ((x/c + y/c) % 2))
				}
			}
		case 3: // random dark rectangles on light
			for k := range img.Pix {
				img.Pix[k] = 230
			}
			for k := 0; k < 200; k++ {
				x, y := r.Intn(sz[0]), r.Intn(sz[1])
				draw.Draw(img, image.Rect(x, y, x+r.Intn(30), y+r.Intn(30)), image.NewUniform(color.Gray{20}), image.Point{}, draw.Src)
			}
		case 4: // blocky noise, like modules without any finder
			c := 1 + r.Intn(6)
			for y := 0; y < sz[1]; y++ {
				for x := 0; x < sz[0]; x++ {
					img.Pix[y*img.Stride+x] = byte(255 * ((x/c*7919 + y/c*104729 + i) % 3 / 2))
				}
			}
		}
		_, err := Decode(img)
		var e *Error
		if !errors.As(err, &e) || e.Kind != NoCode {
			t.Errorf("image %d (%dx%d, kind %d): %v", i, sz[0], sz[1], i%5, err)
		}
	}
}

// TestLargeImage: a 12-Mpixel photo is located on its pyramid and sampled
// at full resolution.
func TestLargeImage(t *testing.T) {
	p := testPayload(31, 180)
	sym := symbolImage(dmGrid(t, p), 9)
	img := image.NewGray(image.Rect(0, 0, 4000, 3000))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.Gray{150}), image.Point{}, draw.Src)
	draw.Draw(img, sym.Bounds().Add(image.Pt(2100, 900)), sym, image.Point{}, draw.Src)
	r, err := Decode(img)
	if err != nil || !bytes.Equal(r.Payload, p) {
		t.Fatalf("%v", err)
	}
	// The symbol starts 4 modules into the drawn image.
	if c := r.Corners[0]; abs(c.X-(2100+36)) > 3 || abs(c.Y-(900+36)) > 3 {
		t.Errorf("top-left corner at %v", c)
	}
}

// TestByteSegmentsAreNotEnough documents why the payload is rebuilt from
// the codewords: for a 2D-Doc-like payload (an ASCII header, then binary)
// gozxing's encoder uses ASCII or C40 for the header and Base256 for the
// rest, and gozxing's BYTE_SEGMENTS then holds the binary part only.
func TestByteSegmentsAreNotEnough(t *testing.T) {
	p := append([]byte("DC04FR000001ABCD1234"), testPayload(41, 120)...)
	g := dmGrid(t, p)
	if g == nil {
		t.Fatal("payload hits the gozxing writer bug; pick another")
	}
	gr := toGray(symbolImage(g, 4))
	res, err := zxRead(gr, false)
	if err != nil {
		t.Fatal(err)
	}
	segs, _ := res.GetResultMetadata()[gozxing.ResultMetadataType_BYTE_SEGMENTS].([][]byte)
	if bytes.Equal(bytes.Join(segs, nil), p) {
		t.Error("byte segments hold the whole payload: this test no longer shows anything")
	}
	if bytes.Equal([]byte(res.GetText()), p) {
		t.Error("text holds the whole payload: this test no longer shows anything")
	}
	_, got, err := zxPayload(res)
	if err != nil || !bytes.Equal(got, p) {
		t.Errorf("rebuilt payload %x, %v", got, err)
	}
}
