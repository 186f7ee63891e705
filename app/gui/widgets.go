package gui

import (
	"image/color"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/viewmodel"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// button is a widget.Button that Enter activates too, not only Space: the
// keyboard path through every screen is Tab to the button, then Enter. Its
// focus is an outline (focusRing), seen on every kind of button.
type button struct {
	widget.Button
	focused bool
}

func newButton(label string, icon fyne.Resource, tapped func()) *button {
	b := &button{}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *button) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
		if !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
		}
		return
	}
	b.Button.TypedKey(ev)
}

func (b *button) FocusGained() { b.focused = true; b.Button.FocusGained() }
func (b *button) FocusLost()   { b.focused = false; b.Button.FocusLost() }

func (b *button) CreateRenderer() fyne.WidgetRenderer {
	return newFocusRing(b, b.Button.CreateRenderer(), func() bool { return b.focused })
}

// checkbox is a widget.Check that Enter toggles too, like Space, with the
// buttons' focus outline.
type checkbox struct {
	widget.Check
	focused bool
}

func newCheckbox(label string, changed func(bool)) *checkbox {
	c := &checkbox{}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

func (c *checkbox) TypedKey(ev *fyne.KeyEvent) {
	if (ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter) && !c.Disabled() {
		c.SetChecked(!c.Checked)
		return
	}
	c.Check.TypedKey(ev)
}

func (c *checkbox) FocusGained() { c.focused = !c.Disabled(); c.Check.FocusGained() }
func (c *checkbox) FocusLost()   { c.focused = false; c.Check.FocusLost() }

func (c *checkbox) CreateRenderer() fyne.WidgetRenderer {
	return newFocusRing(c, c.Check.CreateRenderer(), func() bool { return c.focused })
}

// primary marks the button a screen's main action.
func primary(b *button) *button {
	b.Importance = widget.HighImportance
	return b
}

// text is a wrapping paragraph.
func text(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// heading is a large bold title.
func heading(s string) *widget.RichText {
	r := widget.NewRichText(&widget.TextSegment{Text: s, Style: widget.RichTextStyle{SizeName: theme.SizeNameHeadingText,
		TextStyle: fyne.TextStyle{Bold: true}}})
	// Not wrapped: a wrapped RichText asks for its height at zero width
	// first and leaves a tall gap; headings are short.
	r.Wrapping = fyne.TextWrapOff
	return r
}

func setHeading(r *widget.RichText, s string) {
	r.Segments[0].(*widget.TextSegment).Text = s
	r.Refresh()
}

func layoutSpacer(w, h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(w, h))
	return r
}

// statusIcon is the icon of a check's outcome: a green tick, a red cross,
// or a grey question mark for "could not be checked".
func statusIcon(s verify.Status) fyne.Resource {
	switch s {
	case verify.Passed:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case verify.Failed:
		return theme.NewErrorThemedResource(theme.CancelIcon())
	default:
		return theme.NewDisabledResource(theme.QuestionIcon())
	}
}

// banner is a coloured strip with a sentence: the DEMO mark, verdicts.
func banner(s string, c color.Color) (*fyne.Container, *canvas.Text) {
	bg := canvas.NewRectangle(c)
	bg.CornerRadius = 6
	t := canvas.NewText(s, color.White)
	t.TextStyle = fyne.TextStyle{Bold: true}
	t.Alignment = fyne.TextAlignCenter
	return container.NewStack(bg, container.NewPadded(t)), t
}

// wrappedBanner is a banner whose sentence wraps to the banner's width
// (a verdict in a narrow column): it never widens what holds it.
func wrappedBanner(c color.Color) (*fyne.Container, *widget.Label) {
	bg := canvas.NewRectangle(c)
	bg.CornerRadius = 6
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Alignment = fyne.TextAlignCenter
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.SizeName = theme.SizeNameSubHeadingText
	return container.NewStack(bg, container.NewThemeOverride(l, whiteText{theme.DefaultTheme()})), l
}

// whiteText is the theme of text on a coloured banner.
type whiteText struct{ fyne.Theme }

func (w whiteText) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameForeground {
		return color.White
	}
	return w.Theme.Color(n, v)
}

var (
	colorDemo    = color.NRGBA{R: 0xa8, G: 0x5a, B: 0x00, A: 0xff}
	colorOK      = color.NRGBA{R: 0x1e, G: 0x7d, B: 0x32, A: 0xff}
	colorBad     = color.NRGBA{R: 0xb7, G: 0x1c, B: 0x1c, A: 0xff}
	colorNeutral = color.NRGBA{R: 0x54, G: 0x5f, B: 0x6e, A: 0xff}
)

