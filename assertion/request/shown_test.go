package request_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
)

// ownChain signs c with a self-made authority whose organisation is org,
// and a leaf for the DNS names (and IP addresses) given.
func ownChain(t *testing.T, c request.Claims, org string, dns []string, ips []net.IP) string {
	t.Helper()
	now := time.Now()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: org + " CA", Organization: []string{org}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "service", Organization: []string{org}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), DNSNames: dns, IPAddresses: ips, KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	leafCert, _ := x509.ParseCertificate(der)
	jws, err := request.Sign(c, jose.ES256, key, []*x509.Certificate{leafCert, caCert})
	if err != nil {
		t.Fatal(err)
	}
	return jws
}

func loopbackClaims(now time.Time) request.Claims {
	c := good(now)
	c.ClientID, c.ResponseURI = "x509_san_dns:localhost", "http://localhost:8080/cb"
	return c
}

// Only the DEMO authority the application ships, for a service on this
// computer, is labelled DEMO; a certificate that merely says DEMO keeps
// the unknown-service warning.
func TestDemoLabelIsEarned(t *testing.T) {
	now := time.Now()
	v := &request.Verifier{AllowLoopbackHTTP: true}
	r, err := v.Verify(sign(t, loopbackClaims(now), "localhost"))
	if err != nil || !r.Demo {
		t.Fatalf("shipped DEMO service: %v, demo %v", err, r != nil && r.Demo)
	}
	for _, org := range []string{"DEMO", "DEMO - not a real authority", "demo bank"} {
		r, err := v.Verify(ownChain(t, loopbackClaims(now), org, []string{"localhost"}, nil))
		if err != nil {
			t.Fatal(err)
		}
		if r.Demo || r.Trust != request.Unknown {
			t.Errorf("self-made %q: demo %v, trust %v", org, r.Demo, r.Trust)
		}
	}
	// The DEMO key is public: under it, a service elsewhere stays unknown.
	r, err = v.Verify(sign(t, good(now), "service.example"))
	if err != nil || r.Demo || r.Trust != request.Unknown {
		t.Fatalf("DEMO CA for a remote host: %v, demo %v", err, r != nil && r.Demo)
	}
}

// Nothing in a request may drive the terminal or reorder what is shown.
func TestControlCharactersRefused(t *testing.T) {
	now := time.Now()
	v := &request.Verifier{}
	bad := []string{"\x1b[2K\rA service of your trust list.", "a\x07b", "x\u0085y", "\x7f", "\u061c", "\u200e", "\u200f",
		"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "line\u2028break"}
	for _, s := range bad {
		c := good(now)
		c.Purpose = "Vérifier " + s
		check(t, v, sign(t, c, "service.example"), assertion.DeceptiveText)
		c = good(now)
		c.ClientMetadata.ClientName = "Banque " + s
		check(t, v, sign(t, c, "service.example"), assertion.DeceptiveText)
	}
	// The name may come from the certificate: checked as well.
	check(t, v, ownChain(t, good(now), "Banque\x1b[31m", []string{"service.example"}, nil), assertion.DeceptiveText)
	// Accents, other scripts and emoji are text, not controls.
	c := good(now)
	c.Purpose, c.ClientMetadata.ClientName = "Vérifier votre âge — Ελλάδα, العربية 👍", "Société Générale‑Test"
	check(t, v, sign(t, c, "service.example"), 0)
}

// x509_san_dns names a DNS name; an IP SAN does not answer for it.
func TestIPAddressIsNotADNSName(t *testing.T) {
	now := time.Now()
	c := good(now)
	c.ClientID, c.ResponseURI = "x509_san_dns:192.0.2.7", "https://192.0.2.7/cb"
	jws := ownChain(t, c, "Service", []string{"service.example"}, []net.IP{net.ParseIP("192.0.2.7")})
	check(t, &request.Verifier{}, jws, assertion.HostMismatch)
}

func TestPrintableEscapes(t *testing.T) {
	for in, want := range map[string]string{"plain é": "plain é", "a\x1b[2Kb": `a\x1b[2Kb`, "\u202eabc": `\u202eabc`, "x\xffy": `x\xffy`} {
		if got := assertion.Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}
