package pki

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/sim/demo"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/lds"
)

func TestDemoOrganizationMatchesSimulator(t *testing.T) {
	if DemoOrganization != demo.DemoOrganization {
		t.Fatalf("DemoOrganization %q, simulator uses %q", DemoOrganization, demo.DemoOrganization)
	}
}

// TestDemoChains parses and verifies the simulator's CSCA and Document
// Signer for every algorithm, including brainpool and RSA-PSS.
func TestDemoChains(t *testing.T) {
	for _, alg := range demo.KeyAlgs {
		t.Run(alg.String(), func(t *testing.T) {
			p := demoPKI(t, alg)
			csca := mustParse(t, p.CSCACertDER())
			ds := mustParse(t, p.DSCertDER())

			if csca.Subject != "CN="+demo.CSCACommonName+",O="+demo.DemoOrganization+",C=FR" || csca.Country != "FR" {
				t.Errorf("CSCA subject %q country %q", csca.Subject, csca.Country)
			}
			if ds.Issuer != csca.Subject || ds.IssuerCountry != "FR" || !csca.IsSelfIssued() || ds.IsSelfIssued() {
				t.Errorf("issuer %q vs CSCA %q", ds.Issuer, csca.Subject)
			}
			if !csca.IsDemo() || !ds.IsDemo() {
				t.Error("demo certificates not recognised as demo")
			}
			if !csca.BasicConstraintsValid || !csca.IsCA || csca.MaxPathLen != 0 ||
				csca.KeyUsage != x509.KeyUsageCertSign|x509.KeyUsageCRLSign {
				t.Errorf("CSCA constraints: CA %v pathLen %d KU %v", csca.IsCA, csca.MaxPathLen, csca.KeyUsage)
			}
			if ds.IsCA || !ds.HasKeyUsage || ds.KeyUsage != x509.KeyUsageDigitalSignature {
				t.Errorf("DS constraints: CA %v KU %v", ds.IsCA, ds.KeyUsage)
			}
			if len(csca.SubjectKeyID) != 20 || !bytes.Equal(ds.AuthorityKeyID, csca.SubjectKeyID) {
				t.Errorf("key identifiers: CSCA SKI %x, DS AKI %x", csca.SubjectKeyID, ds.AuthorityKeyID)
			}
			if !ds.HasDocumentTypeList || !slices.Equal(ds.DocumentTypes, demo.DocumentTypes) {
				t.Errorf("documentTypeList %v", ds.DocumentTypes)
			}
			start := testNow.Add(-time.Hour)
			if !ds.NotBefore.Equal(start) || !ds.PrivateKeyUsageNotAfter.Equal(start.AddDate(0, 3, 0)) {
				t.Errorf("DS validity %v, private key usage until %v", ds.NotBefore, ds.PrivateKeyUsageNotAfter)
			}
			if len(ds.UnhandledCritical)+len(csca.UnhandledCritical) != 0 {
				t.Errorf("unhandled critical extensions %v %v", ds.UnhandledCritical, csca.UnhandledCritical)
			}
			switch alg {
			case demo.ECDSAP256:
				if _, ok := ds.PublicKey.(*ecdsa.PublicKey); !ok {
					t.Errorf("P-256 key is %T", ds.PublicKey)
				}
			case demo.ECDSABrainpoolP256r1:
				if k, ok := ds.PublicKey.(*lds.ECPublicKey); !ok || k.Curve.Name != "brainpoolP256r1" {
					t.Errorf("brainpool key is %T", ds.PublicKey)
				}
			default:
				if _, ok := ds.PublicKey.(*rsa.PublicKey); !ok {
					t.Errorf("RSA key is %T", ds.PublicKey)
				}
			}
			if !sameKey(ds.PublicKey, p.DSPublicKey()) || !sameKey(csca.PublicKey, p.CSCAPublicKey()) {
				t.Error("parsed keys differ from the PKI's keys")
			}

			if err := csca.CheckSignatureFrom(csca); err != nil {
				t.Errorf("CSCA self-signature: %v", err)
			}
			if err := ds.CheckSignatureFrom(csca); err != nil {
				t.Errorf("DS signed by CSCA: %v", err)
			}
			wantKind(t, csca.CheckSignatureFrom(ds), NotCA)

			crossCheckX509(t, alg, csca, ds)
		})
	}
}

