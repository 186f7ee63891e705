package provider

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion/pivot"
	"github.com/cnie-reader/cnie-reader/internal/demoservice"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// TestInteractionCookie: the card page sets a random HttpOnly,
// SameSite=Lax cookie, Secure under https, and speaks the browser's
// language.
func TestInteractionCookie(t *testing.T) {
	cfg, err := ParseConfig([]byte(`{"clients": [{"client_id": "svc", "client_name": "Service", "redirect_uris": ["https://svc.example/cb"], "client_secret": "` + testSecret + `"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := NewKeys()
	id, err := demoservice.NewIdentity(time.Now(), "idp.example")
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(Options{Issuer: "https://idp.example", Config: cfg, Keys: keys, Trust: pki.NewStore(),
		Identity: Identity{Key: id.Key, Chain: id.Chain}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	q := url.Values{"client_id": {"svc"}, "redirect_uri": {"https://svc.example/cb"}, "response_type": {"code"},
		"scope": {"openid identite_pivot"}, "state": {"st"}, "nonce": {strings.Repeat("n", 22)}, "acr_values": {pivot.ACRChipPresent},
		"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, "code_challenge_method": {"S256"}}
	cookies := map[string]bool{}
	for _, lang := range []string{"en-GB,en;q=0.8", "fr-FR"} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "https://idp.example/authorize?"+q.Encode(), nil)
		req.Header.Set("Accept-Language", lang)
		p.ServeHTTP(rec, req)
		resp := rec.Result()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s\n%s", resp.Status, rec.Body.String())
		}
		var c *http.Cookie
		for _, k := range resp.Cookies() {
			if k.Name == cookieInteraction {
				c = k
			}
		}
		if c == nil || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || len(c.Value) < 40 || cookies[c.Value] {
			t.Fatalf("cookie %+v", c)
		}
		cookies[c.Value] = true
		body := rec.Body.String()
		want := map[string]string{"en-GB,en;q=0.8": "Prove my identity with my card", "fr-FR": pageWords["fr"]["title"]}[lang]
		if !strings.Contains(body, want) || !strings.Contains(body, "cnie-reader://authorize?") || !strings.Contains(body, "http://127.0.0.1:24780/authorize?") {
			t.Errorf("%s page:\n%s", lang, body)
		}
	}
}
