package pivot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"unicode"

	"github.com/cnie-reader/cnie-reader/reader/mrz"
)

// MinKeySize is the least size of the pairwise subject key, in bytes.
const MinKeySize = 32

// subDomain opens the hashed encoding, so that no other HMAC made with
// the same key can ever equal a subject; v1 is the encoding's version.
const subDomain = "cnie-reader pivot pairwise sub v1"

// CheckKey refuses a pairwise subject key shorter than [MinKeySize]: the
// provider checks its key once, at start.
func CheckKey(key []byte) error {
	if len(key) < MinKeySize {
		return fail(Missing, "pairwise subject key shorter than 32 bytes")
	}
	return nil
}

// PairwiseSub is the subject identifier of id for one sector (the
// service's sector identifier: its host, or its sector_identifier_uri):
// HMAC-SHA-256 under key over a canonical encoding of the sector and the
// pivot identity, in hex, followed by "v1" as FranceConnect writes its own.
//
// It is never computed from the document number, so it stays the same
// when the card is renewed; two sectors get unrelated values, and nobody
// without the key can tell whose it is. Names are compared as the MRZ
// writes them (accents, case and punctuation aside), so that DG11's full
// names and the MRZ's untruncated ones give the same subject.
func PairwiseSub(key []byte, sector string, id Identity) string {
	mac := hmac.New(sha256.New, key)
	field := func(s string) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(s)))
		mac.Write(n[:])
		mac.Write([]byte(s))
	}
	field(subDomain)
	field(sector)
	field(canonicalName(id.FamilyName))
	field(canonicalName(strings.Join(id.GivenNameArray, " ")))
	field(id.Birthdate)
	field(id.Gender)
	field(canonicalText(id.Birthplace))
	field(id.Birthcountry)
	return hex.EncodeToString(mac.Sum(nil)) + "v1"
}

// canonicalName is a name as the MRZ writes it when every letter has an
// MRZ spelling; a name in another script is kept whole (upper case,
// spaces collapsed) rather than transliterated to nothing.
func canonicalName(s string) string {
	for _, r := range s {
		if unicode.IsLetter(r) && mrz.Transliterate(string(r)) == "" {
			return canonicalText(s)
		}
	}
	return mrz.Transliterate(s)
}

// canonicalText is s in upper case with its spaces collapsed.
func canonicalText(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), " ")) }