// crossCheckX509 compares with crypto/x509 where it can parse (not brainpool).
func crossCheckX509(t *testing.T, alg demo.KeyAlg, csca, ds *Certificate) {
	t.Helper()
	xc, errC := x509.ParseCertificate(csca.Raw)
	xd, errD := x509.ParseCertificate(ds.Raw)
	if alg == demo.ECDSABrainpoolP256r1 {
		if errC == nil || errD == nil {
			t.Error("crypto/x509 now parses brainpool: the cross-check could cover it")
		}
		return
	}
	if errC != nil || errD != nil {
		t.Fatalf("crypto/x509: %v / %v", errC, errD)
	}
	if err := xd.CheckSignatureFrom(xc); err != nil {
		t.Errorf("crypto/x509 disagrees on the DS signature: %v", err)
	}
	if xd.SerialNumber.Cmp(ds.SerialNumber) != 0 || !xd.NotAfter.Equal(ds.NotAfter) ||
		xd.KeyUsage != ds.KeyUsage || !bytes.Equal(xd.AuthorityKeyId, ds.AuthorityKeyID) ||
		xc.MaxPathLen != csca.MaxPathLen || xc.IsCA != csca.IsCA {
		t.Error("fields differ from crypto/x509")
	}
	if xd.Subject.String() != ds.Subject || xd.Issuer.String() != ds.Issuer {
		t.Errorf("names %q / %q, crypto/x509 %q / %q", ds.Subject, ds.Issuer, xd.Subject, xd.Issuer)
	}
	if !sameKey(ds.PublicKey, xd.PublicKey) {
		t.Error("public key differs from crypto/x509")
	}
}

func sameKey(a, b any) bool {
	switch k := a.(type) {
	case *ecdsa.PublicKey:
		o, ok := b.(*ecdsa.PublicKey)
		return ok && k.X.Cmp(o.X) == 0 && k.Y.Cmp(o.Y) == 0 && k.Curve.Params().Name == o.Curve.Params().Name
	case *lds.ECPublicKey:
		o, ok := b.(*ecdsa.PublicKey)
		return ok && k.Point.X.Cmp(o.X) == 0 && k.Point.Y.Cmp(o.Y) == 0
	case *rsa.PublicKey:
		o, ok := b.(*rsa.PublicKey)
		return ok && k.N.Cmp(o.N) == 0 && k.E == o.E
	}
	return false
}

func TestTamperedCertificate(t *testing.T) {
	for _, alg := range demo.KeyAlgs {
		t.Run(alg.String(), func(t *testing.T) {
			p := demoPKI(t, alg)
			csca := mustParse(t, p.CSCACertDER())
			// One bit of the subject CN, inside the TBS.
			bad := p.DSCertDER()
			i := bytes.Index(bad, []byte(demo.DSCommonName))
			bad[i] ^= 0x20
			ds := mustParse(t, bad)
			err := ds.CheckSignatureFrom(csca)
			wantKind(t, err, BadSignature)
			if !errors.Is(err, chiperr.Integrity) || chiperr.KindOf(err) != chiperr.Integrity {
				t.Errorf("bad signature is not chiperr.Integrity: %v", err)
			}
			// One bit of the signature value.
			bad = p.DSCertDER()
			bad[len(bad)-1] ^= 0x01
			if ds, err = ParseCertificate(bad); err == nil {
				wantKind(t, ds.CheckSignatureFrom(csca), BadSignature)
			}
		})
	}
}

