package gui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/app/viewmodel"
)

// tabStops is the Tab chain of c, once round, from nothing focused.
func tabStops(c fyne.Canvas) []fyne.Focusable {
	var stops []fyne.Focusable
	onUI(func() {
		c.Unfocus()
		for range 100 {
			test.FocusNext(c)
			f := c.Focused()
			if f == nil || len(stops) > 0 && f == stops[0] {
				break
			}
			stops = append(stops, f)
		}
		c.Unfocus()
	})
	return stops
}

// stopName names a Tab stop in a failure message.
func stopName(f fyne.Focusable) string {
	switch o := f.(type) {
	case *button:
		return fmt.Sprintf("button %q", o.Text)
	case *checkbox:
		return fmt.Sprintf("check box %q", o.Text)
	case *widget.Entry:
		return fmt.Sprintf("entry %q", o.PlaceHolder)
	}
	return fmt.Sprintf("%T", f)
}

// checkTabStops walks the screen's Tab chain: every stop is an action with
// a visible focus (a button or a check box, which Enter and Space work;
// entries where allowEntries), in reading order — top to bottom, left to
// right in a row — and the window's Home button, when shown, comes last as
// on every screen. want, when given, is the chain from the first stop.
func checkTabStops(t *testing.T, u *UI, screen string, allowEntries bool, want ...fyne.Focusable) {
	t.Helper()
	c := u.Window.Canvas()
	stops := tabStops(c)
	if len(stops) == 0 {
		t.Fatalf("%s: no Tab stop", screen)
	}
	// The chain is a ring: start it after Home.
	for i, s := range stops {
		if s == fyne.Focusable(u.home) {
			stops = append(stops[i+1:], stops[:i+1]...)
			break
		}
	}
	var names []string
	for _, s := range stops {
		names = append(names, stopName(s))
	}
	t.Logf("%s: Tab stops %v", screen, names)
	if want != nil {
		ok := len(want) == len(stops)
		for i := 0; ok && i < len(want); i++ {
			ok = want[i] == stops[i]
		}
		if !ok {
			var w []string
			for _, s := range want {
				w = append(w, stopName(s))
			}
			t.Errorf("%s: Tab stops %v, want %v", screen, names, w)
		}
	}
	var prev fyne.CanvasObject
	for i, s := range stops {
		switch s.(type) {
		case *button, *checkbox:
		case *widget.Entry:
			if !allowEntries {
				t.Errorf("%s: Tab stop %d is an entry", screen, i+1)
			}
		default:
			t.Errorf("%s: Tab stop %d is a %s: no visible focus, Enter does nothing", screen, i+1, stopName(s))
			continue
		}
		if s == fyne.Focusable(u.home) {
			if i != len(stops)-1 {
				t.Errorf("%s: Home is Tab stop %d of %d, not the last", screen, i+1, len(stops))
			}
			continue
		}
		o := s.(fyne.CanvasObject)
		if prev != nil && !readsBefore(prev, o) {
			t.Errorf("%s: Tab goes from %s to %s, against the reading order", screen, names[i-1], names[i])
		}
		prev = o
		if _, entry := s.(*widget.Entry); !entry {
			checkFocusVisible(t, c, s, screen+": "+names[i])
		}
	}
}

// readsBefore: a is read before b — above it, or in the same row and left of it.
func readsBefore(a, b fyne.CanvasObject) bool {
	var pa, pb fyne.Position
	onUI(func() {
		d := fyne.CurrentApp().Driver()
		pa, pb = d.AbsolutePositionForObject(a), d.AbsolutePositionForObject(b)
	})
	sameRow := pb.Y < pa.Y+a.Size().Height && pa.Y < pb.Y+b.Size().Height
	if sameRow {
		return pa.X < pb.X
	}
	return pa.Y < pb.Y
}

// themed gives the test window the application's theme in a variant.
func themed(u *UI, v fyne.ThemeVariant) {
	onUI(func() {
		fyne.CurrentApp().Settings().SetTheme(NewThemeVariant(v))
		u.Window.Content().Refresh()
	})
}

// The citizen journey from home to the result, keyboard stop by stop: the
// result screen had eight stops where nothing showed and Enter did nothing
// (its values were selectable labels).
func TestTabStopsCitizenJourney(t *testing.T) {
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		u := newTestUI(t, "fr", "", noReader)
		themed(u, v)
		home := u.screens[ScreenHome].(*homeView)
		checkTabStops(t, u, "home", false, home.citizen, home.clerk, home.support)
		onUI(func() { test.Tap(home.citizen) })
		rs := u.step(viewmodel.StepReader).(*readerStep)
		checkTabStops(t, u, "reader", false, rs.demo, u.home) // Continue is disabled with no reader
		onUI(func() { test.Tap(rs.demo) })
		cs := u.step(viewmodel.StepCAN).(*canStep)
		onUI(func() { test.Type(cs.entry, "123456") })
		checkTabStops(t, u, "can", true, cs.entry, cs.toggle, cs.back, cs.next, u.home)
		onUI(func() { test.Tap(cs.next) })
		ps := u.step(viewmodel.StepPlace).(*placeStep)
		checkTabStops(t, u, "place", false, ps.cancel, ps.lay, u.home)
		onUI(func() { test.Tap(ps.lay) })
		waitFor(t, "result", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepResult })
		res := u.step(viewmodel.StepResult).(*resultStep)
		waitFor(t, "claims on screen", func() bool { return len(res.panel.claims.Objects) == 4 })
		checkTabStops(t, u, "result", false, res.done, u.home)
		onUI(func() { test.Tap(res.done) })
	}
}

// A failed read: the problem, then Home (in the footer) and Retry.
func TestTabStopsFailedRead(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	themed(u, theme.VariantDark)
	s := readWithCAN(t, u, "654321")
	waitFor(t, "problem on screen", func() bool { return s.failed.Visible() })
	checkTabStops(t, u, "failed read", false)
}

// A service's request, the consent after the read, and the answer.
func TestTabStopsOnlineJourney(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	themed(u, theme.VariantLight)
	svc := newFakeService(t)
	done := ask(u, testRequest(svc, false))
	waitFor(t, "request screen", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepRequest })
	rq := u.step(viewmodel.StepRequest).(*requestStep)
	var photo fyne.Focusable
	for _, cb := range rq.switches {
		photo = cb
	}
	checkTabStops(t, u, "request", false, photo, rq.refuse, rq.next, u.home)
	onUI(func() { test.Tap(rq.next) })
	readDemoToConsent(t, u)
	con := u.step(viewmodel.StepConsent).(*consentStep)
	checkTabStops(t, u, "consent", false, con.refuse, con.send, u.home)
	onUI(func() { test.Tap(con.refuse) })
	<-done
	sent := u.step(viewmodel.StepSent).(*sentStep)
	waitFor(t, "answer", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepSent })
	checkTabStops(t, u, "sent", false, sent.close, u.home)
}
