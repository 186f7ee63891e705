package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// The application's theme: Fyne's default one, with the colours that carry
// text or a state made readable (WCAG AA: 4.5:1 for text against every
// background it is drawn on, 3:1 for icons and the focus ring), in the light
// and the dark variant. contrast_test.go checks every pair.

// colorNameFocusRing is the outline drawn around the focused control
// (focusRing): its own colour, since Fyne's focus colour is a faint tint
// blended into a button's background, invisible on a primary button.
const colorNameFocusRing fyne.ThemeColorName = "cnie-focus-ring"

// appColors are the colours changed from Fyne's, per variant.
var appColors = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantLight: {
		// Primary buttons carry white text: Fyne's blue gives 4.47:1.
		theme.ColorNamePrimary:     color.NRGBA{R: 0x15, G: 0x65, B: 0xc0, A: 0xff},
		theme.ColorNameHyperlink:   color.NRGBA{R: 0x15, G: 0x65, B: 0xc0, A: 0xff},
		theme.ColorNameError:       color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff},
		theme.ColorNameSuccess:     color.NRGBA{R: 0x1e, G: 0x7d, B: 0x32, A: 0xff},
		theme.ColorNameWarning:     color.NRGBA{R: 0xa3, G: 0x52, B: 0x00, A: 0xff},
		theme.ColorNamePlaceHolder: color.NRGBA{R: 0x6b, G: 0x6b, B: 0x6b, A: 0xff},
		// Disabled stays lighter than text, but its icons (a check that
		// could not be made) are seen: 3:1.
		theme.ColorNameDisabled: color.NRGBA{R: 0x8c, G: 0x8c, B: 0x8c, A: 0xff},
		colorNameFocusRing:      color.NRGBA{A: 0xff},
	},
	theme.VariantDark: {
		// White text on it (4.9:1), and a focused field's border seen on the
		// dark input background (3.3:1).
		theme.ColorNamePrimary:   color.NRGBA{R: 0x20, G: 0x70, B: 0xd0, A: 0xff},
		theme.ColorNameHyperlink: color.NRGBA{R: 0x4d, G: 0x9c, B: 0xff, A: 0xff},
		theme.ColorNameError:     color.NRGBA{R: 0xff, G: 0x6b, B: 0x60, A: 0xff},
		// Fyne's dark disabled grey is the 1.55:1 of the technical detail.
		theme.ColorNameDisabled: color.NRGBA{R: 0x7a, G: 0x7a, B: 0x7a, A: 0xff},
		colorNameFocusRing:      color.NRGBA{R: 0xe8, G: 0xf1, B: 0xff, A: 0xff},
	},
}

// appTheme is the application's theme; variant, when set, is used whatever
// the system prefers (the screenshots, the tests).
type appTheme struct {
	variant *fyne.ThemeVariant
}

// NewTheme is the application's theme, light or dark as the system prefers.
func NewTheme() fyne.Theme { return appTheme{} }

// NewThemeVariant is the application's theme in one variant.
func NewThemeVariant(v fyne.ThemeVariant) fyne.Theme { return appTheme{variant: &v} }

func (t appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.variant != nil {
		v = *t.variant
	}
	palette := appColors[theme.VariantDark]
	if v == theme.VariantLight {
		palette = appColors[theme.VariantLight]
	}
	if c, ok := palette[n]; ok {
		return c
	}
	return theme.DefaultTheme().Color(n, v)
}

func (appTheme) Font(s fyne.TextStyle) fyne.Resource     { return theme.DefaultTheme().Font(s) }
func (appTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }
func (appTheme) Size(n fyne.ThemeSizeName) float32       { return theme.DefaultTheme().Size(n) }
