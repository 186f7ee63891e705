package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
)

// Fyne shows a focused button by blending a faint tint into its background:
// on a primary (blue) button nothing shows. focusRing draws an outline
// around the focused control instead, in the theme's colorNameFocusRing,
// just outside its edge: it contrasts with the window's background and with
// the control itself, whatever its colour (WCAG 2.4.7, 1.4.11).

const (
	// ringGap is the distance from the control's edge to the ring's middle:
	// the ring ends 4 px out, the padding between two controls.
	ringGap = 2.75
	// ringWidth is the ring's thickness: at least 2 px of full colour
	// wherever the edges fall between pixels.
	ringWidth = 2.5
)

// focusRing wraps a widget's renderer with the outline.
type focusRing struct {
	fyne.WidgetRenderer
	owner   fyne.Widget
	focused func() bool
	ring    *canvas.Rectangle
}

func newFocusRing(owner fyne.Widget, inner fyne.WidgetRenderer, focused func() bool) *focusRing {
	r := &focusRing{WidgetRenderer: inner, owner: owner, focused: focused, ring: canvas.NewRectangle(color.Transparent)}
	r.ring.StrokeWidth = ringWidth
	r.ring.Hide()
	r.update()
	return r
}

func (r *focusRing) Objects() []fyne.CanvasObject {
	return append(append([]fyne.CanvasObject{}, r.WidgetRenderer.Objects()...), r.ring)
}

func (r *focusRing) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	r.ring.Move(fyne.NewPos(-ringGap, -ringGap))
	r.ring.Resize(size.AddWidthHeight(2*ringGap, 2*ringGap))
}

func (r *focusRing) Refresh() {
	r.WidgetRenderer.Refresh()
	r.update()
}

func (r *focusRing) update() {
	th := theme.CurrentForWidget(r.owner)
	v := fyne.CurrentApp().Settings().ThemeVariant()
	// The ring's colour is the application theme's own; under another
	// theme (a test's), the text colour.
	if app, ok := fyne.CurrentApp().Settings().Theme().(appTheme); ok {
		r.ring.StrokeColor = app.Color(colorNameFocusRing, v)
	} else {
		r.ring.StrokeColor = th.Color(theme.ColorNameForeground, v)
	}
	r.ring.CornerRadius = th.Size(theme.SizeNameInputRadius) + ringGap
	if r.focused() {
		r.ring.Show()
	} else {
		r.ring.Hide()
	}
	r.ring.Refresh()
}
