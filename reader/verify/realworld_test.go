package verify_test

import (
	"crypto"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/app/explain"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/oids"
	"github.com/cnie-reader/cnie-reader/reader/pki"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// The virtual cards' countries agree (the CNIE under a FR demo CSCA, the
// UTO passports under a UT one), their PACE offers are signed, and every
// PACE profile's EF.CardSecurity verifies.
func TestVirtualCardsSignTheirOffers(t *testing.T) {
	for _, profile := range []string{"cnie", "cnie-dh", "cnie-im", "passport", "passport-ca"} {
		t.Run(profile, func(t *testing.T) {
			doc, store := readSim(t, profile, true)
			r := verify.Verify(doc, store, verify.Options{})
			if s := status(t, r, verify.CheckCountry, 0); s != verify.Passed {
				c, _ := r.Check(verify.CheckCountry, 0)
				t.Errorf("country: %s (%s)", s, c.Detail)
			}
			if s := status(t, r, verify.CheckAlgorithms, 0); s != verify.Passed {
				t.Errorf("algorithms: %s", s)
			}
			if r.SignedAt == nil || r.SignedAt.Source != verify.FromSOD {
				t.Errorf("signing time %+v, want the SOD's", r.SignedAt)
			}
			if doc.CardAccess == nil {
				if _, ok := r.Check(verify.CheckPACEInfos, 0); ok {
					t.Error("a BAC document got a pace-infos check")
				}
				return
			}
			if len(doc.CardSecurity) == 0 {
				t.Fatal("EF.CardSecurity was not read")
			}
			for _, id := range []verify.CheckID{verify.CheckPACEInfos, verify.CheckCardSecurity} {
				if s := status(t, r, id, 0); s != verify.Passed {
					t.Errorf("%s: %s", id, s)
				}
			}
			// Without EF.CardSecurity, DG14 alone backs the offer.
			doc.CardSecurity = nil
			r = verify.Verify(doc, store, verify.Options{})
			if c, _ := r.Check(verify.CheckPACEInfos, 0); c.Status != verify.Passed || !strings.Contains(reasonEN(c), "DG14") {
				t.Errorf("pace-infos from DG14: %+v", c)
			}
		})
	}
}

// A chip whose signed files do not repeat its PACE offer fails pace-infos.
func TestDG14WithoutPACEInfos(t *testing.T) {
	doc, store := readSim(t, "trust-dg14-without-pace", true)
	r := verify.Verify(doc, store, verify.Options{})
	if s := status(t, r, verify.CheckPACEInfos, 0); s != verify.Failed {
		t.Errorf("pace-infos %s", s)
	}
	if r.Verdict != verify.NotGenuine {
		t.Errorf("verdict %q", r.Verdict)
	}
	// An offer the signed DG14 lists only in part fails too.
	doc, store = readSim(t, "cnie", true)
	id := 99
	doc.CardAccess.PACE = append(doc.CardAccess.PACE, lds.PACEInfo{Protocol: doc.CardAccess.PACE[0].Protocol, Version: 2, ParameterID: &id})
	if s := status(t, verify.Verify(doc, store, verify.Options{}), verify.CheckPACEInfos, 0); s != verify.Failed {
		t.Errorf("extra offer: pace-infos %s", s)
	}
}

// A Document Signer that expired after signing is judged when it signed.
func TestSignerExpiredSince(t *testing.T) {
	doc, store := readSim(t, "trust-ds-expired-since", true)
	r := verify.Verify(doc, store, verify.Options{})
	if s := status(t, r, verify.CheckDSChain, 0); s != verify.Passed {
		c, _ := r.Check(verify.CheckDSChain, 0)
		t.Errorf("ds-chain %s: %s (%s)", s, reasonEN(c), c.Detail)
	}
	if r.Verdict != verify.Demo {
		t.Errorf("verdict %q: %s", r.Verdict, explain.SummaryIn(en, r))
	}
	if r.SignedAt == nil || r.SignedAt.Source != verify.FromSOD || time.Since(r.SignedAt.Time) < 365*24*time.Hour {
		t.Errorf("signed at %+v, want the SOD's signingTime two years back", r.SignedAt)
	}
	// The same DS signing today is refused, naming the dates.
	doc, store = readSim(t, "trust-expired-ds", true)
	c, _ := verify.Verify(doc, store, verify.Options{}).Check(verify.CheckDSChain, 0)
	if c.Status != verify.Failed || !strings.Contains(reasonEN(c), "was not valid when it signed") {
		t.Errorf("expired DS signing today: %+v", c)
	}
}

// CSCA, DS and DG1 issuing state must agree; the failure names all three.
func TestCountryMismatch(t *testing.T) {
	doc, store := readSim(t, "cnie", true)
	doc.MRZ.IssuingState = "DEU"
	r := verify.Verify(doc, store, verify.Options{})
	c, _ := r.Check(verify.CheckCountry, 0)
	if c.Status != verify.Failed {
		t.Fatalf("country: %+v", c)
	}
	for _, want := range []string{"authority FR", "signer FR", "issuing state DEU"} {
		if !strings.Contains(reasonEN(c), want) {
			t.Errorf("reason %q lacks %q", reasonEN(c), want)
		}
	}
	if r.IssuedBy.Status != verify.Failed || r.Verdict != verify.NotGenuine {
		t.Errorf("issued-by %s, verdict %q", r.IssuedBy.Status, r.Verdict)
	}
	// ICAO's own codes map: Germany's "D" is DE, not FR.
	doc.MRZ.IssuingState = "D<<"
	if s := status(t, verify.Verify(doc, store, verify.Options{}), verify.CheckCountry, 0); s != verify.Failed {
		t.Errorf("D under a FR CSCA: %s", s)
	}
	doc.MRZ.IssuingState = "XPO"
	if s := status(t, verify.Verify(doc, store, verify.Options{}), verify.CheckCountry, 0); s != verify.NotPossible {
		t.Errorf("unknown code: %s", s)
	}
}

// testSigner is a CSCA and a Document Signer made with crypto/x509, for
// SODs with algorithms the virtual card refuses to use.
type testSigner struct {
	store   *pki.Store
	csca    *x509.Certificate
	cscaKey *rsa.PrivateKey
	ds      *x509.Certificate
	dsKey   *rsa.PrivateKey
}

func newTestSigner(t *testing.T, dsBits int) *testSigner {
	t.Helper()
	if dsBits < 1024 {
		t.Setenv("GODEBUG", "rsa1024min=0") // to make a key old documents had
	}
	cscaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	dsKey, err := rsa.GenerateKey(rand.Reader, dsBits)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	cscaTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{Country: []string{"UT"}, CommonName: "Test CSCA"},
		NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(5, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	cscaDER, err := x509.CreateCertificate(rand.Reader, cscaTmpl, cscaTmpl, &cscaKey.PublicKey, cscaKey)
	if err != nil {
		t.Fatal(err)
	}
	csca, _ := x509.ParseCertificate(cscaDER)
	dsTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{Country: []string{"UT"}, CommonName: "Test DS"},
		NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(5, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature,
		SubjectKeyId: []byte("test DS key id")}
	dsDER, err := x509.CreateCertificate(rand.Reader, dsTmpl, csca, &dsKey.PublicKey, cscaKey)
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := x509.ParseCertificate(dsDER)
	anchor, err := pki.ParseCertificate(cscaDER)
	if err != nil {
		t.Fatal(err)
	}
	store := pki.NewStore()
	store.Add(anchor, pki.Source{Kind: pki.SourceUser, Name: "test"})
	return &testSigner{store: store, csca: csca, cscaKey: cscaKey, ds: ds, dsKey: dsKey}
}

// sod builds EF.SOD over dgs with the digest h (named digestOID) for the
// data group hashes and the signature, PKCS #1 v1.5 under sigOID. wrong
// lists data groups whose hash is stored wrong.
func (s *testSigner) sod(t *testing.T, h crypto.Hash, sum func([]byte) []byte, digestOID, sigOID asn1.ObjectIdentifier, dgs map[int][]byte, wrong ...int) []byte {
	t.Helper()
	type dgHash struct {
		N    int
		Hash []byte
	}
	lso := struct {
		V      int
		Alg    pkix.AlgorithmIdentifier
		Hashes []dgHash
	}{Alg: pkix.AlgorithmIdentifier{Algorithm: digestOID}}
	for n := 1; n <= 16; n++ {
		if b, ok := dgs[n]; ok {
			hash := sum(b)
			if slices.Contains(wrong, n) {
				hash[0] ^= 1
			}
			lso.Hashes = append(lso.Hashes, dgHash{n, hash})
		}
	}
	return ber.Encode(0x77, signCMS(t, oids.LDSSecurityObject, must(asn1.Marshal(lso)), s.ds, s.dsKey, h, sum, digestOID, sigOID, time.Time{}))
}

// signCMS returns a ContentInfo{signedData} over eContent, signed by key
// (certificate cert, included) with PKCS #1 v1.5.
func signCMS(t *testing.T, contentType asn1.ObjectIdentifier, eContent []byte, cert *x509.Certificate, key *rsa.PrivateKey,
	h crypto.Hash, sum func([]byte) []byte, digestOID, sigOID asn1.ObjectIdentifier, signingTime time.Time) []byte {
	t.Helper()
	alg := pkix.AlgorithmIdentifier{Algorithm: digestOID}
	type attr struct {
		Type   asn1.ObjectIdentifier
		Values asn1.RawValue
	}
	set := func(v any) asn1.RawValue {
		return asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: must(asn1.Marshal(v))}
	}
	attrs := []attr{
		{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}, set(contentType)},
		{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}, set(sum(eContent))},
	}
	if !signingTime.IsZero() {
		attrs = append(attrs, attr{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}, set(signingTime.UTC())})
	}
	signedSet := must(asn1.MarshalWithParams(attrs, "set"))
	sig, err := rsa.SignPKCS1v15(nil, key, h, sum(signedSet))
	if err != nil {
		t.Fatal(err)
	}
	implicit := append([]byte{0xA0}, signedSet[1:]...)
	type issuerSerial struct {
		Issuer asn1.RawValue
		Serial *big.Int
	}
	type signerInfo struct {
		V      int
		SID    issuerSerial
		Digest pkix.AlgorithmIdentifier
		Attrs  asn1.RawValue
		SigAlg pkix.AlgorithmIdentifier
		Sig    []byte
	}
	type encap struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue
	}
	sd := struct {
		V       int
		Digests []pkix.AlgorithmIdentifier `asn1:"set"`
		Encap   encap
		Certs   asn1.RawValue
		Signers []signerInfo `asn1:"set"`
	}{
		V: 3, Digests: []pkix.AlgorithmIdentifier{alg},
		Encap: encap{contentType, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: must(asn1.Marshal(eContent))}},
		Certs: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: cert.Raw},
		Signers: []signerInfo{{V: 1, SID: issuerSerial{asn1.RawValue{FullBytes: cert.RawIssuer}, cert.SerialNumber}, Digest: alg,
			Attrs: asn1.RawValue{FullBytes: implicit}, SigAlg: pkix.AlgorithmIdentifier{Algorithm: sigOID, Parameters: asn1.NullRawValue}, Sig: sig}},
	}
	ci := struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue
	}{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: must(asn1.Marshal(sd))}}
	return must(asn1.Marshal(ci))
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// MD5 and RSA keys below 1024 bits never give "passed"; SHA-1 passes and
// is named.
func TestWeakAlgorithms(t *testing.T) {
	dgs := map[int][]byte{11: ber.Encode(0x6B, ber.Encode(0x5C, []byte{0x5F, 0x0E}))}
	var (
		oidMD5     = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 5}
		oidMD5RSA  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 4}
		oidSHA1    = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
		oidSHA1RSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	)
	md5sum := func(b []byte) []byte { s := md5.Sum(b); return s[:] }
	sha1sum := func(b []byte) []byte { s := sha1.Sum(b); return s[:] }

	strong := newTestSigner(t, 2048)
	cases := []struct {
		name       string
		signer     *testSigner
		sod        func(s *testSigner) []byte
		algorithms verify.Status
		signature  verify.Status
		mention    string
	}{
		{"md5", strong, func(s *testSigner) []byte { return s.sod(t, crypto.MD5, md5sum, oidMD5, oidMD5RSA, dgs) },
			verify.NotPossible, verify.NotPossible, "MD5"},
		{"sha1", strong, func(s *testSigner) []byte { return s.sod(t, crypto.SHA1, sha1sum, oidSHA1, oidSHA1RSA, dgs) },
			verify.Passed, verify.Passed, "SHA-1"},
		{"rsa-768", newTestSigner(t, 768), func(s *testSigner) []byte { return s.sod(t, crypto.SHA256, sha256sum, oidSHA256, oidSHA256RSA, dgs) },
			verify.NotPossible, verify.NotPossible, "768 bits"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := &document.Document{SOD: tc.sod(tc.signer), DataGroups: dgs}
			r := verify.Verify(doc, tc.signer.store, verify.Options{})
			c, _ := r.Check(verify.CheckAlgorithms, 0)
			if c.Status != tc.algorithms || !strings.Contains(reasonEN(c), tc.mention) {
				t.Errorf("algorithms: %+v, want %s naming %s", c, tc.algorithms, tc.mention)
			}
			if s := status(t, r, verify.CheckSODSignature, 0); s != tc.signature {
				c, _ := r.Check(verify.CheckSODSignature, 0)
				t.Errorf("sod-signature %s, want %s (%s)", s, tc.signature, c.Detail)
			}
			if tc.algorithms != verify.Passed {
				for _, claim := range []verify.Claim{r.DataIntact, r.AuthenticChip} {
					if claim.Status == verify.Passed {
						t.Errorf("a claim passed on a broken algorithm: %+v", claim)
					}
				}
			}
		})
	}
}

