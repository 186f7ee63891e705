package gui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/app/claimtext"
	"github.com/cnie-reader/cnie-reader/app/viewmodel"
	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
)

// fakeService records what the application posts to it.
type fakeService struct {
	*httptest.Server
	mu    sync.Mutex
	forms []url.Values
}

func newFakeService(t *testing.T) *fakeService {
	f := &fakeService{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		f.mu.Lock()
		f.forms = append(f.forms, r.PostForm)
		f.mu.Unlock()
		w.Write([]byte(`{"redirect_uri":"https://service.example/done"}`))
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeService) posted() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.forms...)
}

func testRequest(svc *fakeService, demo bool) *request.Request {
	now := time.Now()
	return &request.Request{
		Claims: request.Claims{ClientID: "x509_san_dns:service.example", ResponseType: "vp_token", ResponseMode: "direct_post",
			ResponseURI: svc.URL + "/cb", Nonce: "n-gui", State: "s-gui", IssuedAt: now.Unix(), Expires: now.Add(5 * time.Minute).Unix(),
			Purpose: "Ouvrir un compte"},
		Host: "service.example", Name: "Service Exemple", Trust: request.Unknown, Demo: demo, Expires: now.Add(5 * time.Minute),
		Asked: []assertion.Ask{{Datum: assertion.FamilyName, Required: true}, {Datum: assertion.BirthDate, Required: true}, {Datum: assertion.Photo}},
	}
}

type handled struct {
	redirect string
	err      error
}

// ask hands a request to the application as the intake would.
func ask(u *UI, req *request.Request) chan handled {
	out := make(chan handled, 1)
	go func() {
		r, err := u.Online.Handle(context.Background(), req)
		out <- handled{r, err}
	}()
	return out
}

func (u *UI) step(id viewmodel.StepID) stepView { return u.citizenView().steps[id] }

// readDemoToConsent goes from the reader step through the DEMO card's
// read to the consent step.
func readDemoToConsent(t *testing.T, u *UI) {
	t.Helper()
	onUI(func() { test.Tap(u.step(viewmodel.StepReader).(*readerStep).demo) })
	cs := u.step(viewmodel.StepCAN).(*canStep)
	onUI(func() { test.Type(cs.entry, "123456") })
	onUI(func() { test.Tap(cs.next) })
	onUI(func() { test.Tap(u.step(viewmodel.StepPlace).(*placeStep).lay) })
	waitFor(t, "consent", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepConsent })
}

func labels(t *testing.T, items []assertion.Item) string {
	var s []string
	for _, it := range items {
		s = append(s, claimtext.Item(it))
	}
	return strings.Join(s, " | ")
}

