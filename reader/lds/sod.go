package lds

import (
	"bytes"
	"crypto"
	_ "crypto/sha1" // SHA-1 SODs are still in circulation
	_ "crypto/sha256"
	_ "crypto/sha512"
	"crypto/subtle"
	"encoding/asn1"
	"errors"
	"math/big"
	"slices"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Object identifiers of EF.SOD (RFC 5652 §5 and §11, ICAO 9303-10 §4.6.2).
var (
	OIDSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	// OIDData (id-data) is the eContentType that some issuers write instead
	// of OIDLDSSecurityObject (seen on Chinese passports; gmrtd accepts it).
	OIDData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	// OIDLDSSecurityObject is id-icao-mrtd-security-ldsSecurityObject.
	OIDLDSSecurityObject = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 1}

	OIDAttrContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	OIDAttrMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	OIDAttrSigningTime   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
)

// hashOIDs: id-sha1 (RFC 3279 §2.2.1) and the NIST id-sha* arcs
// 2.16.840.1.101.3.4.2.x (RFC 5754 §2, FIPS 180-4).
var hashOIDs = []struct {
	oid  asn1.ObjectIdentifier
	hash crypto.Hash
}{
	{asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}, crypto.SHA1},
	{asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}, crypto.SHA224},
	{asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}, crypto.SHA256},
	{asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}, crypto.SHA384},
	{asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}, crypto.SHA512},
	{asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 5}, crypto.SHA512_224},
	{asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 6}, crypto.SHA512_256},
}

// HashAlgorithmByOID maps a digest algorithm OID to its hash: SHA-1,
// SHA-224, SHA-256, SHA-384, SHA-512, SHA-512/224 and SHA-512/256.
func HashAlgorithmByOID(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	for _, h := range hashOIDs {
		if h.oid.Equal(oid) {
			return h.hash, true
		}
	}
	return 0, false
}

// AlgorithmIdentifier is an X.509 AlgorithmIdentifier whose parameters are
// kept as encoded.
type AlgorithmIdentifier struct {
	OID asn1.ObjectIdentifier
	// Params is the whole parameters element (05 00 for NULL), nil when absent.
	Params []byte
}

// HashAlgorithm is a digest AlgorithmIdentifier resolved to a crypto.Hash.
// An OID this reader does not know leaves Hash at 0 and Err set to a
// chiperr.Unsupported error, so that the rest of EF.SOD stays readable.
type HashAlgorithm struct {
	AlgorithmIdentifier
	Hash crypto.Hash
	Err  error
}

// SignerInfo is the CMS SignerInfo of the Document Signer (RFC 5652 §5.3).
// Nothing here is verified: that is the job of the PKI code.
type SignerInfo struct {
	// Version is 1 (IssuerRaw and SerialNumber set) or 3 (SubjectKeyID set).
	Version      int
	IssuerRaw    []byte // DER Name of the DS certificate's issuer
	SerialNumber *big.Int
	SubjectKeyID []byte
	// DigestAlgorithm hashes EContent into MessageDigest and SignedAttrsRaw
	// into the signed value.
	DigestAlgorithm HashAlgorithm
	// SignedAttrsRaw is the signed attributes with their [0] IMPLICIT tag
	// replaced by SET (31), exactly the bytes the signature covers (RFC 5652 §5.4).
	SignedAttrsRaw []byte
	ContentType    asn1.ObjectIdentifier // equal to SOD.EContentType
	MessageDigest  []byte
	SigningTime    *time.Time // nil when absent
	// SignatureAlgorithm is kept raw: RSASSA-PSS carries its hash in Params.
	SignatureAlgorithm AlgorithmIdentifier
	Signature          []byte
}

// SOD is a parsed EF.SOD: a CMS SignedData (RFC 5652) whose content is the
// LDSSecurityObject of ICAO 9303-10 §4.6.2.
type SOD struct {
	Version          int // SignedData version (3 in ICAO documents)
	DigestAlgorithms []HashAlgorithm
	EContentType     asn1.ObjectIdentifier // OIDLDSSecurityObject or OIDData
	// LDSObjectVersion is 0, or 1 when LDSVersion and UnicodeVersion are present.
	LDSObjectVersion int
	HashAlgorithm    HashAlgorithm // of the data group hashes
	DataGroupHashes  map[DataGroup][]byte
	LDSVersion       string // "0108"... empty for version 0
	UnicodeVersion   string // "040000"... empty for version 0
	// EContent is the DER LDSSecurityObject, the bytes MessageDigest covers.
	EContent []byte
	// Certificates holds the raw DER certificates (usually the DS
	// certificate alone; none when the DS must come from elsewhere).
	Certificates [][]byte
	CRLs         [][]byte
	Signer       SignerInfo
	// OtherSigners counts SignerInfos after the first; ICAO documents have none.
	OtherSigners int

	securityInfos bool // the content is SecurityInfos (EF.CardSecurity)
}