var (
	oidSHA256    = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA256RSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
)

func sha256sum(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

// deviationList is a deviation list (ICAO 9303-12 §10) of the signer's
// CSCA, signed by a deviation list signer it issues, declaring that the
// hash of data group dg is wrong in the documents of the signer's DS.
func (s *testSigner) deviationList(t *testing.T, dg int, defect pki.DefectKind) []byte {
	t.Helper()
	signerKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{Country: []string{"UT"}, CommonName: "Test deviation list signer"},
		NotBefore: now.AddDate(0, -1, 0), NotAfter: now.AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature,
		UnknownExtKeyUsage: []asn1.ObjectIdentifier{{2, 23, 136, 1, 1, 8}}}
	signer, err := x509.ParseCertificate(must(x509.CreateCertificate(rand.Reader, tmpl, s.csca, &signerKey.PublicKey, s.cscaKey)))
	if err != nil {
		t.Fatal(err)
	}
	keyID := asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 2, Bytes: s.ds.SubjectKeyId}
	param := asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: must(asn1.Marshal(dg))}
	description := struct {
		Text  string `asn1:"printable"`
		Type  asn1.ObjectIdentifier
		Param asn1.RawValue
	}{"Test: defect at personalisation", pki.DefectOID(defect), param}
	deviation := struct {
		Documents    struct{ KeyID asn1.RawValue }
		Descriptions []any `asn1:"set"`
	}{struct{ KeyID asn1.RawValue }{keyID}, []any{description}}
	list := struct {
		Version    int
		Deviations []any `asn1:"set"`
	}{0, []any{deviation}}
	return signCMS(t, asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7}, must(asn1.Marshal(list)), signer, signerKey,
		crypto.SHA256, sha256sum, oidSHA256, oidSHA256RSA, now.Add(-time.Hour))
}

