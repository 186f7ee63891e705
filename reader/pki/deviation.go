package pki

import (
	"bytes"
	"cmp"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/cms"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// A deviation list (ICAO 9303-12 §10) is how an issuing State tells
// inspection systems that some of its documents carry a known production
// defect: "the hash of DG12 in the EF.SOD of these cards is wrong". It is a
// CMS SignedData (eContentType id-icao-DeviationList) whose content is, in
// the module's IMPLICIT TAGS:
//
//	DeviationList ::= SEQUENCE {
//	  version          INTEGER {v0(0)},
//	  digestAlgorithm  AlgorithmIdentifier OPTIONAL,
//	  deviations       SET OF Deviation }
//	Deviation ::= SEQUENCE {
//	  documents        DeviationDocuments,
//	  descriptions     SET OF DeviationDescription }
//	DeviationDescription ::= SEQUENCE {
//	  description      PrintableString OPTIONAL,
//	  deviationType    OBJECT IDENTIFIER,
//	  parameters       [0] ANY DEFINED BY deviationType OPTIONAL,
//	  nationalUse      [1] ANY OPTIONAL }
//	DeviationDocuments ::= SEQUENCE {
//	  documentType     [0] PrintableString (SIZE(2)) OPTIONAL,
//	  dscIdentifier    DocumentSignerIdentifier OPTIONAL,
//	  issuingDate      [4] IssuancePeriod OPTIONAL,
//	  documentNumbers  [5] SET OF PrintableString OPTIONAL }
//	DocumentSignerIdentifier ::= CHOICE {
//	  issuerAndSerialNumber [1] IssuerAndSerialNumber,
//	  subjectKeyIdentifier  [2] SubjectKeyIdentifier,
//	  certificateDigest     [3] Digest }   -- with digestAlgorithm
//	IssuancePeriod ::= SEQUENCE { firstIssued, lastIssued GeneralizedTime }
//
// Tolerated beyond the letter of the module, because encoders get ASN.1
// tagging modes wrong and the list is signed by the State anyway: each
// tagged field of DeviationDocuments may also come EXPLICITly tagged (the
// tag wrapping the universal element), an INTEGER parameter may come
// IMPLICITly tagged ([0] primitive; X.680 makes a tag on an open type
// EXPLICIT whatever the module's default), documentType may hold one character ("C", the first
// letter of the MRZ document code) and the description a UTF8String.
//
// The criteria of DeviationDocuments are combined with AND. The spec words
// no document number range: documents are named one by one.
//
// What this package does with a list: Store.AddDeviationList keeps it only
// once its signer verified (a deviation list signer, keyUsage
// digitalSignature and extended key usage id-icao-DeviationListSigningKey
// when present, issued by a non-demo anchor of the store, valid when the
// list was signed; signingTime is mandatory). Store.Deviation then answers
// "does a trusted list excuse this failure of this document?", and only
// ever for a data group hash or encoding defect of a data group other than
// DG1, DG2, DG14 and DG15, for documents of the country whose CSCA vouches
// for the list, named by a DS certificate, an issuing period or document
// numbers. Everything else a list says is kept and shown, never applied.

// Bounds on a deviation list. A national list may name hundreds of
// thousands of card numbers.
const (
	MaxDeviationListSize     = MaxMasterListSize
	maxDeviationEntries      = 4096    // (documents, description) pairs in one list
	maxDescriptionsPerEntry  = 64      // descriptions of one Deviation
	maxDeviationNumbers      = 1 << 20 // document numbers in one list, all deviations together
	maxDocumentNumberLen     = 64
	maxDeviationTextLen      = 1024
	maxDeviationDigestLen    = 64
	maxDeviationParameterLen = 256
)

// DefectKind is the deviationType of a deviation, one per OID of ICAO
// 9303-12 §10.
type DefectKind int

const (
	_ DefectKind = iota
	// DefectCertOrKey (id-Deviation-CertOrKey, 2.23.136.1.1.7.1): a
	// certificate or key deviation not covered by the kinds below.
	DefectCertOrKey
	// DefectDSSignature (…7.1.1): the signature of the DS certificate is wrong.
	DefectDSSignature
	// DefectDSEncoding (…7.1.2, CertField): the DS certificate has a coding error.
	DefectDSEncoding
	// DefectCSCAEncoding (…7.1.3, CertField): the CSCA certificate has a coding error.
	DefectCSCAEncoding
	// DefectAAKeyCompromised (…7.1.4): the Active Authentication key may be compromised.
	DefectAAKeyCompromised
	// DefectLDS (…7.2): an LDS deviation not covered by the kinds below.
	DefectLDS
	// DefectDGMalformed (…7.2.1, Datagroup): the TLV encoding of the data group is corrupted.
	DefectDGMalformed
	// DefectDGHashWrong (…7.2.2, Datagroup): the data group's hash in EF.SOD is wrong.
	DefectDGHashWrong
	// DefectSODSignatureWrong (…7.2.3): the signature in EF.SOD is wrong.
	DefectSODSignatureWrong
	// DefectCOMInconsistent (…7.2.4): EF.COM and EF.SOD disagree.
	DefectCOMInconsistent
	// DefectMRZ (…7.3): an MRZ deviation not covered by the kinds below.
	DefectMRZ
	// DefectMRZWrongData (…7.3.1, MRZField): an MRZ field holds wrong data.
	DefectMRZWrongData
	// DefectMRZWrongCheckDigit (…7.3.2, MRZField): an MRZ check digit is wrong.
	DefectMRZWrongCheckDigit
	// DefectChip (…7.4): the chip is unusable.
	DefectChip
	// DefectNationalUse (…7.5 and below): a deviation for national use.
	DefectNationalUse
	// DefectOther: a deviationType outside the ICAO arc.
	DefectOther
)

// defectArcs are the OID arcs below id-icao-DeviationList of each kind.
var defectArcs = [...][]int{
	DefectCertOrKey: {1}, DefectDSSignature: {1, 1}, DefectDSEncoding: {1, 2}, DefectCSCAEncoding: {1, 3}, DefectAAKeyCompromised: {1, 4},
	DefectLDS: {2}, DefectDGMalformed: {2, 1}, DefectDGHashWrong: {2, 2}, DefectSODSignatureWrong: {2, 3}, DefectCOMInconsistent: {2, 4},
	DefectMRZ: {3}, DefectMRZWrongData: {3, 1}, DefectMRZWrongCheckDigit: {3, 2},
	DefectChip: {4}, DefectNationalUse: {5}, DefectOther: nil,
}

// defectOIDs maps the OID of each kind (dotted) to the kind.
var defectOIDs = map[string]DefectKind{}

func init() {
	for k := range defectArcs {
		if oid := DefectOID(DefectKind(k)); oid != nil {
			defectOIDs[oid.String()] = DefectKind(k)
		}
	}
}

// DefectOID is the deviationType OID of k, nil for DefectOther and unknown kinds.
func DefectOID(k DefectKind) asn1.ObjectIdentifier {
	if k <= 0 || int(k) >= len(defectArcs) || defectArcs[k] == nil {
		return nil
	}
	return append(slices.Clone(oids.DeviationList), defectArcs[k]...)
}

// defectOf classifies a deviationType.
func defectOf(oid asn1.ObjectIdentifier) DefectKind {
	if k, ok := defectOIDs[oid.String()]; ok {
		return k
	}
	national := DefectOID(DefectNationalUse)
	if len(oid) > len(national) && slices.Equal(oid[:len(national)], national) {
		return DefectNationalUse
	}
	return DefectOther
}

// Deviation is one defect a verified list declares for a set of documents
// (one DeviationDescription of one Deviation of the list).
type Deviation struct {
	Defect DefectKind
	Type   asn1.ObjectIdentifier // the deviationType as written in the list
	// DataGroup is the Datagroup parameter of DefectDGMalformed and
	// DefectDGHashWrong: 1 to 16, 20 (EF.SOD) or 21 (EF.COM); 0 when the
	// list gives none.
	DataGroup int
	// Text is the list's own free-text description, "" when it has none.
	Text      string
	Documents *DeviationDocuments // shared by the descriptions of one Deviation
	// List is where the deviation comes from; nil in a DeviationList not
	// yet added to a store.
	List *DeviationListInfo

	// Field is the MRZField or CertField parameter of DefectMRZWrongData,
	// DefectMRZWrongCheckDigit, DefectDSEncoding and DefectCSCAEncoding;
	// its Kind is NoField when the list gives none.
	Field DeviationField
}

// DeviationField is the field of the MRZ or of a certificate a deviation
// names: an ICAO 9303-12 MRZField or CertField value.
type DeviationField struct {
	Kind FieldKind
	// Index is the MRZField (0 generic, 1 document code, 2 issuing state,
	// 3 name, 4 document number, 5 nationality, 6 date of birth, 7 sex,
	// 8 date of expiry, 9 optional data) or the field of tbsCertificate
	// (0 generic, 1 version, 2 serial number, 3 signature, 4 issuer,
	// 5 validity, 6 subject, 7 subject public key, 8 issuer unique ID,
	// 9 subject unique ID); a list may give a value beyond these.
	Index int
	// Extension is the certificate extension named by a CertField of
	// Kind FieldCertExtension.
	Extension asn1.ObjectIdentifier
}

// FieldKind says what a DeviationField names.
type FieldKind int

const (
	// NoField: the deviation names no field.
	NoField FieldKind = iota
	// FieldMRZ: a field of the MRZ, by its MRZField index.
	FieldMRZ
	// FieldCertBody: a field of tbsCertificate, by its CertField index.
	FieldCertBody
	// FieldCertExtension: a certificate extension, by its OID.
	FieldCertExtension
)

// DeviationDocuments are the documents a deviation concerns: those that
// meet every criterion present.
type DeviationDocuments struct {
	// DocumentType restricts the MRZ document code: "ID", "P", "C"... A
	// one-letter type matches every code that starts with it. "" when
	// absent.
	DocumentType string
	// DSIssuer and DSSerial (issuerAndSerialNumber), DSKeyID
	// (subjectKeyIdentifier) or DSDigest (certificateDigest, hashed with
	// the list's digestAlgorithm) name the Document Signer certificate.
	DSIssuer string
	DSSerial *big.Int
	DSKeyID  []byte
	DSDigest []byte
	// IssuedFrom and IssuedUntil bound the issuing date (issuingDate);
	// zero when absent. A bound at midnight covers that whole day.
	IssuedFrom, IssuedUntil time.Time
	// HasNumbers is set when the list names document numbers (see
	// NumberCount; the numbers themselves are personal data and are only
	// ever compared, never shown).
	HasNumbers bool

	numbers  []string // sorted, upper case
	dsIssuer name
	digest   crypto.Hash // for DSDigest; 0 when the list has no usable digestAlgorithm
	unusable string      // why no document can be recognised, "" when fine
}

// NumberCount is how many document numbers the list names.
func (d *DeviationDocuments) NumberCount() int { return len(d.numbers) }

// narrow reports whether the documents are named by something finer than
// a country and a document type.
func (d *DeviationDocuments) narrow() bool {
	return d.DSSerial != nil || d.DSKeyID != nil || d.DSDigest != nil || !d.IssuedFrom.IsZero() || d.HasNumbers
}

// DeviationListInfo is a verified deviation list held by a store.
type DeviationListInfo struct {
	Source Source
	// Country is the C= of the CSCA that issued the list signer: the
	// deviations only ever apply to documents of that country.
	Country     string
	SigningTime time.Time
	Signer      *Certificate
	CSCA        *Certificate
	Fingerprint [32]byte // SHA-256 of the file
}

// DeviationList is a parsed deviation list. Its deviations are not to be
// used before Store.AddDeviationList (or Store.VerifyDeviationList) checked
// its signature.
type DeviationList struct {
	Raw         []byte
	Fingerprint [32]byte
	Version     int
	// DigestAlgorithm is the list's digestAlgorithm, nil when absent.
	DigestAlgorithm *AlgorithmIdentifier
	Deviations      []*Deviation
	// Signers are the certificates carried by the SignedData: the list
	// signer and often its CSCA.
	Signers []*Certificate
	Invalid []InvalidEntry // certificates of the SignedData that did not parse
	// SigningTime is the signingTime signed attribute of the first signer,
	// zero when absent. Only trustworthy after verification.
	SigningTime time.Time

	sd *cms.SignedData
}

// IsDeviationList reports whether der looks like a deviation list: a CMS
// SignedData of eContentType id-icao-DeviationList (nothing else is checked).
func IsDeviationList(der []byte) bool {
	oid, ok := cms.PeekEContentType(der, ber.DER)
	return len(der) <= MaxDeviationListSize && ok && oid.Equal(oids.DeviationList)
}

const opParseDL = "parse deviation list"

// dlParser carries the state of one parse.
type dlParser struct {
	dl      *DeviationList
	numbers int // document numbers read so far
}

// ParseDeviationList parses a deviation list file. Its signature is not
// checked here: see Store.VerifyDeviationList.
func ParseDeviationList(der []byte) (*DeviationList, error) {
	const op = opParseDL
	if len(der) == 0 {
		return nil, newErr(Malformed, op, "empty")
	}
	if len(der) > MaxDeviationListSize {
		return nil, newErrf(TooLarge, op, "%d bytes", len(der))
	}
	raw := bytes.Clone(der)
	sd, err := parseSignedData(raw)
	if err != nil {
		return nil, wrap(Malformed, op, err)
	}
	if !sd.EContentType.Equal(oids.DeviationList) {
		return nil, newErrf(Malformed, op, "content type %s is not id-icao-DeviationList", sd.EContentType)
	}
	dl := &DeviationList{Raw: clip(raw), Fingerprint: sha256.Sum256(raw), sd: sd}
	p := &dlParser{dl: dl}
	if err := p.content(sd.EContent); err != nil {
		return nil, wrap(Malformed, op, err)
	}
	for i, der := range sd.Certificates {
		c, err := ParseCertificate(der)
		if err != nil {
			dl.Invalid = append(dl.Invalid, InvalidEntry{Field: "certificates", Index: i, Err: err})
			continue
		}
		dl.Signers = append(dl.Signers, c)
	}
	dl.SigningTime = signingTime(&sd.Signer)
	return dl, nil
}

// members splits the contents of a constructed element, at most max of them.
func members(b []byte, max int, what string) ([]asn1.RawValue, error) {
	var out []asn1.RawValue
	err := eachMember(b, max, what, func(v asn1.RawValue) error {
		out = append(out, v)
		return nil
	})
	return out, err
}

// eachMember calls fn on each element of the contents b, at most max of them.
func eachMember(b []byte, max int, what string, fn func(asn1.RawValue) error) error {
	for n := 0; len(b) > 0; n++ {
		if n == max {
			return newErrf(TooLarge, opParseDL, "more than %d %s", max, what)
		}
		var v asn1.RawValue
		var err error
		if b, err = asn1.Unmarshal(b, &v); err != nil {
			return newErrf(Malformed, opParseDL, "%s: not DER", what)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return nil
}

func isContext(v asn1.RawValue, tag int) bool {
	return v.Class == asn1.ClassContextSpecific && v.Tag == tag
}

func isPrimitive(v asn1.RawValue, tag int) bool {
	return v.Class == asn1.ClassUniversal && v.Tag == tag && !v.IsCompound
}

// untag returns the universal element a context tag stands for: v's
// contents read as that element when the tag is IMPLICIT (the module's
// mode), or the single element v wraps when an encoder made it EXPLICIT.
func untag(v asn1.RawValue, tag int, compound bool) (asn1.RawValue, bool) {
	if v.IsCompound {
		var inner asn1.RawValue
		if unmarshalAll(v.Bytes, &inner) && inner.Class == asn1.ClassUniversal && inner.Tag == tag && inner.IsCompound == compound {
			return inner, true
		}
	}
	if v.IsCompound != compound {
		return asn1.RawValue{}, false
	}
	return asn1.RawValue{Class: asn1.ClassUniversal, Tag: tag, IsCompound: compound, Bytes: v.Bytes}, true
}

func (p *dlParser) content(b []byte) error {
	const op = opParseDL
	var seq asn1.RawValue
	if !unmarshalAll(b, &seq) || !isUniversal(seq, asn1.TagSequence) {
		return newErr(Malformed, op, "content is not a DeviationList")
	}
	fields, err := members(seq.Bytes, 3, "DeviationList fields")
	if err != nil {
		return err
	}
	if len(fields) < 2 || !isPrimitive(fields[0], asn1.TagInteger) || !unmarshalAll(fields[0].FullBytes, &p.dl.Version) {
		return newErr(Malformed, op, "DeviationList lacks its version or deviations")
	}
	if p.dl.Version != 0 {
		return newErrf(Malformed, op, "DeviationList version %d (only v0 is defined)", p.dl.Version)
	}
	if len(fields) == 3 {
		if !isUniversal(fields[1], asn1.TagSequence) {
			return newErr(Malformed, op, "digestAlgorithm is not an AlgorithmIdentifier")
		}
		alg, err := parseAlgorithm(fields[1].FullBytes)
		if err != nil {
			return err
		}
		p.dl.DigestAlgorithm = &alg
	}
	set := fields[len(fields)-1]
	if !isUniversal(set, asn1.TagSet) {
		return newErr(Malformed, op, "deviations is not a SET")
	}
	return eachMember(set.Bytes, maxDeviationEntries, "deviations", p.deviation)
}

func (p *dlParser) deviation(v asn1.RawValue) error {
	const op = opParseDL
	if !isUniversal(v, asn1.TagSequence) {
		return newErr(Malformed, op, "Deviation is not a SEQUENCE")
	}
	parts, err := members(v.Bytes, 2, "Deviation fields")
	if err != nil {
		return err
	}
	if len(parts) != 2 || !isUniversal(parts[1], asn1.TagSet) {
		return newErr(Malformed, op, "Deviation needs documents and a SET of descriptions")
	}
	docs, err := p.documents(parts[0])
	if err != nil {
		return err
	}
	n := 0
	err = eachMember(parts[1].Bytes, maxDescriptionsPerEntry, "descriptions of a deviation", func(v asn1.RawValue) error {
		if len(p.dl.Deviations) == maxDeviationEntries {
			return newErrf(TooLarge, op, "more than %d deviations", maxDeviationEntries)
		}
		d, err := p.description(v)
		if err != nil {
			return err
		}
		d.Documents = docs
		p.dl.Deviations = append(p.dl.Deviations, d)
		n++
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return newErr(Malformed, op, "Deviation without a description")
	}
	return nil
}

// documents reads DeviationDocuments: its fields in the module's order,
// each at most once.
func (p *dlParser) documents(v asn1.RawValue) (*DeviationDocuments, error) {
	const op = opParseDL
	if !isUniversal(v, asn1.TagSequence) {
		return nil, newErr(Malformed, op, "DeviationDocuments is not a SEQUENCE")
	}
	d := &DeviationDocuments{}
	last := -1
	err := eachMember(v.Bytes, 4, "DeviationDocuments fields", func(f asn1.RawValue) error {
		pos := -1
		var err error
		switch {
		case isContext(f, 0):
			pos, err = 0, d.setType(f)
		case isContext(f, 1):
			pos, err = 1, d.setIssuerSerial(f)
		case isContext(f, 2):
			pos, err = 1, d.setKeyID(f)
		case isContext(f, 3):
			pos, err = 1, d.setDigest(f, p.dl.DigestAlgorithm)
		case isContext(f, 4):
			pos, err = 2, d.setPeriod(f)
		case isContext(f, 5):
			pos, err = 3, p.setNumbers(d, f)
		default:
			return newErrf(Malformed, op, "unexpected field (class %d, tag %d) in DeviationDocuments", f.Class, f.Tag)
		}
		if err != nil {
			return err
		}
		if pos <= last {
			return newErr(Malformed, op, "DeviationDocuments fields repeated or out of order")
		}
		last = pos
		return nil
	})
	return d, err
}

func (d *DeviationDocuments) setType(f asn1.RawValue) error {
	s, ok := untag(f, asn1.TagPrintableString, false)
	t := strings.ToUpper(strings.TrimSpace(string(s.Bytes)))
	if !ok || !printable(s.Bytes) || len(t) == 0 || len(t) > 2 {
		return newErr(Malformed, opParseDL, "documentType is not a PrintableString of 1 or 2 characters")
	}
	d.DocumentType = t
	return nil
}

func (d *DeviationDocuments) setIssuerSerial(f asn1.RawValue) error {
	const op = opParseDL
	ias, ok := untag(f, asn1.TagSequence, true)
	if !ok {
		return newErr(Malformed, op, "issuerAndSerialNumber")
	}
	parts, err := members(ias.Bytes, 2, "issuerAndSerialNumber fields")
	if err != nil {
		return err
	}
	if len(parts) != 2 || !isPrimitive(parts[1], asn1.TagInteger) || len(parts[1].Bytes) > maxSerialBytes {
		return newErr(Malformed, op, "issuerAndSerialNumber needs an issuer and a serial number")
	}
	n, err := parseName(parts[0].FullBytes)
	if err != nil {
		return err
	}
	var serial *big.Int
	if !unmarshalAll(parts[1].FullBytes, &serial) {
		return newErr(Malformed, op, "serial number")
	}
	d.dsIssuer, d.DSIssuer, d.DSSerial = n, n.display, serial
	return nil
}

func (d *DeviationDocuments) setKeyID(f asn1.RawValue) error {
	s, ok := untag(f, asn1.TagOctetString, false)
	if !ok || len(s.Bytes) == 0 || len(s.Bytes) > maxKeyIDLen {
		return newErr(Malformed, opParseDL, "subjectKeyIdentifier")
	}
	d.DSKeyID = bytes.Clone(s.Bytes)
	return nil
}

func (d *DeviationDocuments) setDigest(f asn1.RawValue, alg *AlgorithmIdentifier) error {
	s, ok := untag(f, asn1.TagOctetString, false)
	if !ok || len(s.Bytes) == 0 || len(s.Bytes) > maxDeviationDigestLen {
		return newErr(Malformed, opParseDL, "certificateDigest")
	}
	d.DSDigest = bytes.Clone(s.Bytes)
	if alg == nil {
		d.unusable = "certificateDigest without a digestAlgorithm"
		return nil
	}
	h, err := digestHash(*alg)
	if err != nil || h.Size() != len(d.DSDigest) {
		d.unusable = fmt.Sprintf("certificateDigest of %d bytes with digestAlgorithm %s", len(d.DSDigest), alg)
		return nil
	}
	d.digest = h
	return nil
}

func (d *DeviationDocuments) setPeriod(f asn1.RawValue) error {
	const op = opParseDL
	seq, ok := untag(f, asn1.TagSequence, true)
	if !ok {
		return newErr(Malformed, op, "issuingDate")
	}
	parts, err := members(seq.Bytes, 2, "issuingDate fields")
	if err != nil {
		return err
	}
	var t [2]time.Time
	if len(parts) != 2 {
		return newErr(Malformed, op, "issuingDate needs firstIssued and lastIssued")
	}
	for i, v := range parts {
		if !isPrimitive(v, asn1.TagGeneralizedTime) || !unmarshalAll(v.FullBytes, &t[i]) {
			return newErr(Malformed, op, "issuingDate is not two GeneralizedTime")
		}
	}
	if t[1].Before(t[0]) {
		return newErr(Malformed, op, "issuingDate ends before it starts")
	}
	d.IssuedFrom, d.IssuedUntil = t[0].UTC(), t[1].UTC()
	return nil
}

func (p *dlParser) setNumbers(d *DeviationDocuments, f asn1.RawValue) error {
	const op = opParseDL
	set, ok := untag(f, asn1.TagSet, true)
	if !ok {
		return newErr(Malformed, op, "documentNumbers is not a SET")
	}
	d.HasNumbers = true
	err := eachMember(set.Bytes, maxDeviationNumbers-p.numbers, "document numbers in the list", func(v asn1.RawValue) error {
		if !isPrimitive(v, asn1.TagPrintableString) || !printable(v.Bytes) || len(v.Bytes) > maxDocumentNumberLen {
			return newErr(Malformed, op, "document number is not a PrintableString")
		}
		n := normalizeDocNumber(string(v.Bytes))
		if n == "" {
			return newErr(Malformed, op, "empty document number")
		}
		d.numbers = append(d.numbers, n)
		return nil
	})
	if err != nil {
		return err
	}
	p.numbers += len(d.numbers)
	slices.Sort(d.numbers)
	d.numbers = slices.Clip(slices.Compact(d.numbers))
	return nil
}

func (p *dlParser) description(v asn1.RawValue) (*Deviation, error) {
	const op = opParseDL
	if !isUniversal(v, asn1.TagSequence) {
		return nil, newErr(Malformed, op, "DeviationDescription is not a SEQUENCE")
	}
	parts, err := members(v.Bytes, 4, "DeviationDescription fields")
	if err != nil {
		return nil, err
	}
	d := &Deviation{}
	i := 0
	if i < len(parts) && parts[i].Class == asn1.ClassUniversal && (parts[i].Tag == asn1.TagPrintableString || parts[i].Tag == asn1.TagUTF8String) {
		if d.Text, err = descriptionText(parts[i]); err != nil {
			return nil, err
		}
		i++
	}
	if i == len(parts) || !isPrimitive(parts[i], asn1.TagOID) || !unmarshalAll(parts[i].FullBytes, &d.Type) {
		return nil, newErr(Malformed, op, "DeviationDescription lacks its deviationType")
	}
	d.Defect = defectOf(d.Type)
	i++
	if i < len(parts) && isContext(parts[i], 0) {
		if len(parts[i].FullBytes) > maxDeviationParameterLen {
			return nil, newErrf(TooLarge, op, "parameters of %d bytes", len(parts[i].FullBytes))
		}
		if err := d.setParameter(parts[i]); err != nil {
			return nil, err
		}
		i++
	}
	if i < len(parts) && isContext(parts[i], 1) {
		i++ // nationalUse: meaning agreed between States, not used here
	}
	if i != len(parts) {
		return nil, newErr(Malformed, op, "unexpected field in DeviationDescription")
	}
	return d, nil
}

// descriptionText reads the free text, refusing nothing a person could be
// misled by silently: control and format characters become U+FFFD.
func descriptionText(v asn1.RawValue) (string, error) {
	const op = opParseDL
	if v.IsCompound || len(v.Bytes) > maxDeviationTextLen {
		return "", newErr(Malformed, op, "description is not a string of at most 1024 bytes")
	}
	if v.Tag == asn1.TagPrintableString {
		if !printable(v.Bytes) {
			return "", newErr(Malformed, op, "description is not a PrintableString")
		}
		return string(v.Bytes), nil
	}
	if !utf8.Valid(v.Bytes) {
		return "", newErr(Malformed, op, "description is not UTF-8")
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return utf8.RuneError
		}
		return r
	}, string(v.Bytes)), nil
}

// setParameter reads the parameters of the types that define one:
// Datagroup, MRZField and CertField. Others are ignored.
func (d *Deviation) setParameter(f asn1.RawValue) error {
	const op = opParseDL
	var inner asn1.RawValue
	switch {
	case f.IsCompound:
		if !unmarshalAll(f.Bytes, &inner) {
			return newErr(Malformed, op, "parameters")
		}
	default:
		// IMPLICIT [0]: only an INTEGER parameter can be read this way.
		inner = asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagInteger, Bytes: f.Bytes}
		full, err := asn1.Marshal(inner)
		if err != nil {
			return newErr(Malformed, op, "parameters")
		}
		inner.FullBytes = full
	}
	integer := func(what string, max int) (int, error) {
		var n int
		if !isPrimitive(inner, asn1.TagInteger) || !unmarshalAll(inner.FullBytes, &n) || n < 0 || n > max {
			return 0, newErrf(Malformed, op, "%s parameter", what)
		}
		return n, nil
	}
	switch d.Defect {
	case DefectDGMalformed, DefectDGHashWrong:
		n, err := integer("Datagroup", 21)
		if err != nil {
			return err
		}
		if (n < 1 || n > 16) && n != 20 && n != 21 {
			return newErrf(Malformed, op, "Datagroup %d", n)
		}
		d.DataGroup = n
	case DefectMRZWrongData, DefectMRZWrongCheckDigit:
		n, err := integer("MRZField", 1<<16)
		if err != nil {
			return err
		}
		d.Field = DeviationField{Kind: FieldMRZ, Index: n}
	case DefectDSEncoding, DefectCSCAEncoding:
		if isPrimitive(inner, asn1.TagOID) {
			var oid asn1.ObjectIdentifier
			if !unmarshalAll(inner.FullBytes, &oid) {
				return newErr(Malformed, op, "CertField extension")
			}
			d.Field = DeviationField{Kind: FieldCertExtension, Extension: oid}
			break
		}
		n, err := integer("CertField", 1<<16)
		if err != nil {
			return err
		}
		d.Field = DeviationField{Kind: FieldCertBody, Index: n}
	}
	return nil
}

// printable reports whether b holds only PrintableString characters.
func printable(b []byte) bool {
	for _, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte(" '()+,-./:=?", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// normalizeDocNumber compares document numbers as the MRZ writes them:
// upper case, without surrounding blanks or trailing '<' fillers.
func normalizeDocNumber(s string) string {
	return strings.ToUpper(strings.TrimRight(strings.TrimSpace(s), "<"))
}

// normalizeDocCode is an MRZ document code without fillers: "P<" is "P".
func normalizeDocCode(s string) string {
	return strings.ToUpper(strings.TrimRight(strings.TrimSpace(s), "<"))
}

// VerifySigner checks the list's CMS signature (signed attributes with
// contentType, messageDigest and signingTime, which ICAO 9303-12 §10.1
// makes mandatory) by a signer certificate carried in the list, whose
// keyUsage (when present) allows digitalSignature and whose extended key
// usage (when present) includes id-icao-DeviationListSigningKey, issued by
// one of anchors. It returns the signer and the anchor that issued it.
// Validity periods are checked by Store.VerifyDeviationList.
func (dl *DeviationList) VerifySigner(anchors []*Certificate) (signer, csca *Certificate, err error) {
	const op = "verify deviation list signer"
	if dl == nil || dl.sd == nil {
		return nil, nil, newErr(BadInput, op, "no deviation list")
	}
	var firstErr error
	keep := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	for _, si := range dl.sd.SignerInfos() {
		idx := slices.IndexFunc(dl.Signers, identifies(si))
		if idx < 0 {
			keep(newErr(UnknownIssuer, op, "signer certificate not included in the deviation list"))
			continue
		}
		signer := dl.Signers[idx]
		if err := checkDeviationSigner(signer); err != nil {
			keep(err)
			continue
		}
		if si.SignedAttrsRaw == nil {
			keep(newErr(BadSignature, op, "no signed attributes (signingTime is mandatory)"))
			continue
		}
		if err := VerifySignerInfo(dl.sd, si, signer); err != nil {
			keep(err)
			continue
		}
		if si.SigningTime == nil {
			keep(newErr(BadSignature, op, "no signingTime signed attribute"))
			continue
		}
		csca, err := issuingAnchor(signer, anchors)
		if err != nil {
			keep(wrap(UnknownIssuer, op, err))
			continue
		}
		dl.SigningTime = *si.SigningTime
		return signer, csca, nil
	}
	return nil, nil, firstErr
}

// checkDeviationSigner refuses a signer certificate that may not sign a
// deviation list.
func checkDeviationSigner(c *Certificate) error {
	const op = "deviation list signer usage"
	switch {
	case len(c.UnhandledCritical) > 0:
		return newErrf(UnhandledCritical, op, "%s: %v", c.Subject, c.UnhandledCritical)
	case c.HasKeyUsage && c.KeyUsage&x509.KeyUsageDigitalSignature == 0:
		return newErrf(WrongUsage, op, "%s: keyUsage lacks digitalSignature", c.Subject)
	case len(c.ExtKeyUsage) > 0 && !slices.ContainsFunc(c.ExtKeyUsage, oids.DeviationListSigningKey.Equal):
		return newErrf(WrongUsage, op, "%s: extKeyUsage lacks id-icao-DeviationListSigningKey", c.Subject)
	}
	return nil
}

// issuingAnchor returns the anchor that signed c.
func issuingAnchor(c *Certificate, anchors []*Certificate) (*Certificate, error) {
	const op = "chain to anchor"
	var firstErr error
	for _, a := range anchors {
		if a == nil || !issuerMatches(c, a) {
			continue
		}
		if len(a.UnhandledCritical) > 0 {
			firstErr = cmp.Or[error](firstErr, newErrf(UnhandledCritical, op, "%s: %v", a.Subject, a.UnhandledCritical))
			continue
		}
		err := c.CheckSignatureFrom(a)
		if err == nil {
			return a, nil
		}
		firstErr = cmp.Or(firstErr, err)
	}
	if firstErr == nil {
		return nil, newErrf(UnknownIssuer, op, "no anchor for issuer %s", c.Issuer)
	}
	return nil, firstErr
}

// VerifyDeviationList checks a deviation list before any of its
// deviations is used: its CMS signature and signer (VerifySigner) against
// the non-demo anchors of the store, the signer and its CSCA valid when
// the list was signed (its signingTime, or now when that is later than
// now), and a country to scope it to. Every failure is an
// UntrustedDeviationList error naming the reason.
func (s *Store) VerifyDeviationList(dl *DeviationList, now time.Time) (DeviationListInfo, error) {
	const op = "verify deviation list"
	if dl == nil {
		return DeviationListInfo{}, newErr(BadInput, op, "no deviation list")
	}
	untrusted := func(op string, err error) (DeviationListInfo, error) {
		return DeviationListInfo{}, &Error{Kind: UntrustedDeviationList, Op: op, Err: err}
	}
	signer, csca, err := dl.VerifySigner(s.anchorCerts())
	if err != nil {
		return untrusted(op, err)
	}
	at := dl.SigningTime
	if at.After(now) {
		at = now
	}
	if err := signer.CheckValidity(at); err != nil {
		return untrusted(op+": signer", err)
	}
	if err := csca.CheckValidity(at); err != nil {
		return untrusted(op+": CSCA", err)
	}
	country := csca.Country
	if country == "" {
		country = signer.IssuerCountry
	}
	if country == "" {
		return untrusted(op, newErrf(BadInput, op, "CSCA %s names no country", csca.Subject))
	}
	return DeviationListInfo{Country: country, SigningTime: dl.SigningTime, Signer: signer, CSCA: csca, Fingerprint: dl.Fingerprint}, nil
}

// DeviationListReport says what a deviation list gave.
type DeviationListReport struct {
	Path   string
	Source Source
	// Info is set once the list verified and its deviations were added.
	Info *DeviationListInfo
	// Deviations is the number of (documents, defect) entries of the list;
	// Applicable counts those that can excuse a failure (the others are
	// kept for display: see Deviation.Applicable).
	Deviations, Applicable int
	// Refused is non-nil when the list was not used: an
	// UntrustedDeviationList error when it did not verify, Duplicate when
	// the store already holds the same file.
	Refused error
}

// AddDeviationList verifies dl (VerifyDeviationList) and keeps its
// deviations under src. Lists are cumulative: a State may publish several,
// and a newer one does not replace an older one.
func (s *Store) AddDeviationList(dl *DeviationList, src Source, now time.Time) DeviationListReport {
	r := DeviationListReport{Source: src}
	if dl == nil {
		r.Refused = newErr(BadInput, "add deviation list", "no deviation list")
		return r
	}
	r.Deviations = len(dl.Deviations)
	info, err := s.VerifyDeviationList(dl, now)
	if err != nil {
		r.Refused = err
		return r
	}
	info.Source = src
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.devLists {
		if l.Fingerprint == info.Fingerprint {
			r.Refused = newErrf(Duplicate, "add deviation list", "same file as %s", l.Source.Name)
			return r
		}
	}
	li := &info
	s.devLists = append(s.devLists, li)
	for _, d := range dl.Deviations {
		c := *d
		c.List = li
		s.deviations = append(s.deviations, &c)
		if c.Applicable() {
			r.Applicable++
		}
	}
	r.Info = li
	return r
}

// DeviationLists returns the verified deviation lists of the store, in
// the order they were added.
func (s *Store) DeviationLists() []*DeviationListInfo {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.devLists)
}

// Deviations returns every deviation of the verified lists, applicable or
// not, in list order.
func (s *Store) Deviations() []*Deviation {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.deviations)
}

// DeviationQuery describes a document, and for Store.Deviation the failure
// to excuse. Call it only after DS verified (Store.Verify): the DS
// certificate is what ties the document to the country of a list.
type DeviationQuery struct {
	DS *Certificate
	// DocumentNumber is the document number of the verified DG1 (with its
	// overflow for TD1 documents); "" when unknown.
	DocumentNumber string
	// DocumentCode is the MRZ document code of DG1 ("ID", "P<"...); ""
	// when unknown.
	DocumentCode string
	// IssuedAt is when the document was issued, zero when unknown; the
	// signingTime of its EF.SOD is a faithful stand-in.
	IssuedAt time.Time
	// DataGroup (1 to 16) and Defect (DefectDGHashWrong or
	// DefectDGMalformed) are the failure Store.Deviation is asked about.
	DataGroup int
	Defect    DefectKind
}

// neverExcused are the data groups no deviation may excuse: the MRZ, the
// portrait and the chip's Chip and Active Authentication keys.
var neverExcused = [...]int{1, 2, 14, 15}

// excusable reports whether a failure of kind defect on data group dg may
// be excused by a deviation list.
func excusable(defect DefectKind, dg int) bool {
	if defect != DefectDGHashWrong && defect != DefectDGMalformed {
		return false
	}
	return dg >= 1 && dg <= 16 && !slices.Contains(neverExcused[:], dg)
}

// Deviation returns the deviation of a trusted list that excuses the
// failure q describes, if any: same defect (a data group hash or encoding
// defect), same data group (never DG1, DG2, DG14 or DG15), and a document
// that meets every criterion of the deviation's documents, of the country
// whose CSCA vouches for the list. A deviation that names its documents
// by nothing finer than a document type never matches, nor does any for a
// demonstration document.
func (s *Store) Deviation(q DeviationQuery) (*Deviation, bool) {
	if q.DS == nil || q.DS.IsDemo() || !excusable(q.Defect, q.DataGroup) {
		return nil, false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, d := range s.deviations {
		if d.Defect == q.Defect && d.DataGroup == q.DataGroup && d.Applicable() && d.covers(q) {
			return d, true
		}
	}
	return nil, false
}

// DeviationsAbout returns every deviation of the trusted lists whose
// documents include q's, whatever its defect and whether or not it can
// excuse anything (q.DataGroup and q.Defect are ignored): what the report
// shows about the document, such as DefectAAKeyCompromised, which says
// not to rely on Active Authentication.
func (s *Store) DeviationsAbout(q DeviationQuery) []*Deviation {
	if q.DS == nil || q.DS.IsDemo() {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*Deviation
	for _, d := range s.deviations {
		if d.covers(q) {
			out = append(out, d)
		}
	}
	return out
}

// Applicable reports whether the deviation can ever excuse a failure: a
// data group hash or encoding defect, of a data group other than DG1,
// DG2, DG14 and DG15, for documents named by a DS certificate, an issuing
// period or document numbers. The others are kept for display.
func (d *Deviation) Applicable() bool { return d.NotApplicable() == "" }

// NotApplicableReason is why a deviation never excuses a failure: a code
// the application words (app/explain).
type NotApplicableReason string

// The reasons of [Deviation.NotApplicable], in the order it tests them.
const (
	// NotApplicableNoDocuments: the list names no document.
	NotApplicableNoDocuments NotApplicableReason = "no_documents"
	// NotApplicableUnusableDigest: the DS certificate is named by a digest
	// whose algorithm is missing or does not fit its length.
	NotApplicableUnusableDigest NotApplicableReason = "unusable_digest"
	// NotApplicableDefect: only a data group hash or encoding defect can
	// excuse a failure.
	NotApplicableDefect NotApplicableReason = "defect"
	// NotApplicableNoDataGroup: the list does not say which data group.
	NotApplicableNoDataGroup NotApplicableReason = "no_data_group"
	// NotApplicableCoreDataGroup: DG1, DG2, DG14 and DG15 are never excused.
	NotApplicableCoreDataGroup NotApplicableReason = "core_data_group"
	// NotApplicableDataGroup: the data group (EF.SOD, EF.COM) cannot be
	// excused.
	NotApplicableDataGroup NotApplicableReason = "data_group"
	// NotApplicableTooBroad: the documents are named by nothing finer than
	// a country and a document type.
	NotApplicableTooBroad NotApplicableReason = "too_broad"
)

// NotApplicableReasons lists every reason, for the code that words them.
var NotApplicableReasons = []NotApplicableReason{
	NotApplicableNoDocuments, NotApplicableUnusableDigest, NotApplicableDefect, NotApplicableNoDataGroup,
	NotApplicableCoreDataGroup, NotApplicableDataGroup, NotApplicableTooBroad,
}

// NotApplicable says why the deviation never excuses anything, "" when it can.
func (d *Deviation) NotApplicable() NotApplicableReason {
	switch {
	case d.Documents == nil:
		return NotApplicableNoDocuments
	case d.Documents.unusable != "":
		return NotApplicableUnusableDigest
	case d.Defect != DefectDGHashWrong && d.Defect != DefectDGMalformed:
		return NotApplicableDefect
	case d.DataGroup == 0:
		return NotApplicableNoDataGroup
	case slices.Contains(neverExcused[:], d.DataGroup):
		return NotApplicableCoreDataGroup
	case !excusable(d.Defect, d.DataGroup):
		return NotApplicableDataGroup
	case !d.Documents.narrow():
		return NotApplicableTooBroad
	}
	return ""
}

// covers reports whether q's document is among d's documents.
func (d *Deviation) covers(q DeviationQuery) bool {
	docs := d.Documents
	if d.List == nil || docs == nil || docs.unusable != "" || q.DS == nil {
		return false
	}
	if d.List.Country == "" || !strings.EqualFold(q.DS.IssuerCountry, d.List.Country) {
		return false
	}
	if docs.DocumentType != "" {
		code := normalizeDocCode(q.DocumentCode)
		if code == "" || !(code == docs.DocumentType || len(docs.DocumentType) == 1 && code[0] == docs.DocumentType[0]) {
			return false
		}
	}
	switch {
	case docs.DSSerial != nil:
		if q.DS.SerialNumber == nil || docs.DSSerial.Cmp(q.DS.SerialNumber) != 0 || !docs.dsIssuer.sameParts(q.DS.issuer) {
			return false
		}
	case docs.DSKeyID != nil:
		if !bytes.Equal(docs.DSKeyID, q.DS.SubjectKeyID) {
			return false
		}
	case docs.DSDigest != nil:
		h := docs.digest.New()
		h.Write(q.DS.Raw)
		if !bytes.Equal(h.Sum(nil), docs.DSDigest) {
			return false
		}
	}
	if !docs.IssuedFrom.IsZero() {
		if q.IssuedAt.IsZero() || q.IssuedAt.Before(docs.IssuedFrom) || q.IssuedAt.After(endOfDay(docs.IssuedUntil)) {
			return false
		}
	}
	if docs.HasNumbers {
		n := normalizeDocNumber(q.DocumentNumber)
		if _, found := slices.BinarySearch(docs.numbers, n); n == "" || !found {
			return false
		}
	}
	return true
}

// endOfDay extends a bound given at midnight to the end of that day: a
// list saying "last issued 2018-02-05" covers documents issued that day.
func endOfDay(t time.Time) time.Time {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Add(24*time.Hour - time.Nanosecond)
	}
	return t
}
