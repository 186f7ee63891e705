package pki

import (
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/sim/demo"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// bundledFingerprints are the SHA-256 of assets/trust (see its README):
// a changed or added bundled anchor must be reviewed here.
var bundledFingerprints = map[string]string{
	"csca-france-2010.pem":      "8d4d8939b9b31c0b45907bf0622f791fe90cf20e85cbbc2d368ee143b4a453ab",
	"csca-france-2015-link.pem": "c32ed5f367359406bde965a5fafb0b7a7f570dbdcbb6f78f6bbf9805d99e9d73",
	"csca-france-2015.pem":      "5ba9a2069f34cd93fab9dcb39c6a7a7be62141f8bcb608aff815167c813ecf92",
	"csca-france-2020-link.pem": "1d370c86a6a5cc54bd95f6f9c72918b2936d0cf04b6e2c7b6edc15e91df4a905",
	"csca-france-2020.pem":      "28df42a7a0ed1b20f994cc96999060619e095b09764159703438ec60b88ee856",
	"csca-france-2025-link.pem": "d4a5b143602b3b1cacdddccf26e6eee431c578479f223b90aae6e23f7ce4f7fc",
	"csca-france-2025.pem":      "d628b5100ddcbed8f3e5fa05e53b6b80bebb1e6264a12583319ef955c91d9349",
	"eid-france-2021.pem":       "b33ea63b9be01082d98071a29111757c72257eba80d7205d21fa35436c29fe7c",
}

func TestLoadBundled(t *testing.T) {
	s := NewStore()
	rep, err := s.LoadBundled()
	if err != nil {
		t.Fatal(err)
	}
	if rep.Certificates != len(bundledFingerprints) {
		t.Fatalf("%d bundled certificates, want %d", rep.Certificates, len(bundledFingerprints))
	}
	french := 0
	for _, a := range s.Anchors() {
		if a.Source.Kind == SourceBundledMasterList {
			continue
		}
		french++
		want, ok := bundledFingerprints[a.Source.Name]
		if !ok || hex.EncodeToString(a.Cert.Fingerprint[:]) != want {
			t.Errorf("%s: fingerprint %x", a.Source.Name, a.Cert.Fingerprint)
		}
		if a.Source.Kind != SourceBundled || a.Cert.Country != "FR" || !a.Cert.IsCA || a.Cert.IsDemo() {
			t.Errorf("%s: %+v", a.Source.Name, a.Source)
		}
	}
	if french != len(bundledFingerprints) {
		t.Errorf("%d French anchors, want %d", french, len(bundledFingerprints))
	}
	if len(rep.MasterLists) != 1 || rep.MasterLists[0].Refused != nil {
		t.Fatalf("bundled master list: %+v", rep.MasterLists)
	}
	// Loading twice adds nothing: the same list is superseded by itself.
	again, err := s.LoadBundled()
	if err != nil || again.Certificates != 0 || again.MasterLists[0].CSCAs != 0 || again.MasterLists[0].SupersededBy == "" {
		t.Errorf("second load: %+v (%v)", again, err)
	}
}

// TestIssuersRollover: a CSCA key is present as a self-signed and a link
// certificate; a name carries four keys. Issuers returns every candidate.
func TestIssuersRollover(t *testing.T) {
	s := NewStore()
	if _, err := s.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	b := bundled(t)
	key2025 := b["csca-france-2025.pem"].SubjectKeyID
	got := s.Issuers(&Certificate{AuthorityKeyID: key2025, issuer: b["csca-france-2025.pem"].subject})
	if len(got) != 2 {
		t.Fatalf("%d candidates for the 2025 key, want the self-signed and the link certificate", len(got))
	}
	for _, a := range got {
		if a.Source.Name != "csca-france-2025.pem" && a.Source.Name != "csca-france-2025-link.pem" {
			t.Errorf("unexpected candidate %s", a.Source.Name)
		}
	}
	// Without an AKI: every CSCA-FRANCE certificate (7), not eID-FRANCE.
	got = s.Issuers(&Certificate{issuer: b["csca-france-2025.pem"].subject})
	if len(got) != 7 {
		t.Errorf("%d candidates by name, want 7", len(got))
	}
	// An AKI that matches nothing falls back to the name.
	got = s.Issuers(&Certificate{AuthorityKeyID: []byte{1, 2, 3}, issuer: b["eid-france-2021.pem"].subject})
	if len(got) != 1 || got[0].Source.Name != "eid-france-2021.pem" {
		t.Errorf("fallback to name: %v", got)
	}
	if s.Issuers(nil) != nil {
		t.Error("Issuers(nil)")
	}
}

// TestVerifyRollover: two CSCAs under one name with different keys; a DS
// without AKI is accepted through the right one whatever the order.
func TestVerifyRollover(t *testing.T) {
	name := tName("Rollover CSCA", "ZZ")
	oldKey, newKey := newECKey(t, "brainpoolP256r1"), newECKey(t, "brainpoolP256r1")
	oldCA := mustParse(t, issue(t, tCertSpec{serial: 1, subject: name, issuer: name, ca: true}, oldKey, oldKey))
	newCA := mustParse(t, issue(t, tCertSpec{serial: 2, subject: name, issuer: name, ca: true}, newKey, newKey))
	ds := mustParse(t, issue(t, tCertSpec{serial: 3, subject: tName("DS", "ZZ"), issuer: name, noAKI: true}, newECKey(t, "P-256"), newKey))
	s := NewStore()
	s.Add(oldCA, Source{Kind: SourceUser, Name: "old"})
	s.Add(newCA, Source{Kind: SourceUser, Name: "new"})
	if n := len(s.Issuers(ds)); n != 2 {
		t.Fatalf("%d candidates", n)
	}
	a, err := s.Verify(ds, testNow)
	if err != nil || a.Source.Name != "new" {
		t.Fatalf("anchor %q, %v", a.Source.Name, err)
	}

	// Only the old key: the signature fails.
	s2 := NewStore()
	s2.Add(oldCA, Source{Kind: SourceUser})
	_, err = s2.Verify(ds, testNow)
	wantKind(t, err, BadSignature)

	// Expired anchor: reported as expired, not as a bad signature from
	// the other candidate.
	expired := mustParse(t, issue(t, tCertSpec{serial: 4, subject: name, issuer: name, ca: true,
		notBefore: testNow.AddDate(-10, 0, 0), notAfter: testNow.AddDate(0, 0, -1)}, newKey, newKey))
	s3 := NewStore()
	s3.Add(oldCA, Source{Kind: SourceUser})
	s3.Add(expired, Source{Kind: SourceUser})
	_, err = s3.Verify(ds, testNow)
	wantKind(t, err, Expired)
}

// TestVerifyPrefersValidIssuer: a CSCA's link certificate (expired) and its
// self-signed certificate (valid) carry the same key and name, as the French
// 2015 pair does. Whatever their order in the store, the DS chains to the
// valid one, and the anchor returned names it; with only the expired one the
// failure names that certificate.
func TestVerifyPrefersValidIssuer(t *testing.T) {
	name := tName("CSCA 2015", "ZZ")
	key, oldKey := newECKey(t, "P-256"), newECKey(t, "P-256")
	link := mustParse(t, issue(t, tCertSpec{serial: 1, subject: name, issuer: name, ca: true,
		notBefore: testNow.AddDate(-6, 0, 0), notAfter: testNow.AddDate(0, -9, 0)}, key, oldKey))
	self := mustParse(t, issue(t, tCertSpec{serial: 2, subject: name, issuer: name, ca: true,
		notBefore: testNow.AddDate(-6, 0, 0), notAfter: testNow.AddDate(4, 0, 0)}, key, key))
	ds := mustParse(t, issue(t, tCertSpec{serial: 3, subject: tName("DS", "ZZ"), issuer: name}, newECKey(t, "P-256"), key))
	for _, order := range [][]*Certificate{{link, self}, {self, link}} {
		s := NewStore()
		s.Add(order[0], Source{Kind: SourceBundled, Name: order[0].Subject + fmt.Sprint(order[0].SerialNumber)})
		s.Add(order[1], Source{Kind: SourceBundled, Name: order[1].Subject + fmt.Sprint(order[1].SerialNumber)})
		a, err := s.Verify(ds, testNow)
		if err != nil || a.Cert != self {
			t.Fatalf("order %v: anchor serial %v, %v; want the valid self-signed certificate", order[0].SerialNumber, a.Cert.SerialNumber, err)
		}
	}
	s := NewStore()
	s.Add(link, Source{Kind: SourceBundled, Name: "link"})
	a, err := s.Verify(ds, testNow)
	wantKind(t, err, Expired)
	if a.Cert != link {
		t.Errorf("the failure does not name the expired link certificate: %+v", a)
	}
}

func TestVerifyDemo(t *testing.T) {
	for _, alg := range demo.KeyAlgs {
		t.Run(alg.String(), func(t *testing.T) {
			p := demoPKI(t, alg)
			s := NewStore()
			if _, err := s.LoadBundled(); err != nil {
				t.Fatal(err)
			}
			ds := mustParse(t, p.DSCertDER())
			_, err := s.Verify(ds, testNow)
			wantKind(t, err, UnknownIssuer)

			demoStore := NewStore()
			if err := demoStore.AddDemoCSCA(p.CSCACertDER()); err != nil {
				t.Fatal(err)
			}
			if a, err := demoStore.Verify(ds, testNow); err != nil || a.Source != (Source{Kind: SourceDemo, Name: "virtual card"}) {
				t.Errorf("AddDemoCSCA: %+v %v", a.Source, err)
			}
			wantKind(t, demoStore.AddDemoCSCA(p.DSCertDER()), BadInput)
			wantKind(t, demoStore.AddDemoCSCA(bundled(t)["csca-france-2025.pem"].Raw), BadInput)
			wantKind(t, demoStore.AddDemoCSCA([]byte{1}), Malformed)

			// Whatever source it is given, the demo CSCA is a Demo anchor.
			s.Add(mustParse(t, p.CSCACertDER()), Source{Kind: SourceBundled, Name: "sneaky"})
			a, err := s.Verify(ds, testNow)
			if err != nil {
				t.Fatal(err)
			}
			if a.Source.Kind != SourceDemo || a.Source.Name != "sneaky" {
				t.Errorf("demo anchor source %+v", a.Source)
			}
			_, err = s.Verify(ds, testNow.AddDate(11, 0, 0))
			wantKind(t, err, Expired)
			_, err = s.Verify(ds, testNow.AddDate(0, 0, -1))
			wantKind(t, err, NotYetValid)
			_, err = s.Verify(nil, testNow)
			wantKind(t, err, BadInput)

			crl, err := ParseCRL(p.CRLDER())
			if err != nil {
				t.Fatal(err)
			}
			if err := s.AddCRL(crl); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Verify(ds, testNow); err != nil {
				t.Errorf("with the empty CRL: %v", err)
			}
		})
	}
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func pemCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t, "brainpoolP256r1")
	entries, good := mlEntries(t)
	p := demoPKI(t, demo.ECDSAP256)
	writeFile(t, dir, "zz.der", ca.der)
	writeFile(t, dir, "bundle.PEM", append(pemCert(p.CSCACertDER()), pemCert(ca.der)...))
	writeFile(t, dir, "list.ml", buildMasterList(t, entries, ca.mlsDER, ca.mlsKey, tMLOptions{}))
	writeFile(t, dir, "demo.crl", p.CRLDER())
	writeFile(t, dir, "broken.cer", []byte("not a certificate"))
	writeFile(t, dir, "notes.txt", []byte("ignored"))
	if err := os.Mkdir(filepath.Join(dir, "sub.pem"), 0o700); err != nil {
		t.Fatal(err)
	}

	s := NewStore()
	rep, err := s.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Certificates != 2 || rep.CRLs != 1 || len(rep.Problems) != 1 || !strings.HasSuffix(rep.Problems[0].Path, "broken.cer") {
		t.Fatalf("report %+v", rep)
	}
	wantKind(t, rep.Problems[0].Err, Malformed)
	if len(rep.MasterLists) != 1 || rep.MasterLists[0].Refused != nil || len(rep.MasterLists[0].Invalid) != 1 {
		t.Fatalf("master list report %+v", rep.MasterLists)
	}
	// The list's demo CSCA is new (the P-256 one came from bundle.PEM);
	// the French ones are all new here.
	if rep.MasterLists[0].CSCAs != good {
		t.Errorf("%d CSCAs added from the list, want %d", rep.MasterLists[0].CSCAs, good)
	}
	if s.Len() != 2+good {
		t.Errorf("%d anchors", s.Len())
	}
	for _, a := range s.Anchors() {
		want := SourceUser
		switch {
		case a.Cert.IsDemo():
			want = SourceDemo
		case a.Source.Name == "list.ml":
			want = SourceMasterList
		}
		if a.Source.Kind != want {
			t.Errorf("%s from %s: source %v, want %v", a.Cert.Subject, a.Source.Name, a.Source.Kind, want)
		}
	}
	if rep, err := NewStore().LoadDir(filepath.Join(dir, "missing")); err != nil || rep.Certificates != 0 {
		t.Errorf("missing dir: %+v %v", rep, err)
	}
}

