package oids

import (
	"bytes"
	"crypto"
	"encoding/asn1"
	"errors"
)

// PSSParams is RSASSA-PSS-params (RFC 4055 §3.1) as encoded: absent fields
// are left empty here (HashAlgorithm and MaskGen with a nil OID) and mean
// the RFC defaults, SHA-1 and MGF1 with SHA-1; SaltLength defaults to 20
// and Trailer to 1.
type PSSParams struct {
	HashAlgorithm AlgorithmIdentifier
	MaskGen       AlgorithmIdentifier
	SaltLength    int
	Trailer       int
}

// MaxPSSSalt bounds the salt length: it can never exceed the modulus size.
const MaxPSSSalt = 1024

// Errors of ParsePSSParams and PSSParams.MGF1Hash.
var (
	ErrPSSParamsAbsent = errors.New("RSASSA-PSS parameters absent")
	ErrPSSParams       = errors.New("not RSASSA-PSS-params")
	ErrMGF1Params      = errors.New("MGF1 parameters are not a hash AlgorithmIdentifier")
)

type algorithmIdentifierASN struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

func (a algorithmIdentifierASN) value() AlgorithmIdentifier {
	return AlgorithmIdentifier{OID: a.Algorithm, Params: bytes.Clone(a.Parameters.FullBytes)}
}

type pssParamsASN struct {
	Hash       algorithmIdentifierASN `asn1:"optional,explicit,tag:0"`
	MGF        algorithmIdentifierASN `asn1:"optional,explicit,tag:1"`
	SaltLength int                    `asn1:"optional,explicit,tag:2,default:20"`
	Trailer    int                    `asn1:"optional,explicit,tag:3,default:1"`
}

// ParsePSSParams decodes the parameters of an RSASSA-PSS signature
// algorithm. RFC 4055 §3.1 lets them be absent in a key, never in a
// signature: absent parameters give ErrPSSParamsAbsent.
func ParsePSSParams(params []byte) (PSSParams, error) {
	if len(params) == 0 {
		return PSSParams{}, ErrPSSParamsAbsent
	}
	var p pssParamsASN
	if rest, err := asn1.Unmarshal(params, &p); err != nil || len(rest) > 0 {
		return PSSParams{}, ErrPSSParams
	}
	return PSSParams{HashAlgorithm: p.Hash.value(), MaskGen: p.MGF.value(), SaltLength: p.SaltLength, Trailer: p.Trailer}, nil
}

// MGF1Hash returns the hash AlgorithmIdentifier that the MGF1 mask
// generation function carries as its parameters; call it only when
// MaskGen is MGF1.
func (p PSSParams) MGF1Hash() (AlgorithmIdentifier, error) {
	var inner algorithmIdentifierASN
	if rest, err := asn1.Unmarshal(p.MaskGen.Params, &inner); err != nil || len(rest) > 0 {
		return AlgorithmIdentifier{}, ErrMGF1Params
	}
	return inner.value(), nil
}

// ParamsAbsentOrNull accepts the two encodings of "no parameters" that
// issuers use for PKCS #1 v1.5, ECDSA and digests (RFC 4055 §5 wants NULL,
// RFC 5758 §3.2 wants absent; real certificates have both).
func ParamsAbsentOrNull(p []byte) bool {
	return len(p) == 0 || bytes.Equal(p, asn1.NullBytes)
}

// digest resolves a digest AlgorithmIdentifier whose parameters are
// absent or NULL.
func digest(a AlgorithmIdentifier) (crypto.Hash, bool) {
	h, ok := Hash(a.OID)
	return h, ok && ParamsAbsentOrNull(a.Params)
}

// pssHash returns the hash of valid RSASSA-PSS parameters that this module
// can verify (the same hash for the message and MGF1, trailer 1, a salt
// within bounds).
func pssHash(params []byte) (crypto.Hash, bool) {
	p, err := ParsePSSParams(params)
	if err != nil {
		return 0, false
	}
	h, mgf := crypto.SHA1, crypto.SHA1
	ok := true
	if p.HashAlgorithm.OID != nil {
		if h, ok = digest(p.HashAlgorithm); !ok {
			return 0, false
		}
	}
	if p.MaskGen.OID != nil {
		inner, err := p.MGF1Hash()
		if !p.MaskGen.OID.Equal(MGF1) || err != nil {
			return 0, false
		}
		if mgf, ok = digest(inner); !ok {
			return 0, false
		}
	}
	return h, mgf == h && p.Trailer == 1 && p.SaltLength >= 0 && p.SaltLength <= MaxPSSSalt
}
