package oids

import (
	"bytes"
	"crypto"
	_ "crypto/sha1" // registers SHA-1 for crypto.Hash.New: SHA-1 SODs still circulate
	_ "crypto/sha256"
	_ "crypto/sha512"
	"encoding/asn1"
)

// AlgorithmIdentifier is an X.509 AlgorithmIdentifier (RFC 5280 §4.1.1.2):
// the algorithm OID and the whole encoded parameters element (05 00 for
// NULL), nil when the parameters are absent. Certificates, CRLs, CMS
// SignerInfos, EF.SOD and deviation lists all carry this one type.
type AlgorithmIdentifier struct {
	OID    asn1.ObjectIdentifier
	Params []byte
}

// String names the algorithm (e.g. "ecdsa-with-SHA256"), or gives its OID.
func (a AlgorithmIdentifier) String() string { return Name(a.OID) }

// Equal reports whether a and b have the same OID and the same parameter bytes.
func (a AlgorithmIdentifier) Equal(b AlgorithmIdentifier) bool {
	return a.OID.Equal(b.OID) && bytes.Equal(a.Params, b.Params)
}

// Broken reports whether a is MD5, RIPEMD-128 or a signature over one of
// them. Such an algorithm is never accepted (it is not implemented at all);
// Broken only tells a report why.
func (a AlgorithmIdentifier) Broken() bool {
	_, ok := brokenNames[a.OID.String()]
	return ok
}

// Hash returns the digest a names when a is a digest algorithm.
func (a AlgorithmIdentifier) Hash() (crypto.Hash, bool) { return Hash(a.OID) }

// UsesSHA1 reports whether a is SHA-1 or a signature with SHA-1 (RSASSA-PSS
// with valid parameters included): accepted, since documents signed so still
// circulate, but weak.
func (a AlgorithmIdentifier) UsesSHA1() bool {
	if h, ok := Hash(a.OID); ok {
		return h == crypto.SHA1
	}
	if a.OID.Equal(RSASSAPSS) {
		h, ok := pssHash(a.Params)
		return ok && h == crypto.SHA1
	}
	_, h, ok := Signature(a.OID)
	return ok && h == crypto.SHA1
}

// hashes maps the digest OIDs to their hash.
var hashes = []struct {
	oid  asn1.ObjectIdentifier
	hash crypto.Hash
}{
	{SHA1, crypto.SHA1}, {SHA224, crypto.SHA224}, {SHA256, crypto.SHA256},
	{SHA384, crypto.SHA384}, {SHA512, crypto.SHA512},
	{SHA512_224, crypto.SHA512_224}, {SHA512_256, crypto.SHA512_256},
}

// Hash maps a digest algorithm OID to its hash: SHA-1, SHA-224, SHA-256,
// SHA-384, SHA-512, SHA-512/224 and SHA-512/256.
func Hash(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	for _, h := range hashes {
		if h.oid.Equal(oid) {
			return h.hash, true
		}
	}
	return 0, false
}

// Family is a signature scheme whose OID fixes the hash.
type Family int

const (
	// PKCS1 is RSASSA-PKCS1-v1_5 (RFC 8017 §8.2).
	PKCS1 Family = iota + 1
	// ECDSA signs with a DER Ecdsa-Sig-Value (X9.62, RFC 5758).
	ECDSA
	// ECDSAPlainFamily signs with r || s (BSI TR-03111 §5.2.1).
	ECDSAPlainFamily
)

// signatures lists the signature algorithms whose OID fixes the hash
// (RSASSA-PSS names it in its parameters instead).
var signatures = []struct {
	oid    asn1.ObjectIdentifier
	family Family
	hash   crypto.Hash
}{
	{SHA1WithRSA, PKCS1, crypto.SHA1}, {SHA224WithRSA, PKCS1, crypto.SHA224}, {SHA256WithRSA, PKCS1, crypto.SHA256},
	{SHA384WithRSA, PKCS1, crypto.SHA384}, {SHA512WithRSA, PKCS1, crypto.SHA512},
	{ECDSAWithSHA1, ECDSA, crypto.SHA1}, {ECDSAWithSHA224, ECDSA, crypto.SHA224}, {ECDSAWithSHA256, ECDSA, crypto.SHA256},
	{ECDSAWithSHA384, ECDSA, crypto.SHA384}, {ECDSAWithSHA512, ECDSA, crypto.SHA512},
	{ECDSAPlainSHA1, ECDSAPlainFamily, crypto.SHA1}, {ECDSAPlainSHA224, ECDSAPlainFamily, crypto.SHA224},
	{ECDSAPlainSHA256, ECDSAPlainFamily, crypto.SHA256}, {ECDSAPlainSHA384, ECDSAPlainFamily, crypto.SHA384},
	{ECDSAPlainSHA512, ECDSAPlainFamily, crypto.SHA512},
}

// Signature returns the family and hash of a signature algorithm whose OID
// fixes them (sha256WithRSAEncryption, ecdsa-with-SHA256,
// ecdsa-plain-SHA256...).
func Signature(oid asn1.ObjectIdentifier) (Family, crypto.Hash, bool) {
	for _, s := range signatures {
		if s.oid.Equal(oid) {
			return s.family, s.hash, true
		}
	}
	return 0, 0, false
}
