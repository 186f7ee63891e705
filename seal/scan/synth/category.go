package synth

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand"
)

// Category is a family of frames sharing one difficulty.
type Category string

// The categories, from issue 18's list of conditions. Each isolates one
// condition on an otherwise clean frame, except Realistic and Empty, which
// mix them all as a counter webcam meets them.
const (
	// Clean is a well-lit card filling most of a 1280x720 frame, nearly
	// upright and flat: the reference every decoder should read.
	Clean Category = "clean"
	// Rotation turns the card by any angle.
	Rotation Category = "rotation"
	// Perspective tilts the card 20-35 degrees out of the image plane.
	Perspective Category = "perspective"
	// Small is a card filling 30-38 % of the width: modules of 1.1-1.4 px.
	Small Category = "small"
	// Defocus blurs the frame as a lens focused elsewhere.
	Defocus Category = "defocus"
	// Motion blurs the frame along a line, as a card moved by hand.
	Motion Category = "motion"
	// Glare lays the laminate's specular highlight over part of the code.
	Glare Category = "glare"
	// LowLight is a dim counter: a dark, noisy frame.
	LowLight Category = "lowlight"
	// JPEG is an MJPEG webcam compressing at quality 40-90.
	JPEG Category = "jpeg"
	// Thumb has the clerk's thumb over an edge of the card.
	Thumb Category = "thumb"
	// VGA is a 640x480 camera.
	VGA Category = "vga"
	// FullHD is a 1920x1080 camera.
	FullHD Category = "fullhd"
	// Binary carries a VDS-like binary payload instead of 2D-Doc text.
	Binary Category = "binary"
	// Glued prints captions and guilloche up to a quiet zone of 1-2
	// modules (the minimum ISO/IEC 16022 allows), at any angle and size:
	// the seal glued to the card's print of issue 18's first finding.
	Glued Category = "glued"
	// Realistic draws every condition independently, in the mix of issue 18.
	Realistic Category = "realistic"
	// Empty is a realistic frame of a card without a code.
	Empty Category = "empty"
)

// Categories returns every category, in the order of the constants.
func Categories() []Category {
	return []Category{Clean, Rotation, Perspective, Small, Defocus, Motion, Glare, LowLight,
		JPEG, Thumb, VGA, FullHD, Binary, Glued, Realistic, Empty}
}

// FrameName is the name of the i-th frame of c, as in Frame.Name.
func FrameName(c Category, i int) string { return fmt.Sprintf("%s-%03d", c, i) }

// ParamsFor returns the conditions of the i-th frame of category c,
// deterministically (seeded from c and i).
//
// Where the numbers come from:
//   - the card fills 30-70 % of the frame width (issue 18); with the seal's
//     12.19 mm (issue 18) over an 85.6 mm card (ISO/IEC 7810 ID-1) and
//     modules of 12.19 mm / N (a 48x48 symbol: 0.254 mm, 10 mil) a module is
//     1.1-2.7 px at 1280 px, up to ~3.6 px at 1920 px;
//   - a clean frame is a card held square to the camera: a few degrees of
//     rotation and tilt, the card filling the preview (55-70 %);
//   - tilt 20-35 degrees, defocus, motion of 1-10 px, glare, low light,
//     MJPEG quality 40-90, a thumb, 640x480 and 1920x1080 cameras: issue 18;
//   - 2D-Doc text of 100-285 characters (issue 18: up to 285), VDS binary
//     payloads of 90-170 bytes (a VDS header, a few fields and a 64-byte
//     ECDSA signature).
//
// None of them is chosen for what a decoder reads.
func ParamsFor(c Category, i int) Params {
	seed := categorySeed(c, i)
	r := rand.New(rand.NewSource(seed))
	p := cleanParams(r)
	p.Seed = seed
	switch c {
	case Rotation:
		p.AngleDeg = uniform(r, 0, 360)
		p.CardFrac = uniform(r, 0.45, 0.70)
	case Perspective:
		p.TiltDeg = uniform(r, 20, 35)
		p.CardFrac = uniform(r, 0.50, 0.70)
	case Small:
		// 30-38 % of 1280 px: a 48x48 symbol's modules are 1.14-1.45 px.
		p.CardFrac = uniform(r, 0.30, 0.38)
	case Defocus:
		// A webcam's autofocus hunting or fixed focus at 30-50 cm for a card
		// at 15-20 cm: sigma 0.5-1.0 px, on modules of at least 2 px (a
		// 52x52 symbol at 58 % of 1280 px: 2.0 px).
		p.DefocusSigma = uniform(r, 0.5, 1.0)
		p.CardFrac = uniform(r, 0.58, 0.70)
	case Motion:
		// A card held out at the counter drifts with the hand's tremor, 5-20
		// mm/s; indoors a webcam exposes 1/60-1/30 s, so the card moves
		// 0.1-0.6 mm during the exposure, 1-5 px at 8-10 px/mm (a card at
		// 55-70 % of 1280 px), about two modules at most. The 10 px of issue
		// 18 are a card being moved into place: Realistic has them.
		p.MotionLen = uniform(r, 1, 5)
		p.MotionAngleDeg = uniform(r, 0, 180)
	case Glare:
		p.GlareFrac = uniform(r, 0.10, 0.35)
		p.CardFrac = uniform(r, 0.50, 0.70)
	case LowLight:
		// A dim counter: a quarter of the light, the sensor's gain raised
		// (more noise), the tone curve lifting the shadows.
		p.Light = uniform(r, 0.2, 0.4)
		p.Noise = uniform(r, 8, 14)
		p.CardFrac = uniform(r, 0.50, 0.70)
	case JPEG:
		p.JPEGQuality = 40 + r.Intn(51)
		p.CardFrac = uniform(r, 0.45, 0.70)
	case Thumb:
		p.Thumb = true
		p.CardFrac = uniform(r, 0.50, 0.70)
	case VGA:
		// The clerk fills the preview as with any camera: 50-70 % of 640
		// px, modules of 0.9-1.8 px.
		p.FrameW, p.FrameH = 640, 480
		p.CardFrac = uniform(r, 0.50, 0.70)
	case FullHD:
		// 30-63 % of 1920 px: modules of 1.6-3.6 px (issue 18's upper end).
		p.FrameW, p.FrameH = 1920, 1080
		p.CardFrac = uniform(r, 0.30, 0.63)
	case Binary:
		p.Binary = true
		p.PayloadLen = 90 + r.Intn(81)
		p.AngleDeg = uniform(r, -20, 20)
		p.CardFrac = uniform(r, 0.45, 0.70)
	case Glued:
		p.AngleDeg = uniform(r, 0, 360)
		p.CardFrac = uniform(r, 0.35, 0.70)
		p.QuietMM = uniform(r, 0.25, 0.5)
	case Realistic:
		p = realisticParams(r, seed)
	case Empty:
		p = realisticParams(r, seed)
		p.NoCode, p.Binary, p.PayloadLen = true, false, 0
	}
	return p
}

