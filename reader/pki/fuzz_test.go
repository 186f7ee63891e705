package pki

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/sim/demo"
)

// The fuzz targets feed hostile bytes to the three parsers. Besides "no
// panic", each checks an invariant of what it accepted.

func FuzzParseCertificate(f *testing.F) {
	for _, alg := range demo.KeyAlgs {
		p := demoPKI(f, alg)
		f.Add(p.CSCACertDER())
		f.Add(p.DSCertDER())
	}
	for _, c := range bundled(f) {
		f.Add(c.Raw)
	}
	f.Add(readPEMFile(f, "testdata/ch-csca-switzerland-2-2010.pem"))
	f.Add(readPEMFile(f, "testdata/ch-ds-passport-2010.pem"))
	issuer := mustParse(f, demoPKI(f, demo.ECDSABrainpoolP256r1).CSCACertDER())
	f.Fuzz(func(t *testing.T, der []byte) {
		c, err := ParseCertificate(der)
		if err != nil {
			if KindOf(err) == 0 {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if !bytes.Equal(c.Raw, der) || c.SerialNumber == nil || c.PublicKey == nil {
			t.Fatal("accepted certificate lacks Raw, serial or key")
		}
		again, err := ParseCertificate(c.Raw)
		if err != nil || again.Fingerprint != c.Fingerprint || again.Subject != c.Subject {
			t.Fatalf("re-parse differs: %v", err)
		}
		_ = c.CheckSignatureFrom(c)
		_ = c.CheckSignatureFrom(issuer)
		_ = issuer.CheckSignatureFrom(c)
		_ = c.CheckValidity(testNow)
		_ = c.IsSelfIssued() && c.IsDemo()
		_ = c.SignatureAlgorithm.String()
		s := NewStore()
		s.Add(c, Source{Kind: SourceUser})
		_, _ = s.Verify(c, testNow)
	})
}

func FuzzParseCRL(f *testing.F) {
	for _, alg := range demo.KeyAlgs {
		f.Add(demoPKI(f, alg).CRLDER())
	}
	key := newECKey(f, "brainpoolP256r1")
	name := tName("Fuzz CA", "ZZ")
	f.Add(issueCRL(f, name, key, testNow, []tRevoked{{big.NewInt(5), testNow}, {big.NewInt(1 << 40), testNow}}))
	ca := mustParse(f, issue(f, tCertSpec{serial: 1, subject: name, issuer: name, ca: true}, key, key))
	f.Fuzz(func(t *testing.T, der []byte) {
		crl, err := ParseCRL(der)
		if err != nil {
			if KindOf(err) == 0 {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		for _, r := range crl.Revoked {
			if ok, _ := crl.IsRevoked(r.SerialNumber); !ok {
				t.Fatalf("listed serial %v not revoked", r.SerialNumber)
			}
		}
		_ = crl.CheckSignatureFrom(ca)
		_ = crl.CheckFreshness(testNow)
		s := NewStore()
		s.Add(ca, Source{Kind: SourceUser})
		_ = s.AddCRL(crl)
	})
}

func FuzzParseMasterList(f *testing.F) {
	ca := newTestCA(f, "brainpoolP256r1")
	p := demoPKI(f, demo.ECDSAP256)
	small := [][]byte{p.CSCACertDER(), {0x30, 0x00}}
	f.Add(buildMasterList(f, small, ca.mlsDER, ca.mlsKey, tMLOptions{}, ca.der))
	f.Add(buildMasterList(f, small, ca.mlsDER, ca.mlsKey, tMLOptions{ski: true, noSignedAttrs: true}))
	anchors := []*Certificate{ca.cert}
	f.Fuzz(func(t *testing.T, der []byte) {
		ml, err := ParseMasterList(der)
		if err != nil {
			if KindOf(err) == 0 {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		for _, e := range ml.Invalid {
			if e.Err == nil {
				t.Fatal("invalid entry without error")
			}
		}
		if signer, err := ml.VerifySigner(anchors); err == nil && signer == nil {
			t.Fatal("verified without a signer")
		}
	})
}
