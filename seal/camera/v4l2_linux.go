package camera

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io/fs"
	"os"

	"github.com/blackjack/webcam"
)

// V4L2 cameras through github.com/blackjack/webcam: pure Go (ioctl and mmap
// through x/sys), so no cgo and no V4L2 headers at build time, unlike
// go4vl; it streams MJPEG and YUYV, the two formats every UVC webcam has.

func init() { Register("v4l2", openV4L2) }

// V4L2 pixel formats (fourcc).
const (
	fourccMJPEG = 'M' | 'J'<<8 | 'P'<<16 | 'G'<<24
	fourccYUYV  = 'Y' | 'U'<<8 | 'Y'<<16 | 'V'<<24
)

// wanted is the frame size the seal needs: a 12 mm DataMatrix at arm's
// length spans ~150 px at 1280x720.
const wantW, wantH = 1280, 720

type v4l2Source struct {
	cam    *webcam.Webcam
	name   string
	format webcam.PixelFormat
	w, h   int
}

// defaultDevice is the camera opened when none is named.
var defaultDevice = "/dev/video0"

func openV4L2(device string) (Source, error) {
	if device == "" {
		device = defaultDevice
		// No webcam plugged in: say so (ErrNoCamera: "open a photo
		// instead"), not "the file asked for does not exist".
		if _, err := os.Stat(device); errors.Is(err, fs.ErrNotExist) {
			return nil, ErrNoCamera
		}
	}
	cam, err := webcam.Open(device)
	if err != nil {
		return nil, fmt.Errorf("camera %s: %w", device, err)
	}
	formats := cam.GetSupportedFormats()
	format := webcam.PixelFormat(0)
	for _, f := range []webcam.PixelFormat{fourccMJPEG, fourccYUYV} {
		if _, ok := formats[f]; ok {
			format = f
			break
		}
	}
	if format == 0 {
		cam.Close()
		return nil, fmt.Errorf("camera %s: neither MJPEG nor YUYV offered", device)
	}
	got, w, h, err := cam.SetImageFormat(format, wantW, wantH)
	if err != nil {
		cam.Close()
		return nil, fmt.Errorf("camera %s: set format: %w", device, err)
	}
	if err := cam.StartStreaming(); err != nil {
		cam.Close()
		return nil, fmt.Errorf("camera %s: start: %w", device, err)
	}
	name, _ := cam.GetName()
	return &v4l2Source{cam: cam, name: fmt.Sprintf("%s (%s)", name, device), format: got, w: int(w), h: int(h)}, nil
}

func (s *v4l2Source) Name() string { return s.name }

func (s *v4l2Source) Close() error {
	s.cam.StopStreaming()
	return s.cam.Close()
}

// Next waits for a frame (in slices of 200 ms, so ctx is honoured) and
// converts it to an image.
func (s *v4l2Source) Next(ctx context.Context) (image.Image, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		err := s.cam.WaitForFrame(200)
		var timeout *webcam.Timeout
		if errors.As(err, &timeout) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("camera: %w", err)
		}
		frame, err := s.cam.ReadFrame()
		if err != nil {
			return nil, fmt.Errorf("camera: %w", err)
		}
		if len(frame) == 0 {
			continue
		}
		if s.format == fourccMJPEG {
			img, err := jpeg.Decode(bytes.NewReader(frame))
			if err != nil {
				continue // a torn MJPEG frame: take the next one
			}
			return img, nil
		}
		return YUYV(frame, s.w, s.h)
	}
}
