// Package oids is the one table of object identifiers this module knows:
// digests, signatures and keys (RFC 3279, 4055, 5758, 5754, BSI TR-03111),
// X.509 extensions and attributes (RFC 5280), CMS (RFC 5652), ICAO 9303
// (LDS, master and deviation lists) and BSI TR-03110 (PACE, Chip and
// Terminal Authentication). Every package takes its identifiers from here,
// names them for display with [Name] and maps digests with [Hash].
//
// The package is a leaf: it imports only the standard library.
package oids

import "encoding/asn1"

// Digest algorithms: id-sha1 (RFC 3279 §2.2.1) and the NIST arc
// 2.16.840.1.101.3.4.2 (RFC 5754 §2, FIPS 180-4).
var (
	SHA1       = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	SHA224     = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}
	SHA256     = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	SHA384     = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	SHA512     = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	SHA512_224 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 5}
	SHA512_256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 6}
)

// Signature and key algorithms (RFC 3279, RFC 4055, RFC 5758, X9.42).
var (
	RSAEncryption   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	SHA1WithRSA     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	SHA224WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 14}
	SHA256WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	SHA384WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	SHA512WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	RSASSAPSS       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	MGF1            = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}
	ECPublicKey     = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	PrimeField      = asn1.ObjectIdentifier{1, 2, 840, 10045, 1, 1}
	ECDSAWithSHA1   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 1}
	ECDSAWithSHA224 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 1}
	ECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	ECDSAWithSHA384 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	ECDSAWithSHA512 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	// ECDSAPlain is ecdsa-plain-signatures (BSI TR-03111 §5.2.1): r || s,
	// each on the byte length of the group order; the leaves .1 to .5 are
	// SHA-1, SHA-224, SHA-256, SHA-384 and SHA-512 ([ECDSAPlainSHA256]...).
	ECDSAPlain       = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1}
	ECDSAPlainSHA1   = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 1}
	ECDSAPlainSHA224 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 2}
	ECDSAPlainSHA256 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 3}
	ECDSAPlainSHA384 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 4}
	ECDSAPlainSHA512 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 5}
	// DHPublicNumber is the X9.42 Diffie-Hellman key (p, g, q).
	DHPublicNumber = asn1.ObjectIdentifier{1, 2, 840, 10046, 2, 1}
	// DHKeyAgreement is the PKCS #3 Diffie-Hellman key (p, g).
	DHKeyAgreement = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 3, 1}
)

// X.509 extensions and name attributes (RFC 5280 §4.2, ICAO 9303-12 §7.1).
var (
	ExtSubjectKeyID     = asn1.ObjectIdentifier{2, 5, 29, 14}
	ExtKeyUsage         = asn1.ObjectIdentifier{2, 5, 29, 15}
	ExtPrivKeyUsage     = asn1.ObjectIdentifier{2, 5, 29, 16}
	ExtSubjectAltName   = asn1.ObjectIdentifier{2, 5, 29, 17}
	ExtIssuerAltName    = asn1.ObjectIdentifier{2, 5, 29, 18}
	ExtBasicConstraints = asn1.ObjectIdentifier{2, 5, 29, 19}
	ExtCRLNumber        = asn1.ObjectIdentifier{2, 5, 29, 20}
	ExtCRLReason        = asn1.ObjectIdentifier{2, 5, 29, 21}
	ExtCRLDistribution  = asn1.ObjectIdentifier{2, 5, 29, 31}
	ExtCertPolicies     = asn1.ObjectIdentifier{2, 5, 29, 32}
	ExtAuthorityKeyID   = asn1.ObjectIdentifier{2, 5, 29, 35}
	ExtExtKeyUsage      = asn1.ObjectIdentifier{2, 5, 29, 37}
	ExtNameChange       = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 6, 1}
	ExtDocumentTypeList = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 6, 2}
	AttrCountry         = asn1.ObjectIdentifier{2, 5, 4, 6}
	AttrOrganization    = asn1.ObjectIdentifier{2, 5, 4, 10}
)

// CMS content types and signed attributes (RFC 5652 §4, §5 and §11).
var (
	Data              = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	SignedData        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	AttrContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	AttrMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	AttrSigningTime   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
)

// ICAO 9303 (Part 10 §4.6.2, Part 11 §9.2, Part 12 §9 and §10).
var (
	// LDSSecurityObject is id-icao-mrtd-security-ldsSecurityObject, the
	// eContentType of EF.SOD.
	LDSSecurityObject = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 1}
	// CSCAMasterList is id-icao-cscaMasterList, the eContentType of a
	// master list.
	CSCAMasterList = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 2}
	// MasterListSigningKey is id-icao-cscaMasterListSigningKey, the
	// extended key usage of a master list signer certificate.
	MasterListSigningKey = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 3}
	// AAProtocolObject is id-icao-mrtd-security-aaProtocolObject.
	AAProtocolObject = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 5}
	// DeviationList is id-icao-DeviationList, the eContentType of a
	// deviation list and the root of the deviation type arc.
	DeviationList = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7}
	// DeviationListSigningKey is id-icao-DeviationListSigningKey, the
	// extended key usage of a deviation list signer certificate.
	DeviationListSigningKey = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 8}
)

// BSI TR-03110-3 Appendix A and ICAO 9303-11 §9.2: the protocols of a chip.
var (
	PK     = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 1}
	PKDH   = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 1, 1}
	PKECDH = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 1, 2}
	TA     = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 2}
	CA     = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 3}
	PACE   = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4}
	// StandardizedDomainParameters names a PACE/CA domain parameter id in
	// an AlgorithmIdentifier (TR-03110-3 §A.2.1.1).
	StandardizedDomainParameters = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 2}
	// SecurityObject is id-SecurityObject (TR-03110-3 §A.1.2.5), the
	// eContentType of EF.CardSecurity.
	SecurityObject = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 3, 2, 1}
)

// Under returns base followed by arcs, in a new slice.
func Under(base asn1.ObjectIdentifier, arcs ...int) asn1.ObjectIdentifier {
	oid := append(asn1.ObjectIdentifier(nil), base...)
	return append(oid, arcs...)
}

// IsUnder reports whether oid is base followed by exactly extra more arcs.
func IsUnder(oid, base asn1.ObjectIdentifier, extra int) bool {
	return len(oid) == len(base)+extra && oid[:len(base)].Equal(base)
}

// Named curves (SEC 2, RFC 5639) that a chip or a certificate may name.
var (
	P256            = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}
	P384            = asn1.ObjectIdentifier{1, 3, 132, 0, 34}
	P521            = asn1.ObjectIdentifier{1, 3, 132, 0, 35}
	BrainpoolP256r1 = asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 7}
	BrainpoolP384r1 = asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 11}
	BrainpoolP512r1 = asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 13}
)