func TestConsentSendsOnlyWhatTheHolderLetGo(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	svc := newFakeService(t)
	done := ask(u, testRequest(svc, false))
	waitFor(t, "request screen", func() bool {
		return u.Current() == ScreenCitizen && u.Citizen.Wizard.Current() == viewmodel.StepRequest
	})
	rs := u.step(viewmodel.StepRequest).(*requestStep)
	waitFor(t, "switches", func() bool { return len(rs.switches) == 1 })
	// Required data are shown as such, the optional one has a switch.
	var asked []string
	onUI(func() {
		for _, o := range rs.asked.Objects {
			if cb, ok := o.(*checkbox); ok {
				asked = append(asked, "switch:"+cb.Text)
			} else {
				asked = append(asked, "fixed")
			}
		}
	})
	if len(asked) != 3 || asked[0] != "fixed" || asked[1] != "fixed" || !strings.Contains(asked[2], "Photo") || !strings.Contains(asked[2], "facultatif") {
		t.Fatalf("asked rows %v", asked)
	}
	// An unknown service is a loud warning.
	if !rs.header.warning.Visible() || rs.header.demo.Visible() {
		t.Fatal("no warning for an unknown service")
	}
	if !strings.Contains(labels(t, u.Online.Leaves()), "Photo") {
		t.Fatal("the photo is not listed as leaving")
	}
	onUI(func() { test.Tap(rs.switches[assertion.Photo]) })
	if u.Online.Scope().On(assertion.Photo) || strings.Contains(labels(t, u.Online.Leaves()), "Photo") {
		t.Fatal("switching the photo off did not change what leaves")
	}
	// The screen's list follows the switch at once, not only the model.
	onUI(func() {
		for _, o := range rs.leaves.Objects {
			if l := o.(*widget.Label).Text; strings.Contains(l, "Photo") {
				t.Errorf("the list still shows %q after the photo was switched off", l)
			}
		}
	})
	// The MRZ's other fields ride along, and the list says so.
	if l := labels(t, u.Online.Leaves()); !strings.Contains(l, "Numéro du document") || !strings.Contains(l, "Sexe") {
		t.Fatalf("leaves: %s", l)
	}
	onUI(func() { test.Tap(rs.next) })
	if u.Citizen.Wizard.Current() != viewmodel.StepReader {
		t.Fatalf("step %s", u.Citizen.Wizard.Current())
	}
	readDemoToConsent(t, u)
	con := u.step(viewmodel.StepConsent).(*consentStep)
	waitFor(t, "values listed", func() bool { return len(con.leaves.Objects) > 5 })
	var shown []string
	onUI(func() {
		for _, o := range con.leaves.Objects {
			shown = append(shown, o.(*widget.Label).Text)
		}
	})
	// After the read the values themselves are listed.
	if all := strings.Join(shown, "\n"); !strings.Contains(all, "DEMO") || !strings.Contains(all, "1990") || strings.Contains(all, "Photo") {
		t.Fatalf("consent shows:\n%s", all)
	}
	// Dates in words, as on every other screen: never ISO.
	if all := strings.Join(shown, "\n"); regexp.MustCompile(`\d{4}-\d{2}-\d{2}`).MatchString(all) ||
		!regexp.MustCompile(`\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}`).MatchString(all) {
		t.Errorf("dates not in words:\n%s", all)
	}
	if len(svc.posted()) != 0 {
		t.Fatal("something left before Send")
	}
	if u.Window.Canvas().Focused() != con.refuse {
		t.Error("the focus is not on Refuse")
	}
	onUI(func() { test.Tap(con.send) })
	h := <-done
	if h.err != nil || h.redirect != "https://service.example/done" {
		t.Fatalf("%+v", h)
	}
	forms := svc.posted()
	if len(forms) != 1 || forms[0].Get("state") != "s-gui" || forms[0].Get("error") != "" {
		t.Fatalf("posted %v", forms)
	}
	tok, err := assertion.ParseToken([]byte(forms[0].Get("vp_token")))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := tok.DataGroups["DG2"]; ok {
		t.Fatal("the photo left although switched off")
	}
	if tok.Nonce != "n-gui" || !tok.ChipPresence.Provable || len(tok.Released) != 2 {
		t.Fatalf("token %+v", tok.Released)
	}
	waitFor(t, "sent screen", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepSent })
	sent := u.step(viewmodel.StepSent).(*sentStep)
	waitFor(t, "presence said", func() bool { return strings.Contains(sent.explain.Text, "a signé cette demande") })
	if st := u.Citizen.Reading.State(); st.Result != nil {
		t.Error("the read is kept after sending")
	}
}

func TestRefuseSendsOnlyTheRefusal(t *testing.T) {
	for _, when := range []viewmodel.StepID{viewmodel.StepRequest, viewmodel.StepConsent} {
		t.Run(string(when), func(t *testing.T) {
			u := newTestUI(t, "en", "", noReader)
			svc := newFakeService(t)
			done := ask(u, testRequest(svc, true))
			waitFor(t, "request screen", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepRequest })
			rs := u.step(viewmodel.StepRequest).(*requestStep)
			waitFor(t, "header", func() bool { return rs.header.host.Text == "service.example" })
			if !rs.header.demo.Visible() || rs.header.warning.Visible() {
				t.Error("a DEMO service must say DEMO")
			}
			refuse := rs.refuse
			if when == viewmodel.StepConsent {
				onUI(func() { test.Tap(rs.next) })
				readDemoToConsent(t, u)
				refuse = u.step(viewmodel.StepConsent).(*consentStep).refuse
			}
			onUI(func() { test.Tap(refuse) })
			h := <-done
			if h.err != nil || h.redirect != "https://service.example/done" {
				t.Fatalf("%+v", h)
			}
			forms := svc.posted()
			if len(forms) != 1 || forms[0].Get("error") != "access_denied" || forms[0].Has("vp_token") {
				t.Fatalf("posted %v", forms)
			}
			sent := u.step(viewmodel.StepSent).(*sentStep)
			waitFor(t, "refused shown", func() bool { return strings.Contains(sent.explain.Text, "no data") })
			onUI(func() { test.Tap(sent.close) })
			if u.Current() != ScreenHome || u.Online.State().Phase != viewmodel.NoRequest {
				t.Fatal("not back home")
			}
		})
	}
}

func TestLeavingTheScreenRefuses(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	svc := newFakeService(t)
	done := ask(u, testRequest(svc, false))
	waitFor(t, "request screen", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepRequest })
	onUI(func() { test.Tap(u.home) })
	h := <-done
	if h.err != nil || len(svc.posted()) != 1 || svc.posted()[0].Get("error") != "access_denied" {
		t.Fatalf("%+v %v", h, svc.posted())
	}
}
