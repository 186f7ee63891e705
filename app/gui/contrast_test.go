package gui

import (
	"fmt"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/app/viewmodel"
)

var variants = map[string]fyne.ThemeVariant{"light": theme.VariantLight, "dark": theme.VariantDark}

// Every colour the theme draws text in has at least 4.5:1 against every
// background it is drawn on (WCAG 1.4.3, AA), in both variants; the
// colours of states (a focused field's border, a tick, a disabled icon)
// 3:1 (WCAG 1.4.11). Fyne's dark "disabled" grey, the technical detail's
// colour, was 1.55:1.
func TestThemeColoursContrast(t *testing.T) {
	backgrounds := []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameInputBackground,
		theme.ColorNameButton, theme.ColorNameHeaderBackground, theme.ColorNameOverlayBackground, theme.ColorNameMenuBackground}
	type pair struct {
		fg, bg fyne.ThemeColorName
		min    float64
	}
	var pairs []pair
	for _, bg := range backgrounds {
		pairs = append(pairs, pair{theme.ColorNameForeground, bg, 4.5})
	}
	for _, fg := range []fyne.ThemeColorName{theme.ColorNamePlaceHolder, theme.ColorNameHyperlink, theme.ColorNameError,
		theme.ColorNameSuccess, theme.ColorNameWarning} {
		pairs = append(pairs, pair{fg, theme.ColorNameBackground, 4.5})
	}
	pairs = append(pairs,
		pair{theme.ColorNamePlaceHolder, theme.ColorNameInputBackground, 4.5},
		pair{theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary, 4.5},
		pair{theme.ColorNameForegroundOnError, theme.ColorNameError, 4.5},
		pair{theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess, 4.5},
		pair{theme.ColorNameForegroundOnWarning, theme.ColorNameWarning, 4.5},
		pair{theme.ColorNamePrimary, theme.ColorNameBackground, 3},
		pair{theme.ColorNamePrimary, theme.ColorNameInputBackground, 3},
		pair{theme.ColorNameDisabled, theme.ColorNameBackground, 3},
		pair{colorNameFocusRing, theme.ColorNameBackground, 3},
		pair{colorNameFocusRing, theme.ColorNamePrimary, 3},
		pair{colorNameFocusRing, theme.ColorNameButton, 3},
	)
	for name, v := range variants {
		th := NewThemeVariant(v)
		for _, p := range pairs {
			if r := contrastRatio(th.Color(p.fg, v), th.Color(p.bg, v)); r < p.min {
				t.Errorf("%s: %s on %s is %.2f:1, want %.1f:1", name, p.fg, p.bg, r, p.min)
			}
		}
	}
}

// The banners' white text on their colours (DEMO, verdicts).
func TestBannerColoursContrast(t *testing.T) {
	for name, c := range map[string]color.Color{"demo": colorDemo, "ok": colorOK, "bad": colorBad, "neutral": colorNeutral} {
		if r := contrastRatio(color.White, c); r < 4.5 {
			t.Errorf("white on the %s banner is %.2f:1, want 4.5:1", name, r)
		}
	}
}

// labelColor is the theme colour a label's text is drawn in.
func labelColor(l *widget.Label) fyne.ThemeColorName {
	switch l.Importance {
	case widget.LowImportance:
		return theme.ColorNameDisabled
	case widget.HighImportance:
		return theme.ColorNamePrimary
	case widget.DangerImportance:
		return theme.ColorNameError
	case widget.WarningImportance:
		return theme.ColorNameWarning
	case widget.SuccessImportance:
		return theme.ColorNameSuccess
	}
	return theme.ColorNameForeground
}

