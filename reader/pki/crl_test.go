package pki

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/sim/demo"
)

func TestDemoCRL(t *testing.T) {
	for _, alg := range demo.KeyAlgs {
		t.Run(alg.String(), func(t *testing.T) {
			p := demoPKI(t, alg)
			csca := mustParse(t, p.CSCACertDER())
			crl, err := ParseCRL(p.CRLDER())
			if err != nil {
				t.Fatal(err)
			}
			start := testNow.Add(-time.Hour)
			if crl.Version != 2 || crl.Issuer != csca.Subject || crl.Country != "FR" ||
				!crl.ThisUpdate.Equal(start) || !crl.NextUpdate.Equal(start.AddDate(0, 0, 90)) ||
				len(crl.Revoked) != 0 || crl.Number == nil || crl.Number.Int64() != 1 ||
				!bytes.Equal(crl.AuthorityKeyID, csca.SubjectKeyID) {
				t.Errorf("CRL fields: %+v", crl)
			}
			if err := crl.CheckSignatureFrom(csca); err != nil {
				t.Errorf("CRL signature: %v", err)
			}
			wantKind(t, crl.CheckSignatureFrom(mustParse(t, p.DSCertDER())), NotCA)
			if err := crl.CheckFreshness(testNow); err != nil {
				t.Error(err)
			}
			wantKind(t, crl.CheckFreshness(testNow.AddDate(1, 0, 0)), Expired)
			wantKind(t, crl.CheckFreshness(testNow.AddDate(-1, 0, 0)), NotYetValid)

			bad := p.CRLDER()
			i := bytes.Index(bad, []byte(demo.CSCACommonName))
			bad[i] ^= 0x20
			tampered, err := ParseCRL(bad)
			if err != nil {
				t.Fatal(err)
			}
			wantKind(t, tampered.CheckSignatureFrom(csca), BadSignature)

			s := NewStore()
			s.Add(csca, Source{Kind: SourceDemo})
			if err := s.AddCRL(crl); err != nil {
				t.Errorf("AddCRL: %v", err)
			}
			wantKind(t, s.AddCRL(tampered), BadSignature)
			if s.CRLFor(mustParse(t, p.DSCertDER())) != crl {
				t.Error("CRLFor does not find the CSCA's CRL")
			}

			if alg == demo.ECDSABrainpoolP256r1 {
				return // crypto/x509 cannot parse the brainpool CSCA to check it
			}
			xl, err := x509.ParseRevocationList(p.CRLDER())
			if err != nil {
				t.Fatal(err)
			}
			xc, _ := x509.ParseCertificate(csca.Raw)
			if err := xl.CheckSignatureFrom(xc); err != nil {
				t.Errorf("crypto/x509 rejects the CRL: %v", err)
			}
			if !xl.ThisUpdate.Equal(crl.ThisUpdate) || xl.Number.Cmp(crl.Number) != 0 {
				t.Error("CRL fields differ from crypto/x509")
			}
		})
	}
}

func TestCRLRevocation(t *testing.T) {
	caKey := newECKey(t, "brainpoolP384r1")
	name := tName("Test CSCA", "ZZ")
	ca := mustParse(t, issue(t, tCertSpec{serial: 1, subject: name, issuer: name, ca: true}, caKey, caKey))
	dsKey := newECKey(t, "brainpoolP256r1")
	revokedDS := mustParse(t, issue(t, tCertSpec{serial: 1001, subject: tName("DS 1", "ZZ"), issuer: name}, dsKey, caKey))
	goodDS := mustParse(t, issue(t, tCertSpec{serial: 1002, subject: tName("DS 2", "ZZ"), issuer: name}, dsKey, caKey))
	when := testNow.AddDate(0, -1, 0)
	crl, err := ParseCRL(issueCRL(t, name, caKey, testNow.AddDate(0, 0, -7), []tRevoked{
		{big.NewInt(1001), when}, {big.NewInt(77), when},
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(crl.Revoked) != 2 || crl.Number.Int64() != 7 {
		t.Fatalf("entries %d number %v", len(crl.Revoked), crl.Number)
	}
	if r, at := crl.IsRevoked(big.NewInt(1001)); !r || !at.Equal(when) {
		t.Errorf("1001 revoked %v at %v", r, at)
	}
	if r, _ := crl.IsRevoked(big.NewInt(1002)); r {
		t.Error("1002 revoked")
	}
	if r, _ := crl.IsRevoked(nil); r {
		t.Error("nil revoked")
	}

	s := NewStore()
	s.Add(ca, Source{Kind: SourceUser})
	if err := s.AddCRL(crl); err != nil {
		t.Fatal(err)
	}
	_, err = s.Verify(revokedDS, testNow)
	wantKind(t, err, Revoked)
	if _, err := s.Verify(goodDS, testNow); err != nil {
		t.Errorf("good DS: %v", err)
	}
	// Before its revocation date the DS was fine.
	if _, err := s.Verify(revokedDS, when.AddDate(0, 0, -1)); err != nil {
		t.Errorf("before revocation: %v", err)
	}

	// A newer CRL from the same issuer replaces the older one; an older one does not.
	newer, _ := ParseCRL(issueCRL(t, name, caKey, testNow.AddDate(0, 0, -1), nil))
	if err := s.AddCRL(newer); err != nil {
		t.Fatal(err)
	}
	if s.CRLFor(revokedDS) != newer {
		t.Error("newer CRL not used")
	}
	if err := s.AddCRL(crl); err != nil || s.CRLFor(revokedDS) != newer {
		t.Error("older CRL replaced the newer one")
	}

	// A CRL of an issuer the store does not know is refused.
	otherKey := newECKey(t, "P-256")
	other, _ := ParseCRL(issueCRL(t, tName("Other", "YY"), otherKey, testNow, nil))
	wantKind(t, s.AddCRL(other), UnknownIssuer)

	// A critical issuingDistributionPoint (not processed) makes it unusable.
	idp, err := ParseCRL(issueCRL(t, name, caKey, testNow, nil, pkix.Extension{Id: tOIDIDP, Critical: true, Value: []byte{0x30, 0x00}}))
	if err != nil {
		t.Fatal(err)
	}
	if len(idp.UnhandledCritical) != 1 {
		t.Errorf("UnhandledCritical %v", idp.UnhandledCritical)
	}
	wantKind(t, s.AddCRL(idp), UnhandledCritical)
}

func TestMalformedCRL(t *testing.T) {
	caKey := newECKey(t, "P-256")
	name := tName("Test CSCA", "ZZ")
	good := issueCRL(t, name, caKey, testNow, nil)
	for label, c := range map[string]struct {
		der  []byte
		kind Kind
	}{
		"empty":     {nil, Malformed},
		"trailing":  {append(bytes.Clone(good), 0), Malformed},
		"truncated": {good[:len(good)-1], Malformed},
		"too large": {make([]byte, MaxCRLSize+1), TooLarge},
		"duplicate extension": {issueCRL(t, name, caKey, testNow, nil,
			pkix.Extension{Id: tOIDCRLNumber, Value: mustDER(t, 8)}), Malformed},
		"good": {good, 0},
	} {
		t.Run(label, func(t *testing.T) {
			_, err := ParseCRL(c.der)
			if c.kind == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantKind(t, err, c.kind)
		})
	}
}
