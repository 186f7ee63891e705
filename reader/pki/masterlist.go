package pki

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"slices"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/cms"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// Bounds on a master list. The German and ICAO master lists hold some 600
// certificates in about 1 MB.
const (
	MaxMasterListSize    = 16 << 20
	maxMasterListEntries = 4096
)

// InvalidEntry is a certificate of a master list that did not parse. It is
// reported, not fatal: one odd certificate must not hide 600 good ones.
type InvalidEntry struct {
	Field string // "certList" (the CSCAs) or "certificates" (the CMS signer certificates)
	Index int    // position in that field
	Err   error
}

// MasterList is a parsed CSCA master list (ICAO 9303-12 §9): a CMS
// SignedData whose content, of type id-icao-cscaMasterList, is
// CscaMasterList ::= SEQUENCE { version INTEGER (v0), certList SET OF Certificate }.
type MasterList struct {
	Raw     []byte
	Version int
	// CSCAs are the certificates of certList: self-signed CSCAs and link
	// certificates of many countries.
	CSCAs []*Certificate
	// Signers are the certificates carried by the SignedData: the master
	// list signer and often the CSCA that issued it.
	Signers []*Certificate
	Invalid []InvalidEntry
	// SigningTime is the signingTime signed attribute of the first signer,
	// zero when absent. Only trustworthy after VerifySigner.
	SigningTime time.Time

	sd *cms.SignedData
}

type cscaMasterListASN struct {
	Version  int
	CertList asn1.RawValue // SET OF Certificate
}

// ParseMasterList parses a master list file (.ml). Its signature is not
// checked here: see VerifySigner.
func ParseMasterList(der []byte) (*MasterList, error) {
	const op = "parse master list"
	if len(der) == 0 {
		return nil, newErr(Malformed, op, "empty")
	}
	if len(der) > MaxMasterListSize {
		return nil, newErrf(TooLarge, op, "%d bytes", len(der))
	}
	raw := bytes.Clone(der)
	sd, err := parseSignedData(raw)
	if err != nil {
		return nil, wrap(Malformed, op, err)
	}
	if !sd.EContentType.Equal(oids.CSCAMasterList) {
		return nil, newErrf(Malformed, op, "content type %s is not id-icao-cscaMasterList", sd.EContentType)
	}
	var ml cscaMasterListASN
	if !unmarshalAll(sd.EContent, &ml) || !isUniversal(ml.CertList, asn1.TagSet) {
		return nil, newErr(Malformed, op, "content is not a CscaMasterList")
	}
	if ml.Version != 0 {
		return nil, newErrf(Malformed, op, "CscaMasterList version %d", ml.Version)
	}
	entries, err := ber.Decoder{Rules: ber.DER, Op: op}.ReadAll(ml.CertList.Bytes, maxMasterListEntries, "master list certificates")
	if err != nil {
		return nil, wrapChip(op, err)
	}
	m := &MasterList{Raw: clip(raw), Version: ml.Version, sd: sd}
	for i, e := range entries {
		c, err := ParseCertificate(e.Raw)
		if err != nil {
			m.Invalid = append(m.Invalid, InvalidEntry{Field: "certList", Index: i, Err: err})
			continue
		}
		m.CSCAs = append(m.CSCAs, c)
	}
	for i, der := range sd.Certificates {
		c, err := ParseCertificate(der)
		if err != nil {
			m.Invalid = append(m.Invalid, InvalidEntry{Field: "certificates", Index: i, Err: err})
			continue
		}
		m.Signers = append(m.Signers, c)
	}
	// The signing time is informative before verification.
	if st := sd.Signer.SigningTime; st != nil {
		m.SigningTime = *st
	}
	return m, nil
}

// VerifySigner checks the master list's CMS signature (signed attributes,
// messageDigest, signature by the signer certificate carried in the list)
// and that the signer certificate was issued by one of anchors (typically
// the CSCA of the country that publishes the list). It returns the signer
// certificate. The signer must not be restricted by its extended key usage
// to something else than master list signing. Validity periods are not
// checked: callers check signer.CheckValidity at the time they care about.
func (m *MasterList) VerifySigner(anchors []*Certificate) (*Certificate, error) {
	const op = "verify master list signer"
	if m == nil || m.sd == nil {
		return nil, newErr(BadInput, op, "no master list")
	}
	var firstErr error
	keep := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	for i, si := range m.sd.SignerInfos() {
		idx := slices.IndexFunc(m.Signers, identifies(si))
		if idx < 0 {
			keep(newErr(UnknownIssuer, op, "signer certificate not included in the master list"))
			continue
		}
		signer := m.Signers[idx]
		if err := checkSignerUsage(signer); err != nil {
			keep(err)
			continue
		}
		if err := VerifySignerInfo(m.sd, si, signer); err != nil {
			keep(err)
			continue
		}
		if err := chainTo(signer, anchors); err != nil {
			keep(wrap(UnknownIssuer, op, err))
			continue
		}
		if i == 0 {
			m.SigningTime = signingTime(si)
		}
		return signer, nil
	}
	return nil, firstErr
}

// checkSignerUsage refuses a signer whose keyUsage lacks digitalSignature
// or whose extended key usage does not include master list signing.
func checkSignerUsage(c *Certificate) error {
	const op = "master list signer usage"
	if c.HasKeyUsage && c.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return newErrf(WrongUsage, op, "%s: keyUsage lacks digitalSignature", c.Subject)
	}
	if len(c.ExtKeyUsage) > 0 && !slices.ContainsFunc(c.ExtKeyUsage, oids.MasterListSigningKey.Equal) {
		return newErrf(WrongUsage, op, "%s: extKeyUsage lacks cscaMasterListSigningKey", c.Subject)
	}
	return nil
}

// chainTo checks that one of anchors issued c, trying those whose key
// identifier or name matches first.
func chainTo(c *Certificate, anchors []*Certificate) error {
	const op = "chain to anchor"
	var firstErr error
	tried := 0
	for _, a := range anchors {
		if a == nil || !issuerMatches(c, a) {
			continue
		}
		tried++
		err := c.CheckSignatureFrom(a)
		if err == nil {
			return nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if tried == 0 {
		return newErrf(UnknownIssuer, op, "no anchor for issuer %s", c.Issuer)
	}
	return firstErr
}

// issuerMatches reports whether anchor may be c's issuer: same key
// identifier when both carry one, otherwise the same name.
func issuerMatches(c, anchor *Certificate) bool {
	if len(c.AuthorityKeyID) > 0 && len(anchor.SubjectKeyID) > 0 {
		return bytes.Equal(c.AuthorityKeyID, anchor.SubjectKeyID)
	}
	return c.issuer.canon == anchor.subject.canon
}
