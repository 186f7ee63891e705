// Package request reads and checks a service's signed request, shaped on
// OpenID for Verifiable Presentations 1.0: a JWS (compact, "typ"
// oauth-authz-req+jwt) whose "x5c" header carries the service's
// certificate chain, with client_id "x509_san_dns:<host>" where <host> is in
// the leaf certificate's DNS SANs, and response_mode "direct_post".
//
// What is asked goes in "dcql_query": one credential of format
// "cnie-reader/icao-lds" whose claims each name one datum by its path
// (["family_name"]); a claim with "required": false is optional — this
// profile's one extension to DCQL, which has no per-claim optionality.
package request

import (
	"crypto/x509"
	"net"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cnie-reader/cnie-reader/assertion"
)

// CredentialFormat is the DCQL format of what this application presents.
const CredentialFormat = "cnie-reader/icao-lds"

// ClientIDPrefix is the only client identifier scheme accepted.
const ClientIDPrefix = "x509_san_dns:"

// Limits on what a request may hold (checked before anything is parsed).
const (
	MaxRequestSize = 16 << 10
	MaxLifetime    = 10 * time.Minute
	ClockSkew      = time.Minute
	maxText        = 512
)

// Claims are the request object's fields this application reads.
type Claims struct {
	Issuer         string         `json:"iss,omitempty"`
	Audience       string         `json:"aud,omitempty"`
	ClientID       string         `json:"client_id"`
	ResponseType   string         `json:"response_type"`
	ResponseMode   string         `json:"response_mode"`
	ResponseURI    string         `json:"response_uri"`
	Nonce          string         `json:"nonce"`
	State          string         `json:"state"`
	IssuedAt       int64          `json:"iat"`
	Expires        int64          `json:"exp"`
	Purpose        string         `json:"purpose"`
	ClientMetadata ClientMetadata `json:"client_metadata"`
	DCQL           DCQL           `json:"dcql_query"`
	// RelyingParty, when the client is an identity provider, is the
	// service the citizen logs in to through it: the consent screen names
	// both. It is the provider's word, vouched for as far as the provider's
	// certificate is (this profile's extension; absent otherwise).
	RelyingParty *RelyingParty `json:"relying_party,omitempty"`
}

// RelyingParty names the service behind an identity provider.
type RelyingParty struct {
	Name string `json:"name"`
	Host string `json:"host"`
}

// ClientMetadata describes the service.
type ClientMetadata struct {
	ClientName string `json:"client_name,omitempty"`
}

// DCQL is the Digital Credentials Query Language query.
type DCQL struct {
	Credentials []CredentialQuery `json:"credentials"`
}

// CredentialQuery asks for one credential.
type CredentialQuery struct {
	ID     string       `json:"id"`
	Format string       `json:"format"`
	Claims []ClaimQuery `json:"claims"`
}

// ClaimQuery asks for one datum.
type ClaimQuery struct {
	Path     []string `json:"path"`
	Required *bool    `json:"required,omitempty"` // absent: required
}

// Ask builds the claims of a request for data, required or not.
func Ask(asks ...assertion.Ask) DCQL {
	q := CredentialQuery{ID: "cnie", Format: CredentialFormat}
	for _, a := range asks {
		req := a.Required
		q.Claims = append(q.Claims, ClaimQuery{Path: []string{string(a.Datum)}, Required: &req})
	}
	return DCQL{Credentials: []CredentialQuery{q}}
}

// Trust says how far the service's certificate is vouched for.
type Trust int

const (
	// Unknown: nobody this computer trusts vouches for the certificate;
	// only the name inside it is known. Shown as a loud warning.
	Unknown Trust = iota
	// PublicCA: the chain ends in one of the system's certification
	// authorities, for this host name (as for a web site).
	PublicCA
	// Listed: the user put the certificate (or its issuer) in the trust
	// list of services.
	Listed
)

// Request is a verified request.
type Request struct {
	Claims
	// Host is the service's DNS name, from client_id, checked against the
	// certificate.
	Host string
	// Name is what the service calls itself (client_name, else the
	// certificate's organisation, else the host).
	Name        string
	Certificate *x509.Certificate
	Chain       []*x509.Certificate
	Trust       Trust
	// Demo: one of the DEMO services this application ships (the chain
	// ends at [DemoCA], the host is loopback); never a real service.
	Demo bool
	// Asked lists the data asked for, each required or optional.
	Asked   []assertion.Ask
	Expires time.Time
}

