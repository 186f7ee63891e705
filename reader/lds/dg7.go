package lds

import (
	"github.com/cnie-reader/cnie-reader/reader/chiperr"

	"github.com/cnie-reader/cnie-reader/reader/ber"
)

// Image is one displayed image of a data group (DG7 signature or usual
// mark, DG12 document images).
type Image struct {
	// Format comes from the image's magic bytes.
	Format ImageFormat
	Data   []byte
}

// DG7 tags (Doc 9303 Part 10 §4.7.7).
const tagDisplayedImage = 0x5F43

// MaxDG7Images bounds the images a card may list in DG7.
const MaxDG7Images = 8

// ParseDG7 reads DG7 (67 { 02 count, 5F43 image... }), the displayed
// signature or usual mark. The count is not trusted; the images are,
// within MaxDG7Images. An image of unknown format is kept, with
// ImageUnknown: the caller decides whether to show it.
func ParseDG7(b []byte) ([]Image, error) {
	const op = "parse DG7"
	v, err := outer(b, DataGroup(7).Tag(), op)
	if err != nil {
		return nil, err
	}
	items, err := ber.ParseAll(v)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, op, err)
	}
	var out []Image
	for _, it := range items {
		if it.Tag != tagDisplayedImage {
			continue
		}
		if len(out) == MaxDG7Images {
			return nil, chiperr.Newf(chiperr.TooLarge, op, "more than %d images", MaxDG7Images)
		}
		if len(it.Value) == 0 {
			return nil, chiperr.New(chiperr.Malformed, op, "empty image")
		}
		out = append(out, Image{Format: DetectImageFormat(it.Value), Data: append([]byte(nil), it.Value...)})
	}
	if len(out) == 0 {
		return nil, chiperr.New(chiperr.Malformed, op, "no displayed image (5F43)")
	}
	return out, nil
}

// BuildDG7 writes DG7 with the given images (their Format is not
// written: the bytes tell it). One to MaxDG7Images non-empty images are
// required, and the whole must fit ber.MaxLength; otherwise chiperr.BadInput.
func BuildDG7(images []Image) ([]byte, error) {
	const op = "build DG7"
	if len(images) == 0 || len(images) > MaxDG7Images {
		return nil, chiperr.Newf(chiperr.BadInput, op, "%d images, want 1 to %d", len(images), MaxDG7Images)
	}
	parts := [][]byte{{tagCount, 1, byte(len(images))}}
	total := 0
	for _, im := range images {
		if len(im.Data) == 0 {
			return nil, chiperr.New(chiperr.BadInput, op, "empty image")
		}
		total += len(im.Data) + 8
		if total > ber.MaxLength-8 {
			return nil, chiperr.New(chiperr.BadInput, op, "images too large for one data group")
		}
		parts = append(parts, ber.Encode(tagDisplayedImage, im.Data))
	}
	return ber.Encode(DataGroup(7).Tag(), parts...), nil
}
