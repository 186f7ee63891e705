package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/cnie-reader/cnie-reader/app/viewmodel"
)

// The citizen's result after a DEMO read fits a 1024×768 screen in both
// languages: the verdict wraps instead of widening the window (in French it
// pushed "Terminer" off the screen).
func TestCitizenResultFitsSmallScreen(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			u := newTestUI(t, lang, "", noReader)
			cs := toCANStepWithDemo(t, u)
			onUI(func() { test.Type(cs.entry, "123456") })
			onUI(func() { test.Tap(cs.next) })
			waitFor(t, "place step", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepPlace })
			onUI(func() { test.Tap(u.citizenView().steps[viewmodel.StepPlace].(*placeStep).lay) })
			waitFor(t, "result", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepResult })
			p := u.citizenView().steps[viewmodel.StepResult].(*resultStep).panel
			waitFor(t, "claims on screen", func() bool { return len(p.claims.Objects) == 4 })
			onUI(func() {
				u.Window.Resize(fyne.NewSize(maxContentWidth, 700))
				if m := u.Window.Content().MinSize(); m.Width > maxContentWidth || m.Height > 700 {
					t.Errorf("the window's content asks for %.0f×%.0f, more than a 1024×768 screen", m.Width, m.Height)
				}
			})
		})
	}
}
