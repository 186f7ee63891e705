package synth

import (
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
)

// TestCleanRoundTrip proves the symbols in the frames are real: on clean
// frames, the quad at Corners, warped upright to 8 pixels a module with a
// quiet zone, is read by gozxing with exactly the payload.
func TestCleanRoundTrip(t *testing.T) {
	n := framesPer(3, 2)
	for _, f := range Frames(Clean, n) {
		modules := len(newPlan(f.Params).sym)
		up := upright(f.Image, f.Corners, modules*8, 32)
		src := gozxing.NewLuminanceSourceFromImage(up)
		bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
		if err != nil {
			t.Fatal(err)
		}
		res, err := datamatrix.NewDataMatrixReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{
			gozxing.DecodeHintType_TRY_HARDER: true,
		})
		if err != nil {
			t.Errorf("%s: gozxing does not read the warped symbol: %v", f.Name, err)
			continue
		}
		if got := res.GetText(); got != string(f.Payload) {
			t.Errorf("%s: read %q\nwant %q", f.Name, got, f.Payload)
		}
	}
}

// TestSymbolsRoundTrip: the symbols themselves, drawn perfectly, carry
// their payloads, text and binary (the writer's Base256 defect avoided).
func TestSymbolsRoundTrip(t *testing.T) {
	n := framesPer(60, 20)
	for i := range n {
		for _, binary := range []bool{false, true} {
			p := ParamsFor(Realistic, i)
			p.Binary, p.PayloadLen = binary, 100+(i*37)%186
			if binary {
				p.PayloadLen = 90 + (i*29)%81
			}
			pl := newPlan(p)
			if !finderL(pl.sym) {
				t.Errorf("seed %d: the symbol's L is not on its left and bottom edges", p.Seed)
			}
			res, err := readGrid(pl.sym)
			if err != nil {
				t.Errorf("seed %d binary %v: %v", p.Seed, binary, err)
				continue
			}
			var got string
			if binary {
				// gozxing's text is not a faithful image of binary data: it
				// holds the bytes of ASCII segments (upper shift included)
				// as they are, and Base256 segments (its byte segments)
				// decoded as ISO-8859-1. Rebuild the expected text.
				for _, s := range res.GetResultMetadata()[gozxing.ResultMetadataType_BYTE_SEGMENTS].([][]byte) {
					got += string(s)
				}
				k := len(pl.payload) - len(got)
				if k < 0 || !strings.HasSuffix(string(pl.payload), got) ||
					res.GetText() != string(pl.payload[:k])+latin1(pl.payload[k:]) {
					t.Errorf("seed %d: read %x (segments %x)\nwant %x", p.Seed, res.GetText(), got, pl.payload)
				}
				continue
			}
			if got = res.GetText(); got != string(pl.payload) {
				t.Errorf("seed %d: read %q\nwant %q", p.Seed, got, pl.payload)
			}
		}
	}
}

// finderL reports whether s has its solid "L" on the left column and the
// bottom row, and its dashed timing edges on the top row and the right
// column: the orientation Frame.Corners assumes (ISO/IEC 16022 5.1).
func finderL(s symbol) bool {
	n := len(s)
	for i := range n {
		if !s[i][0] || !s[n-1][i] || s[0][i] != (i%2 == 0) || s[i][n-1] != (i%2 == 1) {
			return false
		}
	}
	return true
}

// readGrid reads a perfect rendering of s (4 px a module, quiet zone).
func readGrid(s symbol) (*gozxing.Result, error) {
	const k, q = 4, 4
	n := len(s)
	img := image.NewGray(image.Rect(0, 0, (n+2*q)*k, (n+2*q)*k))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y := range n {
		for x := range n {
			if s[y][x] {
				for j := range k {
					for i := range k {
						img.SetGray((x+q)*k+i, (y+q)*k+j, color.Gray{})
					}
				}
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(gozxing.NewLuminanceSourceFromImage(img)))
	if err != nil {
		return nil, err
	}
	return datamatrix.NewDataMatrixReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{
		gozxing.DecodeHintType_PURE_BARCODE: true,
	})
}

// upright warps the quad c of img (top-left, top-right, bottom-right,
// bottom-left) onto a side x side square with margin pixels around it,
// sampling bilinearly in grey.
func upright(img image.Image, c [4]image.Point, side, margin int) *image.Gray {
	g := image.NewGray(img.Bounds())
	for y := g.Rect.Min.Y; y < g.Rect.Max.Y; y++ {
		for x := g.Rect.Min.X; x < g.Rect.Max.X; x++ {
			g.Set(x, y, img.At(x, y))
		}
	}
	q := [4]pt{}
	for i, p := range c {
		q[i] = pt{float64(p.X), float64(p.Y)}
	}
	h := squareToQuad(q)
	size := side + 2*margin
	out := image.NewGray(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			s, t := (float64(x-margin)+0.5)/float64(side), (float64(y-margin)+0.5)/float64(side)
			fx, fy, _ := h.apply(s, t)
			out.Pix[y*size+x] = bilinearGray(g, fx-0.5, fy-0.5)
		}
	}
	return out
}

func bilinearGray(g *image.Gray, x, y float64) uint8 {
	b := g.Bounds()
	x = math.Max(0, math.Min(float64(b.Dx()-2), x))
	y = math.Max(0, math.Min(float64(b.Dy()-2), y))
	i, j := int(x), int(y)
	fx, fy := x-float64(i), y-float64(j)
	at := func(i, j int) float64 { return float64(g.Pix[j*g.Stride+i]) }
	v := (at(i, j)*(1-fx)+at(i+1, j)*fx)*(1-fy) + (at(i, j+1)*(1-fx)+at(i+1, j+1)*fx)*fy
	return uint8(math.Round(v))
}

// squareToQuad is the homography taking the unit square's corners to q
// (Heckbert's closed form).
func squareToQuad(q [4]pt) mat3 {
	dx1, dx2, dx3 := q[1].x-q[2].x, q[3].x-q[2].x, q[0].x-q[1].x+q[2].x-q[3].x
	dy1, dy2, dy3 := q[1].y-q[2].y, q[3].y-q[2].y, q[0].y-q[1].y+q[2].y-q[3].y
	den := dx1*dy2 - dx2*dy1
	g := (dx3*dy2 - dx2*dy3) / den
	h := (dx1*dy3 - dx3*dy1) / den
	return mat3{
		q[1].x - q[0].x + g*q[1].x, q[3].x - q[0].x + h*q[3].x, q[0].x,
		q[1].y - q[0].y + g*q[1].y, q[3].y - q[0].y + h*q[3].y, q[0].y,
		g, h, 1,
	}
}
