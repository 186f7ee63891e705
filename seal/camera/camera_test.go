package camera

import (
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// fakeCamera yields numbered frames (the number in pixel 0,0), slowly.
type fakeCamera struct {
	n, limit int
	every    time.Duration
}

func (f *fakeCamera) Name() string { return "fake" }
func (f *fakeCamera) Close() error { return nil }
func (f *fakeCamera) Next(ctx context.Context) (image.Image, error) {
	if f.limit > 0 && f.n >= f.limit {
		return nil, io.EOF
	}
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(f.every):
	}
	f.n++
	img := image.NewGray(image.Rect(0, 0, 2, 2))
	img.SetGray(0, 0, color.Gray{Y: uint8(f.n)})
	return img, nil
}

func frameNo(img image.Image) int { return int(img.(*image.Gray).GrayAt(0, 0).Y) }

func TestFirstDecodableWins(t *testing.T) {
	var decoded atomic.Int32
	got, _, err := FirstDecodable(context.Background(), &fakeCamera{every: time.Millisecond},
		func(_ context.Context, img image.Image) (int, error) {
			decoded.Add(1)
			if n := frameNo(img); n >= 5 {
				return n, nil
			}
			return 0, errors.New("no code")
		})
	if err != nil || got < 5 {
		t.Fatalf("got %d, %v", got, err)
	}
}

// A slow decoder does not make frames pile up: it skips to the newest.
func TestSlowDecoderSkipsStaleFrames(t *testing.T) {
	var seen []int
	got, _, err := FirstDecodable(context.Background(), &fakeCamera{every: time.Millisecond},
		func(_ context.Context, img image.Image) (int, error) {
			seen = append(seen, frameNo(img))
			time.Sleep(20 * time.Millisecond)
			if len(seen) == 4 {
				return frameNo(img), nil
			}
			return 0, errors.New("no code")
		})
	if err != nil {
		t.Fatal(err)
	}
	if got < 20 || seen[1]-seen[0] < 5 {
		t.Errorf("decoded frames %v: stale frames were decoded", seen)
	}
}

func TestSourceEndsWithoutCode(t *testing.T) {
	_, last, err := FirstDecodable(context.Background(), &fakeCamera{limit: 3},
		func(context.Context, image.Image) (int, error) { return 0, errors.New("no code here") })
	if !errors.Is(err, io.EOF) || last == nil || last.Error() != "no code here" {
		t.Fatalf("err %v, last %v", err, last)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, _, err := FirstDecodable(ctx, &fakeCamera{every: time.Millisecond},
		func(context.Context, image.Image) (int, error) { return 0, errors.New("no") })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
}

func TestFileSource(t *testing.T) {
	path := filepath.Join(t.TempDir(), "frame.png")
	f, _ := os.Create(path)
	png.Encode(f, image.NewGray(image.Rect(0, 0, 40, 30)))
	f.Close()
	src := OpenFile(path)
	img, err := src.Next(context.Background())
	if err != nil || img.Bounds().Dx() != 40 {
		t.Fatalf("%v %v", img, err)
	}
	if _, err := src.Next(context.Background()); !errors.Is(err, io.EOF) {
		t.Errorf("second Next: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.png")
	os.WriteFile(bad, []byte("not an image"), 0o644)
	if _, err := OpenFile(bad).Next(context.Background()); err == nil {
		t.Error("garbage accepted as an image")
	}
}

func TestYUYV(t *testing.T) {
	// Two grey pixels: Y0=16 U=128 Y1=235 V=128. The luma is kept as is
	// (the scanner works on luminance; contrast is normalised there).
	img, err := YUYV([]byte{16, 128, 235, 128}, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	r0, _, _, _ := img.At(0, 0).RGBA()
	r1, _, _, _ := img.At(1, 0).RGBA()
	if r0>>8 != 16 || r1>>8 != 235 {
		t.Errorf("pixels %d %d", r0>>8, r1>>8)
	}
	if _, err := YUYV([]byte{1, 2, 3}, 2, 1); err == nil {
		t.Error("short frame accepted")
	}
}

func TestRegistry(t *testing.T) {
	Register("fake-test", func(string) (Source, error) { return &fakeCamera{limit: 1}, nil })
	src, err := Open("fake-test", "")
	if err != nil || src.Name() != "fake" {
		t.Fatalf("%v %v", src, err)
	}
	if _, err := Open("no-such-kind", ""); !errors.Is(err, ErrNoCamera) {
		t.Errorf("unknown kind: %v", err)
	}
}
