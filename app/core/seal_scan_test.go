package core

import (
	"context"
	"errors"
	"image"
	"io"
	"slices"
	"testing"

	"github.com/cnie-reader/cnie-reader/seal/scan"
)

// steppedSource gives n blank frames, the next one only once the previous
// was decoded (none is dropped), then io.EOF.
type steppedSource struct {
	n       int
	decoded chan struct{}
}

func (s *steppedSource) Next(ctx context.Context) (image.Image, error) {
	if s.n == 0 {
		return nil, io.EOF
	}
	if s.decoded != nil {
		select {
		case <-s.decoded:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	s.n--
	return image.NewGray(image.Rect(0, 0, 64, 64)), nil
}
func (s *steppedSource) Name() string { return "stepped" }
func (s *steppedSource) Close() error { return nil }

// Each frame's outcome reaches SealScan.Frame as it is decoded: the reasons
// of the frames that gave no code, then nil for the one that did.
func TestSealScanTellsEachFrame(t *testing.T) {
	decoded := make(chan struct{}, 1)
	decoded <- struct{}{}
	src := &steppedSource{n: 4, decoded: decoded}
	outcomes := []error{&scan.Error{Kind: scan.NoCode}, &scan.Error{Kind: scan.Blurred}, &scan.Error{Kind: scan.Glare}, nil}
	i := 0
	var heard []error
	payload, err := SealScan{
		Decode: func(context.Context, image.Image) (*scan.Result, error) {
			defer func() { i++; decoded <- struct{}{} }()
			if outcomes[i] != nil {
				return nil, outcomes[i]
			}
			return &scan.Result{Payload: []byte("seal")}, nil
		},
		Frame: func(err error) { heard = append(heard, err) },
	}.Payload(context.Background(), src)
	if err != nil || string(payload) != "seal" {
		t.Fatalf("payload %q, %v", payload, err)
	}
	if !slices.Equal(heard, outcomes) {
		t.Fatalf("heard %v, want %v", heard, outcomes)
	}
}

// Without a fake, frames go to the real decoder: a blank frame is NoCode,
// heard at once and returned when the frames run out.
func TestSealScanRealDecoderOnBlankFrame(t *testing.T) {
	var heard []error
	_, err := SealScan{Frame: func(err error) { heard = append(heard, err) }}.Payload(context.Background(), &steppedSource{n: 1})
	if !errors.Is(err, scan.NoCode) || len(heard) != 1 || !errors.Is(heard[0], scan.NoCode) {
		t.Fatalf("err %v, heard %v", err, heard)
	}
}
