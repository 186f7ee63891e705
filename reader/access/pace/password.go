package pace

import (
	"crypto/sha1"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// PasswordRef names the password in MSE:Set AT (DO 83, ICAO 9303-11 §4.4.4.1).
type PasswordRef byte

// Password references.
const (
	RefMRZ PasswordRef = 1
	RefCAN PasswordRef = 2
	RefPIN PasswordRef = 3
	RefPUK PasswordRef = 4
)

func (r PasswordRef) String() string {
	switch r {
	case RefMRZ:
		return "MRZ"
	case RefCAN:
		return "CAN"
	case RefPIN:
		return "PIN"
	case RefPUK:
		return "PUK"
	}
	return "unknown password"
}

// Password is the shared secret π of PACE, already encoded as the KDF input
// K: SHA-1 of the MRZ information, or the ASCII digits of a CAN, PIN or PUK.
type Password struct {
	Kind PasswordRef
	Key  []byte
}

// CAN returns the password of a Card Access Number. The CNIE prints six
// digits; PACE allows up to ten, so 6..10 ASCII digits are accepted.
func CAN(can string) (Password, error) {
	if len(can) < 6 || len(can) > 10 {
		return Password{}, chiperr.Newf(chiperr.BadInput, "PACE CAN", "%d characters, want 6 to 10 digits", len(can))
	}
	for i := 0; i < len(can); i++ {
		if can[i] < '0' || can[i] > '9' {
			return Password{}, chiperr.New(chiperr.BadInput, "PACE CAN", "not only digits")
		}
	}
	return Password{Kind: RefCAN, Key: []byte(can)}, nil
}

// MRZ returns the password derived from the MRZ information (document
// number, date of birth and date of expiry, each with its check digit, as
// for BAC): K = SHA-1(MRZ information).
func MRZ(mrzInformation string) Password {
	h := sha1.Sum([]byte(mrzInformation))
	return Password{Kind: RefMRZ, Key: h[:]}
}

// Wipe overwrites the key so that it does not linger in memory.
func (p *Password) Wipe() {
	clear(p.Key)
	p.Key = nil
}
