package lds

import "encoding/asn1"

// Object identifiers of Doc 9303 Part 11 §9.2 and BSI TR-03110-3 Appendix A.
var (
	OIDPK     = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 1}
	OIDPKDH   = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 1, 1}
	OIDPKECDH = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 1, 2}
	OIDTA     = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 2}
	OIDCA     = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 3}
	OIDPACE   = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4}
	// OIDAA is id-icao-mrtd-security-aaProtocolObject (Doc 9303 Part 11 §9.2.6).
	OIDAA = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 5}
	// OIDStandardizedDomainParameters names a PACE/CA domain parameter id
	// in an AlgorithmIdentifier (TR-03110-3 §A.2.1.1).
	OIDStandardizedDomainParameters = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 2}

	OIDRSAEncryption = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	OIDECPublicKey   = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	OIDPrimeField    = asn1.ObjectIdentifier{1, 2, 840, 10045, 1, 1}
	// OIDDHPublicNumber is the X9.42 Diffie-Hellman key (p, g, q).
	OIDDHPublicNumber = asn1.ObjectIdentifier{1, 2, 840, 10046, 2, 1}
	// OIDDHKeyAgreement is the PKCS #3 Diffie-Hellman key (p, g).
	OIDDHKeyAgreement = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 3, 1}
)

// PACE and Chip Authentication protocol identifiers are two arcs below their
// protocol: key agreement and mapping (e.g. id-PACE-ECDH-GM = 4.2), then the
// cipher (1 3DES, 2 AES-128, 3 AES-192, 4 AES-256).
const (
	PACEDHGM    = 1
	PACEECDHGM  = 2
	PACEDHIM    = 3
	PACEECDHIM  = 4
	PACEECDHCAM = 6
	CADH        = 1
	CAECDH      = 2

	Cipher3DES   = 1
	CipherAES128 = 2
	CipherAES192 = 3
	CipherAES256 = 4
)

// ProtocolOID returns base.mapping.cipher, e.g. ProtocolOID(OIDPACE,
// PACEECDHGM, CipherAES128) is id-PACE-ECDH-GM-AES-CBC-CMAC-128.
func ProtocolOID(base asn1.ObjectIdentifier, mapping, cipher int) asn1.ObjectIdentifier {
	oid := append(asn1.ObjectIdentifier(nil), base...)
	return append(oid, mapping, cipher)
}

// under reports whether oid is base followed by exactly extra more arcs.
func under(oid, base asn1.ObjectIdentifier, extra int) bool {
	return len(oid) == len(base)+extra && oid[:len(base)].Equal(base)
}
