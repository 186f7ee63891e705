package lds

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"slices"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/cms"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// HashAlgorithm and SignerInfo are the CMS package's: EF.SOD is read by it.
type (
	HashAlgorithm = cms.HashAlgorithm
	SignerInfo    = cms.SignerInfo
)

// SOD is a parsed EF.SOD: a CMS SignedData (RFC 5652) whose content is the
// LDSSecurityObject of ICAO 9303-10 §4.6.2. The embedded SignedData holds
// the certificates (usually the DS certificate alone; none when the DS
// must come from elsewhere), the Document Signer's SignerInfo and
// EContent, the DER LDSSecurityObject that MessageDigest covers.
type SOD struct {
	cms.SignedData
	// LDSObjectVersion is 0, or 1 when LDSVersion and UnicodeVersion are present.
	LDSObjectVersion int
	HashAlgorithm    HashAlgorithm // of the data group hashes
	DataGroupHashes  map[DataGroup][]byte
	LDSVersion       string // "0108"... empty for version 0
	UnicodeVersion   string // "040000"... empty for version 0
}

// Errors of CheckDataGroup, wrapped in chiperr.Integrity errors.
var (
	ErrDataGroupNotInSOD     = errors.New("data group not listed in EF.SOD")
	ErrDataGroupHashMismatch = errors.New("data group hash differs from EF.SOD")
)

const opSOD = "parse EF.SOD"

// Bounds on hostile input, far above what real documents hold.
const (
	maxSODSet   = 32 // certificates, CRLs, signers, digest algorithms
	maxHashSize = 64 // SHA-512
	maxFields   = 16 // fields of one SEQUENCE
)

// sodCMS reads the SignedData of EF.SOD and EF.CardSecurity: BER allowed
// in the envelope, as streaming encoders write it.
var sodCMS = cms.Options{Rules: ber.BER, Op: opSOD, MaxCertificates: maxSODSet, MaxSigners: maxSODSet, MaxDigestAlgorithms: maxSODSet}

// sodDER reads the parts of EF.SOD that are hashed or signed.
var sodDER = ber.Decoder{Rules: ber.DER, Op: opSOD}

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
	sd, err := parseSigned(ci, false)
	if err != nil {
		return nil, err
	}
	s := &SOD{SignedData: *sd}
	if err := s.parseLDSSecurityObject(s.EContent); err != nil {
		return nil, err
	}
	return s, nil
}

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
	ci, rest, err := ber.Decoder{Rules: ber.BER, Op: opSOD}.Read(b)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimRight(rest, "\x00")) != 0 {
		return nil, sodErr("data after the ContentInfo of EF.CardSecurity")
	}
	sd, err := parseSigned(ci, true)
	if err != nil {
		return nil, err
	}
	infos, err := ParseSecurityInfos(sd.EContent)
	if err != nil {
		return nil, err
	}
	return &CardSecurity{Signed: &SOD{SignedData: *sd}, Infos: infos}, nil
}

// parseSigned reads the SignedData of EF.SOD (or of EF.CardSecurity when
// securityInfos) and applies ICAO 9303-10's rules on top of CMS: the
// expected eContentType, signed attributes present, and their contentType
// equal to the eContentType.
func parseSigned(ci ber.Element, securityInfos bool) (*cms.SignedData, error) {
	sd, err := cms.ParseContentInfo(ci, sodCMS)
	if err != nil {
		return nil, err
	}
	switch oid := sd.EContentType; {
	case securityInfos:
		if !oid.Equal(oids.SecurityObject) {
			return nil, sodErr("eContentType is not id-SecurityObject")
		}
	// id-data is the eContentType that some issuers write instead of
	// id-ldsSecurityObject (seen on Chinese passports; gmrtd accepts it).
	case !oid.Equal(oids.LDSSecurityObject) && !oid.Equal(oids.Data):
		return nil, sodErr("eContentType is not an LDS security object")
	}
	if sd.Signer.SignedAttrsRaw == nil {
		return nil, sodErr("no signed attributes (ICAO 9303-10 requires them)")
	}
	// RFC 5652 §11.1: the contentType attribute must match eContentType.
	if !sd.Signer.ContentType.Equal(sd.EContentType) {
		return nil, sodErr("contentType attribute %v differs from eContentType %v", sd.Signer.ContentType, sd.EContentType)
	}
	return sd, nil
}