func TestWrongIssuer(t *testing.T) {
	a := demoPKI(t, demo.ECDSABrainpoolP256r1)
	other, err := demo.NewPKIAt(demo.SeededReader("another brainpool CSCA"), demo.ECDSABrainpoolP256r1, testNow)
	if err != nil {
		t.Fatal(err)
	}
	ds := mustParse(t, a.DSCertDER())
	wantKind(t, ds.CheckSignatureFrom(mustParse(t, other.CSCACertDER())), BadSignature)
	// A CSCA of another key type cannot have signed it either.
	wantKind(t, ds.CheckSignatureFrom(mustParse(t, demoPKI(t, demo.ECDSAP256).CSCACertDER())), BadSignature)
}

// TestFrenchCSCAs checks the bundled real certificates: each self-signed
// CSCA verifies itself, each link certificate verifies under the previous
// key (2010 → 2015 → 2020 → 2025), and crypto/x509 agrees.
func TestFrenchCSCAs(t *testing.T) {
	b := bundled(t)
	selfSigned := []string{"csca-france-2010.pem", "csca-france-2015.pem", "csca-france-2020.pem", "csca-france-2025.pem", "eid-france-2021.pem"}
	links := [][2]string{
		{"csca-france-2015-link.pem", "csca-france-2010.pem"},
		{"csca-france-2020-link.pem", "csca-france-2015.pem"},
		{"csca-france-2025-link.pem", "csca-france-2020.pem"},
	}
	for _, n := range selfSigned {
		c := b[n]
		if err := c.CheckSignatureFrom(c); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	for _, l := range links {
		link, prev := b[l[0]], b[l[1]]
		if err := link.CheckSignatureFrom(prev); err != nil {
			t.Errorf("%s under %s: %v", l[0], l[1], err)
		}
		wantKind(t, link.CheckSignatureFrom(link), BadSignature)
		x, err := x509.ParseCertificate(link.Raw)
		if err != nil {
			t.Fatal(err)
		}
		xp, _ := x509.ParseCertificate(prev.Raw)
		if err := x.CheckSignatureFrom(xp); err != nil {
			t.Errorf("crypto/x509 rejects %s: %v", l[0], err)
		}
	}
	c := b["csca-france-2020.pem"]
	// SKI read with openssl, also listed by mgdx/Sceau TrustStoreTest.kt.
	if hex.EncodeToString(c.SubjectKeyID) != "be8a2ed6c9f9204e3a270308974decfdd97dc5e6" {
		t.Errorf("2020 SKI %x", c.SubjectKeyID)
	}
	if c.Subject != "CN=CSCA-FRANCE,O=Gouv,C=FR" || c.Country != "FR" || !c.IsCA || c.MaxPathLen != 0 ||
		c.SignatureAlgorithm.String() != "sha256WithRSAEncryption" ||
		!slices.Equal(c.CRLDistributionPoints, []string{"http://ants.gouv.fr/csca_crl"}) {
		t.Errorf("2020 CSCA fields: %q %q CA %v %d %s %v", c.Subject, c.Country, c.IsCA, c.MaxPathLen, c.SignatureAlgorithm, c.CRLDistributionPoints)
	}
	if k, ok := c.PublicKey.(*rsa.PublicKey); !ok || k.N.BitLen() != 4096 {
		t.Errorf("2020 key %T", c.PublicKey)
	}
	if b["eid-france-2021.pem"].MaxPathLen != 1 {
		t.Error("eID-FRANCE pathLen")
	}
}

// TestSwissBrainpoolExplicit verifies a real Document Signer certificate
// (brainpoolP256r1 with explicit parameters) under its real CSCA
// (brainpoolP384r1, explicit parameters, ecdsa-with-SHA384): both are
// refused by crypto/x509. Sources in testdata/README.md.
func TestSwissBrainpoolExplicit(t *testing.T) {
	csca := mustParse(t, readPEMFile(t, "testdata/ch-csca-switzerland-2-2010.pem"))
	ds := mustParse(t, readPEMFile(t, "testdata/ch-ds-passport-2010.pem"))
	for _, c := range []*Certificate{csca, ds} {
		if _, err := x509.ParseCertificate(c.Raw); err == nil {
			t.Error("crypto/x509 now parses explicit brainpool parameters")
		}
	}
	ck, ok1 := csca.PublicKey.(*lds.ECPublicKey)
	dk, ok2 := ds.PublicKey.(*lds.ECPublicKey)
	if !ok1 || !ok2 || ck.Curve.Name != "brainpoolP384r1" || dk.Curve.Name != "brainpoolP256r1" || !ck.Explicit || !dk.Explicit {
		t.Fatalf("keys %T %T", csca.PublicKey, ds.PublicKey)
	}
	if ds.Subject != "CN=ds-Passport,OU=PP,OU=Signature-Server,OU=Services,O=Admin,C=CH" || ds.Country != "CH" ||
		ds.SerialNumber.Int64() != 3 || ds.SignatureAlgorithm.String() != "ecdsa-with-SHA384" {
		t.Errorf("DS fields %q %q %v %s", ds.Subject, ds.Country, ds.SerialNumber, ds.SignatureAlgorithm)
	}
	if err := ds.CheckSignatureFrom(csca); err != nil {
		t.Fatalf("real brainpool DS does not verify: %v", err)
	}
	if err := csca.CheckSignatureFrom(csca); err != nil {
		t.Errorf("CSCA self-signature: %v", err)
	}
	// The DS carries no AKI keyIdentifier (only issuer and serial), so
	// the store falls back to the issuer name.
	s := NewStore()
	s.Add(csca, Source{Kind: SourceUser, Name: "ch"})
	if got := s.Issuers(ds); len(got) != 1 {
		t.Fatalf("Issuers: %d candidates", len(got))
	}
	if _, err := s.Verify(ds, time.Date(2010, 6, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Errorf("Verify in 2010: %v", err)
	}
	_, err := s.Verify(ds, testNow)
	wantKind(t, err, Expired)
}

func TestMalformedCertificates(t *testing.T) {
	ca := newECKey(t, "P-256")
	name := tName("CA", "ZZ")
	good := issue(t, tCertSpec{serial: 1, subject: name, issuer: name, ca: true}, ca, ca)
	if _, err := ParseCertificate(good); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		der  []byte
		kind Kind
	}{
		"empty":          {nil, Malformed},
		"trailing bytes": {append(bytes.Clone(good), 0), Malformed},
		"truncated":      {good[:len(good)-3], Malformed},
		"too large":      {make([]byte, MaxCertificateSize+1), TooLarge},
		"duplicate extension": {issue(t, tCertSpec{serial: 2, subject: name, issuer: name,
			extra: []pkix.Extension{{Id: tOIDSKI, Value: mustDER(t, []byte{1})}}}, ca, ca), Malformed},
		"bad critical basicConstraints": {issue(t, tCertSpec{serial: 3, subject: name, issuer: name,
			extra: []pkix.Extension{{Id: tOIDBC, Critical: true, Value: []byte{0x30, 0x03, 0x02, 0x01}}}}, ca, ca), Malformed},
		"bad critical documentTypeList": {issue(t, tCertSpec{serial: 4, subject: name, issuer: name,
			extra: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 23, 136, 1, 1, 6, 2}, Critical: true, Value: mustDER(t, struct {
				V int
				T []string `asn1:"set"`
			}{0, []string{"ABC"}})}}}, ca, ca), Malformed},
	}
	// Outer signatureAlgorithm differing from the TBS one.
	var outer struct {
		TBS asn1.RawValue
		Alg pkix.AlgorithmIdentifier
		Sig asn1.BitString
	}
	if _, err := asn1.Unmarshal(good, &outer); err != nil {
		t.Fatal(err)
	}
	outer.Alg.Algorithm = tOIDECDSASHA384
	cases["algorithm mismatch"] = struct {
		der  []byte
		kind Kind
	}{mustDER(t, outer), Malformed}

	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseCertificate(c.der)
			wantKind(t, err, c.kind)
			if chiperr.KindOf(err) == 0 {
				t.Errorf("%v is not a chiperr kind too", err)
			}
		})
	}
}

