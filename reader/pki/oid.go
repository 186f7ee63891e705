package pki

import "encoding/asn1"

// Object identifiers: RFC 5280 (extensions), RFC 3279/4055/5758 (signature
// algorithms), RFC 5652 (CMS), ICAO 9303-12 §7.1 and §9 (ICAO extensions,
// master lists) and BSI TR-03111 §5.2.1 (plain ECDSA).
var (
	oidSHA1   = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA224 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}
	oidSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}

	oidRSAEncryption   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidSHA1WithRSA     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	oidSHA224WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 14}
	oidSHA256WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidSHA384WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	oidSHA512WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	oidRSASSAPSS       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidMGF1            = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}
	oidECPublicKey     = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidECDSAWithSHA1   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 1}
	oidECDSAWithSHA224 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 1}
	oidECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSAWithSHA384 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSAWithSHA512 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	// ecdsa-plain-signatures (BSI TR-03111 §5.2.1): r || s, each on the
	// byte length of the group order.
	oidECDSAPlain = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1}

	oidExtSubjectKeyID     = asn1.ObjectIdentifier{2, 5, 29, 14}
	oidExtKeyUsage         = asn1.ObjectIdentifier{2, 5, 29, 15}
	oidExtPrivKeyUsage     = asn1.ObjectIdentifier{2, 5, 29, 16}
	oidExtSubjectAltName   = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidExtIssuerAltName    = asn1.ObjectIdentifier{2, 5, 29, 18}
	oidExtBasicConstraints = asn1.ObjectIdentifier{2, 5, 29, 19}
	oidExtCRLNumber        = asn1.ObjectIdentifier{2, 5, 29, 20}
	oidExtCRLReason        = asn1.ObjectIdentifier{2, 5, 29, 21}
	oidExtCRLDistribution  = asn1.ObjectIdentifier{2, 5, 29, 31}
	oidExtCertPolicies     = asn1.ObjectIdentifier{2, 5, 29, 32}
	oidExtAuthorityKeyID   = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidExtExtKeyUsage      = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidExtDocumentTypeList = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 6, 2}
	oidExtNameChange       = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 6, 1}
	oidAttrCountry         = asn1.ObjectIdentifier{2, 5, 4, 6}
	oidAttrOrganization    = asn1.ObjectIdentifier{2, 5, 4, 10}
	oidSignedData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidAttrContentType     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidAttrMessageDigest   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidAttrSigningTime     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
)

var (
	// OIDCSCAMasterList is id-icao-cscaMasterList, the eContentType of a
	// master list (ICAO 9303-12 §9).
	OIDCSCAMasterList = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 2}
	// OIDMasterListSigningKey is id-icao-cscaMasterListSigningKey, the
	// extended key usage of a master list signer certificate.
	OIDMasterListSigningKey = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 3}
)

// Deviation lists (ICAO 9303-12 §10, ASN.1 module DeviationList): the
// eContentType, the extended key usage of their signer, and the arc under
// which the deviation types are numbered (id-Deviation-CertOrKey .1,
// id-Deviation-LDS .2, id-Deviation-MRZ .3, id-Deviation-Chip .4,
// id-Deviation-NationalUse .5; deviation.go lists the leaves).
var (
	// OIDDeviationList is id-icao-DeviationList, the eContentType of a
	// deviation list and the root of the deviation type arc.
	OIDDeviationList = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7}
	// OIDDeviationListSigningKey is id-icao-DeviationListSigningKey, the
	// extended key usage of a deviation list signer certificate.
	OIDDeviationListSigningKey = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 8}
)
