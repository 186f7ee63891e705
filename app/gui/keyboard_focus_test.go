package gui

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/app/gui/uiloop"
)

// relativeLuminance is WCAG 2's relative luminance of an opaque colour.
func relativeLuminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(n.R) + 0.7152*lin(n.G) + 0.0722*lin(n.B)
}

// contrastRatio is WCAG 2's contrast ratio of two opaque colours (1 to 21).
func contrastRatio(a, b color.Color) float64 {
	la, lb := relativeLuminance(a), relativeLuminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// focusArea counts the pixels of r whose colour changes by at least 3:1
// between the unfocused and the focused capture: the focus indicator's
// area (WCAG 2.4.13's measure).
func focusArea(unfocused, focused image.Image, r image.Rectangle) int {
	n := 0
	r = r.Intersect(unfocused.Bounds()).Intersect(focused.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if contrastRatio(opaque(unfocused.At(x, y)), opaque(focused.At(x, y))) >= 3 {
				n++
			}
		}
	}
	return n
}

// opaque drops a capture's alpha (the software painter's background is
// opaque; a transparent pixel would be the window's background).
func opaque(c color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = 0xff
	return n
}

// checkFocusVisible focuses obj on c and checks that a ring at least as
// large as a 2 px thick line around obj changes by 3:1 or more (WCAG 2.4.7,
// 2.4.13); the focus is on nothing before and after.
func checkFocusVisible(t *testing.T, c fyne.Canvas, obj fyne.Focusable, what string) {
	t.Helper()
	var got, want int
	// Earlier tests' animations (a spinner, a blinking cursor) run on in
	// Fyne's shared caches: a measure is kept only when the screen without
	// the focus is the same before and after it.
	for range 5 {
		var before, focused, after image.Image
		var box image.Rectangle
		onUI(func() {
			c.Unfocus()
			before = c.Capture()
			c.Focus(obj)
			focused = c.Capture()
			c.Unfocus()
			after = c.Capture()
			o := obj.(fyne.CanvasObject)
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
			px := func(v float32) int { return int(v * c.Scale()) }
			box = image.Rect(px(pos.X), px(pos.Y), px(pos.X+o.Size().Width), px(pos.Y+o.Size().Height))
		})
		if box.Empty() {
			t.Errorf("%s: not on screen", what)
			return
		}
		area := box.Inset(-8)
		if focusArea(before, after, area) > 0 {
			continue // something else changed meanwhile
		}
		// The area of a 2 px thick line around the control.
		got, want = focusArea(before, focused, area), 4*(box.Dx()+box.Dy())
		break
	}
	t.Logf("%s: focus changes %d pixels by 3:1 (want %d)", what, got, want)
	if got < want || want == 0 {
		t.Errorf("%s: the focus changes %d pixels by 3:1 or more, want at least %d (a 2 px ring)", what, got, want)
	}
}

// Every kind of button, and the check box, shows a focus ring with at
// least 3:1 against what it covers, in the light and the dark theme. On a
// primary button Fyne's own focus (a faint tint) changed no pixel by 3:1.
func TestFocusVisibleOnEveryButtonKind(t *testing.T) {
	for _, variant := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		test.NewTempApp(t)
		fyne.CurrentApp().Settings().SetTheme(NewThemeVariant(variant))
		kinds := map[string]widget.Importance{"primary": widget.HighImportance, "medium": widget.MediumImportance,
			"low": widget.LowImportance, "danger": widget.DangerImportance, "success": widget.SuccessImportance,
			"warning": widget.WarningImportance}
		var stops []fyne.Focusable
		var names []string
		row := container.NewHBox()
		for name, imp := range kinds {
			b := newButton("Continuer", theme.NavigateNextIcon(), func() {})
			b.Importance = imp
			row.Add(b)
			stops, names = append(stops, b), append(names, name+" button")
		}
		cb := newCheckbox("Photo", nil)
		row.Add(cb)
		stops, names = append(stops, cb), append(names, "check box")
		w := test.NewTempWindow(t, container.NewCenter(row))
		w.Resize(fyne.NewSize(1000, 200))
		ctx, cancel := context.WithCancel(context.Background())
		loop = uiloop.Start(ctx)
		l := loop
		t.Cleanup(func() { cancel(); l.Wait() })
		for i, s := range stops {
			checkFocusVisible(t, w.Canvas(), s, fmt.Sprintf("variant %d: %s", variant, names[i]))
		}
	}
}

// Enter, Return and Space act on a button and toggle a check box: every
// Tab stop is an action the keyboard can take.
func TestEnterAndSpaceActivate(t *testing.T) {
	test.NewTempApp(t)
	for _, key := range []fyne.KeyName{fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace} {
		n := 0
		b := newButton("OK", nil, func() { n++ })
		test.NewTempWindow(t, b)
		b.TypedKey(&fyne.KeyEvent{Name: key})
		if n != 1 {
			t.Errorf("%s on a button: %d taps", key, n)
		}
		cb := newCheckbox("Photo", nil)
		test.NewTempWindow(t, cb)
		if key == fyne.KeySpace {
			cb.TypedRune(' ') // Fyne's check box toggles on the rune
		} else {
			cb.TypedKey(&fyne.KeyEvent{Name: key})
		}
		if !cb.Checked {
			t.Errorf("%s on a check box: not toggled", key)
		}
	}
}