// cleanParams is a well-lit card held square to a 1280x720 webcam.
func cleanParams(r *rand.Rand) Params {
	return Params{
		FrameW: 1280, FrameH: 720,
		CardFrac:    uniform(r, 0.55, 0.70),
		AngleDeg:    uniform(r, -10, 10),
		TiltDeg:     uniform(r, 0, 5),
		TiltAxisDeg: uniform(r, 0, 360),
		Light:       uniform(r, 0.85, 1.0),
		Noise:       uniform(r, 2, 4),
		PayloadLen:  100 + r.Intn(186),
	}
}

// realisticParams draws each condition independently, in the proportions
// of a counter: mostly 1280x720 cameras; the card held close enough to
// fill the preview more often than not (card width 30-70 % of the frame,
// skewed to the large end: the median module is 2.3 px, issue 18); some
// rotation always, now and then sideways; tilt 0-35 degrees; a third of
// the frames defocused or moving, one in five with glare, one in seven in
// low light, MJPEG in two in five, a thumb in three in ten.
func realisticParams(r *rand.Rand, seed int64) Params {
	p := cleanParams(r)
	p.Seed = seed
	lo, hi := 0.30, 0.70
	switch u := r.Float64(); {
	case u < 0.1: // as in VGA
		p.FrameW, p.FrameH = 640, 480
		lo = 0.50
	case u < 0.2: // as in FullHD
		p.FrameW, p.FrameH = 1920, 1080
		hi = 0.63
	}
	p.CardFrac = lo + (hi-lo)*math.Sqrt(r.Float64())
	if r.Float64() < 0.25 {
		p.AngleDeg = uniform(r, 0, 360)
	} else {
		p.AngleDeg = (1 + math.Abs(r.NormFloat64())*10) * float64(1-2*r.Intn(2))
	}
	p.TiltDeg = uniform(r, 0, 35)
	if r.Float64() < 0.35 {
		p.DefocusSigma = uniform(r, 0.3, 1.2)
	}
	if r.Float64() < 0.30 {
		u := r.Float64()
		p.MotionLen = 1 + 9*u*u // mostly short, up to 10 px
		p.MotionAngleDeg = uniform(r, 0, 180)
	}
	if r.Float64() < 0.20 {
		p.GlareFrac = uniform(r, 0.05, 0.35)
	}
	if r.Float64() < 0.15 {
		p.Light, p.Noise = uniform(r, 0.2, 0.4), uniform(r, 8, 14)
	} else {
		p.Light, p.Noise = uniform(r, 0.6, 1.0), uniform(r, 2, 5)
	}
	if r.Float64() < 0.40 {
		p.JPEGQuality = 40 + r.Intn(51)
	}
	p.Thumb = r.Float64() < 0.30
	if r.Float64() < 0.20 {
		p.Binary, p.PayloadLen = true, 90+r.Intn(81)
	}
	// The margin the print leaves around the seal: 1-4 modules.
	p.QuietMM = uniform(r, 0.25, 1.0)
	return p
}

func uniform(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// categorySeed is a seed that depends on the category's name and the index.
func categorySeed(c Category, i int) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%d", c, i)
	return int64(h.Sum64() >> 1)
}

// stream is a random source for one aspect of a frame (its payload, its
// placement, its noise...), so that changing one leaves the others alone.
func stream(seed int64, aspect string) *rand.Rand {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s", seed, aspect)
	return rand.New(rand.NewSource(int64(h.Sum64() >> 1)))
}
