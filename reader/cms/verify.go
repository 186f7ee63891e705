package cms

import (
	"bytes"
	"crypto"
	"crypto/subtle"
	"errors"
	"math/big"
)

// Errors of SignedBytes: the signed attributes do not bind this content.
var (
	ErrContentType   = errors.New("contentType attribute is not the eContentType")
	ErrMessageDigest = errors.New("messageDigest does not match the content")
	ErrDigest        = errors.New("digest algorithm not available")
)

// Identifies reports whether si names the certificate with this subject
// key identifier, serial number and issuer (its DER Name). sameName
// compares two DER Names: real signers name the issuer with other string
// types, case or RDN order than the certificate.
func (si *SignerInfo) Identifies(subjectKeyID []byte, serial *big.Int, issuer []byte, sameName func(a, b []byte) bool) bool {
	if len(si.SubjectKeyID) > 0 {
		return bytes.Equal(si.SubjectKeyID, subjectKeyID)
	}
	return si.SerialNumber != nil && serial != nil && si.SerialNumber.Cmp(serial) == 0 && sameName(si.IssuerRaw, issuer)
}

// SignedBytes checks what si's signed attributes bind and returns the
// bytes its signature covers. With signed attributes, contentType must
// repeat the eContentType (ErrContentType) and messageDigest must be the
// hash h of the eContent (ErrMessageDigest, compared in constant time);
// the signature then covers the attributes' DER SET. Without them it
// covers the eContent itself.
func (sd *SignedData) SignedBytes(si *SignerInfo, h crypto.Hash) ([]byte, error) {
	if si.SignedAttrsRaw == nil {
		return sd.EContent, nil
	}
	if !si.ContentType.Equal(sd.EContentType) {
		return nil, ErrContentType
	}
	if !h.Available() {
		return nil, ErrDigest
	}
	sum := h.New()
	sum.Write(sd.EContent)
	if subtle.ConstantTimeCompare(sum.Sum(nil), si.MessageDigest) != 1 {
		return nil, ErrMessageDigest
	}
	return si.SignedAttrsRaw, nil
}
