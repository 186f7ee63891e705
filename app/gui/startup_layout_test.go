package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/viewmodel"
)

// BenchmarkHomeFirstLayout builds the window, draws the home screen with
// the software renderer, then draws it again at two other window sizes (a
// window manager's first resizes): what start-up costs in drawing. The
// illustrations used to be SVGs rasterised at every new size.
func BenchmarkHomeFirstLayout(b *testing.B) {
	if err := i18n.Use(i18n.Locale{Lang: "fr"}); err != nil {
		b.Fatal(err)
	}
	trust := b.TempDir()
	for b.Loop() {
		a := test.NewTempApp(b)
		a.Settings().SetTheme(NewTheme())
		vm := viewmodel.NewApp(viewmodel.Env{Monitor: staticMonitor{noReader}, TrustDir: trust})
		w := test.NewWindow(nil)
		w.Resize(fyne.NewSize(1000, 700))
		NewWith(w, vm, func(f func()) { f() })
		w.Canvas().Capture()
		for _, s := range []fyne.Size{fyne.NewSize(1022, 740), fyne.NewSize(1366, 740)} {
			w.Resize(s)
			w.Canvas().Capture()
		}
		w.Close()
	}
}
