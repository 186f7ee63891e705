package demo

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"io"
	"math/big"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// KeyAlg is the key type of both the CSCA and the Document Signer.
type KeyAlg int

const (
	// ECDSAP256 is ECDSA on NIST P-256.
	ECDSAP256 KeyAlg = iota + 1
	// ECDSABrainpoolP256r1 is ECDSA on brainpoolP256r1 (what many European
	// CSCAs use, and what crypto/x509 cannot handle).
	ECDSABrainpoolP256r1
	// RSA2048 is RSA-2048 with PKCS#1 v1.5 signatures.
	RSA2048
	// RSAPSS2048 is RSA-2048 with RSASSA-PSS signatures (MGF1 with the same
	// hash, salt length = hash length); the keys are plain rsaEncryption.
	RSAPSS2048
)

// KeyAlgs lists every supported KeyAlg, for tests and benchmarks.
var KeyAlgs = []KeyAlg{ECDSAP256, ECDSABrainpoolP256r1, RSA2048, RSAPSS2048}

func (a KeyAlg) String() string {
	switch a {
	case ECDSAP256:
		return "ECDSA-P256"
	case ECDSABrainpoolP256r1:
		return "ECDSA-brainpoolP256r1"
	case RSA2048:
		return "RSA-2048"
	case RSAPSS2048:
		return "RSA-PSS-2048"
	}
	return fmt.Sprintf("KeyAlg(%d)", int(a))
}

// keyPair is one private key with what is needed to sign and describe it.
type keyPair struct {
	alg  KeyAlg
	ec   *ecdsa.PrivateKey // ECDSA algorithms
	rsa  *rsa.PrivateKey   // RSA algorithms
	spki []byte            // DER SubjectPublicKeyInfo
	// pubBits is the subjectPublicKey BIT STRING content, hashed for the
	// key identifiers (RFC 5280 §4.2.1.2 method 1).
	pubBits []byte
}

type subjectPublicKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	PublicKey asn1.BitString
}

func newKeyPair(rnd io.Reader, alg KeyAlg) (*keyPair, error) {
	switch alg {
	case ECDSAP256:
		return newECKey(rnd, alg, "P-256")
	case ECDSABrainpoolP256r1:
		return newECKey(rnd, alg, "brainpoolP256r1")
	case RSA2048, RSAPSS2048:
		priv, err := newRSAKey(rnd, 2048)
		if err != nil {
			return nil, err
		}
		spki, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
		if err != nil {
			return nil, chiperr.Wrap(chiperr.Unsupported, "demo PKI: encode RSA key", err)
		}
		return &keyPair{alg: alg, rsa: priv, spki: spki, pubBits: x509.MarshalPKCS1PublicKey(&priv.PublicKey)}, nil
	}
	return nil, chiperr.Newf(chiperr.Unsupported, "demo PKI", "unknown key algorithm %d", int(alg))
}

// newECKey draws the scalar from rnd itself (through reader/ecc) because
// ecdsa.GenerateKey ignores custom readers since Go 1.26, which would make
// demo keys irreproducible.
func newECKey(rnd io.Reader, alg KeyAlg, curveName string) (*keyPair, error) {
	c, ok := ecc.ByName(curveName)
	if !ok {
		return nil, chiperr.Newf(chiperr.Unsupported, "demo PKI", "curve %s missing", curveName)
	}
	d, pub, err := c.GenerateKey(rnd, c.Generator())
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Transport, "demo PKI: EC key", err)
	}
	var priv *ecdsa.PrivateKey
	if c.Elliptic() == elliptic.P256() {
		// The FIPS code path wants keys built by ParseRawPrivateKey.
		priv, err = ecdsa.ParseRawPrivateKey(elliptic.P256(), d)
		if err != nil {
			return nil, chiperr.Wrap(chiperr.Unsupported, "demo PKI: EC key", err)
		}
	} else {
		// Brainpool goes through crypto/ecdsa's generic (legacy) code,
		// which only reads these fields.
		priv = &ecdsa.PrivateKey{
			PublicKey: ecdsa.PublicKey{Curve: c.Elliptic(), X: pub.X, Y: pub.Y},
			D:         new(big.Int).SetBytes(d),
		}
	}
	point := c.Encode(pub)
	params, err := asn1.Marshal(c.OID)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Unsupported, "demo PKI: curve OID", err)
	}
	spki, err := asn1.Marshal(subjectPublicKeyInfo{
		Algorithm: pkix.AlgorithmIdentifier{Algorithm: oids.ECPublicKey, Parameters: asn1.RawValue{FullBytes: params}},
		PublicKey: asn1.BitString{Bytes: point, BitLength: 8 * len(point)},
	})
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Unsupported, "demo PKI: SPKI", err)
	}
	return &keyPair{alg: alg, ec: priv, spki: spki, pubBits: point}, nil
}