// Errors of CheckDataGroup, wrapped in chiperr.Integrity errors.
var (
	ErrDataGroupNotInSOD     = errors.New("data group not listed in EF.SOD")
	ErrDataGroupHashMismatch = errors.New("data group hash differs from EF.SOD")
)

const opSOD = "parse EF.SOD"

// Bounds on hostile input, far above what real documents hold.
const (
	maxBERDepth   = 12   // nested indefinite lengths (a streamed SOD nests 7)
	maxSODSet     = 32   // certificates, CRLs, signers, digest algorithms
	maxAttributes = 32   // signed attributes
	maxHashSize   = 64   // SHA-512
	maxSerialSize = 64   // RFC 5280 allows 20; some issuers exceed it
	maxSignature  = 2048 // RSA-16384
	maxFields     = 16   // fields of one SEQUENCE
)

func sodErr(format string, args ...any) error {
	return chiperr.Newf(chiperr.Malformed, opSOD, format, args...)
}

// DataGroups returns the data groups listed in the SOD, in order.
func (s *SOD) DataGroups() []DataGroup {
	if s == nil {
		return nil
	}
	out := make([]DataGroup, 0, len(s.DataGroupHashes))
	for dg := range s.DataGroupHashes {
		out = append(out, dg)
	}
	slices.Sort(out)
	return out
}

// CheckDataGroup hashes content, the complete data group as read (tag
// included), and compares it in constant time with the SOD's value. The
// error wraps ErrDataGroupNotInSOD or ErrDataGroupHashMismatch (both of kind
// chiperr.Integrity), or is the chiperr.Unsupported HashAlgorithm.Err.
func (s *SOD) CheckDataGroup(dg DataGroup, content []byte) error {
	const op = "check data group hash"
	var want []byte
	ok := false
	if s != nil {
		want, ok = s.DataGroupHashes[dg]
	}
	if !ok {
		return &chiperr.Error{Kind: chiperr.Integrity, Op: op, Detail: dg.String(), Err: ErrDataGroupNotInSOD}
	}
	if s.HashAlgorithm.Err != nil {
		return s.HashAlgorithm.Err
	}
	h := s.HashAlgorithm.Hash
	if !h.Available() {
		return chiperr.Newf(chiperr.Unsupported, op, "hash %v not available", h)
	}
	hh := h.New()
	hh.Write(content)
	if subtle.ConstantTimeCompare(hh.Sum(nil), want) != 1 {
		return &chiperr.Error{Kind: chiperr.Integrity, Op: op, Detail: dg.String(), Err: ErrDataGroupHashMismatch}
	}
	return nil
}

// ParseSOD parses EF.SOD: 77 { ContentInfo { signedData, SignedData } }.
// Every error is a chiperr error (Malformed, or TooLarge for a length or
// count beyond the bounds). Only the structure is checked: neither the
// signature, nor the certificates, nor MessageDigest against EContent.
//
// DER is required wherever something is signed or hashed (the
// LDSSecurityObject, SignerInfo with its signed attributes, each
// certificate). The envelope around them (77, ContentInfo, SignedData,
// encapContentInfo, the certificate and signer SETs) may use BER's
// indefinite lengths and a constructed eContent OCTET STRING, as written by
// streaming CMS encoders: some passports' SODs are encoded so (US ones
// among them, per the proxmark3 eMRTD notes), and no signature depends on
// those bytes.
func ParseSOD(b []byte) (*SOD, error) {
	ci, err := sodContentInfo(b)
	if err != nil {
		return nil, err
	}
	s := &SOD{}
	if err := s.parseContentInfo(ci); err != nil {
		return nil, err
	}
	return s, nil
}

// OIDSecurityObject is id-SecurityObject (BSI TR-03110-3 §A.1.2.5), the
// content type of EF.CardSecurity.
var OIDSecurityObject = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 3, 2, 1}

