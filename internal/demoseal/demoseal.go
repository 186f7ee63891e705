// Package demoseal makes the seals of the virtual documents: a 2D-Doc
// "titre d'identité" for the virtual CNIE, signed by a DEMO authority
// ("FR00", the test authority of the 2D-Doc specification, with the
// certificate id "DEMO"), rendered as a DataMatrix on a picture of the back
// of the card. Everything is invented and marked DEMO; the keys come from a
// public seed, so the same seal verifies in every run and nothing it
// proves is real.
package demoseal

import (
	"crypto/ecdsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/sim/demo"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/pki"
	"github.com/cnie-reader/cnie-reader/seal/sealtrust"
	"github.com/cnie-reader/cnie-reader/seal/twoddoc"
)

// Authority and CertificateID name the demo signer in the 2D-Doc header.
const (
	Authority     = "FR00"
	CertificateID = "DEMO"
)

// Holder is what the seal says about the holder (invented data).
type Holder struct {
	Surname, GivenNames string // given names separated by spaces
	DocumentNumber      string
	Sex                 string // M or F
	Nationality         string // ISO 2-letter, e.g. "FR"
	BirthDate           time.Time
}

type signer struct {
	key      *ecdsa.PrivateKey
	ca, leaf *pki.Certificate
}

// keys are made once per process from a public seed.
var keys = sync.OnceValues(func() (*signer, error) {
	rnd := demo.SeededReader("cnie-reader DEMO 2D-Doc authority")
	curve, _ := ecc.ByName("P-256")
	mk := func() (*ecdsa.PrivateKey, error) {
		d, pt, err := curve.GenerateKey(rnd, curve.Generator())
		if err != nil {
			return nil, err
		}
		return &ecdsa.PrivateKey{PublicKey: ecdsa.PublicKey{Curve: curve.Elliptic(), X: pt.X, Y: pt.Y}, D: new(big.Int).SetBytes(d)}, nil
	}
	caKey, err := mk()
	if err != nil {
		return nil, err
	}
	leafKey, err := mk()
	if err != nil {
		return nil, err
	}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	org := []string{demo.DemoOrganization}
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(0x2D0C), Subject: pkix.Name{CommonName: Authority, Organization: org, Country: []string{"FR"}},
		NotBefore: start, NotAfter: start.AddDate(20, 0, 0), IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(0x2D0D), Subject: pkix.Name{CommonName: CertificateID, Organization: org, Country: []string{"FR"}},
		NotBefore: start, NotAfter: start.AddDate(20, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rnd, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	caX, _ := x509.ParseCertificate(caDER)
	leafDER, err := x509.CreateCertificate(rnd, leafTmpl, caX, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	s := &signer{key: leafKey}
	if s.ca, err = pki.ParseCertificate(caDER); err != nil {
		return nil, err
	}
	if s.leaf, err = pki.ParseCertificate(leafDER); err != nil {
		return nil, err
	}
	return s, nil
})

// Trust adds the demo authority and its signing certificate to a seal
// trust store: only for demo mode, never for real documents.
func Trust(store *sealtrust.Store) error {
	s, err := keys()
	if err != nil {
		return err
	}
	store.AddAuthority(sealtrust.Authority{ID: Authority, Name: "CNIE Reader DEMO 2D-Doc authority", CAs: []*pki.Certificate{s.ca}, Status: "demo"})
	store.AddSigner(s.leaf)
	return nil
}

// TwoDDoc builds and signs the 2D-Doc of a holder (document type 07,
// "titre d'identité", perimeter 01, header DC04).
func TwoDDoc(h Holder, issued time.Time) ([]byte, error) {
	s, err := keys()
	if err != nil {
		return nil, err
	}
	issued = issued.UTC().Truncate(24 * time.Hour)
	fields := []twoddoc.Field{
		{ID: "60", Value: joinNames(h.GivenNames)},
		{ID: "62", Value: h.Surname},
		{ID: "66", Value: h.DocumentNumber},
		{ID: "67", Value: h.Nationality},
		{ID: "68", Value: h.Sex},
		{ID: "69", Value: h.BirthDate.Format("02012006")},
	}
	b, err := twoddoc.Build(twoddoc.Header{Version: 4, Authority: Authority, CertificateID: CertificateID,
		IssueDate: &issued, SignatureDate: &issued, DocumentType: "07", Perimeter: "01", Country: "FR"},
		fields, twoddoc.SignECDSA(s.key))
	if err != nil {
		return nil, fmt.Errorf("demo seal: %w", err)
	}
	return b, nil
}

// joinNames writes given names the 2D-Doc way, separated by '/'.
func joinNames(s string) string {
	var out []byte
	for _, f := range splitSpaces(s) {
		if len(out) > 0 {
			out = append(out, '/')
		}
		out = append(out, f...)
	}
	return string(out)
}

func splitSpaces(s string) []string {
	var out []string
	start := -1
	for i, r := range s + " " {
		if r == ' ' {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	return out
}