func TestUnsupportedKeyAndCritical(t *testing.T) {
	ca := newECKey(t, "P-256")
	name := tName("CA", "ZZ")
	// A DSA key (1.2.840.10040.4.1): not a key of this PKI.
	dsa := &tKey{spki: mustDER(t, struct {
		Alg pkix.AlgorithmIdentifier
		Key asn1.BitString
	}{pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 10040, 4, 1}}, asn1.BitString{Bytes: []byte{2, 1, 5}, BitLength: 24}})}
	_, err := ParseCertificate(issue(t, tCertSpec{serial: 1, subject: name, issuer: name}, dsa, ca))
	wantKind(t, err, UnsupportedAlgorithm)
	if !errors.Is(err, chiperr.Unsupported) {
		t.Errorf("not chiperr.Unsupported: %v", err)
	}

	// An unknown critical extension is parsed, listed and refused by Verify.
	odd := asn1.ObjectIdentifier{1, 2, 3, 4}
	caDER := issue(t, tCertSpec{serial: 2, subject: name, issuer: name, ca: true}, ca, ca)
	dsKey := newECKey(t, "P-256")
	dsDER := issue(t, tCertSpec{serial: 3, subject: tName("DS", "ZZ"), issuer: name,
		extra: []pkix.Extension{{Id: odd, Critical: true, Value: []byte{5, 0}}}}, dsKey, ca)
	ds := mustParse(t, dsDER)
	if len(ds.UnhandledCritical) != 1 || !ds.UnhandledCritical[0].Equal(odd) {
		t.Fatalf("UnhandledCritical %v", ds.UnhandledCritical)
	}
	s := NewStore()
	s.Add(mustParse(t, caDER), Source{Kind: SourceUser})
	_, err = s.Verify(ds, testNow)
	wantKind(t, err, UnhandledCritical)
}

