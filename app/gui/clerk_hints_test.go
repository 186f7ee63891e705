package gui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/viewmodel"
)

// "Lire la puce" with no reader and no DEMO card says why on the clerk's
// screen and what to do; hints go once they stop being true (issue 17).
func TestClerkSaysWhyItCannotRead(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).clerk) })
	c := u.clerkView()
	onUI(func() { test.Type(c.can, "123456") })
	if c.canCheck.Text != i18n.T("can.ok") {
		t.Fatalf("CAN hint %q", c.canCheck.Text)
	}
	onUI(func() { test.Tap(c.read) })
	if !c.chipProblem.object.Visible() || c.chipProblem.hint.Text != i18n.T("clerk.no_reader_hint") {
		t.Fatalf("no reason shown: visible %v, hint %q", c.chipProblem.object.Visible(), c.chipProblem.hint.Text)
	}
	if c.vtext.Text != i18n.T("clerk.verdict.chip_failed") {
		t.Errorf("verdict %q", c.vtext.Text)
	}

	// With the DEMO card the read goes; "Appuyez sur Entrée…" goes with it.
	onUI(func() { test.Tap(c.demo) })
	onUI(func() { test.Tap(c.read) })
	waitFor(t, "chip read", func() bool { return u.Clerk.State().Reading.Phase == viewmodel.Done })
	if c.canCheck.Text != "" || c.chipProblem.object.Visible() {
		t.Errorf("after the read: hint %q, problem shown %v", c.canCheck.Text, c.chipProblem.object.Visible())
	}
	if c.vtext.Text == i18n.T("clerk.verdict.no_chip") || c.vtext.Text == i18n.T("clerk.verdict.chip_failed") {
		t.Errorf("verdict %q after a good read", c.vtext.Text)
	}
}