// CardSecurity is a parsed EF.CardSecurity: a CMS SignedData by a Document
// Signer over the chip's SecurityInfos (PACE, Chip Authentication...), on
// newer PACE documents (BSI TR-03110-3 §A.1.2.5, ICAO 9303-11 §9.2).
type CardSecurity struct {
	// Signed holds the SignedData as EF.SOD's parser reads it: the
	// certificates, the SignerInfo and EContent (the DER SecurityInfos);
	// it has no data group hashes.
	Signed *SOD
	Infos  *SecurityInfos
}

// ParseCardSecurity reads EF.CardSecurity (a bare ContentInfo, with the
// same tolerance for BER as ParseSOD).
func ParseCardSecurity(b []byte) (*CardSecurity, error) {
	ci, rest, err := readBER(b, true, 0)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimRight(rest, "\x00")) != 0 {
		return nil, sodErr("data after the ContentInfo of EF.CardSecurity")
	}
	s := &SOD{securityInfos: true}
	if err := s.parseContentInfo(ci); err != nil {
		return nil, err
	}
	infos, err := ParseSecurityInfos(s.EContent)
	if err != nil {
		return nil, err
	}
	return &CardSecurity{Signed: s, Infos: infos}, nil
}

// parseContentInfo reads ContentInfo { signedData, [0] SignedData }.
func (s *SOD) parseContentInfo(ci berElement) error {
	if ci.tag != 0x30 {
		return sodErr("ContentInfo is not a SEQUENCE")
	}
	f, err := berElements(ci.content, true, maxFields, "ContentInfo")
	if err != nil {
		return err
	}
	if len(f) != 2 {
		return sodErr("ContentInfo has %d fields, want 2", len(f))
	}
	if oid, ok := berOID(f[0]); !ok || !oid.Equal(OIDSignedData) {
		return sodErr("content type is not signedData")
	}
	sd, err := berExplicit(f[1], 0xA0, true, "ContentInfo content")
	if err != nil {
		return err
	}
	if sd.tag != 0x30 {
		return sodErr("SignedData is not a SEQUENCE")
	}
	return s.parseSignedData(sd.content)
}

// sodContentInfo returns the ContentInfo inside the 77 wrapper. When 77 has
// the indefinite length, the end of the file is also accepted as its end
// (proxmark3 reads such US SODs as "rest of file"); bytes after the end of
// 77 are file padding and ignored, as for the data groups.
func sodContentInfo(b []byte) (berElement, error) {
	if len(b) < 2 || b[0] != byte(TagSOD) {
		return berElement{}, sodErr("not EF.SOD (tag 77 expected)")
	}
	if b[1] == 0x80 {
		ci, rest, err := readBER(b[2:], true, 0)
		if err != nil {
			return berElement{}, err
		}
		// After the ContentInfo: nothing, or end-of-contents then padding.
		if len(rest) != 0 && !bytes.HasPrefix(rest, []byte{0, 0}) {
			return berElement{}, sodErr("data after the ContentInfo in 77")
		}
		return ci, nil
	}
	outer, _, err := readBER(b, true, 0)
	if err != nil {
		return berElement{}, err
	}
	ci, rest, err := readBER(outer.content, true, 0)
	if err != nil {
		return berElement{}, err
	}
	if len(rest) != 0 {
		return berElement{}, sodErr("data after the ContentInfo in 77")
	}
	return ci, nil
}

