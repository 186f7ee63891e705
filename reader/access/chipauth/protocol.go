// Package chipauth implements Chip Authentication (ICAO Doc 9303-11 §6.2,
// BSI TR-03110-2 §3.4, "CA version 1"): the terminal and the chip agree on a
// fresh secret from the chip's static key (from DG14) and an ephemeral key of
// the terminal, and restart secure messaging with keys derived from it. Only
// a chip holding the static private key can follow, so the protocol proves
// the chip genuine once Passive Authentication has vouched for DG14.
//
// Both sides are here: Authenticate for the reader and Chip for the virtual
// card. The package takes already parsed DG14 values and never reads files.
package chipauth

import (
	"encoding/asn1"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/oids"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// Protocol is one Chip Authentication protocol of TR-03110-3 §A.1.1.2.
type Protocol struct {
	OID      asn1.ObjectIdentifier
	Name     string       // e.g. "id-CA-ECDH-AES-CBC-CMAC-128"
	EC       bool         // ECDH (true) or DH (false) key agreement
	Cipher   sm.Algorithm // secure messaging after CA
	KeyBytes int          // session key length: 16 for 3DES and AES-128, 24, 32
}

// UsesKAT reports whether the protocol runs with MSE:Set KAT (3DES, CA as
// first specified) rather than MSE:Set AT followed by General Authenticate.
func (p Protocol) UsesKAT() bool { return p.Cipher == sm.TDES }

// caOID is id-CA (bsi-de protocols(2) smartcard(2) 3) followed by the
// key agreement and cipher arcs.
func caOID(agreement, cipher int) asn1.ObjectIdentifier {
	return oids.Under(oids.CA, agreement, cipher)
}

var protocols = func() []Protocol {
	var out []Protocol
	for _, ag := range []struct {
		n    int
		ec   bool
		name string
	}{{1, false, "DH"}, {2, true, "ECDH"}} {
		out = append(out,
			Protocol{caOID(ag.n, 1), "id-CA-" + ag.name + "-3DES-CBC-CBC", ag.ec, sm.TDES, 16},
			Protocol{caOID(ag.n, 2), "id-CA-" + ag.name + "-AES-CBC-CMAC-128", ag.ec, sm.AES, 16},
			Protocol{caOID(ag.n, 3), "id-CA-" + ag.name + "-AES-CBC-CMAC-192", ag.ec, sm.AES, 24},
			Protocol{caOID(ag.n, 4), "id-CA-" + ag.name + "-AES-CBC-CMAC-256", ag.ec, sm.AES, 32},
		)
	}
	return out
}()

// ProtocolByOID returns the protocol that a ChipAuthenticationInfo names.
func ProtocolByOID(oid asn1.ObjectIdentifier) (Protocol, bool) {
	for _, p := range protocols {
		if p.OID.Equal(oid) {
			return p, true
		}
	}
	return Protocol{}, false
}

// Protocols lists every supported protocol.
func Protocols() []Protocol { return append([]Protocol(nil), protocols...) }

// DefaultOID is the protocol to assume when DG14 holds a
// ChipAuthenticationPublicKeyInfo but no ChipAuthenticationInfo: ICAO
// 9303-11 §6.2 then prescribes 3DES with the key's agreement (DH or ECDH).
func DefaultOID(key PublicKey) asn1.ObjectIdentifier {
	if key.IsEC() {
		return caOID(2, 1)
	}
	return caOID(1, 1)
}

// isCAOID reports whether oid lies under id-CA (used to route MSE:Set AT).
func isCAOID(oid asn1.ObjectIdentifier) bool {
	return len(oid) > len(oids.CA) && oid[:len(oids.CA)].Equal(oids.CA)
}

// maxDOs bounds the data objects of one CA command or response (they hold
// two at most): a hostile peer must not make the parser loop long.
const maxDOs = 16

// parseDOs splits b, which it must fill exactly, into data objects. CA uses
// one-byte tags only (80, 84, 91, 7C...): a multi-byte tag, or 00 and FF
// (padding in ISO 7816-4), is refused. Every error is Malformed under op.
func parseDOs(b []byte, op string) ([]ber.Element, error) {
	var out []ber.Element
	for len(b) > 0 {
		if len(out) >= maxDOs {
			return nil, chiperr.New(chiperr.Malformed, op, "too many data objects")
		}
		if tag := b[0]; tag&0x1F == 0x1F || tag == 0 { // FF has the low five bits set
			return nil, chiperr.Newf(chiperr.Malformed, op, "unexpected tag %02X", tag)
		}
		t, rest, err := ber.ParseTLV(b)
		if err != nil {
			// ber says TooLarge for an oversized length field; here it is
			// simply a broken data object.
			return nil, &chiperr.Error{Kind: chiperr.Malformed, Op: op, Err: err}
		}
		out = append(out, t)
		b = rest
	}
	return out, nil
}
