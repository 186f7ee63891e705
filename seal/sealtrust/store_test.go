package sealtrust

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/pki"
)

func issue(t *testing.T, cn string, ca bool, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, notAfter time.Time) (*x509.Certificate, *ecdsa.PrivateKey, *pki.Certificate) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn, Country: []string{"FR"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: notAfter, BasicConstraintsValid: true, IsCA: ca,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	pc, err := pki.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c, key, pc
}

func TestSigner2DDoc(t *testing.T) {
	year := time.Now().AddDate(1, 0, 0)
	caX, caKey, ca := issue(t, "FR00", true, nil, nil, year)
	_, _, leaf := issue(t, "0001", false, caX, caKey, year)
	_, _, expired := issue(t, "0002", false, caX, caKey, time.Now().Add(-time.Minute))
	_, _, stranger := issue(t, "0003", false, nil, nil, year) // self-signed, not from FR00

	s := NewStore()
	s.AddAuthority(Authority{ID: "FR00", Name: "demo", InfoURI: []string{"http://example.invalid/certs"}, CAs: []*pki.Certificate{ca}})
	for _, c := range []*pki.Certificate{leaf, expired, stranger} {
		s.AddSigner(c)
	}
	if got, err := s.Signer2DDoc("FR00", "0001", time.Now()); err != nil || got != leaf {
		t.Errorf("0001: %v, %v", got, err)
	}
	var missing *Missing
	if _, err := s.Signer2DDoc("FR00", "0009", time.Now()); !errors.As(err, &missing) || missing.Where[0] != "http://example.invalid/certs" {
		t.Errorf("absent certificate: %v", err)
	}
	if _, err := s.Signer2DDoc("FR00", "0002", time.Now()); err == nil || errors.As(err, &missing) {
		t.Errorf("expired certificate: %v", err)
	}
	if _, err := s.Signer2DDoc("FR00", "0003", time.Now()); err == nil || errors.As(err, &missing) {
		t.Errorf("certificate from another CA: %v", err)
	}
	if _, err := s.Signer2DDoc("FR42", "0001", time.Now()); !errors.As(err, &missing) || !missing.UnknownAuthority {
		t.Errorf("unknown authority: %v", err)
	}
	// The bundled list knows the real authorities, but no signing certificate.
	b := NewStore()
	if err := b.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Signer2DDoc("FR05", "ABCD", time.Now()); !errors.As(err, &missing) || len(missing.Where) == 0 {
		t.Errorf("bundled FR05: %v", err)
	}
}
