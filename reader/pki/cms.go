package pki

import (
	"bytes"
	"crypto/subtle"
	"encoding/asn1"
	"math/big"
	"time"
)

// Bounds on a CMS SignedData.
const (
	maxCMSCertificates = 4096
	maxSignerInfos     = 8
	maxAttributes      = 32
	maxDigestAlgs      = 8
)

// signedData is the part of a CMS SignedData (RFC 5652 §5) this package
// verifies: the encapsulated content, the certificates and the signers.
type signedData struct {
	contentType asn1.ObjectIdentifier
	content     []byte   // eContent octets
	certs       [][]byte // DER of each CertificateChoices that is a Certificate
	signers     []signerInfo
}

type signerInfo struct {
	issuer      name // sid issuerAndSerialNumber, when used
	serial      *big.Int
	ski         []byte // sid subjectKeyIdentifier [0], when used
	digestAlg   AlgorithmIdentifier
	signedAttrs []byte // the [0] IMPLICIT SET OF Attribute, nil when absent
	sigAlg      AlgorithmIdentifier
	signature   []byte
}

type contentInfoASN struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"tag:0"` // [0] EXPLICIT: Bytes is the content
}

type signedDataASN struct {
	Version          int
	DigestAlgorithms asn1.RawValue
	EncapContent     encapContentInfoASN
	Certificates     asn1.RawValue `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue `asn1:"optional,tag:1"`
	SignerInfos      asn1.RawValue
}

type encapContentInfoASN struct {
	EContentType asn1.ObjectIdentifier
	EContent     asn1.RawValue `asn1:"optional,tag:0"` // [0] EXPLICIT OCTET STRING
}

type signerInfoASN struct {
	Version            int
	SID                asn1.RawValue
	DigestAlgorithm    asn1.RawValue
	SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
	SignatureAlgorithm asn1.RawValue
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
}

type issuerAndSerialASN struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type attributeASN struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue // SET OF AttributeValue
}

// isUniversal reports whether v is a constructed universal element of tag.
func isUniversal(v asn1.RawValue, tag int) bool {
	return v.Class == asn1.ClassUniversal && v.Tag == tag && v.IsCompound
}

// elements splits the contents of a constructed element into its members.
func elements(b []byte, max int, what string) ([]asn1.RawValue, error) {
	var out []asn1.RawValue
	for len(b) > 0 {
		if len(out) == max {
			return nil, newErrf(TooLarge, "parse SignedData", "more than %d %s", max, what)
		}
		var v asn1.RawValue
		var err error
		if b, err = asn1.Unmarshal(b, &v); err != nil {
			return nil, newErrf(Malformed, "parse SignedData", "%s", what)
		}
		out = append(out, v)
	}
	return out, nil
}

// parseSignedData reads a DER ContentInfo holding a SignedData with an
// encapsulated (attached) content.
func parseSignedData(der []byte) (*signedData, error) {
	const op = "parse SignedData"
	var ci contentInfoASN
	if rest, err := asn1.Unmarshal(der, &ci); err != nil || len(rest) > 0 {
		return nil, newErr(Malformed, op, "not a DER ContentInfo")
	}
	if !ci.ContentType.Equal(oidSignedData) {
		return nil, newErrf(Malformed, op, "content type %s is not signedData", ci.ContentType)
	}
	var sd signedDataASN
	if rest, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil || len(rest) > 0 {
		return nil, newErr(Malformed, op, "not a SignedData")
	}
	if sd.Version < 1 || sd.Version > 5 {
		return nil, newErrf(Malformed, op, "version %d", sd.Version)
	}
	if !isUniversal(sd.DigestAlgorithms, asn1.TagSet) || !isUniversal(sd.SignerInfos, asn1.TagSet) {
		return nil, newErr(Malformed, op, "digestAlgorithms or signerInfos is not a SET")
	}
	if _, err := elements(sd.DigestAlgorithms.Bytes, maxDigestAlgs, "digest algorithms"); err != nil {
		return nil, err
	}
	out := &signedData{contentType: sd.EncapContent.EContentType}
	if len(sd.EncapContent.EContent.Bytes) == 0 {
		return nil, newErr(Malformed, op, "no encapsulated content (detached signature)")
	}
	if !unmarshalAll(sd.EncapContent.EContent.Bytes, &out.content) {
		// A BER constructed OCTET STRING lands here too: issuers use DER.
		return nil, newErr(Malformed, op, "eContent is not a DER OCTET STRING")
	}
	if sd.Certificates.FullBytes != nil {
		certs, err := elements(sd.Certificates.Bytes, maxCMSCertificates, "certificates")
		if err != nil {
			return nil, err
		}
		for _, c := range certs {
			// Other CertificateChoices (attribute certificates) are tagged.
			if isUniversal(c, asn1.TagSequence) {
				out.certs = append(out.certs, c.FullBytes)
			}
		}
	}
	sis, err := elements(sd.SignerInfos.Bytes, maxSignerInfos, "signer infos")
	if err != nil {
		return nil, err
	}
	if len(sis) == 0 {
		return nil, newErr(Malformed, op, "no SignerInfo")
	}
	for _, raw := range sis {
		si, err := parseSignerInfo(raw.FullBytes)
		if err != nil {
			return nil, err
		}
		out.signers = append(out.signers, si)
	}
	return out, nil
}