// A signed deviation list of the issuing state excuses exactly the defect
// it names, for its documents, and the report names it; DG2 is never excused.
func TestDeviationList(t *testing.T) {
	s := newTestSigner(t, 2048)
	dgs := map[int][]byte{
		2:  ber.Encode(0x75, []byte{1, 2, 3}),
		11: ber.Encode(0x6B, ber.Encode(0x5C, []byte{0x5F, 0x0E})),
		12: ber.Encode(0x6C, ber.Encode(0x5C, []byte{0x5F, 0x19})),
	}
	doc := &document.Document{SOD: s.sod(t, crypto.SHA256, sha256sum, oidSHA256, oidSHA256RSA, dgs, 11), DataGroups: dgs}
	dg11 := func() verify.Check {
		c, _ := verify.Verify(doc, s.store, verify.Options{}).Check(verify.CheckDGHash, 11)
		return c
	}
	if c := dg11(); c.Status != verify.Failed {
		t.Fatalf("without a list: %+v", c)
	}
	add := func(dg int) {
		dl, err := pki.ParseDeviationList(s.deviationList(t, dg, pki.DefectDGHashWrong))
		if err != nil {
			t.Fatal(err)
		}
		if rep := s.store.AddDeviationList(dl, pki.Source{Kind: pki.SourceUser, Name: "test.dvl"}, time.Now()); rep.Refused != nil {
			t.Fatal(rep.Refused)
		}
	}
	add(12) // another data group: DG11 still fails
	if c := dg11(); c.Status != verify.Failed {
		t.Errorf("a deviation for DG12 excused DG11: %+v", c)
	}
	add(11)
	r := verify.Verify(doc, s.store, verify.Options{})
	c, _ := r.Check(verify.CheckDGHash, 11)
	if c.Status != verify.NotPossible || !strings.Contains(c.Detail, "deviation applied") || !strings.Contains(reasonEN(c), "issuing state declares") {
		t.Errorf("DG11 with its deviation: %+v", c)
	}
	if r.Verdict == verify.NotGenuine || r.Verdict == verify.Genuine {
		t.Errorf("verdict %q: an excused defect is not proven, neither forged nor genuine", r.Verdict)
	}
	if n, ok := r.Check(verify.CheckDeviations, 0); !ok || reasonFR(n) == "" || reasonEN(n) == "" {
		t.Errorf("the report does not name the deviations: %+v", n)
	}
	// DG2 is never excused, whatever a list says.
	add(2)
	doc.SOD = s.sod(t, crypto.SHA256, sha256sum, oidSHA256, oidSHA256RSA, dgs, 2)
	if c, _ := verify.Verify(doc, s.store, verify.Options{}).Check(verify.CheckDGHash, 2); c.Status != verify.Failed {
		t.Errorf("DG2 excused: %+v", c)
	}
}

