package lds

import (
	"crypto"
	"crypto/rsa"
	"encoding/asn1"
	"math/big"
	"strings"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// ECPublicKey is an elliptic-curve public key on a curve this reader supports.
type ECPublicKey struct {
	Curve *ecc.Curve
	Point ecc.Point // validated with Curve.Decode
	// Explicit tells that the key spelled its curve out as ECParameters
	// (or named it by a standardized domain parameter id) instead of a curve OID.
	Explicit bool
	// Lenient names the encoding slips that were accepted because they
	// change nothing in the key (e.g. a coefficient with a leading zero
	// byte); empty for a well-formed key.
	Lenient []string
}

// DHPublicKey is a Diffie-Hellman public key (X9.42, or PKCS #3 when Q is nil).
type DHPublicKey struct {
	P, G, Q, Y *big.Int
}

// Bounds on the keys a chip may present.
const (
	// MaxRSABits bounds the RSA keys of chips (DG15). Certificates use
	// ParsePublicKeyMax: CSCAs of several states have 6144-bit keys.
	MaxRSABits = 4096
	MinRSABits = 1024
	MaxDHBits  = 4096
	MinDHBits  = 1024
	maxECBits  = 521
)

type algorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

type subjectPublicKeyInfo struct {
	Algorithm algorithmIdentifier
	Key       asn1.BitString
}

type rsaPublicKey struct {
	N, E *big.Int
}

type fieldID struct {
	FieldType  asn1.ObjectIdentifier
	Parameters asn1.RawValue
}

type ecCurve struct {
	A, B []byte
	Seed asn1.BitString `asn1:"optional"`
}

// ecParameters is SEC 1 / X9.62 ECParameters, as DG14 and DG15 of many
// documents spell brainpool curves out.
type ecParameters struct {
	Version  int
	FieldID  fieldID
	Curve    ecCurve
	Base     []byte
	Order    *big.Int
	Cofactor *big.Int `asn1:"optional"`
}

type dhDomainParameters struct { // X9.42
	P, G, Q *big.Int
}

type dhParameter struct { // PKCS #3
	P, G *big.Int
}

// ParsePublicKey reads a DER SubjectPublicKeyInfo into *rsa.PublicKey,
// *ECPublicKey or *DHPublicKey. Structure errors are chiperr.Malformed,
// keys beyond the size bounds chiperr.TooLarge, algorithms and curves this
// reader does not know chiperr.Unsupported; an EC point that is not on its
// curve is chiperr.Integrity (from ecc.Decode).
func ParsePublicKey(der []byte) (crypto.PublicKey, error) {
	return ParsePublicKeyMax(der, MaxRSABits)
}

// ParsePublicKeyMax is ParsePublicKey with RSA moduli of up to maxRSABits.
func ParsePublicKeyMax(der []byte, maxRSABits int) (crypto.PublicKey, error) {
	const op = "parse public key"
	var spki subjectPublicKeyInfo
	if rest, err := asn1.Unmarshal(der, &spki); err != nil || len(rest) > 0 {
		return nil, chiperr.New(chiperr.Malformed, op, "not a DER SubjectPublicKeyInfo")
	}
	if spki.Key.BitLength%8 != 0 {
		return nil, chiperr.New(chiperr.Malformed, op, "key is not a whole number of bytes")
	}
	alg, key := spki.Algorithm, spki.Key.Bytes
	switch {
	case alg.Algorithm.Equal(oids.RSAEncryption):
		return parseRSA(key, maxRSABits)
	case alg.Algorithm.Equal(oids.ECPublicKey):
		c, explicit, lenient, err := ecCurveOf(alg.Parameters)
		if err != nil {
			return nil, err
		}
		k, err := ecKey(c, key, explicit)
		if k != nil {
			k.Lenient = lenient
		}
		return k, err
	case alg.Algorithm.Equal(oids.StandardizedDomainParameters):
		var id int
		if !parseInt(alg.Parameters.FullBytes, &id) {
			return nil, chiperr.New(chiperr.Malformed, op, "standardized domain parameter id is not an INTEGER")
		}
		c, ok := ecc.ByParamID(id)
		if !ok {
			return nil, chiperr.Newf(chiperr.Unsupported, op, "standardized domain parameters %d", id)
		}
		return ecKey(c, key, true)
	case alg.Algorithm.Equal(oids.DHPublicNumber):
		var p dhDomainParameters
		if rest, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil || len(rest) > 0 {
			return nil, chiperr.New(chiperr.Malformed, op, "DH domain parameters")
		}
		return dhKey(p.P, p.G, p.Q, key)
	case alg.Algorithm.Equal(oids.DHKeyAgreement):
		var p dhParameter
		if rest, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil || len(rest) > 0 {
			return nil, chiperr.New(chiperr.Malformed, op, "DH parameters")
		}
		return dhKey(p.P, p.G, nil, key)
	}
	return nil, chiperr.Newf(chiperr.Unsupported, op, "key algorithm %s", alg.Algorithm)
}

func parseRSA(key []byte, maxBits int) (*rsa.PublicKey, error) {
	const op = "parse RSA public key"
	var k rsaPublicKey
	if rest, err := asn1.Unmarshal(key, &k); err != nil || len(rest) > 0 {
		return nil, chiperr.New(chiperr.Malformed, op, "not an RSAPublicKey")
	}
	switch bits := k.N.BitLen(); {
	case k.N.Sign() <= 0 || k.N.Bit(0) == 0:
		return nil, chiperr.New(chiperr.Malformed, op, "modulus not positive and odd")
	case bits > maxBits:
		return nil, chiperr.Newf(chiperr.TooLarge, op, "modulus of %d bits", bits)
	case bits < MinRSABits:
		return nil, chiperr.Newf(chiperr.Unsupported, op, "modulus of %d bits", bits)
	}
	if k.E.Sign() <= 0 || k.E.Bit(0) == 0 || k.E.Cmp(big.NewInt(3)) < 0 || k.E.BitLen() > 31 {
		return nil, chiperr.New(chiperr.Malformed, op, "public exponent not odd in [3, 2^31)")
	}
	return &rsa.PublicKey{N: k.N, E: int(k.E.Int64())}, nil
}

// ecCurveOf finds the curve named or spelled out by id-ecPublicKey parameters.
// It also returns the encoding slips it accepted.
func ecCurveOf(params asn1.RawValue) (*ecc.Curve, bool, []string, error) {
	const op = "parse EC parameters"
	switch {
	case params.Class == asn1.ClassUniversal && params.Tag == asn1.TagOID:
		var oid asn1.ObjectIdentifier
		if rest, err := asn1.Unmarshal(params.FullBytes, &oid); err != nil || len(rest) > 0 {
			return nil, false, nil, chiperr.New(chiperr.Malformed, op, "curve OID")
		}
		c, ok := ecc.ByOID(oid)
		if !ok {
			return nil, false, nil, chiperr.Newf(chiperr.Unsupported, op, "curve %s", oid)
		}
		return c, false, nil, nil
	case params.Class == asn1.ClassUniversal && params.Tag == asn1.TagSequence:
		c, lenient, err := explicitCurve(params.FullBytes)
		return c, true, lenient, err
	}
	return nil, false, nil, chiperr.New(chiperr.Unsupported, op, "curve neither named nor explicit (implicitlyCA)")
}

// explicitCurve maps ECParameters to a supported curve: p, a, b, G and n
// must all be those of the curve. A coefficient is a FieldElement of
// exactly the field's length (SEC 1 §2.3.5); one issuer's CSCA writes a
// with an extra leading zero byte. The value is the same, so it is
// accepted and named in the returned slips.
func explicitCurve(der []byte) (*ecc.Curve, []string, error) {
	const op = "parse EC parameters"
	var ep ecParameters
	if rest, err := asn1.Unmarshal(der, &ep); err != nil || len(rest) > 0 {
		return nil, nil, chiperr.New(chiperr.Malformed, op, "not ECParameters")
	}
	if ep.Version != 1 {
		return nil, nil, chiperr.Newf(chiperr.Malformed, op, "version %d", ep.Version)
	}
	if !ep.FieldID.FieldType.Equal(oids.PrimeField) {
		return nil, nil, chiperr.New(chiperr.Unsupported, op, "field is not a prime field")
	}
	p := new(big.Int)
	if rest, err := asn1.Unmarshal(ep.FieldID.Parameters.FullBytes, &p); err != nil || len(rest) > 0 || p.Sign() <= 0 {
		return nil, nil, chiperr.New(chiperr.Malformed, op, "prime")
	}
	if p.BitLen() > maxECBits {
		return nil, nil, chiperr.Newf(chiperr.Unsupported, op, "field of %d bits", p.BitLen())
	}
	n := (p.BitLen() + 7) / 8
	if len(ep.Base) != 1+2*n || ep.Base[0] != 4 {
		return nil, nil, chiperr.New(chiperr.Unsupported, op, "base point not uncompressed")
	}
	if ep.Cofactor != nil && ep.Cofactor.Cmp(big.NewInt(1)) != 0 {
		return nil, nil, chiperr.New(chiperr.Unsupported, op, "cofactor is not 1")
	}
	var lenient []string
	for _, co := range []struct {
		name string
		v    *[]byte
	}{{"a", &ep.Curve.A}, {"b", &ep.Curve.B}} {
		if len(*co.v) > n && len(*co.v) == n+1 && (*co.v)[0] == 0 {
			*co.v = (*co.v)[1:]
			lenient = append(lenient, "EC coefficient "+co.name+" with a leading zero byte")
		}
		if len(*co.v) > n {
			return nil, nil, chiperr.New(chiperr.Malformed, op, "coefficient longer than the field")
		}
	}
	a, b := new(big.Int).SetBytes(ep.Curve.A), new(big.Int).SetBytes(ep.Curve.B)
	gx, gy := new(big.Int).SetBytes(ep.Base[1:1+n]), new(big.Int).SetBytes(ep.Base[1+n:])
	c, ok := ecc.ByParams(p, a, b, gx, gy, ep.Order)
	if !ok {
		return nil, nil, chiperr.New(chiperr.Unsupported, op, "explicit parameters of an unknown curve")
	}
	return c, lenient, nil
}

func ecKey(c *ecc.Curve, key []byte, explicit bool) (*ECPublicKey, error) {
	pt, err := c.Decode(key)
	if err != nil {
		return nil, err
	}
	return &ECPublicKey{Curve: c, Point: pt, Explicit: explicit}, nil
}

func dhKey(p, g, q *big.Int, key []byte) (*DHPublicKey, error) {
	const op = "parse DH public key"
	y := new(big.Int)
	if rest, err := asn1.Unmarshal(key, &y); err != nil || len(rest) > 0 {
		return nil, chiperr.New(chiperr.Malformed, op, "public value is not an INTEGER")
	}
	k := &DHPublicKey{P: p, G: g, Q: q, Y: y}
	if err := k.check(); err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, op, err)
	}
	return k, nil
}

