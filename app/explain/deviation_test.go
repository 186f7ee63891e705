package explain_test

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/app/explain"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	langfiles "github.com/cnie-reader/cnie-reader/assets/lang"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// ICAO 9303-12 §10's deviation types, written out rather than taken from
// pki so that the test names the arcs itself.
var (
	oidDeviationList  = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7}
	oidDevDGHashWrong = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 2, 2}
	oidDevSODSig      = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 2, 3}
	oidDevMRZCheck    = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 3, 2}
	oidDevDSEncoding  = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 1, 2}
	oidSHA256         = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
)

// der marshals v or fails the test.
func der(t *testing.T, v any) []byte {
	t.Helper()
	b, err := asn1.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// description is a DeviationDescription: an optional text, the type and
// its [0] parameter (nil for none).
func description(t *testing.T, text string, oid asn1.ObjectIdentifier, param any) []byte {
	var fields [][]byte
	if text != "" {
		fields = append(fields, ber.Encode(0x13, []byte(text)))
	}
	fields = append(fields, der(t, oid))
	if param != nil {
		fields = append(fields, ber.Encode(0xA0, der(t, param)))
	}
	return ber.Encode(0x30, fields...)
}

// deviationList is a deviation list naming the documents of type ID signed
// by DS certificate 0x65 of "CN=Test CSCA ZZ", issued in the first half of
// 2025, three of them by number, with the descriptions given. It is not
// signed: ParseDeviationList does not check signatures, and the words do
// not depend on them.
func deviationList(t *testing.T, descriptions ...[]byte) *pki.DeviationList {
	t.Helper()
	issuer := pkix.Name{Country: []string{"ZZ"}, Organization: []string{"Test"}, CommonName: "Test CSCA ZZ"}
	from, until := ber.Encode(0x18, []byte("20250101000000Z")), ber.Encode(0x18, []byte("20250630000000Z")) // GeneralizedTime
	documents := ber.Encode(0x30,
		ber.Encode(0x80, []byte("ID")),
		ber.Encode(0xA1, der(t, issuer.ToRDNSequence()), der(t, big.NewInt(0x65))),
		ber.Encode(0xA4, from, until),
		ber.Encode(0xA5, ber.Encode(0x13, []byte("AB0000001")), ber.Encode(0x13, []byte("X1234567")), ber.Encode(0x13, []byte("X7"))))
	list := ber.Encode(0x30, der(t, 0), ber.Encode(0x31, ber.Encode(0x30, documents, ber.Encode(0x31, descriptions...))))
	sha256 := der(t, pkix.AlgorithmIdentifier{Algorithm: oidSHA256})
	signerInfo := ber.Encode(0x30, der(t, 3), ber.Encode(0x80, []byte{1}), sha256, sha256, ber.Encode(0x04, []byte{0}))
	signedData := ber.Encode(0x30, der(t, 3), ber.Encode(0x31, sha256),
		ber.Encode(0x30, der(t, oidDeviationList), ber.Encode(0xA0, ber.Encode(0x04, list))),
		ber.Encode(0x31, signerInfo))
	dl, err := pki.ParseDeviationList(ber.Encode(0x30, der(t, asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}), ber.Encode(0xA0, signedData)))
	if err != nil {
		t.Fatal(err)
	}
	return dl
}

