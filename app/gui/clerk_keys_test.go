package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/app/viewmodel"
)

// Tab goes through the clerk's controls as they are seen, left to right
// and top to bottom — the toolbar, then the seal's buttons — and the
// window's Home comes last, as on every screen (it used to come between
// "Carte suivante" and the columns). After a read, "Carte suivante" is
// three Tabs from "Lire la puce".
func TestClerkTabOrder(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).clerk) })
	k := u.clerkView()
	onUI(func() { test.Tap(k.demo) })
	onUI(func() { test.Tap(k.read) })
	waitFor(t, "chip read", func() bool { return u.Clerk.State().Reading.Phase == viewmodel.Done })
	c := u.Window.Canvas()
	names := map[fyne.Focusable]string{k.can: "can", k.read: "read", k.mrz: "mrz", k.demo: "demo", k.next: "next",
		k.camera: "camera", k.open: "open", u.home: "home"}
	var order []string
	onUI(func() { c.Focus(k.can) })
	for i := 0; i < 40 && len(order) < len(names); i++ {
		if n, ok := names[c.Focused()]; ok && (len(order) == 0 || order[len(order)-1] != n) {
			order = append(order, n)
		}
		onUI(func() { test.FocusNext(c) })
	}
	want := []string{"can", "read", "mrz", "demo", "next", "camera", "open", "home"}
	if len(order) != len(want) {
		t.Fatalf("Tab order %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("Tab order %v, want %v", order, want)
		}
	}
	onUI(func() { c.Focus(k.read) })
	for i := 0; i < 3; i++ {
		onUI(func() { test.FocusNext(c) })
	}
	if c.Focused() != k.next {
		t.Fatalf("three Tabs after the read: %T, not Carte suivante", c.Focused())
	}
}

// The MRZ form says "Appuyez sur Entrée": Enter in its fields reads the
// chip (only Space on the button did).
func TestClerkMRZFormEnterReads(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).clerk) })
	k := u.clerkView()
	onUI(func() { test.Tap(k.demo) })
	onUI(func() { test.Tap(k.mrz) })
	c := u.Window.Canvas()
	entry, ok := c.Focused().(*widget.Entry)
	if !ok || k.mrzForm == nil {
		t.Fatalf("focus on %T in the MRZ form", c.Focused())
	}
	onUI(func() { test.Type(entry, "") })
	onUI(func() { entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) })
	waitFor(t, "chip read after Enter", func() bool { return u.Clerk.State().Reading.Phase == viewmodel.Done })
	if top := c.Overlays().Top(); top != nil {
		t.Errorf("the MRZ form stays open: %T", top)
	}
}

// Enter with a field missing keeps the form open and reads nothing.
func TestClerkMRZFormEnterIncomplete(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).clerk) })
	k := u.clerkView()
	onUI(func() { test.Tap(k.mrz) }) // no DEMO: the fields start empty
	c := u.Window.Canvas()
	entry, ok := c.Focused().(*widget.Entry)
	if !ok {
		t.Fatalf("focus on %T in the MRZ form", c.Focused())
	}
	onUI(func() { test.Type(entry, "X4RTBPFW4") })
	onUI(func() { entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) })
	if c.Overlays().Top() == nil || u.Clerk.State().Reading.Phase != viewmodel.Idle {
		t.Fatalf("incomplete form: open %v, phase %v", c.Overlays().Top() != nil, u.Clerk.State().Reading.Phase)
	}
}