func (s *SOD) parseSignedData(content []byte) error {
	f, err := berElements(content, true, maxFields, "SignedData")
	if err != nil {
		return err
	}
	if len(f) < 4 {
		return sodErr("SignedData has %d fields, want at least 4", len(f))
	}
	v, ok := berSmallInt(f[0])
	if !ok || v < 1 || v > 5 { // RFC 5652 §5.1: 1, 3, 4 or 5
		return sodErr("SignedData version not 1..5")
	}
	s.Version = v
	if f[1].tag != 0x31 {
		return sodErr("digestAlgorithms is not a SET")
	}
	algs, err := berElements(f[1].content, true, maxSODSet, "digestAlgorithms")
	if err != nil {
		return err
	}
	for _, e := range algs {
		a, err := parseAlgorithmID(e, true)
		if err != nil {
			return err
		}
		s.DigestAlgorithms = append(s.DigestAlgorithms, hashAlgorithm(a))
	}
	if err := s.parseEncapContent(f[2]); err != nil {
		return err
	}
	i := 3
	if f[i].tag == 0xA0 { // certificates [0] IMPLICIT CertificateSet
		if s.Certificates, err = berDERMembers(f[i], func(e berElement) bool { return e.tag == 0x30 }, "certificates"); err != nil {
			return err
		}
		i++
	}
	if i < len(f) && f[i].tag == 0xA1 { // crls [1] IMPLICIT RevocationInfoChoices
		if s.CRLs, err = berDERMembers(f[i], func(berElement) bool { return true }, "crls"); err != nil {
			return err
		}
		i++
	}
	if i != len(f)-1 || f[i].tag != 0x31 {
		return sodErr("signerInfos missing or not last")
	}
	signers, err := berElements(f[i].content, true, maxSODSet, "signerInfos")
	if err != nil {
		return err
	}
	if len(signers) == 0 {
		return sodErr("no SignerInfo")
	}
	if s.Signer, err = parseSignerInfo(signers[0]); err != nil {
		return err
	}
	s.OtherSigners = len(signers) - 1
	// RFC 5652 §11.1: the contentType attribute must match eContentType.
	if !s.Signer.ContentType.Equal(s.EContentType) {
		return sodErr("contentType attribute %v differs from eContentType %v", s.Signer.ContentType, s.EContentType)
	}
	return nil
}

// berDERMembers returns, cloned, the members of a SET (possibly BER) that
// keep says to keep, each of which must be DER.
func berDERMembers(set berElement, keep func(berElement) bool, what string) ([][]byte, error) {
	list, err := berElements(set.content, true, maxSODSet, what)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for _, e := range list {
		if !keep(e) {
			continue // e.g. an attribute certificate: not a DS certificate
		}
		if _, rest, err := readBER(e.raw, false, 0); err != nil || len(rest) != 0 {
			return nil, sodErr("%s: member is not DER", what)
		}
		out = append(out, bytes.Clone(e.raw))
	}
	return out, nil
}

func (s *SOD) parseEncapContent(e berElement) error {
	if e.tag != 0x30 {
		return sodErr("encapContentInfo is not a SEQUENCE")
	}
	f, err := berElements(e.content, true, maxFields, "encapContentInfo")
	if err != nil {
		return err
	}
	if len(f) == 0 || len(f) > 2 {
		return sodErr("encapContentInfo has %d fields", len(f))
	}
	oid, ok := berOID(f[0])
	switch {
	case s.securityInfos:
		if !ok || !oid.Equal(OIDSecurityObject) {
			return sodErr("eContentType is not id-SecurityObject")
		}
	case !ok || !(oid.Equal(OIDLDSSecurityObject) || oid.Equal(OIDData)):
		return sodErr("eContentType is not an LDS security object")
	}
	s.EContentType = oid
	if len(f) != 2 {
		return sodErr("no eContent (a detached SOD is not valid)")
	}
	oct, err := berExplicit(f[1], 0xA0, true, "eContent")
	if err != nil {
		return err
	}
	v, err := berOctets(oct, true, 0)
	if err != nil {
		return err
	}
	s.EContent = bytes.Clone(v)
	if s.securityInfos {
		return nil // ParseCardSecurity reads them
	}
	return s.parseLDSSecurityObject(s.EContent)
}

// parseLDSSecurityObject reads ICAO 9303-10 §4.6.2.3:
// LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm,
// dataGroupHashValues SEQUENCE OF DataGroupHash, ldsVersionInfo (v1 only) }.
func (s *SOD) parseLDSSecurityObject(b []byte) error {
	seq, rest, err := readBER(b, false, 0)
	if err != nil {
		return err
	}
	if len(rest) != 0 || seq.tag != 0x30 {
		return sodErr("eContent is not one LDSSecurityObject SEQUENCE")
	}
	f, err := berElements(seq.content, false, maxFields, "LDSSecurityObject")
	if err != nil {
		return err
	}
	if len(f) < 3 {
		return sodErr("LDSSecurityObject has %d fields", len(f))
	}
	v, ok := berSmallInt(f[0])
	switch {
	case !ok:
		return sodErr("LDSSecurityObject version is not a small INTEGER")
	case v > 1:
		return chiperr.Newf(chiperr.Unsupported, opSOD, "LDSSecurityObject version %d", v)
	case len(f) != 3+v:
		return sodErr("LDSSecurityObject v%d has %d fields", v, len(f))
	}
	s.LDSObjectVersion = v
	a, err := parseAlgorithmID(f[1], false)
	if err != nil {
		return err
	}
	s.HashAlgorithm = hashAlgorithm(a)
	if f[2].tag != 0x30 {
		return sodErr("dataGroupHashValues is not a SEQUENCE")
	}
	list, err := berElements(f[2].content, false, 16, "dataGroupHashValues")
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return sodErr("no data group hash")
	}
	s.DataGroupHashes = make(map[DataGroup][]byte, len(list))
	for _, e := range list {
		if err := s.addDataGroupHash(e); err != nil {
			return err
		}
	}
	if v == 1 {
		return s.parseLDSVersionInfo(f[3])
	}
	return nil
}