// listed is d as a store holds it: from ZZ's list signed on 2026-03-01.
func listed(d *pki.Deviation) *pki.Deviation {
	c := *d
	c.List = &pki.DeviationListInfo{Country: "ZZ", SigningTime: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	return &c
}

// find returns the deviation of a kind and data group.
func find(t *testing.T, dl *pki.DeviationList, k pki.DefectKind, dg int) *pki.Deviation {
	t.Helper()
	i := slices.IndexFunc(dl.Deviations, func(d *pki.Deviation) bool { return d.Defect == k && d.DataGroup == dg })
	if i < 0 {
		t.Fatalf("no deviation of kind %d for DG%d", k, dg)
	}
	return dl.Deviations[i]
}

// The report's paragraph names the list, the defect, the documents and the
// list's own text, in both languages, and never a document number.
func TestDeviationWords(t *testing.T) {
	dl := deviationList(t, description(t, "DG12 date of issue wrong", oidDevDGHashWrong, 12))
	d := listed(find(t, dl, pki.DefectDGHashWrong, 12))
	f, e := explain.DeviationIn(fr, d), explain.DeviationIn(en, d)
	if explain.DeviationIn(i18n.Locale{}, d) != f {
		t.Error("French is not the default")
	}
	for _, want := range []string{"Liste d'écarts de ZZ signée le 2026-03-01", "l'empreinte de DG12 dans l'EF.SOD est fausse",
		"type « ID »", "certificat DS n° 0x65 émis par « CN=Test CSCA ZZ,O=Test,C=ZZ »", "délivrés du 2025-01-01 au 2025-06-30",
		"3 numéros de document listés", "Texte de la liste : « DG12 date of issue wrong »"} {
		if !strings.Contains(f, want) {
			t.Errorf("French description lacks %q:\n%s", want, f)
		}
	}
	for _, want := range []string{"Deviation list of ZZ signed on 2026-03-01", "the hash of DG12 in EF.SOD is wrong",
		"Document Signer certificate serial 0x65 issued by “CN=Test CSCA ZZ,O=Test,C=ZZ”", "issued from 2025-01-01 to 2025-06-30",
		"3 listed document numbers", "The list says: “DG12 date of issue wrong”"} {
		if !strings.Contains(e, want) {
			t.Errorf("English description lacks %q:\n%s", want, e)
		}
	}
	for _, n := range []string{"AB0000001", "X1234567"} {
		if strings.Contains(f+e, n) {
			t.Errorf("a document number is shown: %s", n)
		}
	}
	if strings.Contains(f, "jamais appliqué") || strings.Contains(e, "never applied") {
		t.Error("an applicable deviation says it is never applied")
	}
	// Outside a store, the paragraph starts with the defect.
	if got := explain.DeviationIn(en, find(t, dl, pki.DefectDGHashWrong, 12)); !strings.HasPrefix(got, "the hash of DG12 in EF.SOD is wrong. Documents: type “ID”, ") {
		t.Errorf("unlisted deviation: %s", got)
	}
}

// A deviation that is only shown says why, in words.
func TestDeviationNeverApplied(t *testing.T) {
	dl := deviationList(t, description(t, "", oidDevDGHashWrong, 2), description(t, "", oidDevSODSig, nil),
		description(t, "", oidDevDGHashWrong, nil), description(t, "", oidDevDGHashWrong, 20))
	for _, c := range []struct {
		defect pki.DefectKind
		dg     int
		fr, en string
	}{
		{pki.DefectDGHashWrong, 2, "jamais appliqué : DG2 n'est jamais excusé", "never applied: DG2 is never excused"},
		{pki.DefectSODSignatureWrong, 0, "jamais appliqué : seuls les défauts d'empreinte", "only a data group hash or encoding defect"},
		{pki.DefectDGHashWrong, 0, "ne précise pas le groupe de données", "does not name the data group"},
		{pki.DefectDGHashWrong, 20, "EF.SOD ne peut pas être excusé", "EF.SOD cannot be excused"},
	} {
		d := listed(find(t, dl, c.defect, c.dg))
		if f, e := explain.DeviationIn(fr, d), explain.DeviationIn(en, d); !strings.Contains(f, c.fr) || !strings.Contains(e, c.en) {
			t.Errorf("defect %d of DG%d:\n%s\n%s", c.defect, c.dg, f, e)
		}
	}
	if e := explain.DeviationIn(en, &pki.Deviation{Defect: pki.DefectDGHashWrong, DataGroup: 12}); e !=
		"the hash of DG12 in EF.SOD is wrong. No document named. Shown only, never applied: the list names no document." {
		t.Errorf("no documents: %s", e)
	}
}

// The MRZ or certificate field a deviation names follows its defect.
func TestDeviationField(t *testing.T) {
	dl := deviationList(t, description(t, "", oidDevMRZCheck, 4), description(t, "", oidDevDSEncoding, asn1.ObjectIdentifier{2, 5, 29, 15}))
	d := find(t, dl, pki.DefectMRZWrongCheckDigit, 0)
	if f, e := explain.DefectIn(fr, d), explain.DefectIn(en, d); f != "un chiffre de contrôle de la MRZ est faux (champ : numéro du document)" ||
		e != "an MRZ check digit is wrong (field: document number)" {
		t.Errorf("MRZField: %q / %q", f, e)
	}
	if e := explain.DefectIn(en, find(t, dl, pki.DefectDSEncoding, 0)); e != "the Document Signer certificate is badly encoded (field: extension 2.5.29.15)" {
		t.Errorf("CertField extension: %q", e)
	}
	for _, c := range []struct {
		field  pki.DeviationField
		fr, en string
	}{
		{pki.DeviationField{Kind: pki.FieldCertBody, Index: 5}, "(champ : validité)", "(field: validity)"},
		{pki.DeviationField{Kind: pki.FieldCertBody, Index: 42}, "(champ : champ 42)", "(field: field 42)"},
		{pki.DeviationField{}, "mal codé", "badly encoded"},
	} {
		d := &pki.Deviation{Defect: pki.DefectDSEncoding, Field: c.field}
		if f, e := explain.DefectIn(fr, d), explain.DefectIn(en, d); !strings.HasSuffix(f, c.fr) || !strings.HasSuffix(e, c.en) {
			t.Errorf("field %+v: %q / %q", c.field, f, e)
		}
	}
}

// Every kind of defect, every field and every reason has its words in
// both languages.
func TestDeviationKindsWorded(t *testing.T) {
	for k := pki.DefectCertOrKey; k <= pki.DefectOther; k++ {
		d := &pki.Deviation{Defect: k, Type: asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 5, 9}, DataGroup: 3}
		worded(t, explain.DefectKey(k), explain.DefectIn(fr, d), explain.DefectIn(en, d))
	}
	for _, kind := range []pki.FieldKind{pki.FieldMRZ, pki.FieldCertBody} {
		for i := range 10 {
			d := &pki.Deviation{Defect: pki.DefectMRZWrongData, Field: pki.DeviationField{Kind: kind, Index: i}}
			f, e := explain.DefectIn(fr, d), explain.DefectIn(en, d)
			if strings.Contains(f+e, "deviation.") || strings.Contains(f, "champ "+strconv.Itoa(i)) {
				t.Errorf("field %d of kind %d has no name: %q / %q", i, kind, f, e)
			}
		}
	}
	for _, r := range pki.NotApplicableReasons {
		key, args := explain.NotApplicableKey(r), map[string]string{"DG": "DG3"}
		worded(t, key, fr.T(key, args), en.T(key, args))
	}
}

