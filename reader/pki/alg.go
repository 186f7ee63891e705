package pki

import (
	"crypto"
	_ "crypto/sha1" // registers SHA-1 for crypto.Hash.New
	_ "crypto/sha256"
	_ "crypto/sha512"

	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// AlgorithmIdentifier is the module's one AlgorithmIdentifier type (see
// oids.AlgorithmIdentifier): certificates, CRLs and CMS signers carry it.
type AlgorithmIdentifier = oids.AlgorithmIdentifier

// scheme is a signature family.
type scheme int

const (
	schemePKCS1 scheme = iota + 1
	schemePSS
	schemeECDSA      // DER Ecdsa-Sig-Value
	schemeECDSAPlain // r || s
)

// schemes maps the families of the OID table onto this package's schemes.
var schemes = map[oids.Family]scheme{oids.PKCS1: schemePKCS1, oids.ECDSA: schemeECDSA, oids.ECDSAPlainFamily: schemeECDSAPlain}

// sigAlg is a resolved signature algorithm.
type sigAlg struct {
	scheme scheme
	hash   crypto.Hash
	salt   int // PSS only
}

// digestHash resolves a digest AlgorithmIdentifier (parameters absent or NULL).
func digestHash(alg AlgorithmIdentifier) (crypto.Hash, error) {
	const op = "digest algorithm"
	h, ok := oids.Hash(alg.OID)
	if !ok {
		return 0, newErrf(UnsupportedAlgorithm, op, "digest %s", alg.OID)
	}
	if !oids.ParamsAbsentOrNull(alg.Params) {
		return 0, newErrf(Malformed, op, "%s with parameters", alg)
	}
	return h, nil
}

// resolve maps a signature AlgorithmIdentifier onto a scheme and hash.
// digest is the hash named elsewhere (a CMS SignerInfo's digestAlgorithm)
// for the bare key OIDs rsaEncryption and id-ecPublicKey that CMS signers
// use as signature algorithms; 0 when there is none.
func resolve(alg AlgorithmIdentifier, digest crypto.Hash) (sigAlg, error) {
	const op = "signature algorithm"
	oid := alg.OID
	simple := func(s scheme, h crypto.Hash) (sigAlg, error) {
		if !oids.ParamsAbsentOrNull(alg.Params) {
			return sigAlg{}, newErrf(Malformed, op, "%s with unexpected parameters", alg)
		}
		if h == 0 {
			return sigAlg{}, newErrf(UnsupportedAlgorithm, op, "%s without a digest algorithm", alg)
		}
		return sigAlg{scheme: s, hash: h}, nil
	}
	if family, h, ok := oids.Signature(oid); ok {
		return simple(schemes[family], h)
	}
	switch {
	case oid.Equal(oids.RSAEncryption):
		return simple(schemePKCS1, digest)
	case oid.Equal(oids.ECPublicKey):
		return simple(schemeECDSA, digest)
	case oid.Equal(oids.RSASSAPSS):
		return resolvePSS(alg.Params)
	}
	return sigAlg{}, newErrf(UnsupportedAlgorithm, op, "%s", alg)
}

func resolvePSS(params []byte) (sigAlg, error) {
	const op = "RSASSA-PSS parameters"
	p, err := oids.ParsePSSParams(params)
	if err != nil {
		return sigAlg{}, newErr(Malformed, op, err.Error())
	}
	h := crypto.SHA1
	if p.HashAlgorithm.OID != nil {
		if h, err = digestHash(p.HashAlgorithm); err != nil {
			return sigAlg{}, err
		}
	}
	mgfHash := crypto.SHA1
	if p.MaskGen.OID != nil {
		if !p.MaskGen.OID.Equal(oids.MGF1) {
			return sigAlg{}, newErrf(UnsupportedAlgorithm, op, "mask generation %s", p.MaskGen.OID)
		}
		inner, err := p.MGF1Hash()
		if err != nil {
			return sigAlg{}, newErr(Malformed, op, "MGF1 hash")
		}
		if mgfHash, err = digestHash(inner); err != nil {
			return sigAlg{}, err
		}
	}
	switch {
	case mgfHash != h:
		// crypto/rsa uses the message hash for MGF1 too.
		return sigAlg{}, newErrf(UnsupportedAlgorithm, op, "MGF1 hash %v differs from hash %v", mgfHash, h)
	case p.Trailer != 1:
		return sigAlg{}, newErrf(UnsupportedAlgorithm, op, "trailer field %d", p.Trailer)
	case p.SaltLength < 0 || p.SaltLength > oids.MaxPSSSalt:
		return sigAlg{}, newErrf(Malformed, op, "salt length %d", p.SaltLength)
	}
	return sigAlg{scheme: schemePSS, hash: h, salt: p.SaltLength}, nil
}
