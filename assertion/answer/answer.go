// Package answer is the application's side of a request once the holder
// has decided: the Active Authentication challenge to use while reading,
// then the assertion or the refusal posted to the service (OpenID4VP
// direct_post), and where the service sends the browser next.
package answer

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// ChallengeFor is the reader option that makes the chip sign this request
// and what the scope sends (reader.Options.ChallengeFor).
func ChallengeFor(req *request.Request, scope *assertion.Scope) func(*document.Document) ([]byte, error) {
	return func(doc *document.Document) ([]byte, error) {
		return assertion.Challenge(req.Nonce, req.ClientID, doc.SOD, assertion.SentGroups(scope, doc)), nil
	}
}

// Build makes the assertion of a read for req.
func Build(req *request.Request, scope *assertion.Scope, doc *document.Document, report *verify.Report) (*assertion.Token, error) {
	return assertion.Build(req.ClientID, req.Nonce, scope, doc, report, time.Now())
}

// maxAnswer bounds what the service may say back.
const maxAnswer = 64 << 10

// Send posts the assertion to the service's response_uri and returns the
// redirect_uri the service gives for the browser (may be empty).
func Send(ctx context.Context, client *http.Client, req *request.Request, t *assertion.Token) (string, error) {
	b, err := t.Marshal()
	if err != nil {
		return "", err
	}
	return post(ctx, client, req, url.Values{"vp_token": {string(b)}, "state": {req.State}})
}

// Refuse tells the service the holder said no: no data, only the refusal.
func Refuse(ctx context.Context, client *http.Client, req *request.Request) (string, error) {
	return post(ctx, client, req, url.Values{"error": {"access_denied"},
		"error_description": {"The holder refused."}, "state": {req.State}})
}

func post(ctx context.Context, client *http.Client, req *request.Request, form url.Values) (string, error) {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	// Never follow a redirect with the data: the answer goes to response_uri only.
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, req.ResponseURI, strings.NewReader(form.Encode()))
	if err != nil {
		return "", assertion.Wrap(assertion.Network, "post", err)
	}
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(hr)
	if err != nil {
		return "", assertion.Wrap(assertion.Network, "post", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if resp.StatusCode != http.StatusOK {
		return "", assertion.Errorf(assertion.Network, "post", "the service answered %s: %.200s", resp.Status, body)
	}
	var r struct {
		RedirectURI string `json:"redirect_uri"`
	}
	if len(body) > 0 && json.Unmarshal(body, &r) != nil {
		return "", assertion.Errorf(assertion.Network, "post", "the service's answer is not JSON")
	}
	if r.RedirectURI != "" {
		u, err := url.Parse(r.RedirectURI)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
			return "", assertion.Errorf(assertion.Network, "post", "redirect_uri %q", r.RedirectURI)
		}
	}
	return r.RedirectURI, nil
}