// addDataGroupHash reads DataGroupHash ::= SEQUENCE { dataGroupNumber
// INTEGER, dataGroupHashValue OCTET STRING }.
func (s *SOD) addDataGroupHash(e berElement) error {
	if e.tag != 0x30 {
		return sodErr("DataGroupHash is not a SEQUENCE")
	}
	p, err := berElements(e.content, false, maxFields, "DataGroupHash")
	if err != nil {
		return err
	}
	if len(p) != 2 || p[1].tag != 0x04 {
		return sodErr("DataGroupHash is not { INTEGER, OCTET STRING }")
	}
	n, ok := berSmallInt(p[0])
	dg := DataGroup(n)
	if !ok || !dg.Valid() {
		return sodErr("data group number outside 1..16")
	}
	h := p[1].content
	if len(h) == 0 || len(h) > maxHashSize {
		return sodErr("%v hash of %d bytes", dg, len(h))
	}
	if s.HashAlgorithm.Err == nil && len(h) != s.HashAlgorithm.Hash.Size() {
		return sodErr("%v hash of %d bytes, %v gives %d", dg, len(h), s.HashAlgorithm.Hash, s.HashAlgorithm.Hash.Size())
	}
	if _, dup := s.DataGroupHashes[dg]; dup {
		return sodErr("%v listed twice", dg)
	}
	s.DataGroupHashes[dg] = bytes.Clone(h)
	return nil
}

// parseLDSVersionInfo reads LDSVersionInfo ::= SEQUENCE { ldsVersion
// PrintableString ("aabb"), unicodeVersion PrintableString ("aabbcc") }.
func (s *SOD) parseLDSVersionInfo(e berElement) error {
	if e.tag != 0x30 {
		return sodErr("LDSVersionInfo is not a SEQUENCE")
	}
	p, err := berElements(e.content, false, maxFields, "LDSVersionInfo")
	if err != nil {
		return err
	}
	if len(p) != 2 || p[0].tag != 0x13 || p[1].tag != 0x13 {
		return sodErr("LDSVersionInfo is not two PrintableStrings")
	}
	if s.LDSVersion, err = digits(p[0].content, 4, chiperr.Malformed, opSOD); err != nil {
		return err
	}
	s.UnicodeVersion, err = digits(p[1].content, 6, chiperr.Malformed, opSOD)
	return err
}

