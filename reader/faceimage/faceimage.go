// Package faceimage decodes the images a chip stores (DG2 faces, DG7
// signatures, DG12 document images): JPEG with the standard library, and
// JPEG 2000 (raw J2K codestream or JP2 file) with OpenJPEG compiled to
// WebAssembly and run by wazero.
//
// The bytes come from a card that may be hostile, so every decode is
// bounded before it starts: the image's header is read first and an image
// over MaxSide on either side or MaxPixels in all is refused without
// decoding. OpenJPEG is C; running it in a fresh WebAssembly instance per
// image confines any memory bug that hostile bytes could trigger to that
// instance's own linear memory, which is then thrown away.
package faceimage

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/lds"
)

// Limits checked on the image header, before any decoding.
const (
	MaxSide   = 4096
	MaxPixels = 16 << 20
	// MaxInput is the largest encoded image accepted: a data group cannot
	// be larger.
	MaxInput = ber.MaxLength
)

// DefaultTimeout bounds a Decode without a context of its own: a few
// hundred milliseconds is the norm for a passport photo.
const DefaultTimeout = 20 * time.Second

// Decode decodes a JPEG or JPEG 2000 image within DefaultTimeout. format is
// what the container claims; the image's own magic bytes win when they
// disagree (see lds.DetectImageFormat). Errors are chip errors: Malformed
// for corrupt or truncated images, TooLarge over the limits, Unsupported
// for other formats or features, Timeout when the decoder runs too long.
func Decode(format lds.ImageFormat, data []byte) (image.Image, error) {
	ctx, cancel := context.WithTimeout(context.Background(), DefaultTimeout)
	defer cancel()
	return DecodeContext(ctx, format, data)
}

// DecodeContext is Decode with a caller's context; cancelling it stops a
// JPEG 2000 decode (chiperr.Canceled or chiperr.Timeout).
func DecodeContext(ctx context.Context, format lds.ImageFormat, data []byte) (image.Image, error) {
	cfg, f, err := DecodeConfig(format, data)
	if err != nil {
		return nil, err
	}
	if f == lds.ImageJPEG {
		return decodeJPEG(data, cfg)
	}
	return decodeJPEG2000(ctx, data, cfg)
}

// DecodeConfig reads only the image's header: its real format, size and
// colour model, after checking them against the limits.
func DecodeConfig(format lds.ImageFormat, data []byte) (image.Config, lds.ImageFormat, error) {
	const op = "decode image"
	if len(data) == 0 {
		return image.Config{}, 0, chiperr.New(chiperr.Malformed, op, "empty image")
	}
	if len(data) > MaxInput {
		return image.Config{}, 0, chiperr.Newf(chiperr.TooLarge, op, "image of %d bytes", len(data))
	}
	var cfg image.Config
	var err error
	f := lds.DetectImageFormat(data)
	switch f {
	case lds.ImageJPEG:
		cfg, err = jpegConfig(data)
	case lds.ImageJPEG2000:
		cfg, err = jpeg2000Config(data)
	default:
		kind := chiperr.Unsupported
		if format != lds.ImageUnknown {
			kind = chiperr.Malformed // it claims a format its bytes do not have
		}
		return image.Config{}, 0, chiperr.Newf(kind, op, "no JPEG or JPEG 2000 signature (declared %v)", format)
	}
	if err != nil {
		return image.Config{}, 0, err
	}
	return cfg, f, nil
}

// checkSize applies MaxSide and MaxPixels.
func checkSize(op string, w, h int) error {
	if w < 1 || h < 1 {
		return chiperr.Newf(chiperr.Malformed, op, "image of %dx%d pixels", w, h)
	}
	if w > MaxSide || h > MaxSide || w*h > MaxPixels {
		return chiperr.Newf(chiperr.TooLarge, op, "image of %dx%d pixels, at most %dx%d", w, h, MaxSide, MaxSide)
	}
	return nil
}

func jpegConfig(data []byte) (cfg image.Config, err error) {
	const op = "decode JPEG"
	defer recoverAs(op, &err)
	cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return cfg, jpegError(op, err)
	}
	return cfg, checkSize(op, cfg.Width, cfg.Height)
}

func decodeJPEG(data []byte, cfg image.Config) (img image.Image, err error) {
	const op = "decode JPEG"
	// image/jpeg is memory-safe Go; recover is a last line in case a
	// hostile stream meets a bug that panics.
	defer recoverAs(op, &err)
	img, err = jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, jpegError(op, err)
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, chiperr.Newf(chiperr.Malformed, op, "decoded %dx%d, header said %dx%d", b.Dx(), b.Dy(), cfg.Width, cfg.Height)
	}
	return img, nil
}

func jpegError(op string, err error) error {
	if _, ok := err.(jpeg.UnsupportedError); ok {
		return chiperr.Newf(chiperr.Unsupported, op, "%v", err)
	}
	return chiperr.Newf(chiperr.Malformed, op, "%v", err)
}

// recoverAs turns a panic into a Malformed chip error. It is the last line
// of defence around decoders; the panic value is technical, never personal
// data, and goes into the detail for support.
func recoverAs(op string, err *error) {
	if r := recover(); r != nil {
		*err = chiperr.New(chiperr.Malformed, op, fmt.Sprintf("decoder panic: %v", r))
	}
}