func verdictColor(s verify.Status) color.Color {
	switch s {
	case verify.Passed:
		return colorOK
	case verify.Failed:
		return colorBad
	}
	return colorNeutral
}

// problemView shows a problem: what happened, what to do next, and the
// technical detail for support (in italics, as readable as the rest: it was
// drawn in the theme's "disabled" grey, 1.55:1 on the dark background).
type problemView struct {
	object  *fyne.Container
	message *widget.Label
	hint    *widget.Label
	next    *widget.Label
	detail  *widget.Label
}

func newProblemView() *problemView {
	p := &problemView{message: text(""), hint: text(""), next: text(""), detail: text("")}
	p.message.TextStyle = fyne.TextStyle{Bold: true}
	p.next.TextStyle = fyne.TextStyle{Bold: true}
	p.detail.TextStyle = fyne.TextStyle{Italic: true}
	icon := widget.NewIcon(theme.NewErrorThemedResource(theme.ErrorIcon()))
	p.object = container.NewBorder(nil, nil, container.NewVBox(icon), nil, container.NewVBox(p.message, p.next, p.hint, p.detail))
	return p
}

func (p *problemView) set(pr *viewmodel.Problem) {
	if pr == nil {
		p.object.Hide()
		return
	}
	p.message.SetText(pr.Message)
	p.hint.SetText(pr.Hint)
	if pr.Next != "" {
		p.next.SetText(i18n.T("problem.next_step", map[string]any{"Next": pr.Next}))
		p.next.Show()
	} else {
		p.next.SetText("")
		p.next.Hide()
	}
	p.detail.SetText(i18n.T("problem.detail", map[string]any{"Detail": pr.Detail}))
	p.object.Show()
}

// pcscServiceName is the smart-card service's name where the user can find it.
func pcscServiceName() string {
	switch runtime.GOOS {
	case "windows":
		return "SCardSvr"
	case "darwin":
		return "CryptoTokenKit"
	}
	return "pcscd"
}

// noServiceExplainKey is how to start that service on this system.
func noServiceExplainKey() string {
	switch runtime.GOOS {
	case "windows":
		return "reader.no_service_explain_windows"
	case "darwin":
		return "reader.no_service_explain_macos"
	}
	return "reader.no_service_explain"
}

// statusLine is the bottom line: the reader, always visible.
type statusLine struct {
	object *fyne.Container
	icon   *widget.Icon
	label  *widget.Label
	vm     *viewmodel.App
}

func newStatusLine(vm *viewmodel.App, do func(func())) *statusLine {
	s := &statusLine{icon: widget.NewIcon(nil), label: widget.NewLabel(""), vm: vm}
	s.object = container.NewHBox(s.icon, s.label)
	vm.Subscribe(func() { do(s.refresh) })
	s.refresh()
	return s
}

func (s *statusLine) refresh() {
	icon, msg := readerStatusText(s.vm.Readers())
	s.icon.SetResource(icon)
	s.label.SetText(msg)
}

// readerStatusText says where the readers are, in a few words.
func readerStatusText(st core.ReaderStatus) (fyne.Resource, string) {
	name, _ := st.Preferred()
	switch st.Level() {
	case core.LevelNoService:
		return theme.NewWarningThemedResource(theme.WarningIcon()), i18n.T("status.no_service", map[string]any{"Service": pcscServiceName()})
	case core.LevelNoReader:
		return theme.NewDisabledResource(theme.InfoIcon()), i18n.T("status.no_reader")
	case core.LevelCard:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon()), i18n.T("status.card", map[string]any{"Name": name})
	}
	return theme.NewSuccessThemedResource(theme.ConfirmIcon()), i18n.T("status.ready", map[string]any{"Name": name})
}

// scrollToTop scrolls every scroll container in obj back to its start: a
// screen or step always opens at the top, where it says who asks and why.
func scrollToTop(obj fyne.CanvasObject) {
	switch o := obj.(type) {
	case *container.Scroll:
		o.ScrollToTop()
		scrollToTop(o.Content)
	case *fyne.Container:
		for _, child := range o.Objects {
			scrollToTop(child)
		}
	case *container.Split:
		scrollToTop(o.Leading)
		scrollToTop(o.Trailing)
	case *container.ThemeOverride:
		scrollToTop(o.Content)
	}
}