// parseSignerInfo reads SignerInfo ::= SEQUENCE { version, sid,
// digestAlgorithm, signedAttrs [0] IMPLICIT, signatureAlgorithm, signature,
// unsignedAttrs [1] IMPLICIT OPTIONAL }, which must be DER.
func parseSignerInfo(e berElement) (SignerInfo, error) {
	var si SignerInfo
	e, rest, err := readBER(e.raw, false, 0)
	if err != nil {
		return si, err
	}
	if len(rest) != 0 || e.tag != 0x30 {
		return si, sodErr("SignerInfo is not a SEQUENCE")
	}
	f, err := berElements(e.content, false, maxFields, "SignerInfo")
	if err != nil {
		return si, err
	}
	if len(f) < 5 {
		return si, sodErr("SignerInfo has %d fields", len(f))
	}
	if f[3].tag != 0xA0 {
		return si, sodErr("no signed attributes (ICAO 9303-10 requires them)")
	}
	if len(f) < 6 {
		return si, sodErr("SignerInfo has %d fields, want at least 6", len(f))
	}
	v, _ := berSmallInt(f[0])
	switch sid := f[1]; {
	case v == 1 && sid.tag == 0x30:
		if err := si.parseIssuerAndSerial(sid); err != nil {
			return si, err
		}
	case v == 3 && sid.tag == 0x80: // subjectKeyIdentifier [0] IMPLICIT
		if len(sid.content) == 0 || len(sid.content) > maxHashSize {
			return si, sodErr("subjectKeyIdentifier of %d bytes", len(sid.content))
		}
		si.SubjectKeyID = bytes.Clone(sid.content)
	default:
		return si, sodErr("SignerInfo version and signer identifier do not match (1 with issuerAndSerialNumber or 3 with [0])")
	}
	si.Version = v
	a, err := parseAlgorithmID(f[2], false)
	if err != nil {
		return si, err
	}
	si.DigestAlgorithm = hashAlgorithm(a)
	if err := si.parseSignedAttrs(f[3].content); err != nil {
		return si, err
	}
	si.SignedAttrsRaw = bytes.Clone(f[3].raw)
	si.SignedAttrsRaw[0] = 0x31 // RFC 5652 §5.4: signed as an explicit SET OF
	if si.SignatureAlgorithm, err = parseAlgorithmID(f[4], false); err != nil {
		return si, err
	}
	if f[5].tag != 0x04 || len(f[5].content) == 0 || len(f[5].content) > maxSignature {
		return si, sodErr("signature is not an OCTET STRING of 1..%d bytes", maxSignature)
	}
	si.Signature = bytes.Clone(f[5].content)
	switch {
	case len(f) == 6:
	case len(f) == 7 && f[6].tag == 0xA1: // unsignedAttrs, not used
	default:
		return si, sodErr("unexpected field after the SignerInfo signature")
	}
	return si, nil
}

// parseIssuerAndSerial reads IssuerAndSerialNumber ::= SEQUENCE { issuer
// Name, serialNumber INTEGER }.
func (si *SignerInfo) parseIssuerAndSerial(e berElement) error {
	p, err := berElements(e.content, false, maxFields, "issuerAndSerialNumber")
	if err != nil {
		return err
	}
	if len(p) != 2 || p[0].tag != 0x30 || p[1].tag != 0x02 {
		return sodErr("issuerAndSerialNumber is not { Name, INTEGER }")
	}
	if len(p[1].content) > maxSerialSize {
		return sodErr("serial number of %d bytes", len(p[1].content))
	}
	n := new(big.Int)
	if rest, err := asn1.Unmarshal(p[1].raw, &n); err != nil || len(rest) != 0 {
		return sodErr("serial number is not a DER INTEGER")
	}
	si.IssuerRaw = bytes.Clone(p[0].raw)
	si.SerialNumber = n
	return nil
}

// parseSignedAttrs reads the SET OF Attribute { type, SET OF value }:
// contentType and messageDigest exactly once, signingTime at most once, each
// with a single value (RFC 5652 §11); other attributes are ignored.
func (si *SignerInfo) parseSignedAttrs(content []byte) error {
	attrs, err := berElements(content, false, maxAttributes, "signedAttrs")
	if err != nil {
		return err
	}
	var nct, nmd, nst int
	for _, a := range attrs {
		if a.tag != 0x30 {
			return sodErr("signed attribute is not a SEQUENCE")
		}
		p, err := berElements(a.content, false, maxFields, "signed attribute")
		if err != nil {
			return err
		}
		if len(p) != 2 || p[1].tag != 0x31 {
			return sodErr("signed attribute is not { OID, SET }")
		}
		typ, ok := berOID(p[0])
		if !ok {
			return sodErr("signed attribute type is not an OID")
		}
		var known *int
		switch {
		case typ.Equal(OIDAttrContentType):
			known = &nct
		case typ.Equal(OIDAttrMessageDigest):
			known = &nmd
		case typ.Equal(OIDAttrSigningTime):
			known = &nst
		default:
			continue
		}
		if *known++; *known > 1 {
			return sodErr("signed attribute %v present twice", typ)
		}
		vals, err := berElements(p[1].content, false, 2, "attribute values")
		if err != nil || len(vals) != 1 {
			return sodErr("signed attribute %v has not exactly one value", typ)
		}
		if err := si.setAttribute(typ, vals[0]); err != nil {
			return err
		}
	}
	if nct != 1 || nmd != 1 {
		return sodErr("signed attributes lack contentType or messageDigest")
	}
	return nil
}