// sodContentInfo returns the ContentInfo inside the 77 wrapper. When 77 has
// the indefinite length, the end of the file is also accepted as its end
// (proxmark3 reads such US SODs as "rest of file"); bytes after the end of
// 77 are file padding and ignored, as for the data groups.
func sodContentInfo(b []byte) (ber.Element, error) {
	if len(b) < 2 || b[0] != byte(TagSOD) {
		return ber.Element{}, sodErr("not EF.SOD (tag 77 expected)")
	}
	d := ber.Decoder{Rules: ber.BER, Op: opSOD}
	if b[1] == 0x80 {
		ci, rest, err := d.Read(b[2:])
		if err != nil {
			return ber.Element{}, err
		}
		// After the ContentInfo: nothing, or end-of-contents then padding.
		if len(rest) != 0 && !bytes.HasPrefix(rest, []byte{0, 0}) {
			return ber.Element{}, sodErr("data after the ContentInfo in 77")
		}
		return ci, nil
	}
	outer, _, err := d.Read(b)
	if err != nil {
		return ber.Element{}, err
	}
	ci, rest, err := d.Read(outer.Value)
	if err != nil {
		return ber.Element{}, err
	}
	if len(rest) != 0 {
		return ber.Element{}, sodErr("data after the ContentInfo in 77")
	}
	return ci, nil
}

// parseLDSSecurityObject reads ICAO 9303-10 §4.6.2.3:
// LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm,
// dataGroupHashValues SEQUENCE OF DataGroupHash, ldsVersionInfo (v1 only) }.
func (s *SOD) parseLDSSecurityObject(b []byte) error {
	seq, rest, err := sodDER.Read(b)
	if err != nil {
		return err
	}
	if len(rest) != 0 || seq.Tag != 0x30 {
		return sodErr("eContent is not one LDSSecurityObject SEQUENCE")
	}
	f, err := sodDER.ReadAll(seq.Value, maxFields, "LDSSecurityObject")
	if err != nil {
		return err
	}
	if len(f) < 3 {
		return sodErr("LDSSecurityObject has %d fields", len(f))
	}
	v, ok := f[0].SmallInt()
	switch {
	case !ok:
		return sodErr("LDSSecurityObject version is not a small INTEGER")
	case v > 1:
		return chiperr.Newf(chiperr.Unsupported, opSOD, "LDSSecurityObject version %d", v)
	case len(f) != 3+v:
		return sodErr("LDSSecurityObject v%d has %d fields", v, len(f))
	}
	s.LDSObjectVersion = v
	a, err := cms.ParseAlgorithmIdentifier(sodDER, f[1])
	if err != nil {
		return err
	}
	s.HashAlgorithm = cms.ResolveHash(a, opSOD)
	if f[2].Tag != 0x30 {
		return sodErr("dataGroupHashValues is not a SEQUENCE")
	}
	list, err := sodDER.ReadAll(f[2].Value, 16, "dataGroupHashValues")
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
func (s *SOD) addDataGroupHash(e ber.Element) error {
	if e.Tag != 0x30 {
		return sodErr("DataGroupHash is not a SEQUENCE")
	}
	p, err := sodDER.ReadAll(e.Value, maxFields, "DataGroupHash")
	if err != nil {
		return err
	}
	if len(p) != 2 || p[1].Tag != 0x04 {
		return sodErr("DataGroupHash is not { INTEGER, OCTET STRING }")
	}
	n, ok := p[0].SmallInt()
	dg := DataGroup(n)
	if !ok || !dg.Valid() {
		return sodErr("data group number outside 1..16")
	}
	h := p[1].Value
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
func (s *SOD) parseLDSVersionInfo(e ber.Element) error {
	if e.Tag != 0x30 {
		return sodErr("LDSVersionInfo is not a SEQUENCE")
	}
	p, err := sodDER.ReadAll(e.Value, maxFields, "LDSVersionInfo")
	if err != nil {
		return err
	}
	if len(p) != 2 || p[0].Tag != 0x13 || p[1].Tag != 0x13 {
		return sodErr("LDSVersionInfo is not two PrintableStrings")
	}
	if s.LDSVersion, err = digits(p[0].Value, 4, chiperr.Malformed, opSOD); err != nil {
		return err
	}
	s.UnicodeVersion, err = digits(p[1].Value, 6, chiperr.Malformed, opSOD)
	return err
}
