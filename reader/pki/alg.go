package pki

import (
	"bytes"
	"crypto"
	_ "crypto/sha1" // registers SHA-1 for crypto.Hash.New
	_ "crypto/sha256"
	_ "crypto/sha512"
	"encoding/asn1"
)

// AlgorithmIdentifier is an X.509 AlgorithmIdentifier: the algorithm OID and
// the DER encoding of its parameters (nil when they are absent).
type AlgorithmIdentifier struct {
	OID    asn1.ObjectIdentifier
	Params []byte
}

// String names the algorithm (e.g. "ecdsa-with-SHA256"), or gives its OID.
func (a AlgorithmIdentifier) String() string {
	if n, ok := algNames[a.OID.String()]; ok {
		return n
	}
	if n, ok := brokenAlgorithms[a.OID.String()]; ok {
		return n
	}
	return a.OID.String()
}

// brokenAlgorithms are digests (and signatures over them) that a forger
// can defeat: a signature made with them proves nothing. This reader never
// computes them, and names them so that a report can say why.
var brokenAlgorithms = map[string]string{
	"1.2.840.113549.2.5":   "MD5",
	"1.3.36.3.2.2":         "RIPEMD-128",
	"1.2.840.113549.1.1.4": "md5WithRSAEncryption",
	"1.3.36.3.3.1.3":       "rsaSignatureWithripemd128",
}

// Broken reports whether a is MD5, RIPEMD-128 or a signature over one of
// them. Such an algorithm is never accepted (it is not implemented at all);
// Broken only tells a report why.
func (a AlgorithmIdentifier) Broken() bool {
	_, ok := brokenAlgorithms[a.OID.String()]
	return ok
}

// UsesSHA1 reports whether a is SHA-1 or a signature with SHA-1 (RSASSA-PSS
// included): accepted, since documents signed so still circulate, but weak.
func (a AlgorithmIdentifier) UsesSHA1() bool {
	if h, ok := hashByOID(a.OID); ok {
		return h == crypto.SHA1
	}
	sa, err := resolve(a, 0)
	return err == nil && sa.hash == crypto.SHA1
}

// Equal reports whether a and b have the same OID and the same parameter bytes.
func (a AlgorithmIdentifier) Equal(b AlgorithmIdentifier) bool {
	return a.OID.Equal(b.OID) && bytes.Equal(a.Params, b.Params)
}

var algNames = map[string]string{
	oidSHA1WithRSA.String():     "sha1WithRSAEncryption",
	oidSHA224WithRSA.String():   "sha224WithRSAEncryption",
	oidSHA256WithRSA.String():   "sha256WithRSAEncryption",
	oidSHA384WithRSA.String():   "sha384WithRSAEncryption",
	oidSHA512WithRSA.String():   "sha512WithRSAEncryption",
	oidRSASSAPSS.String():       "RSASSA-PSS",
	oidRSAEncryption.String():   "rsaEncryption",
	oidECDSAWithSHA1.String():   "ecdsa-with-SHA1",
	oidECDSAWithSHA224.String(): "ecdsa-with-SHA224",
	oidECDSAWithSHA256.String(): "ecdsa-with-SHA256",
	oidECDSAWithSHA384.String(): "ecdsa-with-SHA384",
	oidECDSAWithSHA512.String(): "ecdsa-with-SHA512",
	oidECPublicKey.String():     "id-ecPublicKey",
	oidSHA1.String():            "SHA-1",
	oidSHA224.String():          "SHA-224",
	oidSHA256.String():          "SHA-256",
	oidSHA384.String():          "SHA-384",
	oidSHA512.String():          "SHA-512",
}

func init() {
	for i, h := range []string{"SHA1", "SHA224", "SHA256", "SHA384", "SHA512"} {
		algNames[plainOID(i+1).String()] = "ecdsa-plain-" + h
	}
}

// plainOID is ecdsa-plain-signatures.n.
func plainOID(n int) asn1.ObjectIdentifier {
	return append(append(asn1.ObjectIdentifier(nil), oidECDSAPlain...), n)
}

// algorithmIdentifierASN is the wire form of an AlgorithmIdentifier.
type algorithmIdentifierASN struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

func (a algorithmIdentifierASN) public() AlgorithmIdentifier {
	return AlgorithmIdentifier{OID: a.Algorithm, Params: bytes.Clone(a.Parameters.FullBytes)}
}

// paramsAbsentOrNull accepts the two encodings of "no parameters" that
// issuers use for PKCS #1 v1.5 and ECDSA (RFC 4055 §5 wants NULL, RFC 5758
// §3.2 wants absent; real certificates have both).
func paramsAbsentOrNull(p []byte) bool {
	return len(p) == 0 || bytes.Equal(p, asn1.NullBytes)
}

// scheme is a signature family.
type scheme int

const (
	schemePKCS1 scheme = iota + 1
	schemePSS
	schemeECDSA      // DER Ecdsa-Sig-Value
	schemeECDSAPlain // r || s
)

// sigAlg is a resolved signature algorithm.
type sigAlg struct {
	scheme scheme
	hash   crypto.Hash
	salt   int // PSS only
}

// hashByOID maps digest algorithm OIDs to hashes.
func hashByOID(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	switch {
	case oid.Equal(oidSHA1):
		return crypto.SHA1, true
	case oid.Equal(oidSHA224):
		return crypto.SHA224, true
	case oid.Equal(oidSHA256):
		return crypto.SHA256, true
	case oid.Equal(oidSHA384):
		return crypto.SHA384, true
	case oid.Equal(oidSHA512):
		return crypto.SHA512, true
	}
	return 0, false
}