func (si *SignerInfo) setAttribute(typ asn1.ObjectIdentifier, v berElement) error {
	switch {
	case typ.Equal(OIDAttrContentType):
		oid, ok := berOID(v)
		if !ok {
			return sodErr("contentType attribute is not an OID")
		}
		si.ContentType = oid
	case typ.Equal(OIDAttrMessageDigest):
		if v.tag != 0x04 || len(v.content) == 0 || len(v.content) > maxHashSize {
			return sodErr("messageDigest is not an OCTET STRING of 1..%d bytes", maxHashSize)
		}
		si.MessageDigest = bytes.Clone(v.content)
	default: // signingTime: UTCTime or GeneralizedTime
		var t time.Time
		if v.tag != 0x17 && v.tag != 0x18 {
			return sodErr("signingTime is not a time")
		}
		if rest, err := asn1.Unmarshal(v.raw, &t); err != nil || len(rest) != 0 {
			return sodErr("signingTime does not parse")
		}
		t = t.UTC()
		si.SigningTime = &t
	}
	return nil
}

// parseAlgorithmID reads AlgorithmIdentifier ::= SEQUENCE { OID, parameters ANY OPTIONAL }.
func parseAlgorithmID(e berElement, ber bool) (AlgorithmIdentifier, error) {
	if e.tag != 0x30 {
		return AlgorithmIdentifier{}, sodErr("AlgorithmIdentifier is not a SEQUENCE")
	}
	p, err := berElements(e.content, ber, maxFields, "AlgorithmIdentifier")
	if err != nil {
		return AlgorithmIdentifier{}, err
	}
	if len(p) == 0 || len(p) > 2 {
		return AlgorithmIdentifier{}, sodErr("AlgorithmIdentifier has %d fields", len(p))
	}
	oid, ok := berOID(p[0])
	if !ok {
		return AlgorithmIdentifier{}, sodErr("AlgorithmIdentifier without a valid OID")
	}
	a := AlgorithmIdentifier{OID: oid}
	if len(p) == 2 {
		a.Params = bytes.Clone(p[1].raw)
	}
	return a, nil
}

func hashAlgorithm(a AlgorithmIdentifier) HashAlgorithm {
	h, ok := HashAlgorithmByOID(a.OID)
	if !ok {
		return HashAlgorithm{AlgorithmIdentifier: a, Err: chiperr.Newf(chiperr.Unsupported, opSOD, "hash algorithm %v", a.OID)}
	}
	return HashAlgorithm{AlgorithmIdentifier: a, Hash: h}
}

// berElement is one BER/DER element: tag bytes as a big-endian number, value,
// and the whole encoding (including end-of-contents for indefinite lengths).
type berElement struct {
	tag     uint32
	content []byte
	raw     []byte
}

// readBER decodes the element at the start of b. With ber false it
// enforces DER's definite, minimal lengths; with ber true it also accepts
// non-minimal lengths and the indefinite form on constructed elements, whose
// content then runs to the matching end-of-contents octets (X.690 §8.1.3.6).
// depth counts the indefinite elements being walked, to bound recursion.
func readBER(b []byte, ber bool, depth int) (berElement, []byte, error) {
	if len(b) < 2 {
		return berElement{}, nil, sodErr("truncated berElement")
	}
	i := 1
	tag := uint32(b[0])
	if b[0]&0x1F == 0x1F { // high tag number form
		for {
			switch {
			case i >= len(b):
				return berElement{}, nil, sodErr("truncated tag")
			case i >= 4:
				return berElement{}, nil, sodErr("tag longer than 4 bytes")
			case i == 1 && b[1] == 0x80:
				return berElement{}, nil, sodErr("tag number not minimally encoded")
			}
			tag = tag<<8 | uint32(b[i])
			i++
			if b[i-1]&0x80 == 0 {
				break
			}
		}
	}
	if i >= len(b) {
		return berElement{}, nil, sodErr("missing length")
	}
	l := int(b[i])
	i++
	switch {
	case l == 0x80:
		return readBERIndefinite(b, i, tag, ber, depth)
	case l > 0x80:
		n := l & 0x7F
		if n > 3 {
			return berElement{}, nil, chiperr.Newf(chiperr.TooLarge, opSOD, "length field of %d bytes", n)
		}
		if len(b)-i < n {
			return berElement{}, nil, sodErr("truncated length")
		}
		l = 0
		for _, c := range b[i : i+n] {
			l = l<<8 | int(c)
		}
		if !ber && (b[i] == 0 || l < 0x80) {
			return berElement{}, nil, sodErr("length not minimally encoded (not DER)")
		}
		i += n
	}
	if l > MaxLength {
		return berElement{}, nil, chiperr.Newf(chiperr.TooLarge, opSOD, "length %d above %d", l, MaxLength)
	}
	if l > len(b)-i {
		return berElement{}, nil, sodErr("value shorter than its length")
	}
	return berElement{tag: tag, content: b[i : i+l], raw: b[:i+l]}, b[i+l:], nil
}