// check bounds the group and puts g, y (and q) in range. It does not test
// that y lies in the order-q subgroup: Chip Authentication does that with
// the key agreement.
func (k *DHPublicKey) check() error {
	const op = "DH public key"
	if k.P == nil || k.G == nil || k.Y == nil || k.P.Sign() <= 0 || k.P.Bit(0) == 0 {
		return chiperr.New(chiperr.Malformed, op, "p missing or even")
	}
	switch bits := k.P.BitLen(); {
	case bits > MaxDHBits:
		return chiperr.Newf(chiperr.TooLarge, op, "p of %d bits", bits)
	case bits < MinDHBits:
		return chiperr.Newf(chiperr.Unsupported, op, "p of %d bits", bits)
	}
	pm1 := new(big.Int).Sub(k.P, big.NewInt(1))
	inRange := func(v *big.Int) bool { return v.Cmp(big.NewInt(1)) > 0 && v.Cmp(pm1) < 0 }
	if !inRange(k.G) || !inRange(k.Y) || (k.Q != nil && !inRange(k.Q)) {
		return chiperr.New(chiperr.Malformed, op, "g, y or q out of range")
	}
	return nil
}

// MarshalPublicKey writes a DER SubjectPublicKeyInfo for *rsa.PublicKey,
// *ECPublicKey or *DHPublicKey. EC keys on brainpool curves get EXPLICIT
// parameters, as issued documents carry them; NIST curves are named.
func MarshalPublicKey(pub crypto.PublicKey) ([]byte, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return marshalRSA(k)
	case *ECPublicKey:
		if k == nil || k.Curve == nil {
			break
		}
		return MarshalECPublicKey(k.Curve, k.Point, strings.HasPrefix(k.Curve.Name, "brainpool"))
	case *DHPublicKey:
		return marshalDH(k)
	}
	return nil, chiperr.Newf(chiperr.BadInput, "marshal public key", "unsupported key type %T", pub)
}

