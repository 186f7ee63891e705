package twoddoc

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"math/big"

	_ "crypto/sha256" // hashes of the three curves
	_ "crypto/sha512"
)

// The specification signs with ECDSA; the hash follows the curve size and
// the signature is r||s, each of the curve's byte length.
type curveAlg struct {
	curve elliptic.Curve
	size  int // bytes of r (and of s)
	hash  crypto.Hash
}

var curveAlgs = []curveAlg{
	{elliptic.P256(), 32, crypto.SHA256},
	{elliptic.P384(), 48, crypto.SHA384},
	{elliptic.P521(), 66, crypto.SHA512},
}

func curveForSignature(n int) (curveAlg, bool) {
	for _, a := range curveAlgs {
		if n == 2*a.size {
			return a, true
		}
	}
	return curveAlg{}, false
}

func algForCurve(c elliptic.Curve) (curveAlg, bool) {
	for _, a := range curveAlgs {
		if c == a.curve {
			return a, true
		}
	}
	return curveAlg{}, false
}

// Verify checks the signature over SignedData with the signer's public key
// (from the certificate named by Authority and CertificateID). It says
// nothing about that certificate: the caller validates its chain.
func (s *Seal) Verify(pub *ecdsa.PublicKey) error {
	if pub == nil || pub.Curve == nil {
		return newErr(UnsupportedSignature, "no public key")
	}
	alg, ok := algForCurve(pub.Curve)
	if !ok {
		return newErr(UnsupportedSignature, "key curve %s", pub.Curve.Params().Name)
	}
	if len(s.Signature) != 2*alg.size {
		return newErr(BadSignature, "signature of %d bytes for a %s key", len(s.Signature), pub.Curve.Params().Name)
	}
	h := alg.hash.New()
	h.Write(s.SignedData)
	r := new(big.Int).SetBytes(s.Signature[:alg.size])
	v := new(big.Int).SetBytes(s.Signature[alg.size:])
	if !ecdsa.Verify(pub, h.Sum(nil), r, v) {
		return newErr(BadSignature, "ECDSA %s", pub.Curve.Params().Name)
	}
	return nil
}

// SignECDSA returns a signer for Build: ECDSA with the hash of the key's
// curve, the signature as r||s.
func SignECDSA(priv *ecdsa.PrivateKey) func(data []byte) ([]byte, error) {
	return func(data []byte) ([]byte, error) {
		if priv == nil || priv.Curve == nil {
			return nil, newErr(BadInput, "no private key")
		}
		alg, ok := algForCurve(priv.Curve)
		if !ok {
			return nil, newErr(BadInput, "key curve %s", priv.Curve.Params().Name)
		}
		h := alg.hash.New()
		h.Write(data)
		r, v, err := ecdsa.Sign(rand.Reader, priv, h.Sum(nil))
		if err != nil {
			return nil, err
		}
		out := make([]byte, 2*alg.size)
		r.FillBytes(out[:alg.size])
		v.FillBytes(out[alg.size:])
		return out, nil
	}
}