func TestImport(t *testing.T) {
	src, user := t.TempDir(), filepath.Join(t.TempDir(), "trust")
	ca := newTestCA(t, "P-256")
	entries, _ := mlEntries(t)
	p := demoPKI(t, demo.ECDSAP256)

	res, err := Import(writeFile(t, src, "zz csca.der", ca.der), user)
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != ImportCertificates || len(res.Certificates) != 1 || filepath.Base(res.Dest) != "zz_csca.der" {
		t.Errorf("result %+v", res)
	}
	if fi, err := os.Stat(user); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("trust directory: %v %v", fi, err)
	}
	// The same bytes, or the same certificate in PEM form, are duplicates.
	_, err = Import(writeFile(t, src, "again.der", ca.der), user)
	wantKind(t, err, Duplicate)
	_, err = Import(writeFile(t, src, "again.pem", pemCert(ca.der)), user)
	wantKind(t, err, Duplicate)

	// Refused: a Document Signer, the demo CSCA, an unknown type, garbage.
	_, err = Import(writeFile(t, src, "ds.cer", ca.mlsDER), user)
	wantKind(t, err, NotCA)
	_, err = Import(writeFile(t, src, "demo.crt", p.CSCACertDER()), user)
	wantKind(t, err, DemoAnchor)
	_, err = Import(writeFile(t, src, "list.zip", []byte("PK")), user)
	wantKind(t, err, BadInput)
	_, err = Import(writeFile(t, src, "bad.ml", []byte{0x30, 0}), user)
	wantKind(t, err, Malformed)
	_, err = Import(filepath.Join(src, "missing.der"), user)
	wantKind(t, err, Storage)
	_, err = Import("", user)
	wantKind(t, err, BadInput)

	res, err = Import(writeFile(t, src, "list.ml", buildMasterList(t, entries, ca.mlsDER, ca.mlsKey, tMLOptions{})), user)
	if err != nil || res.Kind != ImportMasterList || len(res.MasterList.CSCAs) == 0 {
		t.Fatalf("master list: %+v %v", res, err)
	}
	res, err = Import(writeFile(t, src, "demo.crl", p.CRLDER()), user)
	if err != nil || res.Kind != ImportCRL || res.CRL == nil {
		t.Fatalf("CRL: %+v %v", res, err)
	}
	// A name already taken by other content gets a suffix.
	other := newTestCA(t, "P-256")
	res, err = Import(writeFile(t, src, "zz csca.der", other.der), user)
	if err != nil || filepath.Base(res.Dest) != "zz_csca-2.der" {
		t.Fatalf("second zz csca.der: %+v %v", res, err)
	}

	// What was imported loads back.
	s := NewStore()
	rep, err := s.LoadDir(user)
	if err != nil || rep.Certificates != 2 || len(rep.MasterLists) != 1 {
		t.Fatalf("LoadDir: %+v %v", rep, err)
	}
	// The P-256 demo CRL meets only the brainpool demo CSCA of the list
	// (same name, other key): refused at load and reported.
	if rep.CRLs != 0 || len(rep.Problems) != 1 || filepath.Base(rep.Problems[0].Path) != "demo.crl" {
		t.Fatalf("CRLs %d, problems %+v", rep.CRLs, rep.Problems)
	}
	wantKind(t, rep.Problems[0].Err, BadSignature)
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"CSCA France 2025.PEM": "CSCA_France_2025.pem",
		".pem":                 "imported.pem",
		"../../etc/x.der":      "______etc_x.der",
		"é.ml":                 "_.ml",
	} {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := safeName(strings.Repeat("a", 300) + ".der"); len(got) != 104 {
		t.Errorf("long name kept %d bytes", len(got))
	}
}

