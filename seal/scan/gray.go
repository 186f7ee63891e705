package scan

import (
	"image"
)

// gray is an 8-bit luminance plane.
type gray struct {
	w, h int
	pix  []uint8
}

func newGray(w, h int) *gray { return &gray{w: w, h: h, pix: make([]uint8, w*h)} }

func (g *gray) at(x, y int) uint8 { return g.pix[y*g.w+x] }

// toGray converts img to luminance (BT.601 weights), with fast paths for the
// layouts that cameras and decoders produce.
func toGray(img image.Image) *gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	g := newGray(w, h)
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			copy(g.pix[y*w:(y+1)*w], m.Pix[(y)*m.Stride:])
		}
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			copy(g.pix[y*w:(y+1)*w], m.Y[m.YOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride:]
			out := g.pix[y*w:]
			for x := 0; x < w; x++ {
				p := row[4*x : 4*x+3]
				out[x] = uint8((19595*uint32(p[0]) + 38470*uint32(p[1]) + 7471*uint32(p[2]) + 1<<15) >> 16)
			}
		}
	case *image.NRGBA:
		// Transparent pixels are shown on white, as a viewer would.
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride:]
			out := g.pix[y*w:]
			for x := 0; x < w; x++ {
				p := row[4*x : 4*x+4]
				l := (299*uint32(p[0]) + 587*uint32(p[1]) + 114*uint32(p[2]) + 500) / 1000
				a := uint32(p[3])
				out[x] = uint8((l*a + 255*(255-a) + 127) / 255)
			}
		}
	default:
		for y := 0; y < h; y++ {
			out := g.pix[y*w:]
			for x := 0; x < w; x++ {
				r, gg, bb, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				l := (299*r + 587*gg + 114*bb + 500) / 1000 // premultiplied, 16 bits
				l += 0xffff - a                             // on white
				out[x] = uint8(min(l, 0xffff) >> 8)
			}
		}
	}
	return g
}

// half is a 2x2 box downscale.
func (g *gray) half() *gray {
	w, h := g.w/2, g.h/2
	o := newGray(w, h)
	for y := 0; y < h; y++ {
		r0 := g.pix[2*y*g.w:]
		r1 := g.pix[(2*y+1)*g.w:]
		out := o.pix[y*w:]
		for x := 0; x < w; x++ {
			out[x] = uint8((uint32(r0[2*x]) + uint32(r0[2*x+1]) + uint32(r1[2*x]) + uint32(r1[2*x+1]) + 2) >> 2)
		}
	}
	return o
}

// bilinear samples g at (x, y) in pixel-centre coordinates (the centre of
// pixel (0,0) is (0.5, 0.5)), clamping at the borders.
func (g *gray) bilinear(x, y float64) float64 {
	x -= 0.5
	y -= 0.5
	// Written so that NaN clamps too (a degenerate homography gives one).
	if !(x > 0) {
		x = 0
	}
	if !(y > 0) {
		y = 0
	}
	mx, my := float64(g.w-1), float64(g.h-1)
	if !(x < mx) {
		x = mx
	}
	if !(y < my) {
		y = my
	}
	x0, y0 := int(x), int(y)
	fx, fy := x-float64(x0), y-float64(y0)
	x1, y1 := min(x0+1, g.w-1), min(y0+1, g.h-1)
	r0, r1 := g.pix[y0*g.w:], g.pix[y1*g.w:]
	a := float64(r0[x0]) + fx*(float64(r0[x1])-float64(r0[x0]))
	b := float64(r1[x0]) + fx*(float64(r1[x1])-float64(r1[x0]))
	return a + fy*(b-a)
}
