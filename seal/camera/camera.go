// Package camera gives frames to the seal scanner from wherever they come:
// a webcam (V4L2 on Linux), an image file, or a source another platform
// registers. Frames are decoded off the caller's goroutine and the first
// decodable one wins (FirstDecodable).
package camera

import (
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // image files and MJPEG frames
	_ "image/png"
	"io"
	"sort"
	"sync"

	"github.com/cnie-reader/cnie-reader/internal/safefile"
	"github.com/cnie-reader/cnie-reader/seal/scan"
)

// Source yields frames.
type Source interface {
	// Next returns the next frame; io.EOF when the source has no more.
	Next(ctx context.Context) (image.Image, error)
	// Name says what the source is, for the user ("HD Webcam (/dev/video0)").
	Name() string
	Close() error
}

// Opener opens a device of one kind of source.
type Opener func(device string) (Source, error)

var (
	regMu   sync.Mutex
	openers = map[string]Opener{}
)

// Register makes a kind of source available to Open: "v4l2" on Linux;
// other platforms (Media Foundation, AVFoundation) plug in the same way.
func Register(kind string, open Opener) {
	regMu.Lock()
	defer regMu.Unlock()
	openers[kind] = open
}

// Kinds lists the registered kinds of source.
func Kinds() []string {
	regMu.Lock()
	defer regMu.Unlock()
	var out []string
	for k := range openers {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ErrNoCamera is returned when no kind of camera is available on this platform.
var ErrNoCamera = errors.New("no camera support on this platform (use an image file)")

// Open opens a camera device with the named kind ("" for the first one).
func Open(kind, device string) (Source, error) {
	regMu.Lock()
	open, ok := openers[kind]
	if kind == "" {
		for _, k := range []string{"v4l2"} {
			if open, ok = openers[k]; ok {
				break
			}
		}
	}
	regMu.Unlock()
	if !ok {
		return nil, ErrNoCamera
	}
	return open(device)
}

// FileSource yields the image of a file once.
type FileSource struct {
	path string
	done bool
}

// OpenFile returns a source reading the image at path (PNG or JPEG).
func OpenFile(path string) *FileSource { return &FileSource{path: path} }

// Name is the file's path.
func (f *FileSource) Name() string { return f.path }

// Close does nothing: the file is read and closed by Next.
func (f *FileSource) Close() error { return nil }

// Next decodes the file, once.
func (f *FileSource) Next(ctx context.Context) (image.Image, error) {
	if f.done {
		return nil, io.EOF
	}
	f.done = true
	// Only a regular file: a FIFO would block, a device never end.
	file, err := safefile.Open(f.path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	// The header says the size: a hostile file announcing a huge one is
	// refused before a frame is allocated, by the scanner's own limit.
	cfg, _, err := image.DecodeConfig(file)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable image: %w", f.path, err)
	}
	if err := scan.CheckPixels(cfg.Width, cfg.Height); err != nil {
		return nil, fmt.Errorf("%s: %w", f.path, err)
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.path, err)
	}
	return img, nil
}

// FirstDecodable reads frames from src on its own goroutine, keeping only
// the newest (a live camera must not queue stale frames while a slow frame
// is decoded), and decodes them one at a time until decode accepts one. It
// returns that result; otherwise the source's end (io.EOF for a file) or
// the context's error, with lastErr the last decode failure, to say why
// nothing was found. Call it off the GUI thread.
func FirstDecodable[T any](ctx context.Context, src Source, decode func(context.Context, image.Image) (T, error)) (result T, lastErr error, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	latest := make(chan image.Image, 1)
	ended := make(chan error, 1)
	go func() {
		for {
			img, err := src.Next(ctx)
			if err != nil {
				ended <- err
				return
			}
			select { // drop the frame nobody took yet
			case <-latest:
			default:
			}
			latest <- img // never blocks: this goroutine is the only sender
		}
	}()
	try := func(img image.Image) bool {
		v, err := decode(ctx, img)
		if err != nil {
			lastErr = err
			return false
		}
		result = v
		return true
	}
	for {
		select {
		case img := <-latest:
			if try(img) {
				return result, nil, nil
			}
		case e := <-ended:
			select { // a last frame may still wait
			case img := <-latest:
				if try(img) {
					return result, nil, nil
				}
			default:
			}
			return result, lastErr, e
		case <-ctx.Done():
			return result, lastErr, ctx.Err()
		}
	}
}
