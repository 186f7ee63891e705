package gui

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/viewmodel"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// identityPanel shows a read: photo, DEMO mark, fields, and the four
// statements of the verification with their icons.
type identityPanel struct {
	object  *fyne.Container
	photo   *fyne.Container
	name    *widget.RichText
	demo    *fyne.Container
	verdict *fyne.Container
	vtext   *widget.Label
	vbg     *canvas.Rectangle
	fields  *fyne.Container
	claims  *fyne.Container
	summary *widget.Label
	wide    bool
}

// newIdentityPanel lays the panel out: wide puts the photo beside the data
// (the citizen's result), narrow puts it above (a column of the clerk view).
func newIdentityPanel(wide bool) *identityPanel {
	p := &identityPanel{photo: container.NewStack(), name: heading(""), fields: container.New(&formLayout{}),
		claims: container.NewVBox(), summary: text(""), wide: wide}
	demoText := i18n.T("result.demo_banner")
	if !wide {
		demoText = i18n.T("result.demo_short")
	}
	p.demo, _ = banner(demoText, colorDemo)
	// The verdict wraps: in French it is wider than the column at 1024×768.
	p.verdict, p.vtext = wrappedBanner(colorNeutral)
	p.vbg = p.verdict.Objects[0].(*canvas.Rectangle)
	checks := container.NewVBox(widget.NewLabelWithStyle(i18n.T("result.checks"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		p.verdict, p.claims, p.summary)
	if !wide {
		// A long name is cut with "…" rather than widen the column.
		p.name.Truncation = fyne.TextTruncateEllipsis
		// A narrow column has no room for the one-line verdict (the clerk's
		// screen states its own verdict); the claims and summary wrap.
		checks.Remove(p.verdict)
	}
	if wide {
		// Name across the top; photo, data and checks side by side.
		p.object = container.NewVBox(p.name, p.demo, container.NewBorder(nil, nil, container.NewVBox(p.photo), nil,
			container.NewGridWithColumns(2, p.fields, checks)))
	} else {
		p.object = container.NewVBox(container.NewCenter(p.photo), p.name, p.demo, p.fields, widget.NewSeparator(), checks)
	}
	p.clear()
	return p
}

// set fills the panel with a result.
func (p *identityPanel) set(id viewmodel.Identity, face image.Image) {
	var photo fyne.CanvasObject
	if face != nil {
		img := canvas.NewImageFromImage(face)
		img.FillMode = canvas.ImageFillContain
		img.ScaleMode = canvas.ImageScaleSmooth
		img.SetMinSize(photoSize(p.wide))
		photo = img
	} else {
		msg := id.PhotoProblem
		if msg == "" {
			msg = i18n.T("result.no_photo")
		}
		photo = container.NewStack(layoutSpacer(photoSize(p.wide).Width, photoSize(p.wide).Height), container.NewCenter(text(msg)))
	}
	p.photo.Objects = []fyne.CanvasObject{photo}
	p.photo.Refresh()
	setHeading(p.name, id.Value("field.given_names")+" "+id.Value("field.surname"))
	if id.Demo {
		p.demo.Show()
	} else {
		p.demo.Hide()
	}
	p.fields.Objects = nil
	for _, f := range id.Fields {
		if f.Key == "field.surname" || f.Key == "field.given_names" {
			continue // in the heading
		}
		l := widget.NewLabelWithStyle(f.Label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		v := widget.NewLabel(f.Value)
		v.Wrapping = fyne.TextWrapWord
		// Not Selectable: a selectable label is a Tab stop that shows no
		// focus and does nothing on Enter (issue 17).
		p.fields.Add(l)
		p.fields.Add(v)
	}
	p.fields.Refresh()
	p.claims.Objects = nil
	for _, c := range id.Claims {
		p.claims.Add(container.NewBorder(nil, nil, widget.NewIcon(statusIcon(c.Status)), nil, text(c.Text)))
	}
	p.claims.Refresh()
	level, key := verdictLevel(id.Verdict)
	p.vtext.SetText(i18n.T(key))
	p.vbg.FillColor = verdictColor(level)
	if id.Demo {
		p.vbg.FillColor = colorDemo
	}
	p.verdict.Refresh()
	p.summary.SetText(id.Summary)
	p.object.Show()
	p.object.Refresh() // lay the new photo and rows out
}

// clear empties the panel (nothing of the previous holder stays).
func (p *identityPanel) clear() {
	p.photo.Objects = nil
	p.photo.Refresh()
	setHeading(p.name, "")
	p.fields.Objects = nil
	p.fields.Refresh()
	p.claims.Objects = nil
	p.claims.Refresh()
	p.summary.SetText("")
	p.demo.Hide()
	p.object.Hide()
}

func photoSize(wide bool) fyne.Size {
	if wide {
		return fyne.NewSize(180, 232)
	}
	return fyne.NewSize(120, 155)
}

func verdictLevel(v verify.Verdict) (verify.Status, string) {
	switch v {
	case verify.Genuine:
		return verify.Passed, "verdict.genuine"
	case verify.Demo:
		return verify.Passed, "verdict.demo"
	case verify.NotGenuine:
		return verify.Failed, "verdict.not_genuine"
	}
	return verify.NotPossible, "verdict.not_proven"
}

// formLayout is a two-column label/value grid whose label column is as wide
// as its widest label (widget.Form wants entries, not plain values).
type formLayout struct{}

func (formLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	lw, vw, h := formColumns(objs)
	return fyne.NewSize(lw+vw+theme.Padding(), h)
}

func formColumns(objs []fyne.CanvasObject) (lw, vw, h float32) {
	for i := 0; i+1 < len(objs); i += 2 {
		a, b := objs[i].MinSize(), objs[i+1].MinSize()
		lw, vw = max(lw, a.Width), max(vw, b.Width)
		h += max(a.Height, b.Height)
	}
	return
}

func (formLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	lw, _, _ := formColumns(objs)
	y := float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		vw := size.Width - lw - theme.Padding()
		objs[i+1].Resize(fyne.NewSize(vw, objs[i+1].MinSize().Height))
		h := max(objs[i].MinSize().Height, objs[i+1].MinSize().Height)
		objs[i].Move(fyne.NewPos(0, y))
		objs[i].Resize(fyne.NewSize(lw, h))
		objs[i+1].Move(fyne.NewPos(lw+theme.Padding(), y))
		objs[i+1].Resize(fyne.NewSize(vw, h))
		y += h
	}
}

// tableLayout is a grid whose last column (an icon) is narrow and whose
// other columns share the rest.
type tableLayout struct{ columns int }

func (t *tableLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i := 0; i < len(objs); i += t.columns {
		var rowW, rowH float32
		for j := i; j < i+t.columns && j < len(objs); j++ {
			m := objs[j].MinSize()
			rowW += m.Width
			rowH = max(rowH, m.Height)
		}
		w, h = max(w, rowW), h+rowH
	}
	return fyne.NewSize(w, h)
}

func (t *tableLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	icon := theme.IconInlineSize() + 2*theme.Padding()
	colW := (size.Width - icon) / float32(t.columns-1)
	y := float32(0)
	for i := 0; i < len(objs); i += t.columns {
		var rowH float32
		for j := i; j < i+t.columns && j < len(objs); j++ {
			w := colW
			if j-i == t.columns-1 {
				w = icon
			}
			objs[j].Resize(fyne.NewSize(w, objs[j].MinSize().Height))
			rowH = max(rowH, objs[j].MinSize().Height)
		}
		x := float32(0)
		for j := i; j < i+t.columns && j < len(objs); j++ {
			w := colW
			if j-i == t.columns-1 {
				w = icon
			}
			objs[j].Move(fyne.NewPos(x, y))
			objs[j].Resize(fyne.NewSize(w, rowH))
			x += w
		}
		y += rowH
	}
}
