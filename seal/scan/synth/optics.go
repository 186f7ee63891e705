package synth

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"math/rand"
)

// plane is the light reaching the sensor: linear RGB, 3 values a pixel.
type plane struct {
	w, h int
	pix  []float32
}

func newPlane(w, h int) *plane { return &plane{w: w, h: h, pix: make([]float32, 3*w*h)} }

// defocus blurs with a Gaussian of sigma pixels (a lens out of focus, to
// first order), separably, edges clamped.
func (p *plane) defocus(sigma float64) {
	if sigma <= 0.05 {
		return
	}
	rad := int(math.Ceil(3 * sigma))
	k := make([]float32, 2*rad+1)
	var sum float32
	for i := range k {
		d := float64(i - rad)
		k[i] = float32(math.Exp(-d * d / (2 * sigma * sigma)))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	p.convolve(kernelOf(k, rad, true))
	p.convolve(kernelOf(k, rad, false))
}

// tap is one weight of a sparse convolution kernel.
type tap struct {
	dx, dy int
	w      float32
}

func kernelOf(k []float32, rad int, horizontal bool) []tap {
	t := make([]tap, len(k))
	for i, w := range k {
		if horizontal {
			t[i] = tap{dx: i - rad, w: w}
		} else {
			t[i] = tap{dy: i - rad, w: w}
		}
	}
	return t
}

// motion blurs along a segment of length pixels at angle degrees: the
// card moving steadily during the exposure. The segment is drawn
// anti-aliased into a small kernel.
func (p *plane) motion(length, angle float64) {
	if length < 0.5 {
		return
	}
	rad := int(math.Ceil(length/2)) + 1
	size := 2*rad + 1
	grid := make([]float64, size*size)
	s, c := math.Sincos(angle * math.Pi / 180)
	steps := int(math.Ceil(length * 8))
	for i := 0; i <= steps; i++ {
		t := (float64(i)/float64(steps) - 0.5) * length
		x, y := float64(rad)+t*c, float64(rad)+t*s
		ix, iy := int(math.Floor(x)), int(math.Floor(y))
		fx, fy := x-float64(ix), y-float64(iy)
		grid[iy*size+ix] += (1 - fx) * (1 - fy)
		grid[iy*size+ix+1] += fx * (1 - fy)
		grid[(iy+1)*size+ix] += (1 - fx) * fy
		grid[(iy+1)*size+ix+1] += fx * fy
	}
	var taps []tap
	for j := range size {
		for i := range size {
			if w := grid[j*size+i] / float64(steps+1); w > 1e-4 {
				taps = append(taps, tap{dx: i - rad, dy: j - rad, w: float32(w)})
			}
		}
	}
	var sum float32
	for _, t := range taps {
		sum += t.w
	}
	for i := range taps {
		taps[i].w /= sum
	}
	p.convolve(taps)
}

// convolve applies a sparse kernel, edges clamped.
func (p *plane) convolve(taps []tap) {
	out := make([]float32, len(p.pix))
	parallelRows(p.h, func(y int) {
		for x := range p.w {
			var r, g, b float32
			for _, t := range taps {
				xx, yy := min(max(x+t.dx, 0), p.w-1), min(max(y+t.dy, 0), p.h-1)
				o := 3 * (yy*p.w + xx)
				r += t.w * p.pix[o]
				g += t.w * p.pix[o+1]
				b += t.w * p.pix[o+2]
			}
			o := 3 * (y*p.w + x)
			out[o], out[o+1], out[o+2] = r, g, b
		}
	})
	p.pix = out
}

// addGlare adds the highlight's light to every channel where the card's
// laminate shows (share 0..1 per pixel).
func (p *plane) addGlare(g *glare, laminate []float32) {
	parallelRows(p.h, func(y int) {
		for x := range p.w {
			if a := float32(g.at(float64(x)+0.5, float64(y)+0.5)) * laminate[y*p.w+x]; a > 0 {
				o := 3 * (y*p.w + x)
				p.pix[o] += a
				p.pix[o+1] += a
				p.pix[o+2] += a
			}
		}
	})
}

// expose scales the light by the exposure and the camera's white balance
// error per channel.
func (p *plane) expose(light float64, wb rgb) {
	k := [3]float32{float32(light * wb[0]), float32(light * wb[1]), float32(light * wb[2])}
	for i := range p.pix {
		p.pix[i] *= k[i%3]
	}
}

// sensor adds the sensor's noise (Gaussian per channel, shot noise growing
// with the signal's square root, sigma noise/255 at full scale), applies
// the camera's tone curve (sRGB) and quantises to 8 bits.
func (p *plane) sensor(r *rand.Rand, noise float64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, p.w, p.h))
	k := noise / 255
	for i := 0; i < p.w*p.h; i++ {
		for ch := range 3 {
			s := float64(p.pix[3*i+ch])
			s += r.NormFloat64() * k * math.Sqrt(math.Max(s, 0)+0.02)
			img.Pix[4*i+ch] = uint8(math.Round(255 * toneCurve(s)))
		}
		img.Pix[4*i+3] = 255
	}
	return img
}

// toneLUT samples the sRGB transfer function on 0..1.
var toneLUT = func() []float64 {
	t := make([]float64, 4097)
	for i := range t {
		x := float64(i) / 4096
		if x <= 0.0031308 {
			t[i] = 12.92 * x
		} else {
			t[i] = 1.055*math.Pow(x, 1/2.4) - 0.055
		}
	}
	return t
}()

// toneCurve encodes linear light as the camera does (sRGB), clipped.
func toneCurve(x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	f := x * 4096
	i := int(f)
	return toneLUT[i] + (toneLUT[i+1]-toneLUT[i])*(f-float64(i))
}

// jpegRoundTrip compresses img as an MJPEG webcam does (image/jpeg writes
// 4:2:0 chroma) and decodes it back.
func jpegRoundTrip(img image.Image, quality int) image.Image {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		panic(err) // writing to memory does not fail
	}
	dec, err := jpeg.Decode(&b)
	if err != nil {
		panic(err)
	}
	return dec
}
