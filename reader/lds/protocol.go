package lds

import (
	"encoding/asn1"

	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// PACE and Chip Authentication protocol identifiers are two arcs below their
// protocol (oids.PACE, oids.CA): key agreement and mapping (e.g.
// id-PACE-ECDH-GM = 4.2), then the cipher (1 3DES, 2 AES-128, 3 AES-192,
// 4 AES-256).
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

// ProtocolOID returns base.mapping.cipher, e.g. ProtocolOID(oids.PACE,
// PACEECDHGM, CipherAES128) is id-PACE-ECDH-GM-AES-CBC-CMAC-128.
func ProtocolOID(base asn1.ObjectIdentifier, mapping, cipher int) asn1.ObjectIdentifier {
	return oids.Under(base, mapping, cipher)
}

// under reports whether oid is base followed by exactly extra more arcs.
func under(oid, base asn1.ObjectIdentifier, extra int) bool {
	return oids.IsUnder(oid, base, extra)
}
