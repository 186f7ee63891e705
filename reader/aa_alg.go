package reader

import "encoding/asn1"

// activeAuthAlgorithm is the ECDSA signature algorithm DG14 names for AA
// (nil for RSA keys, whose ISO/IEC 9796-2 trailer names the hash).
func activeAuthAlgorithm(doc *Document) asn1.ObjectIdentifier {
	if doc.DG14 == nil || len(doc.DG14.ActiveAuthentication) == 0 {
		return nil
	}
	return doc.DG14.ActiveAuthentication[0].SignatureAlgorithm
}