// TestNames covers the lenient string decoding of names: '@' in a
// PrintableString, T61, BMP and UniversalString values, and the
// case-insensitive matching of an issuer name.
func TestNames(t *testing.T) {
	attr := func(oid asn1.ObjectIdentifier, tag uint32, b []byte) []byte {
		return ber.Encode(0x31, ber.Encode(0x30, mustDER(t, oid), ber.Encode(tag, b)))
	}
	raw := ber.Encode(0x30,
		attr(asn1.ObjectIdentifier{2, 5, 4, 6}, 0x13, []byte("fr")),
		attr(asn1.ObjectIdentifier{2, 5, 4, 10}, 0x14, []byte{'M', 'i', 'n', 'i', 's', 't', 0xE8, 'r', 'e'}),
		attr(asn1.ObjectIdentifier{2, 5, 4, 11}, 0x1E, []byte{0, 'U', 0, 0xC9}),
		attr(asn1.ObjectIdentifier{2, 5, 4, 7}, 0x1C, []byte{0, 0, 0, 'L'}),
		attr(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}, 0x13, []byte("csca@example.org")),
		attr(asn1.ObjectIdentifier{2, 5, 4, 3}, 0x0C, []byte("CSCA, \"Test\"")),
	)
	n, err := parseName(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := `CN=CSCA\, \"Test\",emailAddress=csca@example.org,L=L,OU=UÉ,O=Ministère,C=fr`
	if n.display != want || n.country != "FR" {
		t.Errorf("name %q country %q, want %q", n.display, n.country, want)
	}
	// The same name in other case, spacing and string types.
	n2, err := parseName(ber.Encode(0x30,
		attr(asn1.ObjectIdentifier{2, 5, 4, 6}, 0x0C, []byte("FR ")),
		attr(asn1.ObjectIdentifier{2, 5, 4, 10}, 0x0C, []byte("MINISTÈRE")),
		attr(asn1.ObjectIdentifier{2, 5, 4, 11}, 0x0C, []byte("ué")),
		attr(asn1.ObjectIdentifier{2, 5, 4, 7}, 0x0C, []byte("l")),
		attr(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}, 0x16, []byte("CSCA@EXAMPLE.ORG")),
		attr(asn1.ObjectIdentifier{2, 5, 4, 3}, 0x0C, []byte("csca,   \"test\"")),
	))
	if err != nil {
		t.Fatal(err)
	}
	if n.canon != n2.canon {
		t.Errorf("names differing by case, space and string type do not match:\n%q\n%q", n.canon, n2.canon)
	}
	for _, bad := range [][]byte{{0x30, 0x02, 0x31, 0x00}, {0x31, 0x00}, {0x30, 0x03, 0x30, 0x01, 0x00}} {
		if _, err := parseName(bad); err == nil {
			t.Errorf("name %x accepted", bad)
		}
	}
	// A value of a non-string type is shown as #hex.
	n3, err := parseName(ber.Encode(0x30, attr(asn1.ObjectIdentifier{2, 5, 4, 3}, 0x02, []byte{1})))
	if err != nil || !strings.HasPrefix(n3.display, "CN=#") {
		t.Errorf("%q %v", n3.display, err)
	}
}