// deviationKeys are the keys this package builds for deviations.
func deviationKeys() map[string]bool {
	keys := map[string]bool{"deviation.with_field": true, "deviation.dg.unspecified": true,
		"deviation.field.extension": true, "deviation.field.numbered": true,
		"deviation.heading.listed": true, "deviation.heading.unlisted": true, "deviation.list_text": true, "deviation.not_applied": true}
	for k := pki.DefectCertOrKey; k <= pki.DefectOther; k++ {
		keys[explain.DefectKey(k)] = true
	}
	for i := range 10 {
		keys["deviation.field.mrz."+strconv.Itoa(i)], keys["deviation.field.cert."+strconv.Itoa(i)] = true, true
	}
	for _, p := range []string{"none", "all", "named", "type", "ds_serial", "ds_key_id", "ds_digest", "issued", "number", "numbers"} {
		keys["deviation.documents."+p] = true
	}
	for _, r := range pki.NotApplicableReasons {
		keys[explain.NotApplicableKey(r)] = true
	}
	return keys
}

// TestDeviationKeys: deviation.*.json holds exactly the keys the code
// builds, in both languages.
func TestDeviationKeys(t *testing.T) {
	want := deviationKeys()
	for _, lang := range []string{"fr", "en"} {
		b, err := langfiles.FS.ReadFile("translations/deviation." + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var have map[string]string
		if err := json.Unmarshal(b, &have); err != nil {
			t.Fatalf("deviation.%s.json: %v", lang, err)
		}
		for k := range want {
			if have[k] == "" {
				t.Errorf("%s: %s is missing", lang, k)
			}
		}
		for k := range have {
			if !want[k] {
				t.Errorf("%s: %s is not built by the code", lang, k)
			}
		}
	}
}
