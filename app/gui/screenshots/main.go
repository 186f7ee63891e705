// Command screenshots renders every main screen of the GUI, in French and
// English, to PNG files: `go run ./app/gui/screenshots -out DIR`
// (`make screenshots`). It drives the real screens with Fyne's software
// renderer and the DEMO card, so it needs no display and no reader.
package main

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/gui"
	"github.com/cnie-reader/cnie-reader/app/gui/uiloop"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/viewmodel"
	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
)

func main() {
	out := flag.String("out", "screenshots", "directory for the PNG files")
	dark := flag.Bool("dark", false, "use the dark theme")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail(err)
	}
	// Off the main goroutine, like the application's own background work:
	// the test driver runs fyne.Do calls from other goroutines at once.
	done := make(chan error)
	go func() {
		for _, lang := range []string{"fr", "en"} {
			if err := shoot(*out, lang, *dark); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	if err := <-done; err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "screenshots:", err)
	os.Exit(1)
}

type fixedMonitor struct{ st core.ReaderStatus }

func (m fixedMonitor) Watch(ctx context.Context, report func(core.ReaderStatus)) {
	report(m.st)
	<-ctx.Done()
}

type shooter struct {
	dir, lang string
	w         fyne.Window
	loop      *uiloop.Loop
}

// save captures the window once every update queued so far has drawn.
func (s *shooter) save(name string) error {
	s.loop.Flush()
	var img image.Image
	s.loop.Run(func() { img = s.w.Canvas().Capture() })
	path := filepath.Join(s.dir, fmt.Sprintf("%s-%s.png", name, s.lang))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Println(path)
	return png.Encode(f, img)
}

func wait(what string, cond func() bool) error {
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil
}

func shoot(dir, lang string, dark bool) error {
	a := test.NewApp()
	defer a.Quit()
	if dark {
		a.Settings().SetTheme(gui.NewThemeVariant(theme.VariantDark))
	} else {
		a.Settings().SetTheme(gui.NewThemeVariant(theme.VariantLight))
	}
	if err := i18n.Use(i18n.Locale{Lang: lang, Region: map[string]string{"fr": "FR", "en": "GB"}[lang]}); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	trust, err := os.MkdirTemp("", "cnie-shots")
	if err != nil {
		return err
	}
	defer os.RemoveAll(trust)
	vm := viewmodel.NewApp(viewmodel.Env{Monitor: fixedMonitor{core.ReaderStatus{}}, TrustDir: trust})
	vm.Start(ctx)
	w := test.NewWindow(nil)
	defer w.Close()
	loop := uiloop.Start(ctx)
	var u *gui.UI
	loop.Run(func() {
		w.Resize(fyne.NewSize(1100, 760))
		u = gui.NewWith(w, vm, loop.Do)
	})
	s := &shooter{dir: dir, lang: lang, w: w, loop: loop}
	ui := func(f func()) { loop.Run(f) }
	steps := []func() error{
		func() error { return s.save("01-home") },
		func() error { ui(func() { u.Show(gui.ScreenCitizen) }); return s.save("02-citizen-reader") },
		func() error {
			ui(func() { u.Citizen.UseDemo(true) })
			ui(func() { u.Citizen.Wizard.GoTo(viewmodel.StepCAN) })
			return s.save("03-citizen-can")
		},
		func() error {
			ui(func() { u.Citizen.SetCAN("123456") })
			ui(func() { u.Citizen.SubmitCAN() })
			return s.save("04-citizen-place")
		},
		func() error {
			ui(func() { u.Citizen.LayDemoCard() })
			if err := wait("result", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepResult }); err != nil {
				return err
			}
			return s.save("06-citizen-result")
		},
		func() error {
			// A wrong CAN, for the error screen.
			ui(func() { u.Citizen.Finish() })
			ui(func() { u.Citizen.UseDemo(true) })
			ui(func() { u.Citizen.SetCAN("000000") })
			ui(func() { u.Citizen.SubmitCAN() })
			ui(func() { u.Citizen.LayDemoCard() })
			if err := wait("failure", func() bool { return u.Citizen.Reading.State().Phase == viewmodel.Failed }); err != nil {
				return err
			}
			return s.save("05-citizen-error")
		},
		func() error {
			ui(func() { u.Show(gui.ScreenClerk) })
			ui(func() { u.Clerk.UseDemo(true) })
			ui(func() { u.Clerk.SetCAN("123456") })
			ui(func() { u.Clerk.ReadChip() })
			if err := wait("chip", func() bool { return u.Clerk.State().Identity != nil }); err != nil {
				return err
			}
			back, err := demoBack()
			if err != nil {
				return err
			}
			defer os.Remove(back)
			ui(func() { u.Clerk.ScanImage(back) })
			if err := wait("seal", func() bool { st := u.Clerk.State(); return !st.SealBusy && st.Seal != nil }); err != nil {
				return err
			}
			return s.save("07-clerk")
		},
		func() error {
			// A service's request: who asks, why, what leaves.
			svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(`{}`))
			}))
			defer svc.Close()
			now := time.Now()
			req := &request.Request{
				Claims: request.Claims{ClientID: "x509_san_dns:service.example", ResponseURI: svc.URL, Nonce: "n", State: "s",
					Purpose: map[string]string{"fr": "Ouvrir un compte bancaire en ligne.", "en": "Open an online bank account."}[lang]},
				Host: "banque.example", Name: "Banque Exemple", Trust: request.Unknown, Expires: now.Add(5 * time.Minute),
				Asked: []assertion.Ask{{Datum: assertion.FamilyName, Required: true}, {Datum: assertion.GivenNames, Required: true},
					{Datum: assertion.BirthDate, Required: true}, {Datum: assertion.Photo}, {Datum: assertion.Address}},
			}
			done := make(chan struct{})
			go func() { u.Online.Handle(context.Background(), req); close(done) }()
			if err := wait("request", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepRequest }); err != nil {
				return err
			}
			if err := s.save("09-online-request"); err != nil {
				return err
			}
			ui(func() {
				u.Online.Continue()
				u.Citizen.UseDemo(true)
				u.Citizen.SetCAN("123456")
				u.Citizen.SubmitCAN()
			})
			ui(func() { u.Citizen.LayDemoCard() })
			if err := wait("consent", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepConsent }); err != nil {
				return err
			}
			if err := s.save("10-online-consent"); err != nil {
				return err
			}
			ui(func() { u.Online.Refuse() })
			<-done
			ui(func() { u.Online.Close() })
			return nil
		},
		func() error {
			ui(func() { u.Show(gui.ScreenSupport) })
			ui(func() { u.Support.RunSelfTest() })
			if err := wait("self-test and diagnosis", func() bool {
				st := u.Support.State()
				return st.SelfTest != nil && !st.Testing && st.Diagnosis != nil && !st.Diagnosing
			}); err != nil {
				return err
			}
			return s.save("08-support")
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func demoBack() (string, error) {
	img, err := core.DemoCardBack()
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp("", "cnie-back-*.png")
	if err != nil {
		return "", err
	}
	defer f.Close()
	return f.Name(), png.Encode(f, img)
}
