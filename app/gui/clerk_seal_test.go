package gui

import (
	"context"
	"image"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/viewmodel"
	"github.com/cnie-reader/cnie-reader/seal/camera"
	"github.com/cnie-reader/cnie-reader/seal/scan"
)

// The seal read alone: its own verdict, and the line that says the chip is
// needed to compare; ticking the DEMO box afterwards makes it valid.
func TestClerkSealAloneOnScreen(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).clerk) })
	c := u.clerkView()
	if c.vnext.Visible() {
		t.Errorf("a next-step line before anything: %q", c.vnext.Text)
	}
	onUI(func() { u.Clerk.ScanImage(demoCardBack(t)) })
	waitFor(t, "seal verdict", func() bool { return c.vtext.Text == i18n.T("clerk.verdict.seal_only_unknown") })
	onUI(func() { test.Tap(c.demo) })
	waitFor(t, "valid once DEMO", func() bool { return c.vtext.Text == "Cachet valide — puce non lue" })
	if !c.vnext.Visible() || c.vnext.Text != "Pour comparer le cachet avec la puce, lisez la puce." {
		t.Errorf("next step: visible %v, %q", c.vnext.Visible(), c.vnext.Text)
	}
	// Chip read too: the full comparison, no seal-only line; a field the
	// seal does not give has words, not a bare question mark.
	onUI(func() { test.Tap(c.read) })
	waitFor(t, "comparison", func() bool { return len(c.rows.Objects) > 4 })
	if c.vnext.Visible() {
		t.Errorf("the seal-only line stays after the chip read: %q", c.vnext.Text)
	}
	notGiven := 0
	for i := 4; i+3 < len(c.rows.Objects); i += 4 {
		if c.rows.Objects[i+2].(*widget.Label).Text == i18n.T("clerk.not_given") {
			notGiven++
			if ic := c.rows.Objects[i+3].(*widget.Icon); ic.Resource != nil {
				t.Errorf("row %q: an icon beside the words", c.rows.Objects[i].(*widget.Label).Text)
			}
		}
	}
	if notGiven == 0 {
		t.Error("no row says the seal does not give a field")
	}
}

// glareCamera gives blank frames; the fake decoder says each shows a glare.
type glareCamera struct{}

func (glareCamera) Next(ctx context.Context) (image.Image, error) {
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(10 * time.Millisecond):
	}
	return image.NewGray(image.Rect(0, 0, 64, 64)), nil
}
func (glareCamera) Name() string { return "test camera" }
func (glareCamera) Close() error { return nil }

// While the camera scans, the line under the preview says what to change
// (issue 18 item 3); it goes when the scan stops.
func TestClerkCameraGuideLine(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	u.Clerk.OpenCamera = func() (camera.Source, error) { return glareCamera{}, nil }
	u.Clerk.Decode = func(context.Context, image.Image) (*scan.Result, error) { return nil, &scan.Error{Kind: scan.Glare} }
	onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).clerk) })
	c := u.clerkView()
	if c.sealGuide.Visible() {
		t.Fatalf("a guide line before any scan: %q", c.sealGuide.Text)
	}
	onUI(func() { test.Tap(c.camera) })
	waitFor(t, "guide line", func() bool {
		return c.sealGuide.Visible() && c.sealGuide.Text == i18n.T("problem.scan.glare.message")
	})
	onUI(func() { u.Clerk.StopScan() })
	waitFor(t, "scan stopped", func() bool { return !u.Clerk.State().SealBusy })
	waitFor(t, "guide line gone", func() bool { return !c.sealGuide.Visible() })
	if st := u.Clerk.State(); st.SealGuide != nil || st.Reading.Phase != viewmodel.Idle {
		t.Errorf("after the stop: %+v", st.SealGuide)
	}
}
