package gui

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/assets/illustrations"
)

// illustration is one of the pictures at a fixed size, centred in the
// space it is given. It shows the PNG rendered for exactly that size on
// this screen (1x or 2x, assets/illustrations), decoded once for the whole
// application: nothing is rasterised or scaled when the window is laid out.
// (The SVGs were rasterised at each layout pass: most of the start-up.)
type illustration struct {
	widget.BaseWidget
	name string
	size fyne.Size
	img  *canvas.Image
}

// picture is the illustration name at w×h; sizes.txt in
// assets/illustrations lists the sizes rendered (a test checks every one
// the screens use).
func picture(name string, w, h float32) *illustration {
	p := &illustration{name: name, size: fyne.NewSize(w, h), img: canvas.NewImageFromImage(nil)}
	p.img.FillMode = canvas.ImageFillContain
	p.ExtendBaseWidget(p)
	return p
}

// show changes the picture.
func (p *illustration) show(name string) {
	if name != p.name {
		p.name = name
		p.Refresh()
	}
}

func (p *illustration) MinSize() fyne.Size { return p.size }

func (p *illustration) CreateRenderer() fyne.WidgetRenderer { return &illustrationRenderer{p: p} }

// pixels is the illustration's size in the screen's pixels.
func (p *illustration) pixels() (int, int) {
	c := fyne.CurrentApp().Driver().CanvasForObject(p)
	if c == nil {
		if w := fyne.CurrentApp().Driver().AllWindows(); len(w) > 0 {
			c = w[0].Canvas()
		}
	}
	if c == nil {
		return int(p.size.Width), int(p.size.Height)
	}
	return c.PixelCoordinateForPosition(fyne.NewPos(p.size.Width, p.size.Height))
}

type illustrationRenderer struct{ p *illustration }

func (r *illustrationRenderer) Destroy()                     {}
func (r *illustrationRenderer) MinSize() fyne.Size           { return r.p.size }
func (r *illustrationRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.p.img} }

func (r *illustrationRenderer) Layout(size fyne.Size) {
	r.p.img.Resize(r.p.size)
	r.p.img.Move(fyne.NewPos((size.Width-r.p.size.Width)/2, (size.Height-r.p.size.Height)/2))
	r.pick()
}

func (r *illustrationRenderer) Refresh() { r.pick() }

// pick shows the rendering made for the illustration's pixel size; the
// image only changes (and is drawn again) when the name or the scale does.
func (r *illustrationRenderer) pick() {
	w, h := r.p.pixels()
	var img image.Image = illustrations.Best(r.p.name, w, h)
	if img == nil { // a test checks every illustration is there
		img = image.NewNRGBA(image.Rect(0, 0, 1, 1))
	}
	if img != r.p.img.Image {
		r.p.img.Image = img
		r.p.img.Refresh()
	}
}
