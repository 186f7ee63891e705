package demoservice_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/problem"
	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/answer"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/internal/demoservice"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// site is one demo service on loopback, remembering the last vp_token
// the application posted to it.
type site struct {
	svc    *demoservice.Service
	srv    *httptest.Server
	mu     sync.Mutex
	posted string
}

var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func newSite(t *testing.T, store *pki.Store) *site {
	s := &site{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/response" {
			r.ParseForm()
			s.mu.Lock()
			s.posted = r.PostForm.Get("vp_token")
			s.mu.Unlock()
		}
		s.svc.ServeHTTP(w, r)
	}))
	t.Cleanup(s.srv.Close)
	var err error
	base := strings.Replace(s.srv.URL, "127.0.0.1", "localhost", 1)
	if s.svc, err = demoservice.New("localhost", base, "http://127.0.0.1:1/authorize", store); err != nil {
		t.Fatal(err)
	}
	// The refusal is worded as the command line's demo service words it.
	s.svc.Describe = func(err error) string { return problem.In(i18n.Locale{Lang: "en"}, err).Message }
	return s
}

// start presses the site's button and returns the request it made, as
// the application verifies it.
func (s *site) start(t *testing.T) *request.Request {
	t.Helper()
	return s.startWith(t, "")
}

// startWith is start from a browser asking for the languages accept
// (an Accept-Language header; none when empty).
func (s *site) startWith(t *testing.T, accept string) *request.Request {
	t.Helper()
	post, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/start", nil)
	if accept != "" {
		post.Header.Set("Accept-Language", accept)
	}
	resp, err := noFollow.Do(post)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	req, err := (&request.Verifier{AllowLoopbackHTTP: true}).Verify(loc.Query().Get("request"))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func (s *site) result(t *testing.T, state string) string {
	t.Helper()
	resp, err := http.Get(s.srv.URL + "/result?state=" + url.QueryEscape(state))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// The assertion the application really posted to service A, relabelled
// with service B's nonce and stripped of its proof of presence, must not
// give B an identity.
func TestRelabelledAssertionRefused(t *testing.T) {
	card, err := sim.NewNamed(sim.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	store := pki.NewStore()
	if err := store.AddDemoCSCA(card.DemoCSCA()); err != nil {
		t.Fatal(err)
	}
	a, b := newSite(t, store), newSite(t, store)

	// The honest journey with A, as the application does it.
	reqA := a.start(t)
	scope := assertion.NewScope(reqA.Asked)
	doc, err := reader.Read(context.Background(), card, reader.Secret{CAN: sim.DefaultCAN},
		reader.Options{ChallengeFor: answer.ChallengeFor(reqA, scope)})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := answer.Build(reqA, scope, &doc.Document, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := answer.Send(context.Background(), nil, reqA, tok); err != nil {
		t.Fatal(err)
	}
	if page := a.result(t, reqA.State); !strings.Contains(page, "Identity verified") {
		t.Fatalf("the honest answer to A was not accepted:\n%s", page)
	}

	// What A received, presented to B.
	a.mu.Lock()
	seen := a.posted
	a.mu.Unlock()
	for _, drop := range []bool{false, true} {
		reqB := b.start(t)
		stolen, err := assertion.ParseToken([]byte(seen))
		if err != nil {
			t.Fatal(err)
		}
		stolen.ClientID, stolen.Nonce = reqB.ClientID, reqB.Nonce
		stolen.ChipPresence = assertion.Presence{Provable: false, Method: "none", Statement: "NOT PROVABLE"}
		if drop {
			delete(stolen.DataGroups, "DG14")
			delete(stolen.DataGroups, "DG15")
		}
		body, _ := stolen.Marshal()
		resp, err := http.PostForm(b.srv.URL+"/response", url.Values{"vp_token": {string(body)}, "state": {reqB.State}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		page := b.result(t, reqB.State)
		if strings.Contains(page, "Identity verified") || !strings.Contains(page, "No identity received") {
			t.Fatalf("drop evidence %v: B accepted a relabelled assertion:\n%s", drop, page)
		}
		if !strings.Contains(page, "proof of presence was stripped") {
			t.Errorf("drop evidence %v: the refusal does not say why:\n%s", drop, page)
		}
	}
}
