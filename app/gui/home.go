package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/app/i18n"
)

// homeView offers the three paths: citizen, clerk, support.
type homeView struct {
	u       *UI
	object  fyne.CanvasObject
	citizen *button
	clerk   *button
	support *button
}

func newHomeView(u *UI) *homeView {
	h := &homeView{u: u}
	// Each path is a tile: a picture of what it is about, the button, a line.
	path := func(pic, title, what string, icon fyne.Resource, go_ func()) (fyne.CanvasObject, *button) {
		b := newButton(title, icon, go_)
		return container.NewVBox(picture(pic, 304, 190), b, text(what)), b
	}
	citizen, cb := path("card-on-reader", i18n.T("home.citizen"), i18n.T("home.citizen_what"), theme.AccountIcon(), func() { u.Show(ScreenCitizen) })
	primary(cb)
	clerk, kb := path("card-back-seal", i18n.T("home.clerk"), i18n.T("home.clerk_what"), theme.VisibilityIcon(), func() { u.Show(ScreenClerk) })
	support, sb := path("reader-missing", i18n.T("home.support"), i18n.T("home.support_what"), theme.HelpIcon(), func() { u.Show(ScreenSupport) })
	h.citizen, h.clerk, h.support = cb, kb, sb
	intro := container.NewVBox(heading(i18n.T("home.title")), text(i18n.T("home.intro")))
	paths := container.NewGridWithColumns(3, citizen, clerk, support)
	h.object = container.NewPadded(container.NewVBox(
		intro, widget.NewSeparator(), paths))
	return h
}

func (h *homeView) content() fyne.CanvasObject { return h.object }
func (h *homeView) shown() {
	h.object.Refresh() // wrapped lines: measure them at the real width
	h.u.Window.Canvas().Focus(h.citizen)
}
func (h *homeView) left() {}
