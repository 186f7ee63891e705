package reader

import (
	"encoding/asn1"

	"github.com/cnie-reader/cnie-reader/reader/lds"
)

// activeAuthAlgorithm is the ECDSA signature algorithm DG14 names for AA
// (nil for RSA keys, whose ISO/IEC 9796-2 trailer names the hash).
func activeAuthAlgorithm(doc *Document) asn1.ObjectIdentifier {
	b, ok := doc.DataGroups[14]
	if !ok {
		return nil
	}
	infos, err := lds.ParseDG14(b)
	if err != nil || len(infos.ActiveAuthentication) == 0 {
		return nil
	}
	return infos.ActiveAuthentication[0].SignatureAlgorithm
}
