// Package pace implements Password Authenticated Connection Establishment
// (ICAO Doc 9303-11 §4.4, BSI TR-03110-2/-3) for both ends of the link: the
// terminal (Authenticate) and the chip of the virtual card (Chip).
//
// Supported: Generic Mapping over ECDH on every curve of reader/ecc and over
// DH with the RFC 5114 groups (parameter ids 0, 1, 2); Integrated Mapping
// and DH; Chip Authentication Mapping (the terminal completes it with
// VerifyCAM).
//
// Every value the other side sends (nonce, points, group elements, tokens)
// is length-bounded and validated before use: a hostile chip or terminal is
// an input like any other.
package pace

import (
	"encoding/asn1"

	"github.com/cnie-reader/cnie-reader/reader/oids"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// Mapping is the way the nonce is mapped onto ephemeral domain parameters.
type Mapping int

// Mappings of ICAO 9303-11 §4.4.3.3.
const (
	GM  Mapping = iota + 1 // Generic Mapping
	IM                     // Integrated Mapping
	CAM                    // Chip Authentication Mapping (Generic Mapping plus chip authentication data)
)

func (m Mapping) String() string {
	switch m {
	case GM:
		return "GM"
	case IM:
		return "IM"
	case CAM:
		return "CAM"
	}
	return "unknown mapping"
}

// Agreement is the key agreement family.
type Agreement int

// Key agreement families.
const (
	ECDH Agreement = iota + 1
	DH
)

func (a Agreement) String() string {
	switch a {
	case ECDH:
		return "ECDH"
	case DH:
		return "DH"
	}
	return "unknown agreement"
}

// Protocol is one row of ICAO 9303-11 Table 3 (PACE object identifiers).
type Protocol struct {
	OID       asn1.ObjectIdentifier
	Name      string
	Mapping   Mapping
	Agreement Agreement
	Cipher    sm.Algorithm
	KeyBytes  int // 16 for 3DES (two-key) and AES-128, 24 for AES-192, 32 for AES-256
}

// paceOID is id-PACE (bsi-de protocols(2) smartcards(2) pace(4)) followed by arcs.
func paceOID(arcs ...int) asn1.ObjectIdentifier {
	return oids.Under(oids.PACE, arcs...)
}

var protocols []Protocol

func init() {
	type fam struct {
		arc  int
		name string
		m    Mapping
		a    Agreement
	}
	type ciph struct {
		arc  int
		name string
		alg  sm.Algorithm
		key  int
	}
	ciphers := []ciph{
		{1, "3DES-CBC-CBC", sm.TDES, 16},
		{2, "AES-CBC-CMAC-128", sm.AES, 16},
		{3, "AES-CBC-CMAC-192", sm.AES, 24},
		{4, "AES-CBC-CMAC-256", sm.AES, 32},
	}
	for _, f := range []fam{
		{1, "DH-GM", GM, DH},
		{2, "ECDH-GM", GM, ECDH},
		{3, "DH-IM", IM, DH},
		{4, "ECDH-IM", IM, ECDH},
		{6, "ECDH-CAM", CAM, ECDH},
	} {
		for _, c := range ciphers {
			if f.m == CAM && c.alg == sm.TDES {
				continue // CAM is defined for AES only
			}
			protocols = append(protocols, Protocol{
				OID:       paceOID(f.arc, c.arc),
				Name:      "id-PACE-" + f.name + "-" + c.name,
				Mapping:   f.m,
				Agreement: f.a,
				Cipher:    c.alg,
				KeyBytes:  c.key,
			})
		}
	}
}

// ProtocolByOID returns the PACE protocol of an object identifier.
func ProtocolByOID(oid asn1.ObjectIdentifier) (Protocol, bool) {
	for _, p := range protocols {
		if p.OID.Equal(oid) {
			return p, true
		}
	}
	return Protocol{}, false
}

// Protocols lists every PACE object identifier this package knows.
func Protocols() []Protocol { return append([]Protocol(nil), protocols...) }

// Supported reports whether this package can run the protocol (every row
// of the table today).
func (p Protocol) Supported() bool {
	return p.Mapping == GM || p.Mapping == CAM || p.Mapping == IM
}

// nonceLen is the length ℓ of the chip's nonce s: the smallest multiple of
// the block size not below the key size k (ICAO 9303-11 §4.4.3.3), so 128
// bits for 3DES (k counts as 128) and AES-128, 256 bits for AES-192/256.
// The terminal's IM nonce t has k bits (KeyBytes).
func (p Protocol) nonceLen() int {
	if p.KeyBytes > 16 {
		return 32
	}
	return 16
}