func marshalRSA(k *rsa.PublicKey) ([]byte, error) {
	if k == nil || k.N == nil || k.N.BitLen() > MaxRSABits || k.E < 3 {
		return nil, chiperr.New(chiperr.BadInput, "marshal RSA public key", "modulus or exponent out of bounds")
	}
	key, err := asn1.Marshal(rsaPublicKey{N: k.N, E: big.NewInt(int64(k.E))})
	if err != nil {
		return nil, chiperr.Newf(chiperr.BadInput, "marshal RSA public key", "%v", err)
	}
	return spkiDER(oids.RSAEncryption, asn1.NullBytes, key)
}

// MarshalECPublicKey writes a SubjectPublicKeyInfo for a point on c, with
// the curve spelled out as ECParameters (explicit) or named by its OID.
func MarshalECPublicKey(c *ecc.Curve, pt ecc.Point, explicit bool) ([]byte, error) {
	if !c.Valid(pt) {
		return nil, chiperr.New(chiperr.BadInput, "marshal EC public key", "point not on the curve")
	}
	var params []byte
	var err error
	if explicit {
		params, err = ecParametersDER(c)
	} else {
		params, err = asn1.Marshal(c.OID)
	}
	if err != nil {
		return nil, chiperr.Newf(chiperr.BadInput, "marshal EC public key", "%v", err)
	}
	return spkiDER(oids.ECPublicKey, params, c.Encode(pt))
}