// readBERIndefinite finishes readBER for the indefinite form, whose header
// ends at b[i].
func readBERIndefinite(b []byte, i int, tag uint32, ber bool, depth int) (berElement, []byte, error) {
	switch {
	case !ber:
		return berElement{}, nil, sodErr("indefinite length where DER is required")
	case b[0]&0x20 == 0:
		return berElement{}, nil, sodErr("indefinite length on a primitive berElement")
	case depth >= maxBERDepth:
		return berElement{}, nil, chiperr.Newf(chiperr.TooLarge, opSOD, "indefinite lengths nested deeper than %d", maxBERDepth)
	}
	rest := b[i:]
	for {
		if len(rest) >= 2 && rest[0] == 0 && rest[1] == 0 {
			end := len(b) - len(rest)
			if end-i > MaxLength {
				return berElement{}, nil, chiperr.Newf(chiperr.TooLarge, opSOD, "length %d above %d", end-i, MaxLength)
			}
			return berElement{tag: tag, content: b[i:end], raw: b[: end+2 : end+2]}, rest[2:], nil
		}
		_, r, err := readBER(rest, true, depth+1)
		if err != nil {
			return berElement{}, nil, err
		}
		rest = r
	}
}

// berElements decodes the elements that fill b, at most max of them.
func berElements(b []byte, ber bool, max int, what string) ([]berElement, error) {
	var out []berElement
	for len(b) > 0 {
		if len(out) == max {
			return nil, chiperr.Newf(chiperr.TooLarge, opSOD, "%s: more than %d elements", what, max)
		}
		e, rest, err := readBER(b, ber, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		b = rest
	}
	return out, nil
}

// berExplicit returns the single element inside an EXPLICIT tag.
func berExplicit(e berElement, tag uint32, ber bool, what string) (berElement, error) {
	if e.tag != tag {
		return berElement{}, sodErr("%s: tag %X, want %X", what, e.tag, tag)
	}
	in, err := berElements(e.content, ber, 2, what)
	if err != nil {
		return berElement{}, err
	}
	if len(in) != 1 {
		return berElement{}, sodErr("%s: %d elements inside the explicit tag", what, len(in))
	}
	return in[0], nil
}

// berOctets returns the value of an OCTET STRING; with ber it also joins the
// segments of the constructed form (24) that streaming encoders write.
func berOctets(e berElement, ber bool, depth int) ([]byte, error) {
	switch {
	case e.tag == 0x04:
		return e.content, nil
	case e.tag != 0x24:
		return nil, sodErr("not an OCTET STRING")
	case !ber:
		return nil, sodErr("constructed OCTET STRING where DER is required")
	case depth >= maxBERDepth:
		return nil, chiperr.Newf(chiperr.TooLarge, opSOD, "OCTET STRING segments nested deeper than %d", maxBERDepth)
	}
	var out []byte
	for rest := e.content; len(rest) > 0; {
		seg, r, err := readBER(rest, true, 0)
		if err != nil {
			return nil, err
		}
		v, err := berOctets(seg, true, depth+1)
		if err != nil {
			return nil, err
		}
		if len(out)+len(v) > MaxLength {
			return nil, chiperr.Newf(chiperr.TooLarge, opSOD, "OCTET STRING above %d bytes", MaxLength)
		}
		out = append(out, v...)
		rest = r
	}
	return out, nil
}

// berSmallInt reads a non-negative INTEGER of at most 4 bytes, minimally
// encoded as X.690 §8.3.2 requires of BER and DER alike.
func berSmallInt(e berElement) (int, bool) {
	c := e.content
	if e.tag != 0x02 || len(c) == 0 || len(c) > 4 || c[0]&0x80 != 0 {
		return 0, false
	}
	if len(c) > 1 && c[0] == 0 && c[1]&0x80 == 0 {
		return 0, false
	}
	v := 0
	for _, x := range c {
		v = v<<8 | int(x)
	}
	return v, true
}

func berOID(e berElement) (asn1.ObjectIdentifier, bool) {
	if e.tag != 0x06 {
		return nil, false
	}
	return ParseOIDContents(e.content)
}