// digestHash resolves a digest AlgorithmIdentifier (parameters absent or NULL).
func digestHash(alg AlgorithmIdentifier) (crypto.Hash, error) {
	const op = "digest algorithm"
	h, ok := hashByOID(alg.OID)
	if !ok {
		return 0, newErrf(UnsupportedAlgorithm, op, "digest %s", alg.OID)
	}
	if !paramsAbsentOrNull(alg.Params) {
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
		if !paramsAbsentOrNull(alg.Params) {
			return sigAlg{}, newErrf(Malformed, op, "%s with unexpected parameters", alg)
		}
		if h == 0 {
			return sigAlg{}, newErrf(UnsupportedAlgorithm, op, "%s without a digest algorithm", alg)
		}
		return sigAlg{scheme: s, hash: h}, nil
	}
	switch {
	case oid.Equal(oidSHA1WithRSA):
		return simple(schemePKCS1, crypto.SHA1)
	case oid.Equal(oidSHA224WithRSA):
		return simple(schemePKCS1, crypto.SHA224)
	case oid.Equal(oidSHA256WithRSA):
		return simple(schemePKCS1, crypto.SHA256)
	case oid.Equal(oidSHA384WithRSA):
		return simple(schemePKCS1, crypto.SHA384)
	case oid.Equal(oidSHA512WithRSA):
		return simple(schemePKCS1, crypto.SHA512)
	case oid.Equal(oidRSAEncryption):
		return simple(schemePKCS1, digest)
	case oid.Equal(oidECDSAWithSHA1):
		return simple(schemeECDSA, crypto.SHA1)
	case oid.Equal(oidECDSAWithSHA224):
		return simple(schemeECDSA, crypto.SHA224)
	case oid.Equal(oidECDSAWithSHA256):
		return simple(schemeECDSA, crypto.SHA256)
	case oid.Equal(oidECDSAWithSHA384):
		return simple(schemeECDSA, crypto.SHA384)
	case oid.Equal(oidECDSAWithSHA512):
		return simple(schemeECDSA, crypto.SHA512)
	case oid.Equal(oidECPublicKey):
		return simple(schemeECDSA, digest)
	case oid.Equal(oidRSASSAPSS):
		return resolvePSS(alg.Params)
	case len(oid) == len(oidECDSAPlain)+1 && oid[:len(oidECDSAPlain)].Equal(oidECDSAPlain):
		hashes := []crypto.Hash{crypto.SHA1, crypto.SHA224, crypto.SHA256, crypto.SHA384, crypto.SHA512}
		if n := oid[len(oid)-1]; n >= 1 && n <= len(hashes) {
			return simple(schemeECDSAPlain, hashes[n-1])
		}
	}
	return sigAlg{}, newErrf(UnsupportedAlgorithm, op, "%s", alg)
}

// pssParamsASN is RSASSA-PSS-params (RFC 4055 §3.1). Absent fields take the
// RFC defaults: SHA-1, MGF1 with SHA-1, salt of 20 bytes, trailer 1.
type pssParamsASN struct {
	Hash       algorithmIdentifierASN `asn1:"optional,explicit,tag:0"`
	MGF        algorithmIdentifierASN `asn1:"optional,explicit,tag:1"`
	SaltLength int                    `asn1:"optional,explicit,tag:2,default:20"`
	Trailer    int                    `asn1:"optional,explicit,tag:3,default:1"`
}

// maxPSSSalt bounds the salt length: it can never exceed the modulus size.
const maxPSSSalt = 1024

func resolvePSS(params []byte) (sigAlg, error) {
	const op = "RSASSA-PSS parameters"
	var p pssParamsASN
	if len(params) == 0 {
		// RFC 4055 §3.1 lets the parameters be absent in a key, never in a
		// signature: an absent field would still mean the SHA-1 defaults.
		return sigAlg{}, newErr(Malformed, op, "parameters absent")
	}
	if rest, err := asn1.Unmarshal(params, &p); err != nil || len(rest) > 0 {
		return sigAlg{}, newErr(Malformed, op, "not RSASSA-PSS-params")
	}
	h := crypto.SHA1
	if p.Hash.Algorithm != nil {
		var err error
		if h, err = digestHash(p.Hash.public()); err != nil {
			return sigAlg{}, err
		}
	}
	mgfHash := crypto.SHA1
	if p.MGF.Algorithm != nil {
		if !p.MGF.Algorithm.Equal(oidMGF1) {
			return sigAlg{}, newErrf(UnsupportedAlgorithm, op, "mask generation %s", p.MGF.Algorithm)
		}
		var inner algorithmIdentifierASN
		if rest, err := asn1.Unmarshal(p.MGF.Parameters.FullBytes, &inner); err != nil || len(rest) > 0 {
			return sigAlg{}, newErr(Malformed, op, "MGF1 hash")
		}
		var err error
		if mgfHash, err = digestHash(inner.public()); err != nil {
			return sigAlg{}, err
		}
	}
	switch {
	case mgfHash != h:
		// crypto/rsa uses the message hash for MGF1 too.
		return sigAlg{}, newErrf(UnsupportedAlgorithm, op, "MGF1 hash %v differs from hash %v", mgfHash, h)
	case p.Trailer != 1:
		return sigAlg{}, newErrf(UnsupportedAlgorithm, op, "trailer field %d", p.Trailer)
	case p.SaltLength < 0 || p.SaltLength > maxPSSSalt:
		return sigAlg{}, newErrf(Malformed, op, "salt length %d", p.SaltLength)
	}
	return sigAlg{scheme: schemePSS, hash: h, salt: p.SaltLength}, nil
}
