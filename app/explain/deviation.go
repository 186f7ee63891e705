package explain

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// defectCodes name each kind of deviation in its key,
// "deviation.defect.<code>".
var defectCodes = map[pki.DefectKind]string{
	pki.DefectCertOrKey:          "cert_or_key",
	pki.DefectDSSignature:        "ds_signature",
	pki.DefectDSEncoding:         "ds_encoding",
	pki.DefectCSCAEncoding:       "csca_encoding",
	pki.DefectAAKeyCompromised:   "aa_key_compromised",
	pki.DefectLDS:                "lds",
	pki.DefectDGMalformed:        "dg_malformed",
	pki.DefectDGHashWrong:        "dg_hash_wrong",
	pki.DefectSODSignatureWrong:  "sod_signature_wrong",
	pki.DefectCOMInconsistent:    "com_inconsistent",
	pki.DefectMRZ:                "mrz",
	pki.DefectMRZWrongData:       "mrz_wrong_data",
	pki.DefectMRZWrongCheckDigit: "mrz_wrong_check_digit",
	pki.DefectChip:               "chip",
	pki.DefectNationalUse:        "national_use",
	pki.DefectOther:              "other",
}

// DefectKey is the translation key of a kind of deviation; a kind this
// package does not know is worded as DefectOther.
func DefectKey(k pki.DefectKind) string {
	code, ok := defectCodes[k]
	if !ok {
		code = defectCodes[pki.DefectOther]
	}
	return "deviation.defect." + code
}

// NotApplicableKey is the translation key of why a deviation is never
// applied.
func NotApplicableKey(r pki.NotApplicableReason) string {
	return "deviation.not_applicable." + string(r)
}

// namedFields is how many MRZField and CertField values have a name
// (deviation.field.mrz.<n>, deviation.field.cert.<n>): 0 to 9 in ICAO
// 9303-12; a list may give others, which are shown by number.
const namedFields = 10

// Deviation is a deviation of a signed deviation list in one paragraph,
// for the verification report and `trust list`: the list (issuing
// country, date), the defect and data group, the documents it concerns,
// the list's own words, and whether it is never applied and why. Document
// numbers are counted, never shown.
func Deviation(d *pki.Deviation) string { return current.deviation(d) }

// DeviationIn is Deviation in l's language.
func DeviationIn(l i18n.Locale, d *pki.Deviation) string { return in(l).deviation(d) }

// Defect says what is wrong, with the field concerned when the list names
// one.
func Defect(d *pki.Deviation) string { return current.defect(d) }

// DefectIn is Defect in l's language.
func DefectIn(l i18n.Locale, d *pki.Deviation) string { return in(l).defect(d) }

func (w words) deviation(d *pki.Deviation) string {
	var parts []string
	if d.List != nil {
		parts = append(parts, w.t("deviation.heading.listed", map[string]string{"Country": d.List.Country,
			"Date": d.List.SigningTime.UTC().Format(time.DateOnly), "Defect": w.defect(d)}))
	} else {
		parts = append(parts, w.t("deviation.heading.unlisted", map[string]string{"Defect": w.defect(d)}))
	}
	parts = append(parts, w.documents(d.Documents))
	if d.Text != "" {
		parts = append(parts, w.t("deviation.list_text", map[string]string{"Text": d.Text}))
	}
	if why := d.NotApplicable(); why != "" {
		reason := w.t(NotApplicableKey(why), map[string]string{"DG": w.dataGroup(d.DataGroup)})
		parts = append(parts, w.t("deviation.not_applied", map[string]string{"Why": reason}))
	}
	return strings.Join(parts, " ")
}

func (w words) defect(d *pki.Deviation) string {
	args := map[string]string{"DG": w.dataGroup(d.DataGroup), "Type": d.Type.String()}
	s := w.t(DefectKey(d.Defect), args)
	if field := w.field(d.Field); field != "" {
		s = w.t("deviation.with_field", map[string]string{"Defect": s, "Field": field})
	}
	return s
}

// dataGroup names a Datagroup parameter: DG1 to DG16, EF.SOD (20), EF.COM
// (21); the file names are the same in every language.
func (w words) dataGroup(n int) string {
	switch {
	case n >= 1 && n <= 16:
		return "DG" + strconv.Itoa(n)
	case n == 20:
		return "EF.SOD"
	case n == 21:
		return "EF.COM"
	}
	return w.t("deviation.dg.unspecified", nil)
}

// field names the MRZ or certificate field of a deviation, "" when it
// names none.
func (w words) field(f pki.DeviationField) string {
	var family string
	switch f.Kind {
	case pki.FieldMRZ:
		family = "mrz"
	case pki.FieldCertBody:
		family = "cert"
	case pki.FieldCertExtension:
		return w.t("deviation.field.extension", map[string]string{"OID": f.Extension.String()})
	default:
		return ""
	}
	if f.Index >= 0 && f.Index < namedFields {
		return w.t("deviation.field."+family+"."+strconv.Itoa(f.Index), nil)
	}
	return w.t("deviation.field.numbered", map[string]string{"N": strconv.Itoa(f.Index)})
}

// documents names the documents of a deviation in one sentence.
func (w words) documents(d *pki.DeviationDocuments) string {
	if d == nil {
		return w.t("deviation.documents.none", nil)
	}
	var criteria []string
	add := func(key string, args map[string]string) { criteria = append(criteria, w.t(key, args)) }
	if d.DocumentType != "" {
		add("deviation.documents.type", map[string]string{"Type": d.DocumentType})
	}
	switch {
	case d.DSSerial != nil:
		add("deviation.documents.ds_serial", map[string]string{"Serial": hexSerial(d.DSSerial), "Issuer": d.DSIssuer})
	case d.DSKeyID != nil:
		add("deviation.documents.ds_key_id", map[string]string{"KeyID": fmt.Sprintf("%X", d.DSKeyID)})
	case d.DSDigest != nil:
		add("deviation.documents.ds_digest", map[string]string{"Digest": fmt.Sprintf("%X", d.DSDigest)})
	}
	if !d.IssuedFrom.IsZero() {
		add("deviation.documents.issued", map[string]string{"From": d.IssuedFrom.Format(time.DateOnly),
			"Until": d.IssuedUntil.Format(time.DateOnly)})
	}
	if d.HasNumbers {
		if n := d.NumberCount(); n == 1 {
			add("deviation.documents.number", nil)
		} else {
			add("deviation.documents.numbers", map[string]string{"Count": strconv.Itoa(n)})
		}
	}
	if len(criteria) == 0 {
		return w.t("deviation.documents.all", nil)
	}
	return w.t("deviation.documents.named", map[string]string{"Criteria": strings.Join(criteria, ", ")})
}

// hexSerial writes a certificate serial number as people compare it with
// a certificate viewer: 0x and upper-case hexadecimal.
func hexSerial(n *big.Int) string {
	if n.Sign() < 0 {
		return "-0x" + strings.ToUpper(new(big.Int).Neg(n).Text(16))
	}
	return "0x" + strings.ToUpper(n.Text(16))
}