// newRSAKey generates an RSA key whose primes come from rnd only, so that a
// seeded reader gives the same key every time (rsa.GenerateKey ignores
// custom readers since Go 1.26).
func newRSAKey(rnd io.Reader, bits int) (*rsa.PrivateKey, error) {
	e := big.NewInt(65537)
	for tries := 0; tries < 16; tries++ {
		p, err := demoPrime(rnd, bits/2, e)
		if err != nil {
			return nil, err
		}
		q, err := demoPrime(rnd, bits-bits/2, e)
		if err != nil {
			return nil, err
		}
		n := new(big.Int).Mul(p, q)
		if p.Cmp(q) == 0 || n.BitLen() != bits {
			continue
		}
		one := big.NewInt(1)
		pm1 := new(big.Int).Sub(p, one)
		qm1 := new(big.Int).Sub(q, one)
		phi := new(big.Int).Mul(pm1, qm1)
		d := new(big.Int).ModInverse(e, phi)
		if d == nil {
			continue
		}
		priv := &rsa.PrivateKey{
			PublicKey: rsa.PublicKey{N: n, E: int(e.Int64())},
			D:         d,
			Primes:    []*big.Int{p, q},
		}
		priv.Precompute()
		if err := priv.Validate(); err != nil {
			continue
		}
		return priv, nil
	}
	return nil, chiperr.New(chiperr.Transport, "demo PKI: RSA key", "random source keeps producing unusable primes")
}

// demoPrime searches upward from a random odd start with the two top bits
// set (so that p·q has exactly the wanted size) for a prime p with
// gcd(p-1, e) = 1. The search is deterministic for a given rnd.
func demoPrime(rnd io.Reader, bits int, e *big.Int) (*big.Int, error) {
	buf := make([]byte, (bits+7)/8)
	if _, err := io.ReadFull(rnd, buf); err != nil {
		return nil, chiperr.Wrap(chiperr.Transport, "demo PKI: RSA prime", err)
	}
	if excess := len(buf)*8 - bits; excess > 0 {
		buf[0] &= byte(0xFF >> excess)
	}
	p := new(big.Int).SetBytes(buf)
	p.SetBit(p, bits-1, 1)
	p.SetBit(p, bits-2, 1)
	p.SetBit(p, 0, 1)
	two := big.NewInt(2)
	g := new(big.Int)
	for p.BitLen() == bits {
		if p.ProbablyPrime(20) {
			if g.GCD(nil, nil, new(big.Int).Sub(p, big.NewInt(1)), e).Cmp(big.NewInt(1)) == 0 {
				return p, nil
			}
		}
		p.Add(p, two)
	}
	return nil, chiperr.New(chiperr.Transport, "demo PKI: RSA prime", "no prime found above the random start")
}

// public returns the crypto public key.
func (k *keyPair) public() crypto.PublicKey {
	if k.ec != nil {
		return &k.ec.PublicKey
	}
	return &k.rsa.PublicKey
}
