// Package gui draws the view models of package viewmodel with Fyne: the
// home screen, the citizen wizard, the clerk's counter screen and the
// support screen. It holds no logic of its own beyond layout; it never talks
// to a card.
package gui

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/go-gl/glfw/v3.3/glfw"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/link"
	"github.com/cnie-reader/cnie-reader/app/viewmodel"
	"github.com/cnie-reader/cnie-reader/assertion/intake"
	"github.com/cnie-reader/cnie-reader/assets"
)

// AppID is the application's identifier (FyneApp.toml).
const AppID = "fr.cnie-reader.app"

// Screen names a top-level screen.
type Screen string

const (
	ScreenHome    Screen = "home"
	ScreenCitizen Screen = "citizen"
	ScreenClerk   Screen = "clerk"
	ScreenSupport Screen = "support"
)

// UI is the application window and its screens.
type UI struct {
	Window  fyne.Window
	App     *viewmodel.App
	Citizen *viewmodel.Citizen
	Clerk   *viewmodel.Clerk
	Support *viewmodel.Support
	// Online answers services' requests (the intake's Holder).
	Online *viewmodel.Online

	screen  Screen
	body    *fyne.Container
	top     *fyne.Container
	title   *widget.Label
	home    *button
	status  *statusLine
	screens map[Screen]screenView
	// do runs a function on the UI goroutine: fyne.Do in the application,
	// a single loop in tests (Fyne's test driver runs fyne.Do at once, on
	// the caller's goroutine, which would draw from several at a time).
	do func(func())
}

// screenView is one top-level screen.
type screenView interface {
	content() fyne.CanvasObject
	// shown is called each time the screen appears (focus, first state).
	shown()
	// left is called when the user goes elsewhere: forget the holder.
	left()
}

// Run opens the application window and blocks until it is closed.
func Run() error { return RunWith(nil) }

// RunWith is Run, calling onIntake with the intake's address once it
// listens (a cnie-reader:// link opened before the window was).
func RunWith(onIntake func(authorizeURL string)) error {
	if err := i18n.Use(i18n.FromEnvironment()); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// One window at a time: a second launch brings the first forward.
	in, claimErr := claimInstance(ctx, intake.Ports())
	if errors.Is(claimErr, ErrAlreadyRunning) {
		return claimErr
	}
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.svg", assets.Icon))
	a.Settings().SetTheme(NewTheme()) // readable colours, a visible focus (theme.go)
	vm := viewmodel.NewApp(viewmodel.Env{Monitor: core.PCSCMonitor{}})
	vm.Start(ctx)
	core.Warm() // the trust store, master list included, is ready before the first card
	w := a.NewWindow(i18n.T("app.name"))
	// Before the content: wrapped text is measured at this width. 1000×700
	// fits a 1024×768 counter screen with its panels; once the screen is
	// known, the window takes what it sensibly can (windowSize).
	w.Resize(fyne.NewSize(1000, 700))
	u := New(w, vm)
	startIntake(u, in, claimErr, onIntake)
	a.Lifecycle().SetOnStarted(func() {
		if screen, ok := screenSize(w); ok {
			w.Resize(windowSize(screen))
		}
		w.CenterOnScreen()
		if in != nil {
			in.setShow(func() { fyne.Do(func() { w.Show(); w.RequestFocus() }) })
		}
	})
	w.CenterOnScreen()
	w.ShowAndRun()
	return nil
}

// The window's size: up to preferredWindow, within the screen's work area
// less windowMargin (the title bar, a panel the work area does not know).
var (
	preferredWindow = fyne.NewSize(1280, 800)
	windowMargin    = fyne.NewSize(24, 68)
)

// windowSize is the window's size on a screen (its work area, in Fyne's
// units): never larger than the screen.
func windowSize(screen fyne.Size) fyne.Size {
	return fyne.NewSize(min(preferredWindow.Width, screen.Width-windowMargin.Width),
		min(preferredWindow.Height, screen.Height-windowMargin.Height))
}

