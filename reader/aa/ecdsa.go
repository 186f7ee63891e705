package aa

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/asn1"
	"fmt"
	"math/big"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// rsaHashes are the hash OIDs (NIST, OIW) that select the ISO/IEC 9796-2
// hash on the chip side (RSA has no signature algorithm in DG14; nil means
// SHA-1).
var rsaHashes = []struct {
	oid  asn1.ObjectIdentifier
	hash crypto.Hash
}{
	{oids.SHA1, crypto.SHA1}, {oids.SHA224, crypto.SHA224}, {oids.SHA256, crypto.SHA256},
	{oids.SHA384, crypto.SHA384}, {oids.SHA512, crypto.SHA512},
}

// ecdsaHash returns the hash of an ECDSA signature algorithm.
func ecdsaHash(sigAlg asn1.ObjectIdentifier) (crypto.Hash, error) {
	const op = "AA: ECDSA algorithm"
	if len(sigAlg) == 0 {
		return 0, chiperr.New(chiperr.Unsupported, op, "ECDSA needs the signature algorithm of ActiveAuthenticationInfo")
	}
	// ActiveAuthenticationInfo names BSI TR-03111 ecdsa-plain-signatures
	// (ICAO 9303-11 §9.2.2), or the X9.62 ecdsa-with-SHA* identifiers
	// some issuers put there instead.
	if family, h, ok := oids.Signature(sigAlg); ok && family != oids.PKCS1 {
		return h, nil
	}
	return 0, chiperr.Newf(chiperr.Unsupported, op, "signature algorithm %v", sigAlg)
}

type ecVerifier struct {
	k     *ecdsa.PublicKey
	hash  crypto.Hash
	n     int // order length in bytes
	curve string
}

func newECVerifier(k *ecdsa.PublicKey, sigAlg asn1.ObjectIdentifier) (*ecVerifier, error) {
	const op = "AA: EC public key"
	if k == nil || k.Curve == nil || k.X == nil || k.Y == nil {
		return nil, chiperr.New(chiperr.Malformed, op, "incomplete key")
	}
	h, err := ecdsaHash(sigAlg)
	if err != nil {
		return nil, err
	}
	params := k.Curve.Params()
	if params.BitSize > 521 {
		return nil, chiperr.Newf(chiperr.Unsupported, op, "%d-bit curve", params.BitSize)
	}
	// crypto/ecdsa does not check the key on curves other than NIST ones.
	if k.X.Sign() < 0 || k.Y.Sign() < 0 || k.X.Cmp(params.P) >= 0 || k.Y.Cmp(params.P) >= 0 ||
		(k.X.Sign() == 0 && k.Y.Sign() == 0) || !k.Curve.IsOnCurve(k.X, k.Y) {
		return nil, chiperr.New(chiperr.Malformed, op, "point not on the curve")
	}
	name := params.Name
	if c, ok := ecc.ByElliptic(k.Curve); ok {
		name = c.Name
	}
	return &ecVerifier{k: k, hash: h, n: (params.N.BitLen() + 7) / 8, curve: name}, nil
}

// maxSigLen allows a DER signature (9 bytes of overhead at most) as well as plain r || s.
func (v *ecVerifier) maxSigLen() int { return 2*v.n + 9 }

// verify checks a plain (TR-03111) ECDSA signature over the challenge. Some
// chips answer with an X9.62 DER SEQUENCE instead; it is accepted as well.
func (v *ecVerifier) verify(challenge, sig []byte) (*Result, error) {
	const op = "AA: ECDSA signature"
	if len(sig) == 0 || len(sig) > v.maxSigLen() {
		return nil, chiperr.Newf(chiperr.Malformed, op, "signature of %d bytes for a %d-byte order", len(sig), v.n)
	}
	var r, s *big.Int
	der := false
	if len(sig) == 2*v.n {
		r, s = new(big.Int).SetBytes(sig[:v.n]), new(big.Int).SetBytes(sig[v.n:])
	} else {
		var rs struct{ R, S *big.Int }
		rest, err := asn1.Unmarshal(sig, &rs)
		if err != nil || len(rest) != 0 {
			return nil, chiperr.Newf(chiperr.Malformed, op, "%d bytes, neither plain r||s (%d) nor DER", len(sig), 2*v.n)
		}
		r, s, der = rs.R, rs.S, true
	}
	hh := v.hash.New()
	hh.Write(challenge)
	if !ecdsa.Verify(v.k, hh.Sum(nil), r, s) {
		return nil, chiperr.New(chiperr.Integrity, op, "signature does not match the challenge")
	}
	alg := fmt.Sprintf("ECDSA %s with %v", v.curve, v.hash)
	if der {
		alg += " (DER signature)"
	}
	return result(challenge, sig, alg), nil
}

// signEC makes a plain r || s ECDSA signature (chip side).
func signEC(k *ecdsa.PrivateKey, sigAlg asn1.ObjectIdentifier, challenge []byte) ([]byte, error) {
	const op = "AA: ECDSA sign"
	h, err := ecdsaHash(sigAlg)
	if err != nil {
		return nil, err
	}
	hh := h.New()
	hh.Write(challenge)
	r, s, err := ecdsa.Sign(rand.Reader, k, hh.Sum(nil))
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Unsupported, op, err)
	}
	n := (k.Curve.Params().N.BitLen() + 7) / 8
	out := make([]byte, 2*n)
	r.FillBytes(out[:n])
	s.FillBytes(out[n:])
	return out, nil
}
