package demoservice

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"image/png"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/assertion/verifier"
	"github.com/cnie-reader/cnie-reader/reader/faceimage"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// Service is the demo web site. Its handler serves:
//
//	GET  /          the page with the "prove my identity" button
//	POST /start     makes a signed request and sends the browser to the app
//	POST /response  the app's direct_post answer (assertion or refusal)
//	GET  /result    what the verifier concluded
type Service struct {
	// Host is the service's name (its client_id host and certificate SAN).
	Host string
	// Base is the service's own address as the browser and the app reach
	// it, e.g. http://localhost:8080.
	Base string
	// AppURL is where browsers are sent: the app's intake.
	AppURL   string
	Identity *Identity
	Verifier *verifier.Verifier
	// Ask is what the service asks for.
	Ask []assertion.Ask
	// Name (client_name) and Purpose are what its requests tell the
	// holder of the service and of why it asks; New takes them from
	// pages/request.json. Purposes, when it has the browser's language
	// ("fr" or "en", from Accept-Language), is the purpose in it: a request
	// carries one purpose, in one language.
	Name, Purpose string
	Purposes      map[string]string
	// Label names a datum on the result page; nil shows its protocol name.
	Label func(assertion.Datum) string
	// Describe words a refused assertion on the result page (app/problem's
	// sentences for the service); nil shows the error's technical text.
	Describe func(error) string

	mu      sync.Mutex
	pending map[string]request.Claims   // by state
	results map[string]*verifier.Result // by state
	errs    map[string]error            // by state
}

// New makes the demo service for host, reachable at base, trusting store's CSCAs.
func New(host, base, appURL string, store *pki.Store) (*Service, error) {
	id, err := NewIdentity(time.Now(), host)
	if err != nil {
		return nil, err
	}
	return &Service{Host: host, Base: base, AppURL: appURL, Identity: id, Name: requestWords.Name, Purpose: requestWords.Purpose["fr"], Purposes: requestWords.Purpose,
		Verifier: &verifier.Verifier{Store: store, Seen: &request.StoreReplay{Max: 10000}},
		Ask: []assertion.Ask{{Datum: assertion.FamilyName, Required: true}, {Datum: assertion.GivenNames, Required: true},
			{Datum: assertion.BirthDate, Required: true}, {Datum: assertion.Photo}, {Datum: assertion.Address}},
		pending: map[string]request.Claims{}, results: map[string]*verifier.Result{}, errs: map[string]error{}}, nil
}

// purpose is the purpose in the language of the browser that asked.
func (s *Service) purpose(r *http.Request) string {
	if p := s.Purposes[requestLang(r)]; p != "" {
		return p
	}
	return s.Purpose
}

// label names d for the result page.
func (s *Service) label(d assertion.Datum) string {
	if s.Label == nil {
		return string(d)
	}
	return s.Label(d)
}

func random() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	switch {
	case r.URL.Path == "/" && r.Method == http.MethodGet:
		s.render(w, homePage, nil)
	case r.URL.Path == "/start" && r.Method == http.MethodPost:
		s.start(w, r)
	case r.URL.Path == "/response" && r.Method == http.MethodPost:
		s.response(w, r)
	case r.URL.Path == "/result" && r.Method == http.MethodGet:
		s.result(w, r)
	default:
		http.NotFound(w, r)
	}
}

// start makes a request and sends the browser to the app.
func (s *Service) start(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	c := request.Claims{
		ClientID: request.ClientIDPrefix + s.Host, ResponseType: "vp_token", ResponseMode: "direct_post",
		ResponseURI: s.Base + "/response", Nonce: random(), State: random(), IssuedAt: now.Unix(), Expires: now.Add(5 * time.Minute).Unix(),
		Purpose:        s.purpose(r),
		ClientMetadata: request.ClientMetadata{ClientName: s.Name},
		DCQL:           request.Ask(s.Ask...),
	}
	jws, err := request.Sign(c, jose.ES256, s.Identity.Key, s.Identity.Chain)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.mu.Lock()
	s.pending[c.State] = c
	s.mu.Unlock()
	http.Redirect(w, r, s.AppURL+"?"+url.Values{"client_id": {c.ClientID}, "request": {jws}}.Encode(), http.StatusSeeOther)
}

// response takes the app's direct_post and verifies it against the
// request this service made.
func (s *Service) response(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, assertion.MaxTokenSize+4096)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	state := r.PostForm.Get("state")
	s.mu.Lock()
	c, ok := s.pending[state]
	delete(s.pending, state)
	s.mu.Unlock()
	if !ok {
		http.Error(w, "unknown or already answered state", http.StatusBadRequest)
		return
	}
	var res *verifier.Result
	var err error
	if e := r.PostForm.Get("error"); e != "" {
		err = assertion.Errorf(assertion.Refused, "holder", "%s", e)
	} else {
		res, err = s.Verifier.Verify([]byte(r.PostForm.Get("vp_token")), state,
			verifier.Expected{ClientID: c.ClientID, Nonce: c.Nonce, State: c.State, Expires: time.Unix(c.Expires, 0)})
	}
	s.mu.Lock()
	s.results[state], s.errs[state] = res, err
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"redirect_uri":%q}`, s.Base+"/result?state="+url.QueryEscape(state))
}

// Outcome returns what the verifier concluded for a state.
func (s *Service) Outcome(state string) (*verifier.Result, error, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, ok := s.results[state]
	return res, s.errs[state], ok
}

func (s *Service) result(w http.ResponseWriter, r *http.Request) {
	res, err, ok := s.Outcome(r.URL.Query().Get("state"))
	if !ok {
		http.Error(w, "unknown state", http.StatusNotFound)
		return
	}
	v := resultView{Error: err}
	if err != nil {
		v.Message = err.Error()
		if s.Describe != nil {
			v.Message = s.Describe(err)
		}
	}
	if res != nil {
		v.Demo, v.Present, v.NotProven, v.Issuer = res.Demo, res.ChipPresence == verifier.ChipPresent, res.NotProven, res.Issuer
		for _, d := range res.Released {
			if val, ok := res.Data[d]; ok {
				v.Rows = append(v.Rows, [2]string{s.label(d), val})
			}
		}
		if len(res.Photo) > 0 {
			if img, err := faceimage.Decode(res.PhotoFormat, res.Photo); err == nil {
				var b bytes.Buffer
				if png.Encode(&b, img) == nil {
					v.Photo = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes()))
				}
			}
		}
	}
	s.render(w, resultPage, v)
}

type resultView struct {
	Error     error
	Message   string
	Demo      bool
	Present   bool
	Issuer    string
	Rows      [][2]string
	NotProven []string
	Photo     template.URL
}

func (s *Service) render(w http.ResponseWriter, t *template.Template, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := t.Execute(w, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}
