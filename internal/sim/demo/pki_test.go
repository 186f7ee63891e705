package demo

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var (
	pkiMu    sync.Mutex
	pkiCache = map[KeyAlg]*PKI{}
)

// testPKI returns one PKI per algorithm for the whole test binary: RSA key
// generation is too slow to repeat in every test.
func testPKI(t testing.TB, alg KeyAlg) *PKI {
	t.Helper()
	pkiMu.Lock()
	defer pkiMu.Unlock()
	if p, ok := pkiCache[alg]; ok {
		return p
	}
	p, err := NewPKIAt(SeededReader("demo test "+alg.String()), alg, testNow)
	if err != nil {
		t.Fatalf("NewPKIAt(%v): %v", alg, err)
	}
	pkiCache[alg] = p
	return p
}

func TestPKIChainVerifies(t *testing.T) {
	for _, alg := range KeyAlgs {
		t.Run(alg.String(), func(t *testing.T) {
			p := testPKI(t, alg)
			csca, err := parseCert(p.CSCACertDER())
			if err != nil {
				t.Fatal(err)
			}
			ds, err := parseCert(p.DSCertDER())
			if err != nil {
				t.Fatal(err)
			}
			cscaKey, err := parseSPKI(csca.TBS.SPKI.FullBytes)
			if err != nil {
				t.Fatal(err)
			}
			dsKey, err := parseSPKI(ds.TBS.SPKI.FullBytes)
			if err != nil {
				t.Fatal(err)
			}
			if !sameKey(cscaKey, p.CSCAPublicKey()) || !sameKey(dsKey, p.DSPublicKey()) {
				t.Fatal("certificate keys differ from the PKI's keys")
			}
			if err := verify(cscaKey, csca.SigAlg, csca.TBS.Raw, csca.Sig.Bytes); err != nil {
				t.Errorf("CSCA self-signature: %v", err)
			}
			if err := verify(cscaKey, ds.SigAlg, ds.TBS.Raw, ds.Sig.Bytes); err != nil {
				t.Errorf("DS signature by the CSCA: %v", err)
			}
			if err := verify(dsKey, ds.SigAlg, ds.TBS.Raw, ds.Sig.Bytes); err == nil {
				t.Error("DS certificate verifies under its own key")
			}
			// The outer and inner signature algorithms must agree (RFC 5280 §4.1.1.2).
			if !bytes.Equal(mustMarshal(t, csca.SigAlg), mustMarshal(t, csca.TBS.SigAlg)) ||
				!bytes.Equal(mustMarshal(t, ds.SigAlg), mustMarshal(t, ds.TBS.SigAlg)) {
				t.Error("signatureAlgorithm differs from tbsCertificate.signature")
			}
			// A changed TBS byte must break the signature.
			bad := p.DSCertDER()
			i := bytes.Index(bad, []byte(DSCommonName))
			bad[i] ^= 0x20
			badC, err := parseCert(bad)
			if err != nil {
				t.Fatal(err)
			}
			if err := verify(cscaKey, badC.SigAlg, badC.TBS.Raw, badC.Sig.Bytes); err == nil {
				t.Error("tampered DS certificate still verifies")
			}
		})
	}
}

