package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// maxContentWidth is a 1024-pixel screen minus the window's frame: the
// window's content may never ask for more, whatever the screen shows.
const maxContentWidth = 1000

// The clerk's screen after a DEMO read, chip and seal, fits a 1024×768
// screen in both languages: no label, verdict or table widens the window,
// and at that width no column needs to scroll sideways.
func TestClerkScreenFitsSmallScreen(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			u := newTestUI(t, lang, "", noReader)
			onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).clerk) })
			c := u.clerkView()
			onUI(func() { test.Tap(c.demo) })
			onUI(func() { test.Tap(c.read) })
			waitFor(t, "chip read", func() bool { return u.Clerk.State().Identity != nil })
			onUI(func() { u.Clerk.ScanImage(demoCardBack(t)) })
			waitFor(t, "table on screen", func() bool { return len(c.rows.Objects) > 0 })
			onUI(func() { u.Window.Resize(fyne.NewSize(maxContentWidth, 700)) })
			if c.sealHint.Visible() || c.canCheck.Text != "" || c.chipHint.Visible() {
				t.Error("a hint stays after it stopped being true (the read and the seal are done)")
			}
			onUI(func() {
				if m := u.Window.Content().MinSize(); m.Width > maxContentWidth || m.Height > 700 {
					t.Errorf("the window's content asks for %.0f×%.0f, more than a 1024×768 screen", m.Width, m.Height)
				}
				for i, col := range c.columns {
					if need, have := col.Content.MinSize().Width, col.Size().Width; need > have {
						t.Errorf("column %d needs %.0f px, has %.0f: it scrolls sideways", i, need, have)
					}
				}
			})
		})
	}
}
