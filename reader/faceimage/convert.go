package faceimage

import (
	"encoding/binary"
	"image"
	"image/color"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// OpenJPEG colour spaces (openjpeg.h OPJ_CLRSPC_*), set from a JP2 file's
// colour specification box; a raw codestream leaves them unspecified.
const (
	clrspcSYCC = 3
	clrspcEYCC = 4
	clrspcCMYK = 5
)

// toImage turns decoded components into an 8-bit image: one or two
// components give a gray image (a second, alpha, component is dropped),
// three or four an RGBA one (a fourth component is dropped). The decoder's
// result is checked against the header read before decoding.
func toImage(d *decoded, hdr *j2kHeader, cfg image.Config) (image.Image, error) {
	if d.width != hdr.width || d.height != hdr.height || d.width != cfg.Width || d.height != cfg.Height || len(d.comps) != hdr.components {
		return nil, malformedJ2K("decoded %dx%d with %d components, header said %dx%d with %d",
			d.width, d.height, len(d.comps), hdr.width, hdr.height, hdr.components)
	}
	for _, c := range d.comps {
		// A component covers the image at its subsampling, give or take
		// one sample for the image offset.
		if c.w < d.width/c.dx || c.h < d.height/c.dy || len(c.data) != 4*c.w*c.h {
			return nil, malformedJ2K("component of %dx%d for an image of %dx%d", c.w, c.h, d.width, d.height)
		}
	}
	r := image.Rect(0, 0, d.width, d.height)
	if len(d.comps) < 3 {
		g := image.NewGray(r)
		c := d.comps[0]
		for y := range d.height {
			row := g.Pix[y*g.Stride:]
			for x := range d.width {
				row[x] = c.at8(x, y)
			}
		}
		return g, nil
	}
	switch d.colourSpace {
	case clrspcEYCC, clrspcCMYK:
		return nil, chiperr.Newf(chiperr.Unsupported, opJ2K, "colour space %d", d.colourSpace)
	}
	ycc := d.colourSpace == clrspcSYCC
	out := image.NewRGBA(r)
	c0, c1, c2 := d.comps[0], d.comps[1], d.comps[2]
	for y := range d.height {
		row := out.Pix[y*out.Stride:]
		for x := range d.width {
			a, b, c := c0.at8(x, y), c1.at8(x, y), c2.at8(x, y)
			if ycc {
				a, b, c = color.YCbCrToRGB(a, b, c)
			}
			p := row[4*x : 4*x+4 : 4*x+4]
			p[0], p[1], p[2], p[3] = a, b, c, 0xFF
		}
	}
	return out, nil
}

// at8 returns the sample covering image pixel (x, y), scaled to 8 bits.
func (c *component) at8(x, y int) uint8 {
	cx, cy := min(x/c.dx, c.w-1), min(y/c.dy, c.h-1)
	v := int64(int32(binary.LittleEndian.Uint32(c.data[4*(cy*c.w+cx):])))
	if c.signed {
		v += 1 << (c.prec - 1)
	}
	top := int64(1)<<c.prec - 1
	v = max(0, min(v, top))
	switch {
	case c.prec > 8:
		v >>= c.prec - 8
	case c.prec < 8:
		v = v * 255 / top
	}
	return uint8(v)
}
