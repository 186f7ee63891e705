package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// After a DEMO read at 1366×768 (less the window's title bar), the chip's
// four statements are on screen without scrolling (issue 17 item 9: they
// were below the fold, under the photo and the fields).
func TestClerkChipStatementsAboveTheFold(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			u := newTestUI(t, lang, "", noReader)
			onUI(func() { u.Window.Resize(fyne.NewSize(1366, 738)) })
			onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).clerk) })
			c := u.clerkView()
			onUI(func() { test.Tap(c.demo) })
			onUI(func() { test.Tap(c.read) })
			waitFor(t, "statements", func() bool { return len(c.chipPanel.claims.Objects) == 4 })
			onUI(func() {
				d := fyne.CurrentApp().Driver()
				col := c.columns[0]
				colBottom := d.AbsolutePositionForObject(col).Y + col.Size().Height
				winBottom := u.Window.Canvas().Size().Height
				for i, claim := range c.chipPanel.claims.Objects {
					top := d.AbsolutePositionForObject(claim).Y
					bottom := top + claim.Size().Height
					if !claim.Visible() || claim.Size().Height == 0 || bottom > colBottom || bottom > winBottom || top < 0 {
						t.Errorf("statement %d at %.0f–%.0f px: the column shows down to %.0f, the window %.0f", i, top, bottom, colBottom, winBottom)
					}
				}
			})
		})
	}
}
