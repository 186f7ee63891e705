package pki

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/sim/demo"
	"github.com/cnie-reader/cnie-reader/reader/ber"
)

// Deviation types, written out from ICAO 9303-12 §10 (not taken from the
// package, so that a wrong constant there is not mirrored here).
var (
	tDevDSEncoding      = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 1, 2}
	tDevAAKey           = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 1, 4}
	tDevDGMalformed     = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 2, 1}
	tDevDGHashWrong     = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 2, 2}
	tDevSODSignature    = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 2, 3}
	tDevMRZCheckDigit   = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 3, 2}
	tDevNationalUseLeaf = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 5, 9}
)

// tDLPKI is a country's CSCA and the deviation list signer it issued.
type tDLPKI struct {
	country        string
	name           pkix.Name
	key, signerKey *tKey
	der, signerDER []byte
	cert           *Certificate
}

var tDigitalSignature = asn1.BitString{Bytes: []byte{0x80}, BitLength: 1}

func newDLPKI(t testing.TB, country string, eku asn1.ObjectIdentifier) *tDLPKI {
	t.Helper()
	p := &tDLPKI{country: country, name: tName("Test CSCA "+country, country), key: newECKey(t, "P-256"), signerKey: newECKey(t, "P-256")}
	p.der = issue(t, tCertSpec{serial: 1, subject: p.name, issuer: p.name, ca: true}, p.key, p.key)
	p.signerDER = issue(t, tCertSpec{serial: 2, subject: tName("Test DL Signer", country), issuer: p.name,
		keyUsage: &tDigitalSignature, eku: []asn1.ObjectIdentifier{eku}}, p.signerKey, p.key)
	p.cert = mustParse(t, p.der)
	return p
}

// ds issues a Document Signer certificate with key (a new one when nil).
func (p *tDLPKI) ds(t testing.TB, serial int64, key *tKey) *Certificate {
	t.Helper()
	if key == nil {
		key = newECKey(t, "P-256")
	}
	return mustParse(t, issue(t, tCertSpec{serial: serial, subject: tName("Test DS", p.country), issuer: p.name, keyUsage: &tDigitalSignature}, key, p.key))
}

// sign wraps a DeviationList content into a signed list.
func (p *tDLPKI) sign(t testing.TB, content []byte, o tMLOptions) []byte {
	t.Helper()
	return buildSignedContent(t, tOIDDeviationList, content, p.signerDER, p.signerKey, o, p.der)
}

// tDocs are the DeviationDocuments of a test deviation.
type tDocs struct {
	docType     string
	ds          *Certificate // named by issuerAndSerialNumber
	ski, digest []byte
	from, until time.Time
	numbers     []string
	hasNumbers  bool
	explicit    bool // EXPLICIT tags, as some encoders write them
}

// tDesc is a DeviationDescription.
type tDesc struct {
	text  []byte
	utf8  bool
	oid   asn1.ObjectIdentifier
	param []byte // the whole [0] element
}

type tDev struct {
	docs  tDocs
	descs []tDesc
}

func dgParam(t testing.TB, n int) []byte { return ber.Encode(0xA0, mustDER(t, n)) }