func ecParametersDER(c *ecc.Curve) ([]byte, error) {
	cp := c.Params()
	n := c.ByteLen()
	p, err := asn1.Marshal(cp.P)
	if err != nil {
		return nil, err
	}
	a, b := c.Coefficients()
	return asn1.Marshal(ecParameters{
		Version:  1,
		FieldID:  fieldID{FieldType: oids.PrimeField, Parameters: asn1.RawValue{FullBytes: p}},
		Curve:    ecCurve{A: a.FillBytes(make([]byte, n)), B: b.FillBytes(make([]byte, n))},
		Base:     c.Encode(c.Generator()),
		Order:    cp.N,
		Cofactor: big.NewInt(1),
	})
}

func marshalDH(k *DHPublicKey) ([]byte, error) {
	const op = "marshal DH public key"
	if k == nil {
		return nil, chiperr.New(chiperr.BadInput, op, "nil key")
	}
	if err := k.check(); err != nil {
		return nil, chiperr.New(chiperr.BadInput, op, "key out of bounds")
	}
	y, err := asn1.Marshal(k.Y)
	if err != nil {
		return nil, chiperr.Newf(chiperr.BadInput, op, "%v", err)
	}
	alg, params := oids.DHKeyAgreement, any(dhParameter{P: k.P, G: k.G})
	if k.Q != nil {
		alg, params = oids.DHPublicNumber, dhDomainParameters{P: k.P, G: k.G, Q: k.Q}
	}
	pd, err := asn1.Marshal(params)
	if err != nil {
		return nil, chiperr.Newf(chiperr.BadInput, op, "%v", err)
	}
	return spkiDER(alg, pd, y)
}

func spkiDER(alg asn1.ObjectIdentifier, params, key []byte) ([]byte, error) {
	der, err := asn1.Marshal(subjectPublicKeyInfo{
		Algorithm: algorithmIdentifier{Algorithm: alg, Parameters: asn1.RawValue{FullBytes: params}},
		Key:       asn1.BitString{Bytes: key, BitLength: 8 * len(key)},
	})
	if err != nil {
		return nil, chiperr.Newf(chiperr.BadInput, "marshal public key", "%v", err)
	}
	return der, nil
}
