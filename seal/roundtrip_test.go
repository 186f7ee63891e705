package seal_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"image"
	"math/big"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/cnie-reader/cnie-reader/internal/demoseal"
	"github.com/cnie-reader/cnie-reader/reader/pki"
	"github.com/cnie-reader/cnie-reader/seal"
	"github.com/cnie-reader/cnie-reader/seal/scan"
	"github.com/cnie-reader/cnie-reader/seal/sealtrust"
	"github.com/cnie-reader/cnie-reader/seal/vds"
)

// visaSigner makes a test CSCA of the fictitious state Utopia and a seal
// signer "UTTS" (serial 0xA3F), the way ICAO 9303-13 names seal signers.
func visaSigner(t *testing.T) (*ecdsa.PrivateKey, *pki.Store, *pki.Certificate) {
	t.Helper()
	cscaKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	csca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "CSCA UTOPIA TEST", Country: []string{"UT"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(5, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, SubjectKeyId: []byte{1, 2, 3}}
	cscaDER, _ := x509.CreateCertificate(rand.Reader, csca, csca, &cscaKey.PublicKey, cscaKey)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(0xA3F), Subject: pkix.Name{CommonName: "UTTS", Country: []string{"UT"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature,
		AuthorityKeyId: []byte{1, 2, 3}}
	leafDER, _ := x509.CreateCertificate(rand.Reader, leaf, csca, &key.PublicKey, cscaKey)
	store := pki.NewStore()
	c, err := pki.ParseCertificate(cscaDER)
	if err != nil {
		t.Fatal(err)
	}
	store.Add(c, pki.Source{Kind: pki.SourceUser, Name: "test"})
	l, err := pki.ParseCertificate(leafDER)
	if err != nil {
		t.Fatal(err)
	}
	return key, store, l
}

func visa(t *testing.T, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	day := time.Now().UTC().Truncate(24 * time.Hour)
	b, err := vds.Build(vds.Header{Version: 4, Country: "UTO", SignerID: "UTTS", CertificateRef: "A3F", IssueDate: day, SignatureDate: day,
		FeatureRef: 0x5D, Category: 0x01},
		[]vds.Field{{Tag: 2, Kind: vds.KindMRZ, Text: "VCD<<DENT<<ARTHUR<PHILIP<<<<<<<<<<<<\n1234567XY7GBR5203116M2005250<<<<<<<<"},
			{Tag: 3, Kind: vds.KindInt, Text: "2"}, {Tag: 4, Kind: vds.KindDuration, Text: "P1Y2M30D"}, {Tag: 5, Kind: vds.KindC40, Text: "47110815P"}},
		key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// qr renders a binary payload as a QR code (go-qrcode writes byte mode for
// such data, one byte per byte).
func qr(t *testing.T, payload []byte) image.Image {
	t.Helper()
	q, err := qrcode.New(string(payload), qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	return q.Image(600)
}

// Generated seals of every format, rendered as DataMatrix and as QR, are
// found in the picture, parsed and verified; one altered byte fails.
func TestImageRoundTrip(t *testing.T) {
	now := time.Now()
	store := sealtrust.NewStore()
	if err := store.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	if err := demoseal.Trust(store); err != nil {
		t.Fatal(err)
	}
	key, csca, leaf := visaSigner(t)
	store.CSCA = csca
	store.AddSigner(leaf)

	twoD, err := demoseal.TwoDDoc(demoseal.Holder{Surname: "DEMO", GivenNames: "CAMILLE", DocumentNumber: "DEMO00001", Sex: "F",
		Nationality: "FR", BirthDate: time.Date(1990, 7, 14, 0, 0, 0, 0, time.UTC)}, now)
	if err != nil {
		t.Fatal(err)
	}
	payloads := map[seal.Kind][]byte{seal.TwoDDoc: twoD, seal.VDS: visa(t, key)}
	for kind, payload := range payloads {
		dm, err := demoseal.DataMatrix(payload, 4)
		if err != nil {
			t.Fatal(err)
		}
		for symbol, img := range map[string]image.Image{"DataMatrix": dm, "QR": qr(t, payload)} {
			res, err := scan.Decode(img)
			if err != nil {
				t.Fatalf("%s as %s: %v", kind, symbol, err)
			}
			if res.Format != symbol || !bytes.Equal(res.Payload, payload) {
				t.Fatalf("%s as %s: read %s, %d bytes", kind, symbol, res.Format, len(res.Payload))
			}
			r := seal.Inspect(res.Payload)
			r.Verify(store, now)
			if r.Kind != kind || r.Signature != seal.SignatureValid {
				t.Errorf("%s as %s: %s %s (%+v)", kind, symbol, r.Kind, r.Signature, r.Why)
			}
		}
		// One byte altered just before the signature: invalid, never valid.
		bad := bytes.Clone(payload)
		bad[len(bad)/2] ^= 0x01
		r := seal.Inspect(bad)
		r.Verify(store, now)
		if r.Signature == seal.SignatureValid {
			t.Errorf("%s: an altered seal was accepted", kind)
		}
	}
	// The visa's facts come from its MRZ.
	r := seal.Inspect(payloads[seal.VDS])
	if r.Facts.Surname != "DENT" || r.Facts.DocumentNumber != "1234567XY" {
		t.Errorf("visa facts %+v", r.Facts)
	}
}