func genTime(t testing.TB, tm time.Time) []byte {
	t.Helper()
	b, err := asn1.MarshalWithParams(tm.UTC(), "generalized")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// derSet is a DER SET OF: its members sorted.
func derSet(members ...[]byte) []byte {
	members = slices.Clone(members)
	slices.SortFunc(members, bytes.Compare)
	return ber.Encode(0x31, members...)
}

func (d tDocs) encode(t testing.TB) []byte {
	t.Helper()
	tag := func(implicitTag, explicitTag uint32, universal uint32, contents ...[]byte) []byte {
		if d.explicit {
			return ber.Encode(explicitTag, ber.Encode(universal, contents...))
		}
		return ber.Encode(implicitTag, contents...)
	}
	var f [][]byte
	if d.docType != "" {
		f = append(f, tag(0x80, 0xA0, 0x13, []byte(d.docType)))
	}
	switch {
	case d.ds != nil:
		f = append(f, tag(0xA1, 0xA1, 0x30, d.ds.RawIssuer, mustDER(t, d.ds.SerialNumber)))
	case d.ski != nil:
		f = append(f, tag(0x82, 0xA2, 0x04, d.ski))
	case d.digest != nil:
		f = append(f, tag(0x83, 0xA3, 0x04, d.digest))
	}
	if !d.from.IsZero() {
		f = append(f, tag(0xA4, 0xA4, 0x30, genTime(t, d.from), genTime(t, d.until)))
	}
	if d.hasNumbers || len(d.numbers) > 0 {
		var ns [][]byte
		for _, n := range d.numbers {
			ns = append(ns, ber.Encode(0x13, []byte(n)))
		}
		slices.SortFunc(ns, bytes.Compare)
		f = append(f, tag(0xA5, 0xA5, 0x31, ns...))
	}
	return ber.Encode(0x30, f...)
}

func (d tDesc) encode(t testing.TB) []byte {
	var f [][]byte
	if d.text != nil {
		tag := uint32(0x13)
		if d.utf8 {
			tag = 0x0C
		}
		f = append(f, ber.Encode(tag, d.text))
	}
	f = append(f, mustDER(t, d.oid))
	if d.param != nil {
		f = append(f, d.param)
	}
	return ber.Encode(0x30, f...)
}

// encodeDL builds a DeviationList content; digestAlg nil leaves it out.
func encodeDL(t testing.TB, version int, digestAlg asn1.ObjectIdentifier, devs ...tDev) []byte {
	t.Helper()
	var ds [][]byte
	for _, d := range devs {
		var descs [][]byte
		for _, x := range d.descs {
			descs = append(descs, x.encode(t))
		}
		ds = append(ds, ber.Encode(0x30, d.docs.encode(t), derSet(descs...)))
	}
	f := [][]byte{mustDER(t, version)}
	if digestAlg != nil {
		f = append(f, mustDER(t, pkix.AlgorithmIdentifier{Algorithm: digestAlg}))
	}
	f = append(f, derSet(ds...))
	return ber.Encode(0x30, f...)
}

// dlFixture is a country ZZ with three Document Signers and a list about
// them.
type dlFixture struct {
	zz            *tDLPKI
	ds1, ds2, ds3 *Certificate
	ds2Key        *tKey
	content, der  []byte
}

var (
	fxFrom  = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	fxUntil = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
)

func newDLFixture(t testing.TB) *dlFixture {
	t.Helper()
	f := &dlFixture{zz: newDLPKI(t, "ZZ", tOIDDLSigning), ds2Key: newECKey(t, "P-256")}
	f.ds1, f.ds2, f.ds3 = f.zz.ds(t, 101, nil), f.zz.ds(t, 102, f.ds2Key), f.zz.ds(t, 103, nil)
	digest := sha256.Sum256(f.ds3.Raw)
	f.content = encodeDL(t, 0, tOIDSHA256,
		tDev{tDocs{docType: "ID", ds: f.ds1, from: fxFrom, until: fxUntil, numbers: []string{"X1234567", "AB0000001", "x7"}},
			[]tDesc{{text: []byte("DG12 date of issue wrong"), oid: tDevDGHashWrong, param: dgParam(t, 12)},
				{oid: tDevDGHashWrong, param: dgParam(t, 2)}}},
		tDev{tDocs{ski: f.ds2.SubjectKeyID},
			[]tDesc{{oid: tDevDGMalformed, param: dgParam(t, 11)}, {oid: tDevAAKey}}},
		tDev{tDocs{digest: digest[:]},
			[]tDesc{{oid: tDevMRZCheckDigit, param: dgParam(t, 4)},
				{oid: tDevDSEncoding, param: ber.Encode(0xA0, mustDER(t, asn1.ObjectIdentifier{2, 5, 29, 15}))}}},
		tDev{tDocs{docType: "P"}, []tDesc{{oid: tDevDGHashWrong, param: dgParam(t, 12)}}},
	)
	f.der = f.zz.sign(t, f.content, tMLOptions{})
	return f
}

// store returns a store trusting ZZ's CSCA with the fixture's list added.
func (f *dlFixture) store(t testing.TB) (*Store, DeviationListReport) {
	t.Helper()
	s := NewStore()
	s.Add(f.zz.cert, Source{Kind: SourceUser, Name: "zz.der"})
	dl, err := ParseDeviationList(f.der)
	if err != nil {
		t.Fatal(err)
	}
	return s, s.AddDeviationList(dl, Source{Kind: SourceUser, Name: "zz.dvl"}, testNow)
}

// q1 is the document of the first deviation: DG12 of card AB0000001.
func (f *dlFixture) q1() DeviationQuery {
	return DeviationQuery{DS: f.ds1, DocumentNumber: "AB0000001", DocumentCode: "ID", IssuedAt: fxFrom.AddDate(0, 2, 0),
		DataGroup: 12, Defect: DefectDGHashWrong}
}

func findDeviation(t *testing.T, ds []*Deviation, k DefectKind, dg int) *Deviation {
	t.Helper()
	for _, d := range ds {
		if d.Defect == k && d.DataGroup == dg {
			return d
		}
	}
	t.Fatalf("no deviation %d for DG%d", k, dg)
	return nil
}

func TestParseDeviationList(t *testing.T) {
	f := newDLFixture(t)
	dl, err := ParseDeviationList(f.der)
	if err != nil {
		t.Fatal(err)
	}
	if len(dl.Deviations) != 7 || dl.Version != 0 || dl.DigestAlgorithm == nil || !dl.DigestAlgorithm.OID.Equal(tOIDSHA256) {
		t.Fatalf("%d deviations, version %d, digest %v", len(dl.Deviations), dl.Version, dl.DigestAlgorithm)
	}
	if len(dl.Signers) != 2 || !dl.SigningTime.Equal(testNow) || dl.Fingerprint != sha256.Sum256(f.der) {
		t.Errorf("%d signer certificates, signing time %v", len(dl.Signers), dl.SigningTime)
	}
	i := slices.IndexFunc(dl.Deviations, func(d *Deviation) bool { return d.Text != "" })
	if i < 0 {
		t.Fatal("no deviation with a text")
	}
	d := dl.Deviations[i]
	if d.Defect != DefectDGHashWrong || d.DataGroup != 12 || d.Documents.DocumentType != "ID" || d.Documents.DSSerial.Int64() != 101 ||
		d.Documents.DSIssuer != f.ds1.Issuer || !d.Documents.IssuedFrom.Equal(fxFrom) || !d.Documents.IssuedUntil.Equal(fxUntil) ||
		d.Documents.NumberCount() != 3 || !d.Type.Equal(tDevDGHashWrong) || d.List != nil {
		t.Errorf("first deviation %+v %+v", d, d.Documents)
	}
	// The two descriptions of one Deviation share its documents.
	if findDeviation(t, dl.Deviations, DefectDGHashWrong, 2).Documents != d.Documents {
		t.Error("descriptions of one deviation do not share its documents")
	}
	if d := findDeviation(t, dl.Deviations, DefectMRZWrongCheckDigit, 0); d.Field.Kind != FieldMRZ || d.Field.Index != 4 {
		t.Errorf("MRZField %+v", d.Field)
	}
	if d := findDeviation(t, dl.Deviations, DefectDSEncoding, 0); d.Field.Kind != FieldCertExtension ||
		!d.Field.Extension.Equal(asn1.ObjectIdentifier{2, 5, 29, 15}) || !bytes.Equal(d.Documents.DSDigest, sha(f.ds3.Raw)) {
		t.Errorf("CertField %+v", d.Field)
	}
	if d := findDeviation(t, dl.Deviations, DefectDGMalformed, 11); !bytes.Equal(d.Documents.DSKeyID, f.ds2.SubjectKeyID) {
		t.Error("subjectKeyIdentifier")
	}
	findDeviation(t, dl.Deviations, DefectAAKeyCompromised, 0)

	// EXPLICIT tags, an IMPLICIT INTEGER parameter, a UTF8String text and a
	// national use type read the same.
	ds := f.ds1
	content := encodeDL(t, 0, nil, tDev{tDocs{docType: "C", ds: ds, from: fxFrom, until: fxUntil, numbers: []string{"CA00000AA"}, explicit: true},
		[]tDesc{{text: []byte("carte\u202e\x07 CIE"), utf8: true, oid: tDevDGHashWrong, param: ber.Encode(0x80, []byte{12})},
			{oid: tDevNationalUseLeaf, param: ber.Encode(0xA0, ber.Encode(0x04, []byte{1, 2}))}}})
	dl, err = ParseDeviationList(f.zz.sign(t, content, tMLOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	d = findDeviation(t, dl.Deviations, DefectDGHashWrong, 12)
	if d.Documents.DocumentType != "C" || d.Documents.DSSerial.Int64() != 101 || d.Documents.NumberCount() != 1 || !d.Documents.IssuedUntil.Equal(fxUntil) {
		t.Errorf("EXPLICIT documents %+v", d.Documents)
	}
	if d.Text != "carte\uFFFD\uFFFD CIE" {
		t.Errorf("control characters kept: %q", d.Text)
	}
	findDeviation(t, dl.Deviations, DefectNationalUse, 0)
}

func sha(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

func TestParseDeviationListMalformed(t *testing.T) {
	f := newDLFixture(t)
	docs := tDocs{ds: f.ds1}
	ok := []tDesc{{oid: tDevDGHashWrong, param: dgParam(t, 12)}}
	raw := func(fields ...[]byte) []byte { return ber.Encode(0x30, fields...) }
	goodDev := ber.Encode(0x30, docs.encode(t), derSet(ok[0].encode(t)))
	for name, content := range map[string][]byte{
		"version 1":              encodeDL(t, 1, nil, tDev{docs, ok}),
		"no version":             raw(derSet(goodDev)),
		"deviations not a SET":   raw(mustDER(t, 0), ber.Encode(0x30, goodDev)),
		"digest not a SEQUENCE":  raw(mustDER(t, 0), mustDER(t, 5), derSet(goodDev)),
		"trailing field":         raw(mustDER(t, 0), derSet(goodDev), mustDER(t, 1)),
		"no description":         encodeDL(t, 0, nil, tDev{docs, nil}),
		"Datagroup 17":           encodeDL(t, 0, nil, tDev{docs, []tDesc{{oid: tDevDGHashWrong, param: dgParam(t, 17)}}}),
		"Datagroup 0":            encodeDL(t, 0, nil, tDev{docs, []tDesc{{oid: tDevDGMalformed, param: dgParam(t, 0)}}}),
		"Datagroup not INTEGER":  encodeDL(t, 0, nil, tDev{docs, []tDesc{{oid: tDevDGHashWrong, param: ber.Encode(0xA0, ber.Encode(0x04, []byte{12}))}}}),
		"description not string": encodeDL(t, 0, nil, tDev{docs, []tDesc{{text: []byte("a*b"), oid: tDevDGHashWrong}}}),
		"no deviationType":       raw(mustDER(t, 0), derSet(ber.Encode(0x30, docs.encode(t), derSet(ber.Encode(0x30, ber.Encode(0x13, []byte("x"))))))),
		"three-letter type":      encodeDL(t, 0, nil, tDev{tDocs{docType: "IDX", ds: f.ds1}, ok}),
		"reversed period":        encodeDL(t, 0, nil, tDev{tDocs{from: fxUntil, until: fxFrom}, ok}),
		"bad document number":    encodeDL(t, 0, nil, tDev{tDocs{numbers: []string{"AB*1"}}, ok}),
		"empty document number":  encodeDL(t, 0, nil, tDev{tDocs{numbers: []string{" "}}, ok}),
		"fields out of order": raw(mustDER(t, 0), derSet(ber.Encode(0x30,
			ber.Encode(0x30, ber.Encode(0xA4, genTime(t, fxFrom), genTime(t, fxUntil)), ber.Encode(0x80, []byte("ID"))), derSet(ok[0].encode(t))))),
		"unknown documents field": raw(mustDER(t, 0), derSet(ber.Encode(0x30,
			ber.Encode(0x30, ber.Encode(0x86, []byte("x"))), derSet(ok[0].encode(t))))),
		"two DS identifiers": raw(mustDER(t, 0), derSet(ber.Encode(0x30,
			ber.Encode(0x30, ber.Encode(0x82, []byte{1}), ber.Encode(0x83, []byte{2})), derSet(ok[0].encode(t))))),
		"UTCTime period": raw(mustDER(t, 0), derSet(ber.Encode(0x30,
			ber.Encode(0x30, ber.Encode(0xA4, mustDER(t, fxFrom), mustDER(t, fxUntil))), derSet(ok[0].encode(t))))),
		"not DER": append(encodeDL(t, 0, nil, tDev{docs, ok}), 0),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseDeviationList(f.zz.sign(t, content, tMLOptions{}))
			if KindOf(err) != Malformed {
				t.Fatalf("got %v, want Malformed", err)
			}
		})
	}
	// A master list is not a deviation list, nor the other way round.
	ml := buildMasterList(t, [][]byte{f.zz.der}, f.zz.signerDER, f.zz.signerKey, tMLOptions{})
	_, err := ParseDeviationList(ml)
	wantKind(t, err, Malformed)
	if IsDeviationList(ml) || !IsDeviationList(f.der) || IsDeviationList([]byte("PK")) {
		t.Error("IsDeviationList")
	}
	_, err = ParseMasterList(f.der)
	wantKind(t, err, Malformed)
	_, err = ParseDeviationList(nil)
	wantKind(t, err, Malformed)
	_, err = ParseDeviationList(make([]byte, MaxDeviationListSize+1))
	wantKind(t, err, TooLarge)
	// Too many descriptions in one deviation.
	many := make([]tDesc, maxDescriptionsPerEntry+1)
	for i := range many {
		many[i] = tDesc{text: []byte(strings.Repeat("a", i+1)), oid: tDevAAKey}
	}
	_, err = ParseDeviationList(f.zz.sign(t, encodeDL(t, 0, nil, tDev{docs, many}), tMLOptions{}))
	wantKind(t, err, TooLarge)
}

func TestDeviationLookup(t *testing.T) {
	f := newDLFixture(t)
	s, r := f.store(t)
	if r.Refused != nil || r.Deviations != 7 || r.Applicable != 2 || r.Info == nil || r.Info.Country != "ZZ" ||
		!r.Info.SigningTime.Equal(testNow) || r.Info.Signer.Subject != "CN=Test DL Signer,O=Test,C=ZZ" || r.Info.CSCA != f.zz.cert {
		t.Fatalf("report %+v", r)
	}
	if len(s.Deviations()) != 7 || len(s.DeviationLists()) != 1 {
		t.Fatalf("%d deviations, %d lists", len(s.Deviations()), len(s.DeviationLists()))
	}
	d, ok := s.Deviation(f.q1())
	if !ok || d.Text != "DG12 date of issue wrong" || d.List != r.Info {
		t.Fatalf("DG12 of a listed card: %v %+v", ok, d)
	}
	match := func(label string, q DeviationQuery, want bool) {
		t.Helper()
		if _, got := s.Deviation(q); got != want {
			t.Errorf("%s: matched %v, want %v", label, got, want)
		}
	}
	q := f.q1()
	q.DocumentNumber = "x7<<"
	match("number written with fillers, lower case", q, true)
	q.DocumentNumber = "X1234567"
	match("another listed number", q, true)
	q.DocumentNumber = "X1234568"
	match("a number not listed", q, false)
	q.DocumentNumber = ""
	match("no number", q, false)
	q = f.q1()
	q.DataGroup = 11
	match("another data group", q, false)
	q = f.q1()
	q.Defect = DefectDGMalformed
	match("another defect", q, false)
	q.Defect = DefectSODSignatureWrong
	match("a defect no list can excuse", q, false)
	q = f.q1()
	q.IssuedAt = time.Time{}
	match("issuing date unknown", q, false)
	q.IssuedAt = fxUntil.Add(15 * time.Hour)
	match("issued on the last day", q, true)
	q.IssuedAt = fxUntil.AddDate(0, 0, 1)
	match("issued the day after", q, false)
	q.IssuedAt = fxFrom.Add(-time.Second)
	match("issued before", q, false)
	q = f.q1()
	q.DocumentCode = "P<"
	match("another document type", q, false)
	q.DocumentCode = ""
	match("document type unknown", q, false)
	q = f.q1()
	q.DS = f.ds3
	match("another Document Signer", q, false)
	q.DS = nil
	match("no Document Signer", q, false)

	// Named by key identifier: any number, any date, but only this DS, and
	// only in the list's country.
	q = DeviationQuery{DS: f.ds2, DataGroup: 11, Defect: DefectDGMalformed}
	match("DG11 of a card of the second DS", q, true)
	q.Defect = DefectDGHashWrong
	match("DG11 hash of that card", q, false)
	yy := newDLPKI(t, "YY", tOIDDLSigning)
	twin := yy.ds(t, 102, f.ds2Key)
	if !bytes.Equal(twin.SubjectKeyID, f.ds2.SubjectKeyID) {
		t.Fatal("the twin DS does not share the key identifier")
	}
	q = DeviationQuery{DS: twin, DataGroup: 11, Defect: DefectDGMalformed}
	match("same key identifier in another country", q, false)

	// Named by digest: the MRZ and DS encoding deviations are shown, never applied.
	for _, dg := range []int{1, 4, 11, 12} {
		match("DS named by digest", DeviationQuery{DS: f.ds3, DataGroup: dg, Defect: DefectDGHashWrong}, false)
	}
	about := s.DeviationsAbout(DeviationQuery{DS: f.ds3})
	if len(about) != 2 {
		t.Errorf("%d deviations about the third DS, want the MRZ and encoding ones", len(about))
	}
	// What the lists say about a card of the second DS: AA may be compromised.
	about = s.DeviationsAbout(DeviationQuery{DS: f.ds2})
	if !slices.ContainsFunc(about, func(d *Deviation) bool { return d.Defect == DefectAAKeyCompromised }) || len(about) != 2 {
		t.Errorf("deviations about the second DS: %d", len(about))
	}
	if s.DeviationsAbout(DeviationQuery{DS: twin}) != nil {
		t.Error("a list speaks about another country's documents")
	}

	// Named by document type only: too broad, never applied.
	broad := findDeviation(t, slices.DeleteFunc(s.Deviations(), func(d *Deviation) bool { return d.Documents.DocumentType != "P" }), DefectDGHashWrong, 12)
	if broad.Applicable() {
		t.Error("a deviation for every passport of a country is applicable")
	}
	match("every passport", DeviationQuery{DS: f.ds1, DocumentCode: "P<", DataGroup: 12, Defect: DefectDGHashWrong}, false)

	// A clone keeps the deviations; a demo document has none.
	if _, ok := s.Clone().Deviation(f.q1()); !ok {
		t.Error("the clone lost the deviations")
	}
	demoDS := mustParse(t, demoPKI(t, demo.ECDSAP256).DSCertDER())
	if !demoDS.IsDemo() {
		t.Fatal("demo DS not recognised")
	}
	if s.DeviationsAbout(DeviationQuery{DS: demoDS}) != nil {
		t.Error("deviations about a demo document")
	}
	// The same file twice is kept once.
	dl, _ := ParseDeviationList(f.der)
	r = s.AddDeviationList(dl, Source{Kind: SourceUser, Name: "copy.dvl"}, testNow)
	wantKind(t, r.Refused, Duplicate)
	if len(s.Deviations()) != 7 {
		t.Error("a duplicate list added deviations")
	}
}

// DG1 (MRZ), DG2 (portrait), DG14 and DG15 (chip keys) are never excused:
// a list that names them is kept and shown, and never matches, while the
// same list's DG12 deviation for the same card does.
func TestDeviationNeverExcusesCoreDataGroups(t *testing.T) {
	f := newDLFixture(t)
	docs := tDocs{ds: f.ds1, numbers: []string{"AB0000001"}}
	var descs []tDesc
	for _, dg := range []int{1, 2, 14, 15, 12, 20, 21} {
		descs = append(descs, tDesc{oid: tDevDGHashWrong, param: dgParam(t, dg)}, tDesc{oid: tDevDGMalformed, param: dgParam(t, dg)})
	}
	descs = append(descs, tDesc{oid: tDevSODSignature}, tDesc{oid: tDevDGHashWrong})
	dl, err := ParseDeviationList(f.zz.sign(t, encodeDL(t, 0, nil, tDev{docs, descs}), tMLOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	s := NewStore()
	s.Add(f.zz.cert, Source{Kind: SourceUser})
	r := s.AddDeviationList(dl, Source{Kind: SourceUser, Name: "core.dvl"}, testNow)
	if r.Refused != nil || r.Deviations != 16 || r.Applicable != 2 || len(s.Deviations()) != 16 {
		t.Fatalf("report %+v", r)
	}
	for dg := 1; dg <= 21; dg++ {
		for _, k := range []DefectKind{DefectDGHashWrong, DefectDGMalformed} {
			_, got := s.Deviation(DeviationQuery{DS: f.ds1, DocumentNumber: "AB0000001", DataGroup: dg, Defect: k})
			if got != (dg == 12) {
				t.Errorf("DG%d, defect %d: matched %v", dg, k, got)
			}
		}
	}
	for _, d := range s.Deviations() {
		if d.Applicable() != (d.DataGroup == 12) {
			t.Errorf("DG%d defect %d: applicable %v", d.DataGroup, d.Defect, d.Applicable())
		}
	}
	// Why each is only shown (app/explain words the reasons).
	for _, c := range []struct {
		defect DefectKind
		dg     int
		want   NotApplicableReason
	}{
		{DefectDGHashWrong, 2, NotApplicableCoreDataGroup}, {DefectDGMalformed, 15, NotApplicableCoreDataGroup},
		{DefectDGHashWrong, 20, NotApplicableDataGroup}, {DefectSODSignatureWrong, 0, NotApplicableDefect},
		{DefectDGHashWrong, 0, NotApplicableNoDataGroup}, {DefectDGHashWrong, 12, ""},
	} {
		if got := findDeviation(t, s.Deviations(), c.defect, c.dg).NotApplicable(); got != c.want {
			t.Errorf("defect %d of DG%d: not applicable %q, want %q", c.defect, c.dg, got, c.want)
		}
	}
}

// TestDeviationFacts: what the report words (app/explain) is in the
// deviation's data: the list, the documents and the defect of each kind.
func TestDeviationFacts(t *testing.T) {
	f := newDLFixture(t)
	s, _ := f.store(t)
	d, ok := s.Deviation(f.q1())
	if !ok {
		t.Fatal("no deviation")
	}
	if d.List == nil || d.List.Country != "ZZ" || !d.List.SigningTime.Equal(testNow) || d.Text != "DG12 date of issue wrong" {
		t.Errorf("list %+v, text %q", d.List, d.Text)
	}
	if !d.Applicable() || d.NotApplicable() != "" {
		t.Errorf("an applicable deviation is not applicable: %q", d.NotApplicable())
	}
	docs := d.Documents
	if docs.DocumentType != "ID" || docs.DSSerial.Int64() != 0x65 || docs.DSIssuer != "CN=Test CSCA ZZ,O=Test,C=ZZ" ||
		!docs.IssuedFrom.Equal(fxFrom) || !docs.IssuedUntil.Equal(fxUntil) || !docs.HasNumbers || docs.NumberCount() != 3 {
		t.Errorf("documents %+v", docs)
	}
	// The narrow criteria are what make a deviation applicable.
	for name, narrowed := range map[string]func(*DeviationDocuments){
		"serial":  func(d *DeviationDocuments) { d.DSSerial = big.NewInt(1) },
		"key id":  func(d *DeviationDocuments) { d.DSKeyID = []byte{1} },
		"digest":  func(d *DeviationDocuments) { d.DSDigest = []byte{1} },
		"period":  func(d *DeviationDocuments) { d.IssuedFrom = fxFrom },
		"numbers": func(d *DeviationDocuments) { d.HasNumbers = true },
	} {
		dev := &Deviation{Defect: DefectDGHashWrong, DataGroup: 12, Documents: &DeviationDocuments{DocumentType: "ID"}}
		if dev.NotApplicable() != NotApplicableTooBroad {
			t.Fatalf("a deviation for a document type only: %q", dev.NotApplicable())
		}
		narrowed(dev.Documents)
		if !dev.Applicable() {
			t.Errorf("named by %s: not applicable (%q)", name, dev.NotApplicable())
		}
	}
	if r := (&Deviation{Defect: DefectDGHashWrong, DataGroup: 12}).NotApplicable(); r != NotApplicableNoDocuments {
		t.Errorf("a deviation without documents: %q", r)
	}
	for k := DefectCertOrKey; k <= DefectOther; k++ {
		d := &Deviation{Defect: k, Type: DefectOID(k), Documents: &DeviationDocuments{}}
		if d.Type == nil {
			d.Type = asn1.ObjectIdentifier{1, 2, 3}
		}
		if k != DefectOther && defectOf(d.Type) != k {
			t.Errorf("defect %d: OID %s classified as %d", k, d.Type, defectOf(d.Type))
		}
	}
	// Its sentences are app/problem's (its table test walks every kind).
	if strings.HasPrefix(UntrustedDeviationList.Error(), "pki error") {
		t.Error("UntrustedDeviationList lacks a name")
	}
}

// Every bit of the signed content is covered: flipping any of them gives a
// list that does not parse or is refused.
func TestDeviationListTampered(t *testing.T) {
	f := newDLFixture(t)
	s := NewStore()
	s.Add(f.zz.cert, Source{Kind: SourceUser})
	start := bytes.Index(f.der, f.content)
	if start < 0 {
		t.Fatal("content not found")
	}
	step := 1
	if testing.Short() {
		step = 7
	}
	for i := 0; i < len(f.content); i += step {
		der := bytes.Clone(f.der)
		der[start+i] ^= 1 << (i % 8)
		dl, err := ParseDeviationList(der)
		if err != nil {
			if KindOf(err) == 0 {
				t.Fatalf("byte %d: untyped error %v", i, err)
			}
			continue
		}
		r := s.AddDeviationList(dl, Source{Kind: SourceUser, Name: "tampered.dvl"}, testNow)
		if !errors.Is(r.Refused, UntrustedDeviationList) || !errors.Is(r.Refused, BadSignature) {
			t.Fatalf("byte %d: %v", i, r.Refused)
		}
	}
	// The signature itself.
	der := bytes.Clone(f.der)
	der[len(der)-5] ^= 0x10
	if dl, err := ParseDeviationList(der); err == nil {
		r := s.AddDeviationList(dl, Source{Kind: SourceUser}, testNow)
		wantKind(t, r.Refused, UntrustedDeviationList)
	}
	if len(s.Deviations()) != 0 || len(s.DeviationLists()) != 0 {
		t.Fatal("a tampered list added deviations")
	}
}

func TestDeviationListSignerRefused(t *testing.T) {
	f := newDLFixture(t)
	trusted := NewStore()
	trusted.Add(f.zz.cert, Source{Kind: SourceUser})
	refused := func(label string, der []byte, s *Store, also Kind) {
		t.Helper()
		dl, err := ParseDeviationList(der)
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		r := s.AddDeviationList(dl, Source{Kind: SourceUser, Name: label}, testNow)
		if !errors.Is(r.Refused, UntrustedDeviationList) || !errors.Is(r.Refused, also) || r.Info != nil {
			t.Errorf("%s: %v, want UntrustedDeviationList and %v", label, r.Refused, also)
		}
		if len(s.Deviations()) != 0 {
			t.Fatalf("%s: deviations added", label)
		}
	}
	// Signed under a CSCA the store does not trust.
	yy := newDLPKI(t, "YY", tOIDDLSigning)
	refused("unknown CSCA", yy.sign(t, f.content, tMLOptions{}), trusted, UnknownIssuer)
	refused("empty store", f.der, NewStore(), UnknownIssuer)
	// A master list signer is no deviation list signer.
	ml := newDLPKI(t, "ZZ", tOIDMLSigning)
	s := NewStore()
	s.Add(ml.cert, Source{Kind: SourceUser})
	refused("master list signer", ml.sign(t, f.content, tMLOptions{}), s, WrongUsage)
	// ICAO 9303-12 §10.1: signed attributes with signingTime are mandatory.
	refused("no signingTime", f.zz.sign(t, f.content, tMLOptions{noSigningTime: true}), trusted, BadSignature)
	refused("no signed attributes", f.zz.sign(t, f.content, tMLOptions{noSignedAttrs: true}), trusted, BadSignature)
	refused("wrong messageDigest", f.zz.sign(t, f.content, tMLOptions{corruptDigest: true}), trusted, BadSignature)
	refused("wrong contentType attribute", f.zz.sign(t, f.content, tMLOptions{wrongContentType: true}), trusted, BadSignature)
	// Signed before the signer certificate was valid.
	refused("signed too early", f.zz.sign(t, f.content, tMLOptions{signingTime: testNow.AddDate(-3, 0, 0)}), trusted, NotYetValid)
	// Only a demo anchor: demo anchors vouch for no list.
	d := NewStore()
	d.Add(f.zz.cert, Source{Kind: SourceDemo})
	refused("demo anchor", f.der, d, UnknownIssuer)
	// The subjectKeyIdentifier form of the signer identifier verifies.
	dl, err := ParseDeviationList(f.zz.sign(t, f.content, tMLOptions{ski: true}))
	if err != nil {
		t.Fatal(err)
	}
	if r := trusted.AddDeviationList(dl, Source{Kind: SourceUser}, testNow); r.Refused != nil {
		t.Errorf("subjectKeyIdentifier signer: %v", r.Refused)
	}
}

func TestImportDeviationList(t *testing.T) {
	f := newDLFixture(t)
	src, user := t.TempDir(), filepath.Join(t.TempDir(), "trust")
	if _, err := Import(writeFile(t, src, "zz.der", f.zz.der), user); err != nil {
		t.Fatal(err)
	}
	opts := ImportOptions{Now: testNow}
	trusted := NewStore()
	trusted.Add(f.zz.cert, Source{Kind: SourceUser})

	// Italy publishes its list as a .der: recognised by its content and
	// copied under a .dvl name.
	res, err := ImportWith(writeFile(t, src, "TDDL-ZZ-Signed.der", f.der), user, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != ImportDeviationList || filepath.Base(res.Dest) != "TDDL-ZZ-Signed.dvl" || res.DeviationInfo.Country != "ZZ" || len(res.DeviationList.Deviations) != 7 {
		t.Fatalf("result %+v", res)
	}
	// The default trust (bundled and userDir) cost a BSI list load: the
	// rest of the test names its trust.
	opts.Trusted = trusted
	_, err = ImportWith(writeFile(t, src, "again.dvl", f.der), user, opts)
	wantKind(t, err, Duplicate)

	tampered := bytes.Clone(f.der)
	tampered[bytes.Index(tampered, []byte("X1234567"))] ^= 1
	_, err = ImportWith(writeFile(t, src, "tampered.dvl", tampered), user, opts)
	wantKind(t, err, UntrustedDeviationList)
	yy := newDLPKI(t, "YY", tOIDDLSigning)
	_, err = ImportWith(writeFile(t, src, "yy.bin", yy.sign(t, f.content, tMLOptions{})), user, opts)
	wantKind(t, err, UntrustedDeviationList)
	_, err = ImportWith(writeFile(t, src, "garbage.dvl", []byte{0x30, 0x00}), user, opts)
	wantKind(t, err, Malformed)
	_, err = ImportWith(writeFile(t, src, "garbage.bin", []byte{0x30, 0x00}), user, opts)
	wantKind(t, err, BadInput)
	if names, _ := sortedNames(user); !slices.Equal(names, []string{"TDDL-ZZ-Signed.dvl", "zz.der"}) {
		t.Fatalf("trust directory holds %v", names)
	}

	// What was imported loads back and answers the lookup.
	s := NewStore()
	rep, err := s.LoadDir(user)
	if err != nil || rep.Certificates != 1 || len(rep.DeviationLists) != 1 || len(rep.Problems) != 0 {
		t.Fatalf("LoadDir: %+v %v", rep, err)
	}
	if r := rep.DeviationLists[0]; r.Refused != nil || r.Info == nil || r.Info.Source.Name != "TDDL-ZZ-Signed.dvl" || r.Path != res.Dest {
		t.Fatalf("report %+v", r)
	}
	if _, ok := s.Deviation(f.q1()); !ok {
		t.Error("the loaded list does not excuse DG12 of a listed card")
	}

	// Files put in the directory by hand are checked the same way: a
	// tampered list and one from an unknown CSCA are refused and reported,
	// a broken one is a problem, and the good list still loads.
	writeFile(t, user, "tampered.dvl", tampered)
	writeFile(t, user, "yy.dvl", yy.sign(t, f.content, tMLOptions{}))
	writeFile(t, user, "broken.dvl", []byte("not a list"))
	s = NewStore()
	rep, err = s.LoadDir(user)
	if err != nil || len(rep.DeviationLists) != 3 || len(rep.Problems) != 1 || filepath.Base(rep.Problems[0].Path) != "broken.dvl" {
		t.Fatalf("LoadDir: %+v %v", rep, err)
	}
	for _, r := range rep.DeviationLists {
		good := filepath.Base(r.Path) == "TDDL-ZZ-Signed.dvl"
		if (r.Refused == nil) != good || (!good && !errors.Is(r.Refused, UntrustedDeviationList)) {
			t.Errorf("%s: %v", r.Path, r.Refused)
		}
	}
	if len(s.DeviationLists()) != 1 || len(s.Deviations()) != 7 {
		t.Errorf("%d lists, %d deviations after load", len(s.DeviationLists()), len(s.Deviations()))
	}
	if err := os.Remove(filepath.Join(user, "zz.der")); err != nil {
		t.Fatal(err)
	}
	// Without its CSCA, the list no longer verifies.
	s = NewStore()
	rep, _ = s.LoadDir(user)
	for _, r := range rep.DeviationLists {
		if r.Refused == nil {
			t.Errorf("%s verified without its CSCA", r.Path)
		}
	}
}

// A list signed under a CSCA that a master list brings is loaded after it.
func TestDeviationListUnderMasterListCSCA(t *testing.T) {
	f := newDLFixture(t)
	dir := t.TempDir()
	pub := newTestCA(t, "P-256")
	writeFile(t, dir, "pub.der", pub.der)
	writeFile(t, dir, "a.ml", buildMasterList(t, [][]byte{f.zz.der}, pub.mlsDER, pub.mlsKey, tMLOptions{}))
	writeFile(t, dir, "0.dvl", f.der) // named to sort before the master list
	s := NewStore()
	rep, err := s.LoadDir(dir)
	if err != nil || len(rep.DeviationLists) != 1 || rep.DeviationLists[0].Refused != nil {
		t.Fatalf("%+v %v", rep, err)
	}
	if _, ok := s.Deviation(f.q1()); !ok {
		t.Error("no deviation")
	}
}

func FuzzParseDeviationList(f *testing.F) {
	fx := newDLFixture(f)
	f.Add(fx.der)
	content := encodeDL(f, 0, nil, tDev{tDocs{docType: "C", ds: fx.ds1, from: fxFrom, until: fxUntil, numbers: []string{"CA00000AA", "B"}, explicit: true},
		[]tDesc{{text: []byte("x"), utf8: true, oid: tDevDGHashWrong, param: ber.Encode(0x80, []byte{12})},
			{oid: tDevNationalUseLeaf, param: ber.Encode(0xA0, ber.Encode(0x04, []byte{1}))}}})
	f.Add(fx.zz.sign(f, content, tMLOptions{ski: true}))
	s := NewStore()
	s.Add(fx.zz.cert, Source{Kind: SourceUser})
	f.Fuzz(func(t *testing.T, der []byte) {
		dl, err := ParseDeviationList(der)
		if err != nil {
			if KindOf(err) == 0 {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		for _, d := range dl.Deviations {
			docs := d.Documents
			if docs == nil || d.Type == nil || d.List != nil {
				t.Fatal("deviation without documents or type, or with a list before verification")
			}
			if d.DataGroup != 0 && (d.DataGroup > 16 && d.DataGroup != 20 && d.DataGroup != 21 || d.DataGroup < 0) {
				t.Fatalf("data group %d accepted", d.DataGroup)
			}
			if !slices.IsSorted(docs.numbers) || len(slices.Compact(slices.Clone(docs.numbers))) != len(docs.numbers) {
				t.Fatal("document numbers not sorted and unique")
			}
			_ = d.Applicable()
		}
		cp := s.Clone()
		r := cp.AddDeviationList(dl, Source{Kind: SourceUser}, testNow)
		if (r.Refused == nil) == (r.Info == nil) {
			t.Fatalf("refused %v with info %v", r.Refused, r.Info)
		}
		for _, dg := range []int{1, 2, 11, 12, 14, 15} {
			q := DeviationQuery{DS: fx.ds1, DocumentNumber: "AB0000001", DocumentCode: "ID", IssuedAt: fxFrom, DataGroup: dg, Defect: DefectDGHashWrong}
			if _, ok := cp.Deviation(q); ok && slices.Contains([]int{1, 2, 14, 15}, dg) {
				t.Fatalf("DG%d excused", dg)
			}
		}
		_ = cp.DeviationsAbout(DeviationQuery{DS: fx.ds2})
	})
}

// A list naming many cards (real ones name hundreds of thousands) is read
// once, its numbers sorted and deduplicated, and looked up by search.
func TestDeviationListManyNumbers(t *testing.T) {
	f := newDLFixture(t)
	numbers := make([]string, 0, 50001)
	for i := range 50000 {
		numbers = append(numbers, fmt.Sprintf("CA%05dAA", i))
	}
	numbers = append(numbers, "CA00042AA") // listed twice
	content := encodeDL(t, 0, nil, tDev{tDocs{ds: f.ds1, numbers: numbers}, []tDesc{{oid: tDevDGHashWrong, param: dgParam(t, 12)}}})
	dl, err := ParseDeviationList(f.zz.sign(t, content, tMLOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if n := dl.Deviations[0].Documents.NumberCount(); n != 50000 {
		t.Fatalf("%d numbers", n)
	}
	s := NewStore()
	s.Add(f.zz.cert, Source{Kind: SourceUser})
	if r := s.AddDeviationList(dl, Source{Kind: SourceUser}, testNow); r.Refused != nil || r.Applicable != 1 {
		t.Fatalf("%+v", r)
	}
	for _, c := range []struct {
		number string
		want   bool
	}{{"CA00000AA", true}, {"CA49999AA", true}, {"ca31337aa", true}, {"CA50000AA", false}, {"CA0000AA", false}} {
		q := DeviationQuery{DS: f.ds1, DocumentNumber: c.number, DataGroup: 12, Defect: DefectDGHashWrong}
		if _, ok := s.Deviation(q); ok != c.want {
			t.Errorf("%s: matched %v", c.number, ok)
		}
	}
}
