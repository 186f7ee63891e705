package pki

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/assets/trust"
)

// The BSI's real master list: every one of its 588 CSCAs loads, the list
// verifies to the pinned German CSCA, and what had to be tolerated is named.
func TestBSIMasterListLoadsWhole(t *testing.T) {
	s := NewStore()
	rep, err := s.LoadBundled()
	if err != nil {
		t.Fatal(err)
	}
	r := rep.MasterLists[0]
	if r.Present != 588 {
		t.Errorf("%d certificates present, want 588", r.Present)
	}
	for _, e := range r.Invalid {
		t.Errorf("%s[%d] refused: %v", e.Field, e.Index, e.Err)
	}
	if r.Signer == nil || r.Signer.Subject != "CN=CSCA Master List Signer,SERIALNUMBER=0039,OU=bsi,O=bund,C=DE" {
		t.Errorf("signer %v", r.Signer)
	}
	if want := time.Date(2026, 5, 28, 0, 0, 0, 0, time.UTC); r.SigningTime.Truncate(24*time.Hour) != want {
		t.Errorf("signing time %v", r.SigningTime)
	}
	ml, err := ParseMasterList(trust.BSIMasterList)
	if err != nil {
		t.Fatal(err)
	}
	countries := map[string]bool{}
	var rsa6144, lenient int
	for _, c := range ml.CSCAs {
		countries[c.Country] = true
		if k, ok := c.PublicKey.(interface{ Size() int }); ok && k.Size()*8 == 6144 {
			rsa6144++
		}
		if len(c.Lenient) > 0 {
			lenient++
			t.Logf("%s: tolerated %v", c.Subject, c.Lenient)
		}
	}
	if len(ml.CSCAs) != 588 || rsa6144 != 6 || lenient != 2 {
		t.Errorf("%d CSCAs, %d RSA-6144, %d with tolerated slips; want 588, 6, 2", len(ml.CSCAs), rsa6144, lenient)
	}
	// Anchors added: the list's, less those the French bundle already had.
	if got := r.CSCAs + rep.Certificates; got > s.Len() || r.CSCAs < 570 {
		t.Errorf("%d CSCAs added from the list, %d anchors in all", r.CSCAs, s.Len())
	}
	t.Logf("%d issuers' countries, %d anchors", len(countries), s.Len())
}

// A list with one flipped bit adds nothing, and says why.
func TestTamperedMasterListRefused(t *testing.T) {
	for name, flip := range map[string]int{
		"in a certificate": len(trust.BSIMasterList) / 2,
		"in the signature": len(trust.BSIMasterList) - 10,
	} {
		t.Run(name, func(t *testing.T) {
			bad := bytes.Clone(trust.BSIMasterList)
			bad[flip] ^= 0x01
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "DE.ml"), bad, 0o600); err != nil {
				t.Fatal(err)
			}
			s := NewStore()
			rep, err := s.LoadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.MasterLists) != 1 || len(rep.Problems) != 0 {
				t.Fatalf("report %+v", rep)
			}
			r := rep.MasterLists[0]
			if !errors.Is(r.Refused, UntrustedList) || r.CSCAs != 0 || s.Len() != 0 {
				t.Fatalf("tampered list: refused=%v, %d CSCAs, %d anchors", r.Refused, r.CSCAs, s.Len())
			}
		})
	}
}

// Of two trusted lists of one publisher, the one signed later is used,
// whatever the order they are found in; the other is named.
func TestNewerMasterListReplacesOlder(t *testing.T) {
	ca := newTestCA(t, "P-256")
	b := bundled(t)
	older := [][]byte{b["csca-france-2010.pem"].Raw, b["csca-france-2015.pem"].Raw}
	newer := [][]byte{b["csca-france-2015.pem"].Raw, b["csca-france-2025.pem"].Raw}
	for _, names := range [][2]string{{"a-old.ml", "b-new.ml"}, {"b-old.ml", "a-new.ml"}} {
		dir := t.TempDir()
		writeFile(t, dir, "ca.der", ca.der)
		writeFile(t, dir, names[0], buildMasterList(t, older, ca.mlsDER, ca.mlsKey, tMLOptions{signingTime: testNow.AddDate(0, -6, 0)}))
		writeFile(t, dir, names[1], buildMasterList(t, newer, ca.mlsDER, ca.mlsKey, tMLOptions{signingTime: testNow}))
		s := NewStore()
		rep, err := s.LoadDir(dir)
		if err != nil || len(rep.MasterLists) != 2 {
			t.Fatalf("%v: %+v %v", names, rep, err)
		}
		for _, a := range s.Anchors() {
			if a.Source.Name == names[0] {
				t.Errorf("%v: %s still comes from the older list", names, a.Cert.Subject)
			}
		}
		if s.Len() != 3 { // the CA and the newer list's two
			t.Errorf("%v: %d anchors, want 3", names, s.Len())
		}
		var named bool
		for _, r := range rep.MasterLists {
			named = named || r.SupersededBy == names[1] || (len(r.Replaced) == 1 && r.Replaced[0] == names[0])
		}
		if !named {
			t.Errorf("%v: the replacement is not reported: %+v", names, rep.MasterLists)
		}
	}
}

// trust import checks a master list's signature before copying it.
func TestImportMasterListChecksSignature(t *testing.T) {
	src, user := t.TempDir(), filepath.Join(t.TempDir(), "trust")
	bad := bytes.Clone(trust.BSIMasterList)
	bad[len(bad)-10] ^= 1
	_, err := ImportWith(writeFile(t, src, "DE_bad.ml", bad), user, ImportOptions{Trusted: NewStore(), Force: true})
	if !errors.Is(err, UntrustedList) {
		t.Fatalf("a tampered list was imported: %v", err)
	}
	ca := newTestCA(t, "P-256")
	b := bundled(t)
	unknown := buildMasterList(t, [][]byte{b["csca-france-2015.pem"].Raw}, ca.mlsDER, ca.mlsKey, tMLOptions{})
	if _, err := ImportWith(writeFile(t, src, "unknown.ml", unknown), user, ImportOptions{Trusted: NewStore()}); !errors.Is(err, UntrustedList) {
		t.Fatalf("a list from an unknown signer was imported: %v", err)
	}
	// The real list verifies to the pinned German CSCA.
	res, err := ImportWith(writeFile(t, src, trust.BSIMasterListName, trust.BSIMasterList), user, ImportOptions{Trusted: NewStore()})
	if err != nil || res.Kind != ImportMasterList {
		t.Fatalf("the BSI list: %+v %v", res, err)
	}
	if entries, _ := os.ReadDir(user); len(entries) != 1 {
		t.Errorf("trust directory holds %d files, want the one good list", len(entries))
	}
}

// BenchmarkLoadBundled is what building the trust store costs: the French
// CSCAs and the BSI list (SHA-256 of the file, parse, CMS signature, 588
// certificates).
func BenchmarkLoadBundled(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewStore().LoadBundled(); err != nil {
			b.Fatal(err)
		}
	}
}
