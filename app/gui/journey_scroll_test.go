package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/cnie-reader/cnie-reader/app/viewmodel"
)

// scrollsIn lists the scroll containers of a screen or step.
func scrollsIn(obj fyne.CanvasObject) []*container.Scroll {
	var out []*container.Scroll
	switch o := obj.(type) {
	case *container.Scroll:
		out = append(out, o)
		out = append(out, scrollsIn(o.Content)...)
	case *fyne.Container:
		for _, c := range o.Objects {
			out = append(out, scrollsIn(c)...)
		}
	}
	return out
}

// From the second service request on, the request and consent screens
// still open at the top, where they say who asks (they used to keep the
// previous request's scroll).
func TestJourneyScreensOpenAtTheTop(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	onUI(func() { u.Window.Resize(fyne.NewSize(1000, 420)) }) // small: the steps scroll
	svc := newFakeService(t)
	for round := 1; round <= 2; round++ {
		done := ask(u, testRequest(svc, false))
		waitFor(t, "request screen", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepRequest })
		rs := u.step(viewmodel.StepRequest).(*requestStep)
		checkTopThenScrollDown(t, round, "request", rs.object())
		onUI(func() { test.Tap(rs.next) })
		readDemoToConsent(t, u)
		con := u.step(viewmodel.StepConsent).(*consentStep)
		checkTopThenScrollDown(t, round, "consent", con.object())
		onUI(func() { test.Tap(con.refuse) })
		<-done
		onUI(func() { test.Tap(u.step(viewmodel.StepSent).(*sentStep).close) })
	}
}

func checkTopThenScrollDown(t *testing.T, round int, step string, obj fyne.CanvasObject) {
	t.Helper()
	scrolls := scrollsIn(obj)
	if len(scrolls) == 0 {
		t.Fatalf("%s has no scroll", step)
	}
	onUI(func() {
		for _, s := range scrolls {
			if s.Offset != (fyne.Position{}) {
				t.Errorf("request %d: %s opens scrolled to %v", round, step, s.Offset)
			}
			s.ScrollToBottom()
		}
	})
}
