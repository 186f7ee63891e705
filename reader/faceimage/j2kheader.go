package faceimage

import (
	"encoding/binary"
	"image"
	"image/color"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/lds"
)

// Bounds on a JPEG 2000 header, beyond the pixel limits: a face has one
// tile or a few, one to four components of at most 16 bits.
const (
	maxComponents = 4
	maxPrecision  = 16
	maxTiles      = 4096
	maxBoxes      = 64
)

// j2kHeader is what the SIZ marker segment says (ISO/IEC 15444-1 A.5.1).
type j2kHeader struct {
	width, height int
	components    int
	precision     [maxComponents]int
	signed        [maxComponents]bool
	dx, dy        [maxComponents]int
}

const opJ2K = "decode JPEG 2000"

func malformedJ2K(format string, args ...any) error {
	return chiperr.Newf(chiperr.Malformed, opJ2K, format, args...)
}

// jpeg2000Config reads the SIZ segment of a codestream, or of the first
// contiguous codestream box of a JP2 file, and checks it.
func jpeg2000Config(data []byte) (image.Config, error) {
	cs := data
	if lds.IsJP2(data) {
		var err error
		if cs, err = jp2Codestream(data); err != nil {
			return image.Config{}, err
		}
	}
	h, err := parseSIZ(cs)
	if err != nil {
		return image.Config{}, err
	}
	model := color.RGBAModel
	if h.components < 3 {
		model = color.GrayModel
	}
	return image.Config{ColorModel: model, Width: h.width, Height: h.height}, nil
}

// jp2Codestream walks the top-level boxes of a JP2 file (ISO/IEC 15444-1
// Annex I) to the contiguous codestream box 'jp2c'.
func jp2Codestream(b []byte) ([]byte, error) {
	for n := 0; len(b) > 0; n++ {
		if n == maxBoxes {
			return nil, malformedJ2K("more than %d boxes", maxBoxes)
		}
		if len(b) < 8 {
			return nil, malformedJ2K("truncated box header")
		}
		size := uint64(binary.BigEndian.Uint32(b))
		typ := string(b[4:8])
		hdr := uint64(8)
		switch size {
		case 0: // the box runs to the end of the file
			size = uint64(len(b))
		case 1: // 64-bit length follows
			if len(b) < 16 {
				return nil, malformedJ2K("truncated box header")
			}
			size, hdr = binary.BigEndian.Uint64(b[8:16]), 16
		}
		if size < hdr || size > uint64(len(b)) {
			return nil, malformedJ2K("box %q of %d bytes for %d left", typ, size, len(b))
		}
		if typ == "jp2c" {
			return b[hdr:size], nil
		}
		b = b[size:]
	}
	return nil, malformedJ2K("JP2 file without a codestream box")
}

// parseSIZ reads SOC and SIZ, the first two markers of every codestream.
func parseSIZ(b []byte) (*j2kHeader, error) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0x4F || b[2] != 0xFF || b[3] != 0x51 {
		return nil, malformedJ2K("codestream does not start with SOC and SIZ")
	}
	b = b[4:]
	if len(b) < 38 {
		return nil, malformedJ2K("truncated SIZ")
	}
	lsiz := int(binary.BigEndian.Uint16(b))
	u32 := func(off int) uint64 { return uint64(binary.BigEndian.Uint32(b[off:])) }
	xsiz, ysiz, xo, yo := u32(4), u32(8), u32(12), u32(16)
	xt, yt, xto, yto := u32(20), u32(24), u32(28), u32(32)
	csiz := int(binary.BigEndian.Uint16(b[36:]))
	if csiz == 0 || lsiz != 38+3*csiz {
		return nil, malformedJ2K("SIZ of %d bytes for %d components", lsiz, csiz)
	}
	if csiz > maxComponents {
		return nil, chiperr.Newf(chiperr.Unsupported, opJ2K, "%d components, at most %d", csiz, maxComponents)
	}
	if len(b) < lsiz {
		return nil, malformedJ2K("truncated SIZ")
	}
	// Constraints of A.5.1: the image area and the tile grid.
	if xsiz <= xo || ysiz <= yo || xt == 0 || yt == 0 || xto > xo || yto > yo || xto+xt <= xo || yto+yt <= yo {
		return nil, malformedJ2K("inconsistent image or tile size")
	}
	w, h := xsiz-xo, ysiz-yo
	if w > MaxSide || h > MaxSide {
		return nil, chiperr.Newf(chiperr.TooLarge, opJ2K, "image of %dx%d pixels, at most %dx%d", w, h, MaxSide, MaxSide)
	}
	if err := checkSize(opJ2K, int(w), int(h)); err != nil {
		return nil, err
	}
	if tiles := ((xsiz - xto + xt - 1) / xt) * ((ysiz - yto + yt - 1) / yt); tiles > maxTiles {
		return nil, chiperr.Newf(chiperr.TooLarge, opJ2K, "%d tiles, at most %d", tiles, maxTiles)
	}
	hd := &j2kHeader{width: int(w), height: int(h), components: csiz}
	for i := range csiz {
		c := b[38+3*i:]
		hd.precision[i] = int(c[0]&0x7F) + 1
		hd.signed[i] = c[0]&0x80 != 0
		hd.dx[i], hd.dy[i] = int(c[1]), int(c[2])
		if hd.dx[i] == 0 || hd.dy[i] == 0 {
			return nil, malformedJ2K("component %d subsampled by zero", i)
		}
		if hd.precision[i] > maxPrecision {
			return nil, chiperr.Newf(chiperr.Unsupported, opJ2K, "component of %d bits, at most %d", hd.precision[i], maxPrecision)
		}
	}
	return hd, nil
}