func TestErrors(t *testing.T) {
	err := error(&Error{Kind: BadSignature, Op: "verify", Detail: "sha256WithRSAEncryption"})
	if !errors.Is(err, BadSignature) || !errors.Is(err, chiperr.Integrity) || chiperr.KindOf(err) != chiperr.Integrity {
		t.Errorf("kinds of %v", err)
	}
	if KindOf(fmtWrap(err)) != BadSignature {
		t.Error("KindOf through wrapping")
	}
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatal("errors.As")
	}
	// The sentences of each kind are app/problem's (its table test walks Kinds).
	if len(Kinds()) == 0 || Kinds()[len(Kinds())-1] < UntrustedDeviationList {
		t.Errorf("Kinds() = %v", Kinds())
	}
	for _, k := range Kinds() {
		if strings.HasPrefix(k.Error(), "pki error") || k.Error() != strings.ToLower(k.Error()) {
			t.Errorf("kind %d lacks a lowercase name: %q", k, k.Error())
		}
	}
	// Kinds without a chip meaning stay out of chiperr.
	if chiperr.KindOf(&Error{Kind: UnknownIssuer}) != 0 {
		t.Error("UnknownIssuer maps onto a chiperr kind")
	}
	// Wrapping a pki error keeps its kind and says it once.
	w := wrap(Malformed, "outer", &Error{Kind: Expired, Op: "inner", Detail: "d"})
	if KindOf(w) != Expired || strings.Count(w.Error(), Expired.Error()) != 1 {
		t.Errorf("wrapped: %v", w)
	}
}

