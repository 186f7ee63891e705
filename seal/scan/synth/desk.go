package synth

import (
	"math"
	"math/rand"
)

// desk is what lies around the card, in frame coordinates scaled to a
// 1280-pixel-wide frame: wood grain or a grey textured top, and maybe the
// edge of another object (a keyboard, a sheet of paper, a folder).
type desk struct {
	wood        bool
	light, dark rgb
	sin, cos    float64 // grain direction
	period      float64 // grain period, pixels
	seed        uint64
	scale       float64 // 1280 / frame width
	obj         *object
}

// object is a half-plane n.(x, y) > d of one colour, lying on the desk.
type object struct {
	nx, ny, d float64
	color     rgb
}

func newDesk(r *rand.Rand, frameW, frameH int) desk {
	d := desk{seed: r.Uint64(), scale: 1280 / float64(frameW), period: 10 + 14*r.Float64()}
	d.sin, d.cos = math.Sincos(rad(uniform(r, -30, 30)))
	if d.wood = r.Intn(2) == 0; d.wood {
		d.light = rgb{0.42, 0.25, 0.13}.scale(uniform(r, 0.7, 1.3))
		d.dark = d.light.scale(0.55)
	} else {
		d.light = rgb{0.30, 0.30, 0.31}.scale(uniform(r, 0.5, 1.6))
		d.dark = d.light.scale(0.8)
	}
	if r.Intn(2) == 0 {
		a := r.Float64() * 2 * math.Pi
		o := &object{nx: math.Cos(a), ny: math.Sin(a)}
		// The edge crosses the frame at 0.75-0.95 of the way from the centre
		// to the border in that direction: a strip along the border.
		cy := float64(frameH) * d.scale / 2
		reach := math.Abs(o.nx)*640 + math.Abs(o.ny)*cy
		o.d = o.nx*640 + o.ny*cy + uniform(r, 0.75, 0.95)*reach
		o.color = []rgb{{0.03, 0.03, 0.035}, {0.78, 0.78, 0.76}, {0.06, 0.10, 0.28}}[r.Intn(3)]
		d.obj = o
	}
	return d
}

// at is the desk's reflectance at frame pixel (x, y).
func (d *desk) at(x, y float64) rgb {
	x, y = x*d.scale, y*d.scale
	if o := d.obj; o != nil {
		s := o.nx*x + o.ny*y - o.d
		if s > 0 {
			return o.color.scale(0.92 + 0.08*valueNoise(d.seed+1, x/5, y/5))
		}
		c := d.surface(x, y)
		return c.scale(1 - 0.4*math.Exp(s/8)) // its shadow
	}
	return d.surface(x, y)
}

func (d *desk) surface(x, y float64) rgb {
	a, b := x*d.cos+y*d.sin, -x*d.sin+y*d.cos
	if d.wood {
		warp := 30*valueNoise(d.seed, a/400, b/60) + 6*valueNoise(d.seed+4, a/60, b/12)
		ring := 0.5 + 0.5*math.Sin(2*math.Pi*(b+warp)/d.period)
		fine := valueNoise(d.seed+2, a/30, b/1.2)
		broad := valueNoise(d.seed+5, a/250, b/120)
		return d.light.mix(d.dark, 0.3*ring*ring*ring+0.3*fine+0.4*broad)
	}
	n := 0.6*valueNoise(d.seed, x/2.5, y/2.5) + 0.4*valueNoise(d.seed+3, x/40, y/40)
	return d.light.mix(d.dark, n)
}

// valueNoise is smooth noise in 0..1: random values on the integer
// lattice, interpolated with a smoothstep.
func valueNoise(seed uint64, x, y float64) float64 {
	ix, iy := math.Floor(x), math.Floor(y)
	fx, fy := x-ix, y-iy
	fx, fy = fx*fx*(3-2*fx), fy*fy*(3-2*fy)
	i, j := int64(ix), int64(iy)
	h := func(i, j int64) float64 {
		z := seed ^ uint64(i)*0x9e3779b97f4a7c15 ^ uint64(j)*0xc2b2ae3d27d4eb4f
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		return float64((z^z>>31)>>11) / (1 << 53)
	}
	top := h(i, j)*(1-fx) + h(i+1, j)*fx
	bot := h(i, j+1)*(1-fx) + h(i+1, j+1)*fx
	return top*(1-fy) + bot*fy
}
