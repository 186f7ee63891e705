package camera

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/cnie-reader/cnie-reader/seal/scan"
)

// headerOnlyJPEG is a small gray JPEG whose SOF0 announces width x height.
func headerOnlyJPEG(t *testing.T, width, height int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 16, 16)), nil); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	i := bytes.Index(data, []byte{0xFF, 0xC0}) // FF C0, length(2), precision(1), height(2), width(2)
	if i < 0 {
		t.Fatal("no SOF0 marker")
	}
	data[i+5], data[i+6] = byte(height>>8), byte(height)
	data[i+7], data[i+8] = byte(width>>8), byte(width)
	return data
}

// An image over scan.MaxPixels is refused from its header: the 6400x6400
// gray frame (41 MB) is never allocated.
func TestFileOverMaxPixelsRefusedFromHeader(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.jpg")
	if err := os.WriteFile(p, headerOnlyJPEG(t, 6400, 6400), 0o600); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := OpenFile(p).Next(context.Background())
	runtime.ReadMemStats(&after)
	if !errors.Is(err, scan.TooLarge) {
		t.Fatalf("got %v, want scan.TooLarge", err)
	}
	var se *scan.Error
	if !errors.As(err, &se) || se.Kind != scan.TooLarge {
		t.Errorf("not a typed scan error: %#v", err)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 8<<20 {
		t.Errorf("allocated %d bytes to refuse it", d)
	}
}