func parseSignerInfo(der []byte) (signerInfo, error) {
	const op = "parse SignerInfo"
	var a signerInfoASN
	if !unmarshalAll(der, &a) {
		return signerInfo{}, newErr(Malformed, op, "not a SignerInfo")
	}
	var si signerInfo
	switch {
	case a.Version == 1 && isUniversal(a.SID, asn1.TagSequence):
		var ias issuerAndSerialASN
		if !unmarshalAll(a.SID.FullBytes, &ias) || ias.Serial == nil {
			return signerInfo{}, newErr(Malformed, op, "issuerAndSerialNumber")
		}
		n, err := parseName(ias.Issuer.FullBytes)
		if err != nil {
			return signerInfo{}, wrap(Malformed, op, err)
		}
		si.issuer, si.serial = n, ias.Serial
	case a.Version == 3 && a.SID.Class == asn1.ClassContextSpecific && a.SID.Tag == 0 && !a.SID.IsCompound:
		if len(a.SID.Bytes) == 0 || len(a.SID.Bytes) > maxKeyIDLen {
			return signerInfo{}, newErr(Malformed, op, "subjectKeyIdentifier")
		}
		si.ski = a.SID.Bytes
	default:
		return signerInfo{}, newErrf(Malformed, op, "version %d with this signer identifier", a.Version)
	}
	var err error
	if si.digestAlg, err = parseAlgorithm(a.DigestAlgorithm.FullBytes); err != nil {
		return signerInfo{}, err
	}
	if si.sigAlg, err = parseAlgorithm(a.SignatureAlgorithm.FullBytes); err != nil {
		return signerInfo{}, err
	}
	if a.SignedAttrs.FullBytes != nil {
		if !a.SignedAttrs.IsCompound {
			return signerInfo{}, newErr(Malformed, op, "signedAttrs")
		}
		si.signedAttrs = a.SignedAttrs.FullBytes
	}
	if len(a.Signature) == 0 {
		return signerInfo{}, newErr(Malformed, op, "empty signature")
	}
	si.signature = a.Signature
	return si, nil
}

// matches reports whether cert is the certificate that sid names.
func (si *signerInfo) matches(c *Certificate) bool {
	if si.ski != nil {
		return bytes.Equal(si.ski, c.SubjectKeyID)
	}
	return si.serial.Cmp(c.SerialNumber) == 0 && si.issuer.sameParts(c.issuer)
}

// signedAttributes holds the attributes verify needs.
type signedAttributes struct {
	contentType   asn1.ObjectIdentifier
	messageDigest []byte
	signingTime   time.Time
}

func parseAttributes(set []byte) (signedAttributes, error) {
	const op = "parse signed attributes"
	var out signedAttributes
	var v asn1.RawValue
	if !unmarshalAll(set, &v) {
		return out, newErr(Malformed, op, "not a SET")
	}
	attrs, err := elements(v.Bytes, maxAttributes, "attributes")
	if err != nil {
		return out, err
	}
	seen := map[string]bool{}
	for _, raw := range attrs {
		var a attributeASN
		if !unmarshalAll(raw.FullBytes, &a) || !isUniversal(a.Values, asn1.TagSet) {
			return out, newErr(Malformed, op, "Attribute")
		}
		key := a.Type.String()
		if seen[key] {
			// RFC 5652 §5.3: each signed attribute type appears once.
			return out, newErrf(Malformed, op, "attribute %s twice", key)
		}
		seen[key] = true
		vals, err := elements(a.Values.Bytes, 2, "attribute values")
		if err != nil || len(vals) != 1 {
			if a.Type.Equal(oidAttrContentType) || a.Type.Equal(oidAttrMessageDigest) || a.Type.Equal(oidAttrSigningTime) {
				return out, newErrf(Malformed, op, "attribute %s needs exactly one value", key)
			}
			continue
		}
		val := vals[0].FullBytes
		switch {
		case a.Type.Equal(oidAttrContentType):
			if !unmarshalAll(val, &out.contentType) {
				return out, newErr(Malformed, op, "contentType")
			}
		case a.Type.Equal(oidAttrMessageDigest):
			if !unmarshalAll(val, &out.messageDigest) {
				return out, newErr(Malformed, op, "messageDigest")
			}
		case a.Type.Equal(oidAttrSigningTime):
			if !unmarshalAll(val, &out.signingTime) {
				return out, newErr(Malformed, op, "signingTime")
			}
		}
	}
	return out, nil
}

// verifySigner checks one SignerInfo against the signer's certificate:
// with signed attributes, contentType must repeat eContentType and
// messageDigest must be the hash of the content, and the signature covers
// the attributes' DER SET; without them it covers the content itself.
func (sd *signedData) verifySigner(si *signerInfo, signer *Certificate) (signedAttributes, error) {
	const op = "verify SignerInfo"
	h, err := digestHash(si.digestAlg)
	if err != nil {
		return signedAttributes{}, err
	}
	signed := sd.content
	var attrs signedAttributes
	if si.signedAttrs != nil {
		// The signature covers the attributes with their universal SET tag,
		// not the [0] IMPLICIT tag they carry in the SignerInfo.
		set := bytes.Clone(si.signedAttrs)
		set[0] = 0x31
		if attrs, err = parseAttributes(set); err != nil {
			return attrs, err
		}
		if attrs.contentType == nil || !attrs.contentType.Equal(sd.contentType) {
			return attrs, newErr(BadSignature, op, "contentType attribute missing or not the eContentType")
		}
		sum := h.New()
		sum.Write(sd.content)
		if attrs.messageDigest == nil || subtle.ConstantTimeCompare(sum.Sum(nil), attrs.messageDigest) != 1 {
			return attrs, newErr(BadSignature, op, "messageDigest does not match the content")
		}
		signed = set
	}
	if err := VerifyCMSSignature(signer.PublicKey, si.sigAlg, si.digestAlg, signed, si.signature); err != nil {
		return attrs, wrap(BadSignature, op, err)
	}
	return attrs, nil
}