func sameKey(a, b any) bool {
	switch k := a.(type) {
	case *ecdsa.PublicKey:
		o, ok := b.(*ecdsa.PublicKey)
		return ok && k.X.Cmp(o.X) == 0 && k.Y.Cmp(o.Y) == 0 && k.Curve.Params().Name == o.Curve.Params().Name
	case *rsa.PublicKey:
		o, ok := b.(*rsa.PublicKey)
		return ok && k.N.Cmp(o.N) == 0 && k.E == o.E
	}
	return false
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := asn1.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPKICertificateContents(t *testing.T) {
	for _, alg := range KeyAlgs {
		t.Run(alg.String(), func(t *testing.T) {
			p := testPKI(t, alg)
			csca, _ := parseCert(p.CSCACertDER())
			ds, _ := parseCert(p.DSCertDER())
			for _, c := range []*tCert{csca, ds} {
				if c.TBS.Version != 2 {
					t.Errorf("version %d, want 2 (v3)", c.TBS.Version)
				}
				if c.TBS.Serial.Sign() <= 0 || c.TBS.Serial.BitLen() > 127 {
					t.Errorf("serial %v not a positive 127-bit number", c.TBS.Serial)
				}
				subj, err := c.name(c.TBS.Subject)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(subj.CommonName, "DEMO") || len(subj.Organization) != 1 ||
					subj.Organization[0] != DemoOrganization || len(subj.Country) != 1 || subj.Country[0] != "FR" {
					t.Errorf("subject %v is not a DEMO FR name", subj)
				}
			}
			if !bytes.Equal(csca.TBS.Subject.FullBytes, csca.TBS.Issuer.FullBytes) ||
				!bytes.Equal(ds.TBS.Issuer.FullBytes, csca.TBS.Subject.FullBytes) {
				t.Error("issuer/subject chaining broken")
			}
			if csca.TBS.Serial.Cmp(ds.TBS.Serial) == 0 {
				t.Error("CSCA and DS share a serial number")
			}
			start := testNow.Add(-time.Hour)
			if !csca.TBS.Validity.NotBefore.Equal(start) || !csca.TBS.Validity.NotAfter.Equal(start.AddDate(10, 0, 0)) {
				t.Errorf("CSCA validity %v", csca.TBS.Validity)
			}
			if !ds.TBS.Validity.NotBefore.Equal(start) || ds.TBS.Validity.NotAfter.After(csca.TBS.Validity.NotAfter) {
				t.Errorf("DS validity %v outside the CSCA's", ds.TBS.Validity)
			}

			// CSCA: critical basicConstraints CA with pathLen 0, critical
			// keyUsage keyCertSign|cRLSign (03 02 01 06).
			bc, ok := csca.ext(oids.ExtBasicConstraints)
			if !ok || !bc.Critical || !bytes.Equal(bc.Value, []byte{0x30, 0x06, 0x01, 0x01, 0xFF, 0x02, 0x01, 0x00}) {
				t.Errorf("CSCA basicConstraints %+v", bc)
			}
			ku, ok := csca.ext(oids.ExtKeyUsage)
			if !ok || !ku.Critical || !bytes.Equal(ku.Value, []byte{0x03, 0x02, 0x01, 0x06}) {
				t.Errorf("CSCA keyUsage %+v", ku)
			}
			// DS: critical keyUsage digitalSignature (03 02 07 80), no basicConstraints.
			ku, ok = ds.ext(oids.ExtKeyUsage)
			if !ok || !ku.Critical || !bytes.Equal(ku.Value, []byte{0x03, 0x02, 0x07, 0x80}) {
				t.Errorf("DS keyUsage %+v", ku)
			}
			if _, ok := ds.ext(oids.ExtBasicConstraints); ok {
				t.Error("DS has basicConstraints")
			}
			var pkup privateKeyUsagePeriod
			e, ok := ds.ext(oids.ExtPrivKeyUsage)
			if !ok {
				t.Fatal("DS without privateKeyUsagePeriod")
			}
			if _, err := asn1.Unmarshal(e.Value, &pkup); err != nil || !pkup.NotAfter.Equal(start.AddDate(0, 3, 0)) {
				t.Errorf("DS privateKeyUsagePeriod %+v, %v", pkup, err)
			}
			// ICAO 9303-12 §7.1.1.3: SEQUENCE { INTEGER 0, SET { PrintableString "ID" } }.
			e, ok = ds.ext(oids.ExtDocumentTypeList)
			want := []byte{0x30, 0x09, 0x02, 0x01, 0x00, 0x31, 0x04, 0x13, 0x02, 'I', 'D'}
			if !ok || e.Critical || !bytes.Equal(e.Value, want) {
				t.Errorf("documentTypeList %x, want %x", e.Value, want)
			}
			// Key identifiers chain: DS AKI = CSCA SKI.
			ski, _ := csca.ext(oids.ExtSubjectKeyID)
			aki, _ := ds.ext(oids.ExtAuthorityKeyID)
			var skiV []byte
			var akiV authorityKeyID
			asn1.Unmarshal(ski.Value, &skiV)
			asn1.Unmarshal(aki.Value, &akiV)
			if len(skiV) != 20 || !bytes.Equal(skiV, akiV.ID) {
				t.Errorf("CSCA SKI %x vs DS AKI %x", skiV, akiV.ID)
			}
		})
	}
}

// TestPKIStdlibAgrees cross-checks the hand-built DER with crypto/x509 for
// the algorithms it supports (not brainpool).
func TestPKIStdlibAgrees(t *testing.T) {
	for _, alg := range []KeyAlg{ECDSAP256, RSA2048, RSAPSS2048} {
		t.Run(alg.String(), func(t *testing.T) {
			p := testPKI(t, alg)
			csca, err := x509.ParseCertificate(p.CSCACertDER())
			if err != nil {
				t.Fatal(err)
			}
			ds, err := x509.ParseCertificate(p.DSCertDER())
			if err != nil {
				t.Fatal(err)
			}
			if !csca.IsCA || csca.MaxPathLen != 0 || !csca.MaxPathLenZero || csca.KeyUsage != x509.KeyUsageCertSign|x509.KeyUsageCRLSign {
				t.Errorf("CSCA: IsCA=%v pathLen=%d usage=%v", csca.IsCA, csca.MaxPathLen, csca.KeyUsage)
			}
			if ds.IsCA || ds.KeyUsage != x509.KeyUsageDigitalSignature {
				t.Errorf("DS: IsCA=%v usage=%v", ds.IsCA, ds.KeyUsage)
			}
			roots := x509.NewCertPool()
			roots.AddCert(csca)
			if _, err := ds.Verify(x509.VerifyOptions{
				Roots: roots, CurrentTime: testNow.AddDate(1, 0, 0), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
			}); err != nil {
				t.Errorf("chain: %v", err)
			}
			crl, err := x509.ParseRevocationList(p.CRLDER())
			if err != nil {
				t.Fatal(err)
			}
			if err := crl.CheckSignatureFrom(csca); err != nil {
				t.Errorf("CRL signature: %v", err)
			}
			if len(crl.RevokedCertificateEntries) != 0 || crl.Number.Cmp(big.NewInt(1)) != 0 {
				t.Errorf("CRL: %d entries, number %v", len(crl.RevokedCertificateEntries), crl.Number)
			}
		})
	}
}

func TestCRL(t *testing.T) {
	for _, alg := range KeyAlgs {
		t.Run(alg.String(), func(t *testing.T) {
			p := testPKI(t, alg)
			var crl tCRL
			if rest, err := asn1.Unmarshal(p.CRLDER(), &crl); err != nil || len(rest) != 0 {
				t.Fatalf("CRL: %v, %d trailing", err, len(rest))
			}
			csca, _ := parseCert(p.CSCACertDER())
			if crl.TBS.Version != 1 || len(crl.TBS.Revoked) != 0 {
				t.Errorf("CRL version %d, %d revoked", crl.TBS.Version, len(crl.TBS.Revoked))
			}
			if !bytes.Equal(crl.TBS.Issuer.FullBytes, csca.TBS.Subject.FullBytes) {
				t.Error("CRL issuer is not the CSCA")
			}
			if !crl.TBS.NextUpdate.After(crl.TBS.ThisUpdate) {
				t.Error("nextUpdate not after thisUpdate")
			}
			if err := verify(p.CSCAPublicKey(), crl.SigAlg, crl.TBS.Raw, crl.Sig.Bytes); err != nil {
				t.Errorf("CRL signature: %v", err)
			}
			if err := verify(p.DSPublicKey(), crl.SigAlg, crl.TBS.Raw, crl.Sig.Bytes); err == nil {
				t.Error("CRL verifies under the DS key")
			}
		})
	}
}

// TestPKIDeterministic: a seeded reader gives the same keys and serials,
// another seed other ones (signatures may differ: crypto/ecdsa and
// crypto/rsa PSS draw their own randomness).
func TestPKIDeterministic(t *testing.T) {
	for _, alg := range []KeyAlg{ECDSAP256, ECDSABrainpoolP256r1} {
		a, err := NewPKIAt(SeededReader("seed A"), alg, testNow)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := NewPKIAt(SeededReader("seed A"), alg, testNow)
		c, _ := NewPKIAt(SeededReader("seed B"), alg, testNow)
		ca, _ := parseCert(a.DSCertDER())
		cb, _ := parseCert(b.DSCertDER())
		cc, _ := parseCert(c.DSCertDER())
		if !bytes.Equal(ca.TBS.SPKI.FullBytes, cb.TBS.SPKI.FullBytes) || ca.TBS.Serial.Cmp(cb.TBS.Serial) != 0 ||
			!bytes.Equal(ca.TBS.Raw, cb.TBS.Raw) {
			t.Errorf("%v: same seed, different DS certificate body", alg)
		}
		if bytes.Equal(ca.TBS.SPKI.FullBytes, cc.TBS.SPKI.FullBytes) || ca.TBS.Serial.Cmp(cc.TBS.Serial) == 0 {
			t.Errorf("%v: different seeds, same key or serial", alg)
		}
	}
	// RSA: reuse the cached PKI and regenerate once.
	r1 := testPKI(t, RSA2048)
	r2, err := NewPKIAt(SeededReader("demo test "+RSA2048.String()), RSA2048, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if !sameKey(r1.DSPublicKey(), r2.DSPublicKey()) || !sameKey(r1.CSCAPublicKey(), r2.CSCAPublicKey()) {
		t.Error("RSA: same seed, different keys")
	}
	// PKCS#1 v1.5 is deterministic, so the whole certificate repeats.
	if !bytes.Equal(r1.DSCertDER(), r2.DSCertDER()) || !bytes.Equal(r1.CRLDER(), r2.CRLDER()) {
		t.Error("RSA: same seed, different DER")
	}
	if k := r1.DSPublicKey().(*rsa.PublicKey); k.N.BitLen() != 2048 || k.E != 65537 {
		t.Errorf("RSA key %d bits, e=%d", k.N.BitLen(), k.E)
	}
}

func TestPKIErrors(t *testing.T) {
	if _, err := NewPKI(nil, KeyAlg(99)); !errors.Is(err, chiperr.Unsupported) {
		t.Errorf("unknown alg: %v", err)
	}
	// A random source that runs dry is reported, not a panic.
	if _, err := NewPKI(bytes.NewReader(make([]byte, 10)), ECDSAP256); !errors.Is(err, chiperr.Transport) {
		t.Errorf("short reader: %v", err)
	}
	if _, err := NewPKI(bytes.NewReader(make([]byte, 100)), RSA2048); !errors.Is(err, chiperr.Transport) {
		t.Errorf("short reader RSA: %v", err)
	}
	// nil rnd uses crypto/rand.
	p, err := NewPKI(nil, ECDSABrainpoolP256r1)
	if err != nil || p.Alg() != ECDSABrainpoolP256r1 || time.Since(p.NotBefore()) < time.Hour-time.Minute {
		t.Errorf("NewPKI(nil): %v", err)
	}
	// Accessors hand out copies.
	d := p.DSCertDER()
	d[0] ^= 0xFF
	if bytes.Equal(d, p.DSCertDER()) {
		t.Error("DSCertDER exposes internal storage")
	}
}

func BenchmarkNewPKI(b *testing.B) {
	for _, alg := range KeyAlgs {
		b.Run(alg.String(), func(b *testing.B) {
			for b.Loop() {
				if _, err := NewPKI(nil, alg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
