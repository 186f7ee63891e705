package pki

import (
	"bytes"
	"encoding/asn1"
	"sort"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/sim/demo"
)

// mlEntries are the certList of the test master lists: the real French
// CSCAs, the brainpool demo CSCA and one entry that is not a certificate.
func mlEntries(t *testing.T) (entries [][]byte, good int) {
	t.Helper()
	b := bundled(t)
	names := make([]string, 0, len(b))
	for n := range b {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		entries = append(entries, b[n].Raw)
	}
	entries = append(entries, demoPKI(t, demo.ECDSABrainpoolP256r1).CSCACertDER())
	good = len(entries)
	// A SEQUENCE that is no certificate: reported, not fatal.
	entries = append(entries, []byte{0x30, 0x03, 0x02, 0x01, 0x05})
	return entries, good
}

func TestMasterList(t *testing.T) {
	entries, good := mlEntries(t)
	for _, curve := range []string{"brainpoolP256r1", "P-384", "RSA"} {
		t.Run(curve, func(t *testing.T) {
			ca := newTestCA(t, curve)
			der := buildMasterList(t, entries, ca.mlsDER, ca.mlsKey, tMLOptions{}, ca.der)
			ml, err := ParseMasterList(der)
			if err != nil {
				t.Fatal(err)
			}
			if len(ml.CSCAs) != good || len(ml.Invalid) != 1 || ml.Invalid[0].Field != "certList" || ml.Invalid[0].Index != good {
				t.Fatalf("%d CSCAs, invalid %+v", len(ml.CSCAs), ml.Invalid)
			}
			if len(ml.Signers) != 2 || !ml.SigningTime.Equal(testNow) {
				t.Errorf("%d signer certificates, signing time %v", len(ml.Signers), ml.SigningTime)
			}
			if !bytes.Equal(ml.CSCAs[0].Raw, entries[0]) {
				t.Error("first CSCA differs from the first entry")
			}
			signer, err := ml.VerifySigner([]*Certificate{ca.cert})
			if err != nil {
				t.Fatalf("VerifySigner: %v", err)
			}
			if signer.Subject != "CN=Test ML Signer,O=Test,C=ZZ" {
				t.Errorf("signer %q", signer.Subject)
			}
			// Another CSCA (other key) is no anchor for it.
			other := newTestCA(t, "P-256")
			_, err = ml.VerifySigner([]*Certificate{other.cert})
			wantKind(t, err, UnknownIssuer)
			_, err = ml.VerifySigner(nil)
			wantKind(t, err, UnknownIssuer)
		})
	}
}

func TestMasterListVariants(t *testing.T) {
	entries, _ := mlEntries(t)
	ca := newTestCA(t, "RSA")
	anchors := []*Certificate{ca.cert}
	for label, o := range map[string]tMLOptions{
		"rsaEncryption OID":         {rsaEncryptionOID: true},
		"subjectKeyIdentifier":      {ski: true},
		"no signed attributes":      {noSignedAttrs: true},
		"everything at once":        {rsaEncryptionOID: true, ski: true},
		"SKI, no signed attributes": {ski: true, noSignedAttrs: true},
	} {
		t.Run(label, func(t *testing.T) {
			ml, err := ParseMasterList(buildMasterList(t, entries, ca.mlsDER, ca.mlsKey, o, ca.der))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ml.VerifySigner(anchors); err != nil {
				t.Errorf("VerifySigner: %v", err)
			}
		})
	}
}

func TestMasterListNegative(t *testing.T) {
	entries, _ := mlEntries(t)
	ca := newTestCA(t, "brainpoolP384r1")
	anchors := []*Certificate{ca.cert}

	t.Run("wrong contentType attribute", func(t *testing.T) {
		ml, err := ParseMasterList(buildMasterList(t, entries, ca.mlsDER, ca.mlsKey, tMLOptions{wrongContentType: true}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = ml.VerifySigner(anchors)
		wantKind(t, err, BadSignature)
	})
	t.Run("wrong messageDigest", func(t *testing.T) {
		ml, err := ParseMasterList(buildMasterList(t, entries, ca.mlsDER, ca.mlsKey, tMLOptions{corruptDigest: true}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = ml.VerifySigner(anchors)
		wantKind(t, err, BadSignature)
	})
	t.Run("tampered content", func(t *testing.T) {
		der := buildMasterList(t, entries, ca.mlsDER, ca.mlsKey, tMLOptions{})
		// Flip a byte of a French CSCA's signature inside certList: the
		// list still parses, its messageDigest no longer matches.
		i := bytes.Index(der, entries[0][len(entries[0])-20:])
		der[i] ^= 1
		ml, err := ParseMasterList(der)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ml.VerifySigner(anchors)
		wantKind(t, err, BadSignature)
	})
	t.Run("signer not included", func(t *testing.T) {
		der := buildMasterList(t, entries, ca.mlsDER, ca.mlsKey, tMLOptions{})
		ml, err := ParseMasterList(der)
		if err != nil {
			t.Fatal(err)
		}
		ml.Signers = nil
		_, err = ml.VerifySigner(anchors)
		wantKind(t, err, UnknownIssuer)
	})
	t.Run("signer without master list EKU", func(t *testing.T) {
		name := tName("Test CSCA brainpoolP384r1", "ZZ")
		key := newECKey(t, "brainpoolP256r1")
		der := issue(t, tCertSpec{serial: 9, subject: tName("Other signer", "ZZ"), issuer: name,
			eku: []asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 4}}}, key, ca.key)
		ml, err := ParseMasterList(buildMasterList(t, entries, der, key, tMLOptions{}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = ml.VerifySigner(anchors)
		wantKind(t, err, WrongUsage)
	})
	t.Run("version 1", func(t *testing.T) {
		_, err := ParseMasterList(buildMasterList(t, entries, ca.mlsDER, ca.mlsKey, tMLOptions{version: 1}))
		wantKind(t, err, Malformed)
	})
	t.Run("not a master list", func(t *testing.T) {
		for _, der := range [][]byte{nil, {0x30, 0x00}, demoPKI(t, demo.ECDSAP256).CSCACertDER(), make([]byte, MaxMasterListSize+1)} {
			if _, err := ParseMasterList(der); err == nil {
				t.Errorf("%x... accepted", der[:min(len(der), 8)])
			}
		}
		_, err := ParseMasterList(make([]byte, MaxMasterListSize+1))
		wantKind(t, err, TooLarge)
	})
}

// TestMasterListIntoStore loads the CSCAs of a verified list into a store:
// the demo CSCA it carries still comes out as a Demo anchor.
func TestMasterListIntoStore(t *testing.T) {
	entries, good := mlEntries(t)
	ca := newTestCA(t, "P-256")
	ml, err := ParseMasterList(buildMasterList(t, entries, ca.mlsDER, ca.mlsKey, tMLOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	s := NewStore()
	for _, c := range ml.CSCAs {
		s.Add(c, Source{Kind: SourceMasterList, Name: "test.ml"})
	}
	if s.Len() != good {
		t.Fatalf("%d anchors", s.Len())
	}
	p := demoPKI(t, demo.ECDSABrainpoolP256r1)
	a, err := s.Verify(mustParse(t, p.DSCertDER()), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if a.Source.Kind != SourceDemo {
		t.Errorf("demo CSCA from a master list has source %v", a.Source.Kind)
	}
}
