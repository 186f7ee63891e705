package camera

import (
	"errors"
	"path/filepath"
	"testing"
)

// With no webcam plugged in, opening "the camera" says there is none
// (the clerk is told to open a photo), not that a file is missing; a
// device named on purpose keeps its own error.
func TestNoWebcamIsNoCamera(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "video0")
	old := defaultDevice
	defaultDevice = missing
	defer func() { defaultDevice = old }()
	if _, err := Open("", ""); err != ErrNoCamera {
		t.Fatalf("no webcam: %v", err)
	}
	if _, err := Open("v4l2", missing); err == nil || errors.Is(err, ErrNoCamera) {
		t.Fatalf("named device missing: %v", err)
	}
}
