package request

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/cnie-reader/cnie-reader/assertion"
)

// Algorithms are the signature algorithms accepted: asymmetric only (no
// "none", no HMAC), so a request cannot be forged with a shared secret.
var Algorithms = []jose.SignatureAlgorithm{jose.ES256, jose.ES384, jose.ES512, jose.PS256, jose.PS384, jose.PS512, jose.RS256, jose.EdDSA}

// Verifier checks requests. The zero value checks signatures and names,
// with the system's certification authorities and no list of services.
type Verifier struct {
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Services is the user's trust list of services.
	Services *Services
	// Roots are the public certification authorities (the system's when nil).
	Roots *x509.CertPool
	// AllowLoopbackHTTP admits http response_uri on 127.0.0.1/localhost,
	// for the demo service; never for a real one.
	AllowLoopbackHTTP bool
	// Seen remembers the nonces of requests accepted for consent (see
	// [Verifier.Accept]), so that a request is answered once. None are
	// remembered when nil; &StoreReplay{} keeps them in memory.
	Seen Replay
}

// Verify checks a request object (compact JWS) and returns what it asks.
func (v *Verifier) Verify(jws string) (*Request, error) {
	return v.VerifyContext(context.Background(), jws)
}

// VerifyContext is Verify with a context for the replay store: a store
// that fails (Redis unreachable) fails the verification with its error.
func (v *Verifier) VerifyContext(ctx context.Context, jws string) (*Request, error) {
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	if len(jws) > MaxRequestSize {
		return nil, assertion.Errorf(assertion.TooLarge, "request", "%d bytes", len(jws))
	}
	if strings.Count(jws, ".") != 2 {
		return nil, assertion.Errorf(assertion.Unsigned, "request", "not a compact JWS")
	}
	obj, err := jose.ParseSignedCompact(jws, Algorithms)
	if err != nil {
		return nil, assertion.Wrap(assertion.Unsigned, "request", err)
	}
	if len(obj.Signatures) != 1 {
		return nil, assertion.Errorf(assertion.Unsigned, "request", "%d signatures", len(obj.Signatures))
	}
	if typ, _ := obj.Signatures[0].Protected.ExtraHeaders[jose.HeaderType].(string); typ != "oauth-authz-req+jwt" {
		return nil, assertion.Errorf(assertion.Malformed, "request", "typ %q, want oauth-authz-req+jwt", typ)
	}
	chain, err := x5c(jws)
	if err != nil {
		return nil, err
	}
	leaf := chain[0]
	payload, err := obj.Verify(leaf.PublicKey)
	if err != nil {
		return nil, assertion.Wrap(assertion.BadSignature, "request", err)
	}
	var c Claims
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, assertion.Wrap(assertion.Malformed, "request", err)
	}
	host, asked, err := checkClaims(&c, now, v.AllowLoopbackHTTP)
	if err != nil {
		return nil, err
	}
	if err := checkChain(chain, now); err != nil {
		return nil, err
	}
	if err := leaf.VerifyHostname(host); err != nil || len(leaf.DNSNames) == 0 {
		return nil, assertion.Errorf(assertion.HostMismatch, "request", "%q is not in the certificate's DNS names %q", host, leaf.DNSNames)
	}
	r := &Request{Claims: c, Host: host, Certificate: leaf, Chain: chain, Asked: asked, Expires: time.Unix(c.Expires, 0)}
	r.Demo = isDemo(chain, host)
	r.Name = c.ClientMetadata.ClientName
	if r.Name == "" && len(leaf.Subject.Organization) > 0 {
		r.Name = leaf.Subject.Organization[0]
	}
	if r.Name == "" {
		r.Name = host
	}
	if len(r.Name) > maxText || assertion.HasDeceptive(r.Name) {
		return nil, assertion.Errorf(assertion.DeceptiveText, "request", "the certificate's organisation holds control characters")
	}
	switch {
	case v.Services.Lists(chain):
		r.Trust = Listed
	case !r.Demo && publicCA(chain, host, now, v.Roots):
		r.Trust = PublicCA
	}
	// Verify only looks: the nonce is spent by Accept, once the request is
	// really taken to the holder (a request refused as busy can be retried).
	if v.Seen != nil {
		seen, err := v.Seen.Has(ctx, replayKey(r))
		if err != nil {
			return nil, fmt.Errorf("request: replay set: %w", err)
		}
		if seen {
			return nil, assertion.Errorf(assertion.Replayed, "request", "nonce already used")
		}
	}
	return r, nil
}

// Accept spends a verified request's nonce: call it when the request is
// taken to the holder for consent, and only then. It fails with
// [assertion.Replayed] when the nonce was spent in the meantime.
func (v *Verifier) Accept(r *Request) error { return v.AcceptContext(context.Background(), r) }

