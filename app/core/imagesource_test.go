package core

import (
	"context"
	"image"
	"io"
)

// imageSource gives one image, as a camera would give one frame.
type imageSource struct {
	img  image.Image
	done bool
}

func (s *imageSource) Next(context.Context) (image.Image, error) {
	if s.done {
		return nil, io.EOF
	}
	s.done = true
	return s.img, nil
}
func (s *imageSource) Name() string { return "test image" }
func (s *imageSource) Close() error { return nil }