// A malformed extension that is not critical is reported and skipped
// (RFC 5280 §4.2 lets a verifier ignore it); the certificate stays usable.
func TestNonCriticalBadExtensionIsReported(t *testing.T) {
	ca := newECKey(t, "P-256")
	name := tName("CSCA", "UT")
	docTypes := asn1.ObjectIdentifier{2, 23, 136, 1, 1, 6, 2}
	der := issue(t, tCertSpec{serial: 5, subject: name, issuer: name, ca: true,
		extra: []pkix.Extension{{Id: docTypes, Value: []byte{0x30, 0x01}}}}, ca, ca)
	c, err := ParseCertificate(der)
	if err != nil {
		t.Fatalf("a malformed non-critical extension refused the certificate: %v", err)
	}
	if len(c.BadExtensions) != 1 || !c.BadExtensions[0].OID.Equal(docTypes) || c.BadExtensions[0].Err == nil {
		t.Fatalf("BadExtensions = %+v, want the documentTypeList with its error", c.BadExtensions)
	}
	if c.HasDocumentTypeList {
		t.Error("a documentTypeList that did not parse is taken as present")
	}
	if !c.IsCA {
		t.Error("the certificate's other extensions were lost")
	}
}

func TestBasicConstraintsEncodings(t *testing.T) {
	for _, tc := range []struct {
		name    string
		value   []byte
		ca      bool
		maxPath int
		lenient bool
		bad     bool
	}{
		{"DER TRUE", []byte{0x30, 0x03, 0x01, 0x01, 0xFF}, true, -1, false, false},
		{"TRUE written 01", []byte{0x30, 0x03, 0x01, 0x01, 0x01}, true, -1, true, false},
		{"TRUE with path length", []byte{0x30, 0x06, 0x01, 0x01, 0xFF, 0x02, 0x01, 0x00}, true, 0, false, false},
		{"empty (not a CA)", []byte{0x30, 0x00}, false, -1, false, false},
		{"FALSE written out", []byte{0x30, 0x03, 0x01, 0x01, 0x00}, false, -1, false, false},
		{"negative path length", []byte{0x30, 0x06, 0x01, 0x01, 0xFF, 0x02, 0x01, 0xFF}, false, 0, false, true},
		{"boolean of two bytes", []byte{0x30, 0x04, 0x01, 0x02, 0xFF, 0xFF}, false, 0, false, true},
		{"trailing field", []byte{0x30, 0x09, 0x01, 0x01, 0xFF, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00}, false, 0, false, true},
		{"not a sequence", []byte{0x31, 0x00}, false, 0, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ca, maxPath, lenient, err := basicConstraints(tc.value)
			if tc.bad {
				wantKind(t, err, Malformed)
				return
			}
			if err != nil || ca != tc.ca || maxPath != tc.maxPath || (lenient != "") != tc.lenient {
				t.Fatalf("got ca=%v maxPath=%d lenient=%q err=%v", ca, maxPath, lenient, err)
			}
		})
	}
}
