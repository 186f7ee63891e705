package pki

import (
	"time"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/cms"
)

// listCMS reads the SignedData of master and deviation lists: DER
// throughout, with room for the hundreds of CSCAs a master list carries.
var listCMS = cms.Options{Rules: ber.DER, Op: "parse SignedData", MaxCertificates: 4096, MaxSigners: 8, MaxDigestAlgorithms: 8}

// parseSignedData reads a DER ContentInfo holding a SignedData with an
// encapsulated (attached) content.
func parseSignedData(der []byte) (*cms.SignedData, error) {
	sd, err := cms.Parse(der, listCMS)
	if err != nil {
		return nil, wrapChip("parse SignedData", err)
	}
	return sd, nil
}

// identifies returns a test of whether a certificate is the one si names.
func identifies(si *cms.SignerInfo) func(*Certificate) bool {
	return func(c *Certificate) bool {
		return si.Identifies(c.SubjectKeyID, c.SerialNumber, c.RawIssuer, SameName)
	}
}

// VerifySignerInfo checks one SignerInfo of sd against the signer's
// certificate: with signed attributes, contentType must repeat the
// eContentType and messageDigest must be the hash of the eContent, and the
// signature covers the attributes' DER SET; without them it covers the
// eContent itself. A digest this package does not compute is an
// UnsupportedAlgorithm error; a mismatch or a wrong signature BadSignature.
func VerifySignerInfo(sd *cms.SignedData, si *cms.SignerInfo, signer *Certificate) error {
	const op = "verify SignerInfo"
	h, err := digestHash(si.DigestAlgorithm.AlgorithmIdentifier)
	if err != nil {
		return err
	}
	signed, err := sd.SignedBytes(si, h)
	if err != nil {
		return wrap(BadSignature, op, err)
	}
	if err := VerifyCMSSignature(signer.PublicKey, si.SignatureAlgorithm, si.DigestAlgorithm.AlgorithmIdentifier, signed, si.Signature); err != nil {
		return wrap(BadSignature, op, err)
	}
	return nil
}

// signingTime is si's signingTime attribute, zero when absent.
func signingTime(si *cms.SignerInfo) time.Time {
	if si.SigningTime == nil {
		return time.Time{}
	}
	return *si.SigningTime
}