// AcceptContext is Accept with a context for the replay store.
func (v *Verifier) AcceptContext(ctx context.Context, r *Request) error {
	if v.Seen == nil {
		return nil
	}
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	// Remembered while the request is valid, by this verifier's clock,
	// and a skew more for the other processes that share the store.
	fresh, err := v.Seen.Add(ctx, replayKey(r), r.Expires.Sub(now)+ClockSkew)
	if err != nil {
		return fmt.Errorf("request: replay set: %w", err)
	}
	if !fresh {
		return assertion.Errorf(assertion.Replayed, "request", "nonce already used")
	}
	return nil
}

// replayKey names a request in the replay set: "request" keeps it apart
// from the answers a verifier remembers, should both share one store.
func replayKey(r *Request) string { return "request\x00" + r.ClientID + "\x00" + r.Nonce }

// x5c reads the certificate chain from the protected header.
func x5c(jws string) ([]*x509.Certificate, error) {
	head, _, _ := strings.Cut(jws, ".")
	raw, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return nil, assertion.Wrap(assertion.Malformed, "request header", err)
	}
	var h struct {
		X5C []string `json:"x5c"`
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return nil, assertion.Wrap(assertion.Malformed, "request header", err)
	}
	if len(h.X5C) == 0 || len(h.X5C) > 5 {
		return nil, assertion.Errorf(assertion.BadCertificate, "request", "x5c holds %d certificates (1 to 5)", len(h.X5C))
	}
	var chain []*x509.Certificate
	for _, s := range h.X5C {
		der, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, assertion.Wrap(assertion.BadCertificate, "x5c", err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, assertion.Wrap(assertion.BadCertificate, "x5c", err)
		}
		chain = append(chain, c)
	}
	return chain, nil
}

// checkChain checks the chain holds together: each certificate signed by
// the next, all valid now. Where it ends is judged by the trust level.
func checkChain(chain []*x509.Certificate, now time.Time) error {
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(chain[len(chain)-1])
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		var inv x509.CertificateInvalidError
		if errors.As(err, &inv) && inv.Reason == x509.Expired {
			return assertion.Wrap(assertion.BadCertificate, "certificate expired or not yet valid", err)
		}
		return assertion.Wrap(assertion.BadCertificate, "certificate chain", err)
	}
	return nil
}

func publicCA(chain []*x509.Certificate, host string, now time.Time, roots *x509.CertPool) bool {
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: host, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	return err == nil
}

// Services is the user's trust list of services: certificates (a service's
// own, or the authority that issues services' certificates).
type Services struct {
	mu     sync.Mutex
	hashes map[[32]byte]bool
}

// Add trusts a certificate.
func (s *Services) Add(c *x509.Certificate) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hashes == nil {
		s.hashes = map[[32]byte]bool{}
	}
	s.hashes[sha256.Sum256(c.Raw)] = true
}

// Lists tells whether any certificate of the chain is in the list.
func (s *Services) Lists(chain []*x509.Certificate) bool {
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range chain {
		if s.hashes[sha256.Sum256(c.Raw)] {
			return true
		}
	}
	return false
}

// LoadServices reads the PEM and DER certificates of dir (missing: empty).
func LoadServices(dir string) (*Services, error) {
	s := &Services{}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil || len(b) > 64<<10 {
			continue
		}
		for _, der := range certificates(b) {
			if c, err := x509.ParseCertificate(der); err == nil {
				s.Add(c)
			}
		}
	}
	return s, nil
}

func certificates(b []byte) [][]byte {
	if !bytes.Contains(b, []byte("-----BEGIN")) {
		return [][]byte{b}
	}
	var out [][]byte
	for {
		var p *pem.Block
		p, b = pem.Decode(b)
		if p == nil {
			return out
		}
		if p.Type == "CERTIFICATE" {
			out = append(out, p.Bytes)
		}
	}
}

// DefaultServicesDir is where the user's trusted services live, beside
// the CSCA trust directory: ~/.config/cnie-reader/trust-services.
func DefaultServicesDir(trustDir string) string { return trustDir + "-services" }

// ImportService checks a certificate file (PEM or DER) and copies its
// certificates into dir, one PEM file each, named by fingerprint.
func ImportService(path, dir string) ([]*x509.Certificate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) > 64<<10 {
		return nil, assertion.Errorf(assertion.TooLarge, "import", "%d bytes", len(b))
	}
	var certs []*x509.Certificate
	for _, der := range certificates(b) {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, assertion.Wrap(assertion.BadCertificate, "import", err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, assertion.Errorf(assertion.BadCertificate, "import", "no certificate in %s", path)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	for _, c := range certs {
		sum := sha256.Sum256(c.Raw)
		name := filepath.Join(dir, fmt.Sprintf("%x.pem", sum[:8]))
		if err := os.WriteFile(name, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}), 0o600); err != nil {
			return nil, err
		}
	}
	return certs, nil
}
