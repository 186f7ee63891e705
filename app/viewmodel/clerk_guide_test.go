package viewmodel

import (
	"context"
	"errors"
	"image"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/seal/camera"
	"github.com/cnie-reader/cnie-reader/seal/scan"
)

func scanErr(c scan.Code) error { return &scan.Error{Kind: c} }

// The line follows the frames' reasons, at most five changes a second,
// and a "code found" reason holds through a second of frames that found
// nothing rather than flicker.
func TestSealGuideThrottlesAndHoldsFoundReasons(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	var g sealGuide
	steps := []struct {
		ms      int
		err     error
		changed bool
		shown   scan.Code
	}{
		{0, scanErr(scan.NoCode), true, scan.NoCode},
		{50, scanErr(scan.Blurred), false, scan.NoCode},  // too soon after the last change
		{250, scanErr(scan.NoCode), true, scan.Blurred},  // the card was found 200 ms ago: say it
		{300, scanErr(scan.NoCode), false, scan.Blurred}, // lost on one frame: no flicker
		{500, scanErr(scan.Glare), true, scan.Glare},     // another found reason replaces it
		{900, scanErr(scan.NoCode), false, scan.Glare},
		{1400, scanErr(scan.NoCode), false, scan.Glare},
		{1501, scanErr(scan.NoCode), true, scan.NoCode},            // a second without the code
		{1600, errors.New("camera unplugged"), false, scan.NoCode}, // nothing the clerk can change
		{1800, scanErr(scan.TooSmall), true, scan.TooSmall},
		{1850, nil, true, 0}, // read: the line goes at once
	}
	for _, s := range steps {
		if changed := g.frame(s.err, at(s.ms)); changed != s.changed || g.shownCode != s.shown {
			t.Fatalf("at %d ms (%v): changed %v, shown %v; want %v, %v", s.ms, s.err, changed, g.shownCode, s.changed, s.shown)
		}
	}
	// Found reasons alternating on every frame at 30 frames a second.
	g = sealGuide{}
	changes := 0
	for i := 0; i < 30; i++ {
		code := scan.Blurred
		if i%2 == 1 {
			code = scan.Glare
		}
		if g.frame(scanErr(code), at(i*33)) {
			changes++
		}
	}
	if changes > 5 {
		t.Fatalf("%d changes in one second", changes)
	}
}

// blankCamera gives blank frames until stopped, like a webcam pointed at
// nothing in particular.
type blankCamera struct{}

func (blankCamera) Next(ctx context.Context) (image.Image, error) {
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(5 * time.Millisecond):
	}
	return image.NewGray(image.Rect(0, 0, 64, 64)), nil
}
func (blankCamera) Name() string { return "blank camera" }
func (blankCamera) Close() error { return nil }

func waitState(t *testing.T, c *Clerk, what string, cond func(ClerkState) bool) ClerkState {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st := c.State()
		if cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s: guide %+v", what, st.SealGuide)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// While the camera scans, the state carries the sentence for the last
// frames' reason; it goes when the scan stops or a code is read.
func TestClerkCameraGuidesTheClerk(t *testing.T) {
	defer i18n.Use(i18n.Locale{Lang: "fr", Region: "FR"})
	if err := i18n.Use(i18n.Locale{Lang: "fr"}); err != nil {
		t.Fatal(err)
	}
	back, err := core.DemoCardBack()
	if err != nil {
		t.Fatal(err)
	}
	read, err := scan.Decode(back)
	if err != nil {
		t.Fatal(err)
	}
	clerk := NewClerk(NewApp(Env{TrustDir: t.TempDir()}))
	clerk.OpenCamera = func() (camera.Source, error) { return blankCamera{}, nil }

	// The real decoder on blank frames: nothing found.
	clerk.ScanCamera()
	waitState(t, clerk, "no code", func(st ClerkState) bool {
		return st.SealGuide != nil && st.SealGuide.Message == i18n.T("problem.scan.no_code.message")
	})
	// A glare on the laminate: tilt the card.
	clerk.StopScan()
	waitState(t, clerk, "scan stopped", func(st ClerkState) bool { return !st.SealBusy })
	if st := clerk.State(); st.SealGuide != nil {
		t.Fatalf("a stopped scan still guides: %+v", st.SealGuide)
	}
	frames := 0
	clerk.Decode = func(ctx context.Context, img image.Image) (*scan.Result, error) {
		frames++
		switch {
		case frames < 40:
			return nil, scanErr(scan.Glare)
		case frames < 80:
			return nil, scanErr(scan.TooSmall)
		}
		return read, nil
	}
	clerk.ScanCamera()
	st := waitState(t, clerk, "glare", func(st ClerkState) bool { return st.SealGuide != nil && st.SealGuide.Code == "scan.glare" })
	if st.SealGuide.Message != i18n.T("problem.scan.glare.message") {
		t.Errorf("glare: %q", st.SealGuide.Message)
	}
	waitState(t, clerk, "too small", func(st ClerkState) bool { return st.SealGuide != nil && st.SealGuide.Code == "scan.too_small" })
	st = waitState(t, clerk, "seal read", func(st ClerkState) bool { return !st.SealBusy })
	if st.Seal == nil || st.SealGuide != nil {
		t.Fatalf("after the read: seal %v, guide %+v", st.Seal != nil, st.SealGuide)
	}
}
