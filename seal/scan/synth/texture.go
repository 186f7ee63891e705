package synth

import (
	"math"
	"runtime"
	"sync"
)

// texture is an RGB image of the card plane, linear reflectance in 8
// bits, one texel every mm millimetres; texel (i, j) is centred on
// ((i+0.5)*mm, (j+0.5)*mm).
type texture struct {
	w, h int
	mm   float64
	pix  []uint8
}

// renderTexture fills a w x h texture from f, evaluated at texel centres,
// rows in parallel.
func renderTexture(w, h int, mm float64, f func(u, v float64) rgb) *texture {
	t := &texture{w: w, h: h, mm: mm, pix: make([]uint8, 3*w*h)}
	parallelRows(h, func(j int) {
		for i := range w {
			c := f((float64(i)+0.5)*mm, (float64(j)+0.5)*mm)
			o := 3 * (j*w + i)
			for k := range 3 {
				t.pix[o+k] = uint8(math.Round(255 * clamp01(c[k])))
			}
		}
	})
	return t
}

// half is the texture at half the resolution (a 2x2 box filter): the next
// level of a mipmap.
func (t *texture) half() *texture {
	w, h := t.w/2, t.h/2
	d := &texture{w: w, h: h, mm: t.mm * 2, pix: make([]uint8, 3*w*h)}
	for j := range h {
		for i := range w {
			for k := range 3 {
				s := int(t.pix[3*((2*j)*t.w+2*i)+k]) + int(t.pix[3*((2*j)*t.w+2*i+1)+k]) +
					int(t.pix[3*((2*j+1)*t.w+2*i)+k]) + int(t.pix[3*((2*j+1)*t.w+2*i+1)+k])
				d.pix[3*(j*w+i)+k] = uint8((s + 2) / 4)
			}
		}
	}
	return d
}

// at interpolates the texture at (u, v) millimetres (bilinear, clamped).
func (t *texture) at(u, v float64) rgb {
	x, y := u/t.mm-0.5, v/t.mm-0.5
	if x < 0 {
		x = 0
	} else if x > float64(t.w-1) {
		x = float64(t.w - 1)
	}
	if y < 0 {
		y = 0
	} else if y > float64(t.h-1) {
		y = float64(t.h - 1)
	}
	i, j := int(x), int(y)
	i1, j1 := min(i+1, t.w-1), min(j+1, t.h-1)
	fx, fy := x-float64(i), y-float64(j)
	o00, o10, o01, o11 := 3*(j*t.w+i), 3*(j*t.w+i1), 3*(j1*t.w+i), 3*(j1*t.w+i1)
	var c rgb
	for k := range 3 {
		top := float64(t.pix[o00+k])*(1-fx) + float64(t.pix[o10+k])*fx
		bot := float64(t.pix[o01+k])*(1-fx) + float64(t.pix[o11+k])*fx
		c[k] = (top*(1-fy) + bot*fy) / 255
	}
	return c
}

// parallelRows runs f(0..h-1) on every core.
func parallelRows(h int, f func(j int)) {
	n := min(runtime.GOMAXPROCS(0), h)
	var wg sync.WaitGroup
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := w; j < h; j += n {
				f(j)
			}
		}()
	}
	wg.Wait()
}