// checkClaims checks everything in the claims that does not need the
// certificate: the shape of an OpenID4VP direct_post request, bounded.
func checkClaims(c *Claims, now time.Time, allowLoopbackHTTP bool) (host string, asked []assertion.Ask, err error) {
	bad := func(kind assertion.Kind, format string, args ...any) (string, []assertion.Ask, error) {
		return "", nil, assertion.Errorf(kind, "request", format, args...)
	}
	for name, v := range map[string]string{"client_id": c.ClientID, "response_uri": c.ResponseURI, "nonce": c.Nonce,
		"state": c.State, "purpose": c.Purpose, "client_name": c.ClientMetadata.ClientName} {
		if len(v) > maxText || !utf8.ValidString(v) {
			return bad(assertion.Malformed, "%s is too long or not UTF-8", name)
		}
		// Every text here is shown or printed somewhere (the holder's
		// screen, the terminal of `serve`, a support report): one escape
		// sequence could erase a warning or fake a line.
		if i := strings.IndexFunc(v, assertion.Deceptive); i >= 0 {
			r, _ := utf8.DecodeRuneInString(v[i:])
			return bad(assertion.DeceptiveText, "%s holds the control character %U", name, r)
		}
	}
	if err := checkRelyingParty(c.RelyingParty); err != nil {
		return "", nil, err
	}
	host, ok := strings.CutPrefix(c.ClientID, ClientIDPrefix)
	if !ok || host == "" || strings.ContainsAny(host, "/:@ ") {
		return bad(assertion.Unsupported, "client_id %q: only x509_san_dns:<host> is accepted", c.ClientID)
	}
	// x509_san_dns names a DNS name: an IP address would be matched
	// against the certificate's IP SANs, which this scheme does not cover.
	if net.ParseIP(host) != nil {
		return bad(assertion.HostMismatch, "client_id %q names an IP address, not a DNS name", c.ClientID)
	}
	if c.ResponseType != "vp_token" {
		return bad(assertion.Unsupported, "response_type %q", c.ResponseType)
	}
	if c.ResponseMode != "direct_post" {
		return bad(assertion.Unsupported, "response_mode %q", c.ResponseMode)
	}
	if c.Nonce == "" || c.State == "" {
		return bad(assertion.Malformed, "nonce and state are required")
	}
	if c.Purpose == "" {
		return bad(assertion.Malformed, "purpose is required: the holder must be told why")
	}
	u, err := url.Parse(c.ResponseURI)
	if err != nil || u.Host == "" || u.User != nil || u.Fragment != "" {
		return bad(assertion.Malformed, "response_uri %q", c.ResponseURI)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && allowLoopbackHTTP && isLoopback(u.Hostname()) && isLoopback(host):
	default:
		return bad(assertion.HostMismatch, "response_uri must be https (http only on loopback, for the demo): %q", c.ResponseURI)
	}
	if !strings.EqualFold(u.Hostname(), host) {
		return bad(assertion.HostMismatch, "response_uri host %q is not the client_id host %q", u.Hostname(), host)
	}
	iat, exp := time.Unix(c.IssuedAt, 0), time.Unix(c.Expires, 0)
	switch {
	case c.Expires == 0 || c.IssuedAt == 0:
		return bad(assertion.Malformed, "iat and exp are required")
	case !now.Before(exp):
		return bad(assertion.Expired, "expired at %s", exp.UTC().Format(time.RFC3339))
	case iat.After(now.Add(ClockSkew)):
		return bad(assertion.Expired, "issued in the future (%s)", iat.UTC().Format(time.RFC3339))
	case exp.Sub(iat) > MaxLifetime || exp.Before(iat):
		return bad(assertion.Malformed, "lifetime %s beyond %s", exp.Sub(iat), MaxLifetime)
	}
	if len(c.DCQL.Credentials) != 1 || c.DCQL.Credentials[0].Format != CredentialFormat {
		return bad(assertion.Unsupported, "dcql_query must ask for one credential of format %q", CredentialFormat)
	}
	claims := c.DCQL.Credentials[0].Claims
	if len(claims) == 0 || len(claims) > len(assertion.Known) {
		return bad(assertion.Malformed, "%d claims asked", len(claims))
	}
	seen := map[assertion.Datum]bool{}
	for _, q := range claims {
		if len(q.Path) != 1 {
			return bad(assertion.Unsupported, "claim path %q", q.Path)
		}
		d := assertion.Datum(q.Path[0])
		if !d.Valid() {
			return bad(assertion.Unsupported, "unknown datum %q", q.Path[0])
		}
		if seen[d] {
			return bad(assertion.Malformed, "%q asked twice", d)
		}
		seen[d] = true
		asked = append(asked, assertion.Ask{Datum: d, Required: q.Required == nil || *q.Required})
	}
	return strings.ToLower(host), asked, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
