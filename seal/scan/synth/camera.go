package synth

import (
	"math"
	"math/rand"
)

// mat3 is a 3x3 matrix, row-major: a homography between planes.
type mat3 [9]float64

// apply maps (x, y); ok is false for a point behind the camera (or on
// the plane's horizon).
func (m *mat3) apply(x, y float64) (float64, float64, bool) {
	w := m[6]*x + m[7]*y + m[8]
	if w <= 1e-9 {
		return 0, 0, false
	}
	return (m[0]*x + m[1]*y + m[2]) / w, (m[3]*x + m[4]*y + m[5]) / w, true
}

func (m *mat3) inverse() mat3 {
	a := m
	inv := mat3{
		a[4]*a[8] - a[5]*a[7], a[2]*a[7] - a[1]*a[8], a[1]*a[5] - a[2]*a[4],
		a[5]*a[6] - a[3]*a[8], a[0]*a[8] - a[2]*a[6], a[2]*a[3] - a[0]*a[5],
		a[3]*a[7] - a[4]*a[6], a[1]*a[6] - a[0]*a[7], a[0]*a[4] - a[1]*a[3],
	}
	det := a[0]*inv[0] + a[1]*inv[3] + a[2]*inv[6]
	if det < 0 { // keep w positive in front of the camera
		for i := range inv {
			inv[i] = -inv[i]
		}
	}
	return inv
}

// camera maps the card plane (millimetres, origin at the card's top-left
// corner, v down) to the frame (pixels) and back.
type camera struct {
	toFrame, toCard mat3
}

// newCamera is a pinhole camera of focal length f = frame width (a
// horizontal field of view of 53 degrees, a common webcam) looking at the
// card. The card, centred on the optical axis, is first turned by tilt
// degrees about the in-plane axis at tiltAxis degrees, then by angle
// degrees about the optical axis, then put at the distance where its
// untilted width is cardFrac of the frame width and shifted by (dx, dy)
// pixels (at that distance).
func newCamera(fw, fh int, cardFrac, angle, tilt, tiltAxis, dx, dy float64) camera {
	f := float64(fw)
	z0 := cardW / cardFrac
	// Rotation: R = Rz(angle) * Raxis(tilt) (Rodrigues about (ax, ay, 0)).
	ax, ay := math.Cos(rad(tiltAxis)), math.Sin(rad(tiltAxis))
	c, s := math.Cos(rad(tilt)), math.Sin(rad(tilt))
	rt := [9]float64{
		c + ax*ax*(1-c), ax * ay * (1 - c), ay * s,
		ax * ay * (1 - c), c + ay*ay*(1-c), -ax * s,
		-ay * s, ax * s, c,
	}
	cz, sz := math.Cos(rad(angle)), math.Sin(rad(angle))
	var r [9]float64
	for i := range 3 {
		r[i] = cz*rt[i] - sz*rt[3+i]
		r[3+i] = sz*rt[i] + cz*rt[3+i]
		r[6+i] = rt[6+i]
	}
	// A card point (u, v) is R (u-cx, v-cy, 0) + T in camera space.
	tx, ty, tz := dx*z0/f, dy*z0/f, z0
	t := [3]float64{
		tx - r[0]*cardW/2 - r[1]*cardH/2,
		ty - r[3]*cardW/2 - r[4]*cardH/2,
		tz - r[6]*cardW/2 - r[7]*cardH/2,
	}
	px, py := float64(fw)/2, float64(fh)/2
	h := mat3{
		f*r[0] + px*r[6], f*r[1] + px*r[7], f*t[0] + px*t[2],
		f*r[3] + py*r[6], f*r[4] + py*r[7], f*t[1] + py*t[2],
		r[6], r[7], t[2],
	}
	return camera{toFrame: h, toCard: h.inverse()}
}

// placeCamera puts the card in the frame: a random shift that keeps the
// card in view when it fits (it may leave the frame when it does not, a
// card held close or sideways), then moved towards the shift that centres
// the seal until the seal, with 3 mm around it, is inside the frame.
func placeCamera(p Params, r *rand.Rand) camera {
	at := func(dx, dy float64) camera {
		return newCamera(p.FrameW, p.FrameH, p.CardFrac, p.AngleDeg, p.TiltDeg, p.TiltAxisDeg, dx, dy)
	}
	c0 := at(0, 0)
	x0, y0, x1, y1 := c0.bounds(0, 0, cardW, cardH)
	fw, fh := float64(p.FrameW), float64(p.FrameH)
	room := func(frame, lo, hi float64) float64 { return math.Abs(frame/2 - (hi-lo)/2) }
	dx := (2*r.Float64() - 1) * 0.9 * room(fw, x0, x1)
	dy := (2*r.Float64() - 1) * 0.9 * room(fh, y0, y1)
	dx -= (x0 + x1 - fw) / 2 // centre the card's bounding box first
	dy -= (y0 + y1 - fh) / 2
	// The shift that puts the seal at the centre of the frame.
	sx, sy, _ := c0.toFrame.apply(sealX+sealSide/2, sealY+sealSide/2)
	cx, cy := fw/2-sx, fh/2-sy
	for k := 0; ; k++ {
		c := at(dx, dy)
		if k >= 20 || c.sealInFrame(fw, fh) {
			return c
		}
		dx, dy = dx+(cx-dx)*0.2, dy+(cy-dy)*0.2
	}
}

// bounds is the frame bounding box of the card rectangle (u0,v0)-(u1,v1).
func (c camera) bounds(u0, v0, u1, v1 float64) (x0, y0, x1, y1 float64) {
	x0, y0, x1, y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, q := range [4][2]float64{{u0, v0}, {u1, v0}, {u1, v1}, {u0, v1}} {
		x, y, _ := c.toFrame.apply(q[0], q[1])
		x0, y0, x1, y1 = math.Min(x0, x), math.Min(y0, y), math.Max(x1, x), math.Max(y1, y)
	}
	return
}

func (c camera) sealInFrame(fw, fh float64) bool {
	const m = 3.0 // mm around the symbol
	x0, y0, x1, y1 := c.bounds(sealX-m, sealY-m, sealX+sealSide+m, sealY+sealSide+m)
	return x0 >= 4 && y0 >= 4 && x1 <= fw-4 && y1 <= fh-4
}

// pxPerMM is the frame's scale at card point (u, v), in pixels per
// millimetre (the mean of both directions).
func (c camera) pxPerMM(u, v float64) float64 {
	x0, y0, _ := c.toFrame.apply(u, v)
	x1, y1, _ := c.toFrame.apply(u+1, v)
	x2, y2, _ := c.toFrame.apply(u, v+1)
	return (math.Hypot(x1-x0, y1-y0) + math.Hypot(x2-x0, y2-y0)) / 2
}

func rad(deg float64) float64 { return deg * math.Pi / 180 }
