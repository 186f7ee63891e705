package seal

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/pki"
	"github.com/cnie-reader/cnie-reader/seal/sealtrust"
	"github.com/cnie-reader/cnie-reader/seal/twoddoc"
)

func TestInspectOthers(t *testing.T) {
	cases := map[string]struct {
		payload []byte
		kind    Kind
	}{
		"url":    {[]byte("https://example.org/verify?id=1"), URL},
		"text":   {[]byte("Bonjour"), Text},
		"binary": {[]byte{0x00, 0xFF, 0xFE, 0x80}, Unknown},
	}
	for name, tc := range cases {
		r := Inspect(tc.payload)
		if r.Kind != tc.kind || r.What.Code == "" || r.Signature != SignatureNotApplicable {
			t.Errorf("%s: %+v", name, r)
		}
	}
}

// demoAuthority makes an authority FR00 with one signing certificate.
func demoAuthority(t *testing.T) (*sealtrust.Store, *ecdsa.PrivateKey) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "FR00", Country: []string{"FR"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, _ := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "0001", Country: []string{"FR"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature}
	leafDER, _ := x509.CreateCertificate(rand.Reader, leafTmpl, caTmpl, &key.PublicKey, caKey)
	ca, err := pki.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := pki.ParseCertificate(leafDER)
	s := sealtrust.NewStore()
	s.AddAuthority(sealtrust.Authority{ID: "FR00", Name: "test", InfoURI: []string{"http://example.invalid"}, CAs: []*pki.Certificate{ca}})
	s.AddSigner(leaf)
	return s, key
}

func build2DDoc(t *testing.T, key *ecdsa.PrivateKey, certID string) []byte {
	t.Helper()
	now := time.Now().UTC().Truncate(24 * time.Hour)
	b, err := twoddoc.Build(twoddoc.Header{Version: 4, Authority: "FR00", CertificateID: certID, IssueDate: &now, SignatureDate: &now,
		DocumentType: "07", Perimeter: "01", Country: "FR"},
		[]twoddoc.Field{{ID: "60", Value: "CAMILLE/MARIE"}, {ID: "62", Value: "DEMO"}, {ID: "66", Value: "DEMO00001"},
			{ID: "68", Value: "F"}, {ID: "69", Value: "14071990"}},
		twoddoc.SignECDSA(key))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerify2DDoc(t *testing.T) {
	store, key := demoAuthority(t)
	payload := build2DDoc(t, key, "0001")
	r := Inspect(payload)
	if r.Kind != TwoDDoc || r.TwoDDoc == nil {
		t.Fatalf("%+v", r)
	}
	r.Verify(store, time.Now())
	if r.Signature != SignatureValid {
		t.Fatalf("signature %s: %+v", r.Signature, r.Why)
	}
	if r.Facts.Surname != "DEMO" || r.Facts.GivenNames != "CAMILLE MARIE" || r.Facts.BirthDate != "19900714" || r.Facts.DocumentNumber != "DEMO00001" {
		t.Errorf("facts %+v", r.Facts)
	}
	// One byte changed in a value: the signature fails.
	bad := append([]byte{}, payload...)
	bad[bytes.Index(bad, []byte("CAMILLE"))] = 'K'
	altered := Inspect(bad)
	altered.Verify(store, time.Now())
	if altered.Signature != SignatureInvalid {
		t.Errorf("altered seal: %s", altered.Signature)
	}
	// A damaged 2D-Doc (cut before its signature) says so.
	if r := Inspect(payload[:40]); r.Kind != TwoDDoc || r.Signature != SignatureInvalid || r.ParseError == "" {
		t.Errorf("truncated 2D-Doc: %+v", r)
	}
	// An unknown certificate id: not verifiable offline, naming it.
	other := Inspect(build2DDoc(t, key, "0009"))
	other.Verify(store, time.Now())
	if other.Signature != SignatureNotOffline || other.Missing == nil || other.Missing.CertificateID != "0009" {
		t.Errorf("missing certificate: %s %+v", other.Signature, other.Missing)
	}
}
