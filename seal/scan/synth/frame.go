package synth

import (
	"image"
	"runtime"
	"sync"
)

// Frame is one generated camera frame and what it shows.
type Frame struct {
	Name     string // "glare-007": category and index, stable
	Category Category
	// Image is what the camera gives: an *image.RGBA, or the decoded JPEG
	// when the frame was JPEG-compressed.
	Image image.Image
	// Payload is the exact bytes carried by the symbol, nil for a frame
	// without a code.
	Payload []byte
	// Corners are the symbol's outer corners in the frame: its top-left,
	// top-right, bottom-right and bottom-left as the symbol reads (the
	// bottom-left is the corner of the DataMatrix "L"); zero without a code.
	Corners [4]image.Point
	// ModulePx is the mean module size in frame pixels, 0 without a code.
	ModulePx float64
	// Params is everything that made the frame, defaults filled in.
	Params Params
}

// Params are the conditions of one frame. A zero field takes a default:
// a 1280x720 frame, a card filling 55 % of its width, exposure 0.9, noise
// 3, a payload of 200 characters (130 bytes when Binary).
type Params struct {
	Seed           int64   // content, placement and noise
	FrameW, FrameH int     // frame size, pixels
	CardFrac       float64 // card width / frame width, before tilt
	AngleDeg       float64 // in-plane rotation of the card, degrees
	TiltDeg        float64 // rotation of the card plane out of the image plane, degrees
	TiltAxisDeg    float64 // direction of the in-plane axis of that rotation, degrees
	DefocusSigma   float64 // Gaussian defocus, sigma in pixels
	MotionLen      float64 // length of the motion blur, pixels
	MotionAngleDeg float64 // direction of the motion, degrees
	GlareFrac      float64 // share of the symbol under the laminate's glare, 0..1
	// GlarePeak is the radiance the glare adds at its centre (1 = full
	// scale); 0 draws it in 0.55-0.95, which leaves the modules a little
	// contrast; above 1 the sensor saturates.
	GlarePeak float64
	Light     float64 // exposure: 1 is a well-lit card, 0.2-0.4 low light
	// Noise is the sensor noise: sigma in 8-bit levels of the linear
	// signal at full scale (shot noise: it scales with the square root of
	// the signal); before the tone curve, so it grows in the shadows.
	Noise       float64
	JPEGQuality int  // MJPEG compression quality, 0 for none
	Thumb       bool // a thumb holds the card over one edge
	Binary      bool // a VDS-like binary payload instead of 2D-Doc-like text
	// PayloadLen is the payload's length in bytes; when gozxing's writer
	// cannot encode a length exactly (see Base256Bug) the next one is used.
	PayloadLen int
	NoCode     bool // the card carries no code (guilloche and text instead)
	// QuietMM is the blank margin around the seal, mm (0: 1 mm). Below
	// 1 mm captions are printed up to 0.2 mm from it, and the guilloche
	// runs up to it: the seal glued to the card's print.
	QuietMM float64
}

func (p Params) withDefaults() Params {
	if p.FrameW <= 0 || p.FrameH <= 0 {
		p.FrameW, p.FrameH = 1280, 720
	}
	if p.QuietMM <= 0 {
		p.QuietMM = 1.0
	}
	if p.CardFrac <= 0 {
		p.CardFrac = 0.55
	}
	if p.Light <= 0 {
		p.Light = 0.9
	}
	if p.Noise <= 0 {
		p.Noise = 3
	}
	if p.PayloadLen <= 0 && !p.NoCode {
		p.PayloadLen = 200
		if p.Binary {
			p.PayloadLen = 130
		}
	}
	return p
}

// Generate renders the frame of p. It is deterministic: the same Params
// give the same pixels.
func Generate(p Params) Frame {
	pl := newPlan(p)
	f := Frame{Image: pl.render(), Payload: pl.payload, Params: pl.p}
	if !pl.p.NoCode {
		f.Corners = pl.corners()
		f.ModulePx = pl.modulePx
	}
	return f
}

// Frames generates the frames 0..n-1 of category c (ParamsFor), in
// parallel; the result does not depend on the parallelism.
func Frames(c Category, n int) []Frame {
	out := make([]Frame, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = Generate(ParamsFor(c, i))
				out[i].Name, out[i].Category = FrameName(c, i), c
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
