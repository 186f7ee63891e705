package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/cnie-reader/cnie-reader/app/viewmodel"
	"github.com/cnie-reader/cnie-reader/assets/illustrations"
)

// picturesIn lists the illustrations of a screen or step.
func picturesIn(obj fyne.CanvasObject) []*illustration {
	switch o := obj.(type) {
	case *illustration:
		return []*illustration{o}
	case *fyne.Container:
		var out []*illustration
		for _, c := range o.Objects {
			out = append(out, picturesIn(c)...)
		}
		return out
	case *container.Scroll:
		return picturesIn(o.Content)
	}
	return nil
}

// Every illustration the screens show has a PNG rendered for its size, at
// 1x and 2x: none is scaled (let alone rasterised) at run time. The reader
// step shows three pictures, by the readers' state.
func TestEveryPictureRenderedForItsSize(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	objs := []fyne.CanvasObject{u.screens[ScreenHome].content()}
	for _, id := range []viewmodel.StepID{viewmodel.StepReader, viewmodel.StepCAN, viewmodel.StepPlace} {
		objs = append(objs, u.step(id).object())
	}
	var pics []*illustration
	for _, o := range objs {
		pics = append(pics, picturesIn(o)...)
	}
	if len(pics) < 6 {
		t.Fatalf("%d pictures found: is the walk broken?", len(pics))
	}
	rs := u.step(viewmodel.StepReader).(*readerStep)
	for _, name := range []string{"reader-plug", "reader-missing", "card-on-reader"} {
		pics = append(pics, picture(name, rs.pic.size.Width, rs.pic.size.Height))
	}
	for _, p := range pics {
		w, h := int(p.size.Width), int(p.size.Height)
		if float32(w) != p.size.Width || float32(h) != p.size.Height {
			t.Errorf("%s at %v: not whole units", p.name, p.size)
		}
		for _, s := range []int{1, 2} {
			if illustrations.Image(p.name, w*s, h*s) == nil {
				t.Errorf("%s at %dx%d pixels: not rendered (add it to assets/illustrations/sizes.txt)", p.name, w*s, h*s)
			}
		}
	}
}

// The picture drawn is the PNG made for the canvas's pixels — at scale 1
// and on a HiDPI screen (2) — not one the painter would scale at every
// layout.
func TestPictureDrawnAtItsPixelSize(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	c := u.Window.Canvas().(interface{ SetScale(float32) })
	for _, scale := range []float32{1, 2} {
		onUI(func() { c.SetScale(scale) })
		for _, p := range picturesIn(u.screens[ScreenHome].content()) {
			var got, want fyne.Size
			onUI(func() {
				p.Refresh()
				u.Window.Canvas().Capture()
				b := p.img.Image.Bounds()
				got = fyne.NewSize(float32(b.Dx()), float32(b.Dy()))
				want = fyne.NewSize(p.size.Width*scale, p.size.Height*scale)
			})
			if got != want {
				t.Errorf("scale %v: %s drawn from a %v image, want %v", scale, p.name, got, want)
			}
		}
	}
}
