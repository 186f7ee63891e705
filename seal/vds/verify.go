package vds

import (
	"crypto"
	"crypto/ecdsa"
	"errors"

	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/oids"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// HashFor returns the hash a seal signer uses with a curve of the given
// field size: ICAO 9303-13 §2.4 ties it to the key (SHA-224 up to 224 bits,
// SHA-256 up to 256, SHA-384 up to 384, SHA-512 above, so P-521 too).
func HashFor(fieldBits int) crypto.Hash {
	switch {
	case fieldBits <= 224:
		return crypto.SHA224
	case fieldBits <= 256:
		return crypto.SHA256
	case fieldBits <= 384:
		return crypto.SHA384
	}
	return crypto.SHA512
}

func plainAlg(h crypto.Hash) pki.AlgorithmIdentifier {
	// ecdsa-plain-signatures (BSI TR-03111 §5.2.1): .2 SHA-224, .3 SHA-256,
	// .4 SHA-384, .5 SHA-512.
	n := map[crypto.Hash]int{crypto.SHA224: 2, crypto.SHA256: 3, crypto.SHA384: 4, crypto.SHA512: 5}[h]
	return pki.AlgorithmIdentifier{OID: oids.Under(oids.ECDSAPlain, n)}
}

// fieldBits returns the field size of an EC public key this package can check.
func fieldBits(pub crypto.PublicKey) (int, bool) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if k != nil && k.Curve != nil {
			return k.Curve.Params().BitSize, true
		}
	case *lds.ECPublicKey:
		if k != nil && k.Curve != nil {
			return k.Curve.Params().BitSize, true
		}
	}
	return 0, false
}

// Verify checks the seal's signature with the signer's public key: an
// *ecdsa.PublicKey (NIST curves, or brainpool through crypto/elliptic) or
// an *lds.ECPublicKey as found in a pki.Certificate (brainpool, named or
// explicit curves). The hash follows the curve size (HashFor).
//
// It does not check that the key belongs to the seal's signer or that the
// signer is trusted: that is the certificate chain's job (pki.Store).
func (s *Seal) Verify(pub crypto.PublicKey) error {
	const op = "verify signature"
	bits, ok := fieldBits(pub)
	if !ok {
		return newErrf(UnsupportedKey, op, "%T", pub)
	}
	alg := plainAlg(HashFor(bits))
	err := pki.VerifySignature(pub, alg, s.SignedData, s.Signature)
	if err == nil {
		return nil
	}
	var pe *pki.Error
	if errors.As(err, &pe) && pe.Kind == pki.UnsupportedAlgorithm {
		return &Error{Kind: UnsupportedKey, Op: op, Err: err}
	}
	// The pki error says the same thing; keep only the algorithm.
	return newErrf(BadSignature, op, "%s, %d-bit key, signature of %d bytes", alg, bits, len(s.Signature))
}