// screenSize is the work area of the primary monitor, in Fyne's units. It
// must run on the main thread once the driver runs (OnStarted does).
func screenSize(w fyne.Window) (fyne.Size, bool) {
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return fyne.Size{}, false
	}
	_, _, width, height := m.GetWorkarea()
	if width <= 0 || height <= 0 {
		return fyne.Size{}, false
	}
	scale := w.Canvas().Scale()
	if scale <= 0 {
		scale = 1
	}
	return fyne.NewSize(float32(width)/scale, float32(height)/scale), true
}

// startIntake opens the loopback door services send browsers to, on the
// port the instance holds; a request then goes to the citizen screens
// (u.Online).
func startIntake(u *UI, in *instance, claimErr error, onIntake func(string)) {
	if in == nil {
		u.App.ReportProblem(claimErr)
		return
	}
	srv := link.NewIntake(u.Online, i18n.Lang(), u.App.ReportProblem)
	srv.SetPort(in.Port())
	in.setIntake(srv)
	authorize := fmt.Sprintf("http://127.0.0.1:%d/authorize", in.Port())
	u.App.SetIntake(authorize)
	if onIntake != nil {
		onIntake(authorize)
	}
}

// New builds the screens into w, starting at home.
func New(w fyne.Window, vm *viewmodel.App) *UI { return NewWith(w, vm, fyne.Do) }

// NewWith is New with another way to reach the UI goroutine (package
// uiloop, for Fyne's headless test driver).
func NewWith(w fyne.Window, vm *viewmodel.App, do func(func())) *UI {
	u := &UI{Window: w, App: vm, Citizen: viewmodel.NewCitizen(vm), Clerk: viewmodel.NewClerk(vm),
		Support: viewmodel.NewSupport(vm), do: do}
	u.Online = viewmodel.NewOnline(u.Citizen)
	u.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	u.home = newButton(i18n.T("nav.home"), theme.HomeIcon(), func() { u.Show(ScreenHome) })
	u.status = newStatusLine(vm, do)
	u.screens = map[Screen]screenView{
		ScreenHome:    newHomeView(u),
		ScreenCitizen: newCitizenView(u),
		ScreenClerk:   newClerkView(u),
		ScreenSupport: newSupportView(u),
	}
	u.body = container.NewStack()
	u.top = container.NewBorder(nil, nil, u.home, nil, u.title)
	w.SetContent(container.NewBorder(container.NewVBox(u.top, widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), u.status.object), nil, nil, u.body))
	// Closing the window mid-read stops the read and forgets the holder.
	w.SetOnClosed(func() {
		u.Citizen.Finish()
		u.Clerk.Next()
	})
	w.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		// A seal image dropped anywhere goes to the counter screen.
		for _, uri := range uris {
			if uri.Scheme() == "file" {
				u.Show(ScreenClerk)
				u.Clerk.ScanImage(uri.Path())
				return
			}
		}
	})
	// A service's request brings the citizen screens forward.
	var asking atomic.Bool
	u.Online.Subscribe(func() {
		now := u.Online.State().Phase == viewmodel.Asking
		if now && !asking.Swap(now) {
			u.do(func() {
				u.Show(ScreenCitizen)
				u.Window.RequestFocus()
			})
		}
		if !now {
			asking.Store(false)
		}
	})
	u.Show(ScreenHome)
	return u
}

// Show switches to a screen; leaving a screen forgets its holder's data.
func (u *UI) Show(s Screen) {
	if u.screen != "" && u.screen != s {
		u.screens[u.screen].left()
	}
	u.screen = s
	v := u.screens[s]
	u.body.Objects = []fyne.CanvasObject{v.content()}
	u.body.Refresh()
	u.title.SetText(i18n.T("screen." + string(s)))
	if s == ScreenHome {
		u.home.Hide()
	} else {
		u.home.Show()
	}
	u.top.Refresh()
	v.shown()
	scrollToTop(v.content())
}

// Current is the screen shown.
func (u *UI) Current() Screen { return u.screen }