// The French 2015 case: the store holds the CSCA's link certificate
// (issued by the previous key, expired) before its self-signed certificate
// (valid), both with the same name and key. The document chains to the
// valid one, and the report names it.
func TestExpiredLinkCertificateFirst(t *testing.T) {
	s := newTestSigner(t, 2048)
	oldKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	oldTmpl := &x509.Certificate{SerialNumber: big.NewInt(10), Subject: s.csca.Subject, NotBefore: now.AddDate(-12, 0, 0),
		NotAfter: now.AddDate(-1, 0, 0), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	old, err := x509.ParseCertificate(must(x509.CreateCertificate(rand.Reader, oldTmpl, oldTmpl, &oldKey.PublicKey, oldKey)))
	if err != nil {
		t.Fatal(err)
	}
	linkTmpl := &x509.Certificate{SerialNumber: big.NewInt(11), Subject: s.csca.Subject, NotBefore: now.AddDate(-6, 0, 0),
		NotAfter: now.AddDate(0, -9, 0), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
		SubjectKeyId: s.csca.SubjectKeyId}
	linkDER := must(x509.CreateCertificate(rand.Reader, linkTmpl, old, &s.cscaKey.PublicKey, oldKey))
	link, err := pki.ParseCertificate(linkDER)
	if err != nil {
		t.Fatal(err)
	}
	self, err := pki.ParseCertificate(s.csca.Raw)
	if err != nil {
		t.Fatal(err)
	}
	store := pki.NewStore()
	store.Add(link, pki.Source{Kind: pki.SourceBundled, Name: "csca-2015-link.pem"})
	store.Add(self, pki.Source{Kind: pki.SourceBundled, Name: "csca-2015.pem"})
	dgs := map[int][]byte{11: ber.Encode(0x6B, ber.Encode(0x5C, []byte{0x5F, 0x0E}))}
	doc := &document.Document{SOD: s.sod(t, crypto.SHA256, sha256sum, oidSHA256, oidSHA256RSA, dgs), DataGroups: dgs}
	r := verify.Verify(doc, store, verify.Options{})
	c, _ := r.Check(verify.CheckDSChain, 0)
	if c.Status != verify.Passed || !strings.Contains(c.Detail, "csca-2015.pem") || strings.Contains(c.Detail, "link") {
		t.Errorf("ds-chain %+v: want passed through the self-signed certificate", c)
	}
	// With the link certificate alone the chain fails and names it.
	only := pki.NewStore()
	only.Add(link, pki.Source{Kind: pki.SourceBundled, Name: "csca-2015-link.pem"})
	c, _ = verify.Verify(doc, only, verify.Options{}).Check(verify.CheckDSChain, 0)
	if c.Status != verify.Failed || !strings.Contains(reasonEN(c), "of the issuing authority") {
		t.Errorf("link certificate alone: %+v", c)
	}
}

// A data group the reader cannot understand is named; a deviation list
// that declares its encoding defect for this document is named with it.
func TestUnreadableDataGroupAndItsDeviation(t *testing.T) {
	s := newTestSigner(t, 2048)
	dgs := map[int][]byte{12: ber.Encode(0x6C, []byte{0xFF})}
	doc := &document.Document{SOD: s.sod(t, crypto.SHA256, sha256sum, oidSHA256, oidSHA256RSA, dgs), DataGroups: dgs,
		Unreadable: map[int]error{12: errors.New("DG12: not a tag list")}}
	c, _ := verify.Verify(doc, s.store, verify.Options{}).Check(verify.CheckDGFormat, 12)
	if c.Status != verify.NotPossible || strings.Contains(c.Detail, "deviation") {
		t.Fatalf("without a list: %+v", c)
	}
	dl, err := pki.ParseDeviationList(s.deviationList(t, 12, pki.DefectDGMalformed))
	if err != nil {
		t.Fatal(err)
	}
	if rep := s.store.AddDeviationList(dl, pki.Source{Kind: pki.SourceUser, Name: "dg12.dvl"}, time.Now()); rep.Refused != nil {
		t.Fatal(rep.Refused)
	}
	r := verify.Verify(doc, s.store, verify.Options{})
	c, _ = r.Check(verify.CheckDGFormat, 12)
	if c.Status != verify.NotPossible || !strings.Contains(c.Detail, "deviation applied") || !strings.Contains(reasonFR(c), "L'État émetteur déclare") {
		t.Errorf("with its deviation: %+v", c)
	}
	if h, _ := r.Check(verify.CheckDGHash, 12); h.Status != verify.Passed {
		t.Errorf("the hash of the signed, unreadable DG12: %+v", h)
	}
}