// lowContrastTexts lists the visible texts of obj, drawn on bg, with less
// than 4.5:1; a stack whose first object is a filled rectangle (a banner)
// is the background of what it holds.
func lowContrastTexts(obj fyne.CanvasObject, bg color.Color, v fyne.ThemeVariant) []string {
	if obj == nil || !obj.Visible() {
		return nil
	}
	check := func(what, s string, fg color.Color) []string {
		if s == "" {
			return nil
		}
		if r := contrastRatio(fg, bg); r < 4.5 {
			return []string{fmt.Sprintf("%s %q: %.2f:1", what, s, r)}
		}
		return nil
	}
	var out []string
	switch o := obj.(type) {
	case *fyne.Container:
		objs := o.Objects
		if len(objs) > 1 {
			if r, ok := objs[0].(*canvas.Rectangle); ok && r.Visible() && r.FillColor != nil {
				if _, _, _, a := r.FillColor.RGBA(); a == 0xffff {
					bg, objs = r.FillColor, objs[1:]
				}
			}
		}
		for _, c := range objs {
			out = append(out, lowContrastTexts(c, bg, v)...)
		}
	case *container.ThemeOverride:
		out = lowContrastTexts(o.Content, bg, v)
	case *container.Scroll:
		out = lowContrastTexts(o.Content, bg, v)
	case *container.Split:
		out = append(lowContrastTexts(o.Leading, bg, v), lowContrastTexts(o.Trailing, bg, v)...)
	case *widget.Label:
		out = check("label", o.Text, theme.CurrentForWidget(o).Color(labelColor(o), v))
	case *widget.RichText:
		for _, seg := range o.Segments {
			if ts, ok := seg.(*widget.TextSegment); ok {
				name := ts.Style.ColorName
				if name == "" {
					name = theme.ColorNameForeground
				}
				out = append(out, check("text", ts.Text, theme.CurrentForWidget(o).Color(name, v))...)
			}
		}
	case *canvas.Text:
		out = check("text", o.Text, o.Color)
	}
	return out
}

// checkTexts fails for each text of the window below 4.5:1.
func checkTexts(t *testing.T, u *UI, v fyne.ThemeVariant, screen string) {
	t.Helper()
	var low []string
	onUI(func() {
		low = lowContrastTexts(u.Window.Content(), NewThemeVariant(v).Color(theme.ColorNameBackground, v), v)
	})
	for _, l := range low {
		t.Errorf("%s: %s, want 4.5:1", screen, l)
	}
}

// Every text the citizen's screens show — the DEMO hint, the CAN's check,
// a failed read with its technical detail, the result with its banners —
// is readable, in the light and the dark theme.
func TestEveryTextReadable(t *testing.T) {
	for name, v := range variants {
		u := newTestUI(t, "fr", "", noReader)
		themed(u, v)
		checkTexts(t, u, v, name+" home")
		cs := toCANStepWithDemo(t, u)
		onUI(func() { test.Type(cs.entry, "12a") })
		checkTexts(t, u, v, name+" can (wrong digit)")
		onUI(func() { cs.entry.SetText(""); test.Type(cs.entry, "123456") })
		checkTexts(t, u, v, name+" can (valid)")
		onUI(func() { u.Show(ScreenHome) })
		s := readWithCAN(t, u, "654321")
		waitFor(t, "problem on screen", func() bool { return s.failed.Visible() && s.problem.detail.Text != "" })
		checkTexts(t, u, v, name+" failed read")
		onUI(func() { test.Tap(s.retry) })
		onUI(func() { test.Type(u.step(viewmodel.StepCAN).(*canStep).entry, "123456") })
		onUI(func() { press(u.Window.Canvas(), fyne.KeyReturn) })
		onUI(func() { test.Tap(u.step(viewmodel.StepPlace).(*placeStep).lay) })
		waitFor(t, "result", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepResult })
		res := u.step(viewmodel.StepResult).(*resultStep)
		waitFor(t, "claims on screen", func() bool { return len(res.panel.claims.Objects) == 4 })
		checkTexts(t, u, v, name+" result")
	}
}

// The service's request, unknown to the application: its red warning.
func TestEveryTextReadableOnline(t *testing.T) {
	for name, v := range variants {
		u := newTestUI(t, "fr", "", noReader)
		themed(u, v)
		svc := newFakeService(t)
		done := ask(u, testRequest(svc, false))
		waitFor(t, "request screen", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepRequest })
		checkTexts(t, u, v, name+" request")
		onUI(func() { test.Tap(u.step(viewmodel.StepRequest).(*requestStep).next) })
		readDemoToConsent(t, u)
		checkTexts(t, u, v, name+" consent")
		onUI(func() { test.Tap(u.step(viewmodel.StepConsent).(*consentStep).refuse) })
		<-done
	}
}
