package core

import (
	"context"
	"errors"
	"image"
	"io"
	"time"

	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/seal"
	"github.com/cnie-reader/cnie-reader/seal/camera"
	"github.com/cnie-reader/cnie-reader/seal/crosscheck"
	"github.com/cnie-reader/cnie-reader/seal/scan"
)

// SealCheck is a seal read from an image, verified, and — when a chip was
// read — compared with the chip.
type SealCheck struct {
	Seal *seal.Result `json:"seal"`
	// Compare is nil when no chip was there to compare with.
	Compare *crosscheck.Result `json:"compare,omitempty"`
}

// DecodeSeal finds the seal in the frames of src (the first decodable one
// wins) and inspects and verifies it; demo admits the demo authority.
// Without a seal, the error says why: the last frame's decoding failure
// when the frames ran out (an image file), the stop or the time limit when
// ctx ended (a live camera), or the camera's own failure.
func DecodeSeal(ctx context.Context, src camera.Source, demo bool) (*seal.Result, error) {
	payload, err := SealScan{}.Payload(ctx, src)
	if err != nil {
		return nil, err
	}
	return InspectSeal(payload, demo)
}

// SealScan is how DecodeSeal reads frames, for a caller that watches each
// frame (a live preview's guidance) or keeps the payload to verify it again.
type SealScan struct {
	// Decode reads one frame; nil is scan.DecodeContext (tests put a fake).
	Decode func(context.Context, image.Image) (*scan.Result, error)
	// Frame, when set, hears each frame's outcome as soon as it is decoded:
	// nil when the frame gave a code, else why it did not (scan.NoCode,
	// scan.Blurred...). It runs on the decoding goroutine.
	Frame func(error)
}

// Payload returns the bytes of the first decodable frame of src, or why
// none was read, as DecodeSeal says.
func (s SealScan) Payload(ctx context.Context, src camera.Source) ([]byte, error) {
	decode := s.Decode
	if decode == nil {
		decode = scan.DecodeContext
	}
	// FirstDecodable hands every frame to this function: watching it is
	// watching each frame's outcome.
	res, lastErr, err := camera.FirstDecodable(ctx, src, func(ctx context.Context, img image.Image) (*scan.Result, error) {
		r, err := decode(ctx, img)
		if s.Frame != nil && ctx.Err() == nil {
			s.Frame(err)
		}
		return r, err
	})
	if res == nil {
		if (err == nil || errors.Is(err, io.EOF)) && lastErr != nil {
			return nil, lastErr
		}
		return nil, canceledOr(ctx, err)
	}
	return res.Payload, nil
}

// InspectSeal parses and verifies a decoded seal payload.
func InspectSeal(payload []byte, demo bool) (*seal.Result, error) {
	r := seal.Inspect(payload)
	store, err := SealStore(demo)
	if err != nil {
		return nil, err
	}
	r.Verify(store, time.Now())
	return r, nil
}

// CompareWithChip sets the seal's facts against the chip's.
func CompareWithChip(s *seal.Result, doc *reader.Document) *crosscheck.Result {
	if s == nil || doc == nil {
		return nil
	}
	c := crosscheck.Compare(s.Facts, crosscheck.FromChip(doc.MRZ, doc.DG11, time.Now()))
	return &c
}

// CheckSealImage reads the seal in an image file and compares it with doc
// (nil: no comparison).
func CheckSealImage(ctx context.Context, path string, doc *reader.Document, demo bool) (*SealCheck, error) {
	s, err := DecodeSeal(ctx, camera.OpenFile(path), demo)
	if err != nil {
		return nil, err
	}
	return &SealCheck{Seal: s, Compare: CompareWithChip(s, doc)}, nil
}