func fmtWrap(err error) error { return errors.Join(errors.New("context"), err) }

func TestSmallPieces(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/tmp/xdg-test")
	t.Setenv("HOME", "/tmp/home-test")
	if d, err := DefaultUserDir(); err != nil || !strings.HasSuffix(d, filepath.Join("cnie-reader", "trust")) {
		t.Errorf("DefaultUserDir %q %v", d, err)
	}
	for k, want := range map[SourceKind]string{SourceBundled: "bundled", SourceMasterList: "master list", SourceUser: "user", SourceDemo: "demo", 0: "unknown"} {
		if k.String() != want {
			t.Errorf("%d: %q", k, k.String())
		}
	}

	// A CA whose keyUsage lacks keyCertSign and cRLSign may sign neither.
	key := newECKey(t, "P-384")
	name := tName("Signer-only CA", "ZZ")
	ku := asn1.BitString{Bytes: []byte{0x80}, BitLength: 1}
	ca := mustParse(t, issue(t, tCertSpec{serial: 1, subject: name, issuer: name, ca: true, keyUsage: &ku}, key, key))
	wantKind(t, ca.CheckSignatureFrom(ca), WrongUsage)
	crlDER := issueCRL(t, name, key, testNow, nil)
	crl, err := ParseCRL(crlDER)
	if err != nil {
		t.Fatal(err)
	}
	wantKind(t, crl.CheckSignatureFrom(ca), WrongUsage)

	// CRL files may be PEM.
	pemCRL := pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: crlDER})
	if got, err := parseCRLFile(append([]byte("comment\n"), pemCRL...)); err != nil || got.Fingerprint != crl.Fingerprint {
		t.Errorf("PEM CRL: %v", err)
	}
	_, err = parseCRLFile(pemCert(ca.Raw))
	wantKind(t, err, Malformed)
	_, err = ParseCertificates([]byte("-----BEGIN X509 CRL-----\n-----END X509 CRL-----\n"))
	wantKind(t, err, Malformed)

	a := ca.SignatureAlgorithm
	if !a.Equal(AlgorithmIdentifier{OID: asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}}) || !a.Equal(crl.SignatureAlgorithm) {
		t.Errorf("AlgorithmIdentifier.Equal on %v", a)
	}
}
