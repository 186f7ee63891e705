package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"fmt"
	"math/big"

	"github.com/cnie-reader/cnie-reader/reader/lds"
)

// Bounds on the keys a signature is checked with.
const (
	// MinRSABits: RSA keys below 1024 bits are refused (they can be factored).
	MinRSABits = 1024
	// MaxRSABits bounds the work an RSA verification can cost.
	MaxRSABits = 8192
)

// VerifySignature checks sig over signed with pub, a *rsa.PublicKey,
// *ecdsa.PublicKey or *lds.ECPublicKey (brainpool or explicit curves), for
// the signature algorithm alg: sha1/224/256/384/512WithRSAEncryption
// (PKCS #1 v1.5), RSASSA-PSS, ecdsa-with-SHA1/224/256/384/512 (DER
// signature) and the BSI ecdsa-plain-SHA* algorithms (r || s).
//
// A signature that does not verify is a BadSignature error; an algorithm
// this reader does not implement is UnsupportedAlgorithm; a key that does
// not suit the algorithm is BadSignature too (the signature cannot be valid).
func VerifySignature(pub crypto.PublicKey, alg AlgorithmIdentifier, signed, sig []byte) error {
	return verify(pub, alg, 0, signed, sig)
}

// VerifyCMSSignature is VerifySignature for a CMS SignerInfo, whose
// signatureAlgorithm may be the bare key OID (rsaEncryption or
// id-ecPublicKey) with the hash named by its digestAlgorithm.
func VerifyCMSSignature(pub crypto.PublicKey, sigAlg, digestAlg AlgorithmIdentifier, signed, sig []byte) error {
	h, err := digestHash(digestAlg)
	if err != nil {
		return err
	}
	return verify(pub, sigAlg, h, signed, sig)
}

func verify(pub crypto.PublicKey, alg AlgorithmIdentifier, digest crypto.Hash, signed, sig []byte) error {
	const op = "verify signature"
	sa, err := resolve(alg, digest)
	if err != nil {
		return err
	}
	if !sa.hash.Available() {
		return newErrf(UnsupportedAlgorithm, op, "hash %v not available", sa.hash)
	}
	h := sa.hash.New()
	h.Write(signed)
	sum := h.Sum(nil)

	switch sa.scheme {
	case schemePKCS1, schemePSS:
		k, ok := pub.(*rsa.PublicKey)
		if !ok || k == nil || k.N == nil {
			return newErrf(BadSignature, op, "%s signature with a %s", alg, keyType(pub))
		}
		if err := checkRSA(k); err != nil {
			return err
		}
		if sa.scheme == schemePKCS1 {
			err = rsa.VerifyPKCS1v15(k, sa.hash, sum, sig)
		} else {
			// A declared salt length of 0 is rsa.PSSSaltLengthAuto, which
			// accepts any length: still safe, the salt is covered too.
			err = rsa.VerifyPSS(k, sa.hash, sum, sig, &rsa.PSSOptions{SaltLength: sa.salt, Hash: sa.hash})
		}
		if err != nil {
			return newErrf(BadSignature, op, "%s", alg)
		}
		return nil
	case schemeECDSA, schemeECDSAPlain:
		k, err := ecdsaKey(pub)
		if err != nil {
			return newErrf(BadSignature, op, "%s signature with a %s", alg, keyType(pub))
		}
		ok := false
		if sa.scheme == schemeECDSA {
			ok = ecdsa.VerifyASN1(k, sum, sig)
		} else {
			n := (k.Curve.Params().N.BitLen() + 7) / 8
			if len(sig) == 2*n {
				r := new(big.Int).SetBytes(sig[:n])
				s := new(big.Int).SetBytes(sig[n:])
				ok = ecdsa.Verify(k, sum, r, s)
			}
		}
		if !ok {
			return newErrf(BadSignature, op, "%s", alg)
		}
		return nil
	}
	return newErrf(UnsupportedAlgorithm, op, "%s", alg)
}

func checkRSA(k *rsa.PublicKey) error {
	const op = "RSA key"
	switch bits := k.N.BitLen(); {
	case bits < MinRSABits:
		return newErrf(UnsupportedAlgorithm, op, "modulus of %d bits (below %d)", bits, MinRSABits)
	case bits > MaxRSABits:
		return newErrf(TooLarge, op, "modulus of %d bits", bits)
	}
	if k.E < 3 || k.E&1 == 0 {
		return newErrf(Malformed, op, "public exponent %d", k.E)
	}
	return nil
}

// ecdsaKey returns the crypto/ecdsa form of an EC public key. Brainpool keys
// keep their generic crypto/elliptic curve, which crypto/ecdsa verifies with
// its (variable-time, but here public-input) legacy code.
func ecdsaKey(pub crypto.PublicKey) (*ecdsa.PublicKey, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if k == nil || k.Curve == nil || k.X == nil || k.Y == nil {
			return nil, fmt.Errorf("empty ECDSA key")
		}
		return k, nil
	case *lds.ECPublicKey:
		if k == nil || k.Curve == nil || !k.Curve.Valid(k.Point) {
			return nil, fmt.Errorf("invalid EC key")
		}
		c := k.Curve.Elliptic()
		switch c {
		case elliptic.P224(), elliptic.P256(), elliptic.P384(), elliptic.P521():
			return ecdsa.ParseUncompressedPublicKey(c, k.Curve.Encode(k.Point))
		}
		return &ecdsa.PublicKey{Curve: c, X: k.Point.X, Y: k.Point.Y}, nil
	}
	return nil, fmt.Errorf("not an EC key")
}

func keyType(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return "RSA key"
	case *ecdsa.PublicKey:
		if k != nil && k.Curve != nil {
			return "EC key on " + k.Curve.Params().Name
		}
	case *lds.ECPublicKey:
		if k != nil && k.Curve != nil {
			return "EC key on " + k.Curve.Name
		}
	case *lds.DHPublicKey:
		return "DH key"
	case nil:
		return "missing key"
	}
	return fmt.Sprintf("%T", pub)
}
