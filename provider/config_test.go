package provider

import (
	"strings"
	"testing"
)

func TestParseConfigRefuses(t *testing.T) {
	const secret = `"client_secret": "0123456789abcdef0123456789abcdef"`
	for name, c := range map[string]string{
		"not JSON":            `{`,
		"unknown field":       `{"clients": [{"client_id": "a", "redirect_uris": ["https://a.example/cb"], ` + secret + `, "grant_types": ["implicit"]}]}`,
		"no client":           `{"clients": []}`,
		"no redirect":         `{"clients": [{"client_id": "a", ` + secret + `}]}`,
		"http redirect":       `{"clients": [{"client_id": "a", "redirect_uris": ["http://a.example/cb"], ` + secret + `}]}`,
		"fragment":            `{"clients": [{"client_id": "a", "redirect_uris": ["https://a.example/cb#x"], ` + secret + `}]}`,
		"no credential":       `{"clients": [{"client_id": "a", "redirect_uris": ["https://a.example/cb"]}]}`,
		"short secret":        `{"clients": [{"client_id": "a", "redirect_uris": ["https://a.example/cb"], "client_secret": "short"}]}`,
		"two credentials":     `{"clients": [{"client_id": "a", "redirect_uris": ["https://a.example/cb"], ` + secret + `, "jwks": {"keys": []}}]}`,
		"private jwk":         `{"clients": [{"client_id": "a", "redirect_uris": ["https://a.example/cb"], "jwks": {"keys": [{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}]}}]}`,
		"userinfo RS256":      `{"clients": [{"client_id": "a", "redirect_uris": ["https://a.example/cb"], ` + secret + `, "userinfo_signed_response_alg": "none"}]}`,
		"control in name":     `{"clients": [{"client_id": "a", "client_name": "A\u001b[2J", "redirect_uris": ["https://a.example/cb"], ` + secret + `}]}`,
		"space in client_id":  `{"clients": [{"client_id": "a b", "redirect_uris": ["https://a.example/cb"], ` + secret + `}]}`,
		"client twice":        `{"clients": [{"client_id": "a", "redirect_uris": ["https://a.example/cb"], ` + secret + `}, {"client_id": "a", "redirect_uris": ["https://a.example/cb"], ` + secret + `}]}`,
		"bad logout redirect": `{"clients": [{"client_id": "a", "redirect_uris": ["https://a.example/cb"], "post_logout_redirect_uris": ["javascript:alert(1)"], ` + secret + `}]}`,
	} {
		if _, err := ParseConfig([]byte(c)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := ParseConfig([]byte(strings.Repeat(" ", maxConfig+1))); err == nil {
		t.Error("a huge file was accepted")
	}
}

func TestParseConfigDefaults(t *testing.T) {
	c, err := ParseConfig([]byte(`{"clients": [{"client_id": "a", "redirect_uris": ["https://svc.example/cb", "http://127.0.0.1:8080/cb"], "client_secret": "0123456789abcdef0123456789abcdef"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	cc := c.Clients[0]
	if c.Name != "CNIE" || cc.Name != "a" || cc.Sector != "svc.example" {
		t.Errorf("defaults: %q %q %q", c.Name, cc.Name, cc.Sector)
	}
	cl, err := cc.client()
	if err != nil || cl.HashedSecret == "" || cl.HashedSecret == cc.Secret || cl.TokenAuthnMethod != "client_secret_post" {
		t.Errorf("library client: %+v %v", cl, err)
	}
}

// TestExampleConfig: the example shipped for operators loads.
func TestExampleConfig(t *testing.T) {
	c, err := LoadConfig("clients.example.json")
	if err != nil {
		t.Fatal(err)
	}
	for i := range c.Clients {
		if _, err := c.Clients[i].client(); err != nil {
			t.Errorf("%s: %v", c.Clients[i].ID, err)
		}
	}
}

// TestPurposeBounded: the longest names still make a request the
// application accepts (512 bytes per text), in one language.
func TestPurposeBounded(t *testing.T) {
	long := strings.Repeat("é", 50)
	host := strings.Repeat("a", 60) + "." + strings.Repeat("b", 60) + "." + strings.Repeat("c", 60) + "." + strings.Repeat("d", 60) + ".example"
	for lang, word := range map[string]string{"fr": "Connexion", "en": "Log in"} {
		p := purposeFor(lang, long, host)
		if len(p) > maxPurpose || !strings.Contains(p, long) || !strings.HasPrefix(p, word) || strings.Contains(p, " / ") {
			t.Errorf("%s, %d bytes: %q", lang, len(p), p)
		}
	}
}
