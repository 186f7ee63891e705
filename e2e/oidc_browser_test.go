package e2e

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/cnie-reader/cnie-reader/assertion/pivot"
)

// untilReturn runs a login until the application sends the browser back
// to the provider, and returns that address (with its response_code).
func (w *oidcWorld) untilReturn(t *testing.T, b *userAgent, conf *oauth2.Config) string {
	t.Helper()
	link := w.startLogin(t, b, conf.AuthCodeURL("st", authParams(randomString(24), oauth2.GenerateVerifier(), pivot.ACRDemoPresent)...))
	resp, body := b.get(t, link)
	loc, err := resp.Location()
	if err != nil || loc.Path != "/cnie/return" || loc.Query().Get("response_code") == "" {
		t.Fatalf("the application did not send the browser back: %s %v\n%s\n%s", resp.Status, loc, body, w.logs.String())
	}
	return loc.String()
}

func stopAtReturn(u *url.URL) bool { return u.Path == "/cnie/return" }

// TestOIDCRelayedInteraction: the link back from the application, opened
// in another browser (no interaction cookie), logs nobody in; the browser
// that started the login finishes it, once.
func TestOIDCRelayedInteraction(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w := newOIDCWorld(t, 0)
	_, conf := w.rp(t, ctx)
	holder := newBrowser(t, stopAtReturn)
	back := w.untilReturn(t, holder, conf)

	attacker := newBrowser(t, w.stopAtService)
	resp, body := attacker.get(t, back)
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || !strings.Contains(body, `id="error">access_denied<`) {
		t.Fatalf("relayed link: %s %q\n%s", resp.Status, resp.Header.Get("Location"), body)
	}

	holder = &userAgent{c: &http.Client{Jar: holder.c.Jar, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if w.stopAtService(r.URL) {
			return http.ErrUseLastResponse
		}
		return nil
	}}}
	resp, body = holder.get(t, back)
	loc, err := resp.Location()
	if err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("the holder's browser: %s %v\n%s", resp.Status, loc, body)
	}
	if resp, _ := holder.get(t, back); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("the link back worked twice: %s", resp.Status)
	}
	checkNoPersonalData(t, w.logs.String())
}

// TestOIDCExpiredInteraction: past its lifetime, the interaction is gone:
// the browser coming back gets invalid_request and no code.
func TestOIDCExpiredInteraction(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w := newOIDCWorld(t, 2*time.Second)
	_, conf := w.rp(t, ctx)
	holder := newBrowser(t, stopAtReturn)
	back := w.untilReturn(t, holder, conf)
	time.Sleep(2500 * time.Millisecond)
	holder = &userAgent{c: &http.Client{Jar: holder.c.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	resp, body := holder.get(t, back)
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || !strings.Contains(body, `id="error">invalid_request<`) || !strings.Contains(body, "expired") {
		t.Fatalf("expired interaction: %s %q\n%s", resp.Status, resp.Header.Get("Location"), body)
	}
}

// TestOIDCHolderRefuses: the holder says no in the application: back at
// the service with access_denied, no code.
func TestOIDCHolderRefuses(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w := newOIDCWorld(t, 0)
	w.refuse = true
	_, conf := w.rp(t, ctx)
	back := w.login(t, newBrowser(t, w.stopAtService), conf.AuthCodeURL("st", authParams(randomString(24), oauth2.GenerateVerifier(), pivot.ACRDemoPresent)...))
	if back.Query().Get("error") != "access_denied" || back.Query().Has("code") || back.Query().Get("state") != "st" {
		t.Fatalf("back at the service with %s", back)
	}
}
