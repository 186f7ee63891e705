package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/go-jose/go-jose/v4"
	"github.com/luikyv/go-oidc/pkg/goidc"
	"golang.org/x/crypto/bcrypt"
)

// maxConfig bounds the clients file.
const maxConfig = 1 << 20

// Config is the clients file (JSON): the services that may log their users
// in through this provider.
type Config struct {
	// Name is what the provider calls itself on its pages and in the
	// requests it signs (client_name); "CNIE" when empty.
	Name    string         `json:"name,omitempty"`
	Clients []ClientConfig `json:"clients"`
}

// ClientConfig is one service, as its operator registered it.
type ClientConfig struct {
	ID   string `json:"client_id"`
	Name string `json:"client_name"`
	// RedirectURIs are matched exactly.
	RedirectURIs           []string `json:"redirect_uris"`
	PostLogoutRedirectURIs []string `json:"post_logout_redirect_uris,omitempty"`
	// Secret (client_secret_post), in clear or as a bcrypt hash; or JWKS
	// (private_key_jwt): exactly one of them.
	Secret       string          `json:"client_secret,omitempty"`
	SecretBcrypt string          `json:"client_secret_bcrypt,omitempty"`
	JWKS         json.RawMessage `json:"jwks,omitempty"`
	// Sector groups services that see the same pairwise sub (the host of
	// the first redirect URI when empty).
	Sector string `json:"sector,omitempty"`
	// UserinfoSignedResponseAlg "ES256" makes /userinfo answer a signed
	// JWT; empty: JSON.
	UserinfoSignedResponseAlg string `json:"userinfo_signed_response_alg,omitempty"`
}

// LoadConfig reads and checks a clients file.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseConfig(b)
}

// ParseConfig checks a clients file's content: unknown fields, missing
// redirect URIs, both or neither credential are refused.
func ParseConfig(b []byte) (*Config, error) {
	if len(b) > maxConfig {
		return nil, fmt.Errorf("provider config: %d bytes (at most %d)", len(b), maxConfig)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var c Config
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("provider config: %w", err)
	}
	if len(c.Clients) == 0 {
		return nil, fmt.Errorf("provider config: no client")
	}
	seen := map[string]bool{}
	for i := range c.Clients {
		cc := &c.Clients[i]
		if err := cc.check(); err != nil {
			return nil, fmt.Errorf("provider config: client %q: %w", cc.ID, err)
		}
		if seen[cc.ID] {
			return nil, fmt.Errorf("provider config: client %q twice", cc.ID)
		}
		seen[cc.ID] = true
	}
	if c.Name == "" {
		c.Name = "CNIE"
	}
	return &c, nil
}

func (cc *ClientConfig) check() error {
	if cc.ID == "" || len(cc.ID) > 200 || strings.ContainsFunc(cc.ID, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
		return fmt.Errorf("client_id must be 1 to 200 visible ASCII characters")
	}
	if cc.Name == "" {
		cc.Name = cc.ID
	}
	if len(cc.Name) > 100 || strings.ContainsFunc(cc.Name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Errorf("client_name must be at most 100 characters, without control characters")
	}
	if len(cc.RedirectURIs) == 0 {
		return fmt.Errorf("redirect_uris is empty")
	}
	for _, u := range append(slices.Clone(cc.RedirectURIs), cc.PostLogoutRedirectURIs...) {
		if err := checkRedirectURI(u); err != nil {
			return err
		}
	}
	creds := 0
	for _, set := range []bool{cc.Secret != "", cc.SecretBcrypt != "", len(cc.JWKS) > 0} {
		if set {
			creds++
		}
	}
	if creds != 1 {
		return fmt.Errorf("give exactly one of client_secret, client_secret_bcrypt, jwks")
	}
	if cc.Secret != "" && len(cc.Secret) < 32 {
		return fmt.Errorf("client_secret is shorter than 32 characters")
	}
	if len(cc.JWKS) > 0 {
		var set jose.JSONWebKeySet
		if err := json.Unmarshal(cc.JWKS, &set); err != nil || len(set.Keys) == 0 {
			return fmt.Errorf("jwks: no key (%v)", err)
		}
		for _, k := range set.Keys {
			if !k.IsPublic() {
				return fmt.Errorf("jwks: key %q holds private material", k.KeyID)
			}
		}
	}
	switch cc.UserinfoSignedResponseAlg {
	case "", string(goidc.ES256):
	default:
		return fmt.Errorf("userinfo_signed_response_alg %q (ES256 or none)", cc.UserinfoSignedResponseAlg)
	}
	if cc.Sector == "" {
		u, _ := url.Parse(cc.RedirectURIs[0])
		cc.Sector = u.Hostname()
	}
	return nil
}

// checkRedirectURI admits https, and http on loopback only (tests, demo).
func checkRedirectURI(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("redirect URI %q is not an absolute URL without fragment", s)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	default:
		return fmt.Errorf("redirect URI %q: https only (http on loopback)", s)
	}
	return nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// client is the library's view of a configured service.
func (cc *ClientConfig) client() (*goidc.Client, error) {
	c := &goidc.Client{ID: cc.ID}
	c.Name = cc.Name
	c.RedirectURIs = slices.Clone(cc.RedirectURIs)
	c.GrantTypes = []goidc.GrantType{goidc.GrantAuthorizationCode}
	c.ResponseTypes = []goidc.ResponseType{goidc.ResponseTypeCode}
	c.ScopeIDs = "openid " + ScopeIdentitePivot
	c.IDTokenSigAlg = goidc.ES256
	c.UserInfoSigAlg = goidc.SignatureAlgorithm(cc.UserinfoSignedResponseAlg)
	c.SubIdentifierType = goidc.SubIdentifierPublic // already pairwise: see claims.go
	switch {
	case len(cc.JWKS) > 0:
		var set goidc.JSONWebKeySet
		if err := json.Unmarshal(cc.JWKS, &set); err != nil {
			return nil, err
		}
		c.PublicJWKS = &set
		c.TokenAuthnMethod = goidc.ClientAuthnPrivateKeyJWT
	case cc.SecretBcrypt != "":
		c.HashedSecret = cc.SecretBcrypt
		c.TokenAuthnMethod = goidc.ClientAuthnSecretPost
	default:
		h, err := bcrypt.GenerateFromPassword([]byte(cc.Secret), bcrypt.DefaultCost)
		if err != nil {
			return nil, err
		}
		c.HashedSecret = string(h)
		c.TokenAuthnMethod = goidc.ClientAuthnSecretPost
	}
	return c, nil
}
