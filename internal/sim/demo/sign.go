package demo

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	_ "crypto/sha1" // SOD digests of older documents
	"crypto/x509/pkix"
	"encoding/asn1"
	"io"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// hashInfo is what each supported hash needs: its OIDs per signature family.
type hashInfo struct {
	digest, ecdsa, rsa asn1.ObjectIdentifier
}

// SHA-1 is kept because documents signed with it are still in circulation
// and the verifier must be tested against them.
var hashes = map[crypto.Hash]hashInfo{
	crypto.SHA1:   {oids.SHA1, oids.ECDSAWithSHA1, oids.SHA1WithRSA},
	crypto.SHA224: {oids.SHA224, oids.ECDSAWithSHA224, oids.SHA224WithRSA},
	crypto.SHA256: {oids.SHA256, oids.ECDSAWithSHA256, oids.SHA256WithRSA},
	crypto.SHA384: {oids.SHA384, oids.ECDSAWithSHA384, oids.SHA384WithRSA},
	crypto.SHA512: {oids.SHA512, oids.ECDSAWithSHA512, oids.SHA512WithRSA},
}

func lookupHash(h crypto.Hash) (hashInfo, error) {
	hi, ok := hashes[h]
	if !ok || !h.Available() {
		return hashInfo{}, chiperr.Newf(chiperr.Unsupported, "demo: hash", "hash %v not supported (SHA-1/224/256/384/512 are)", h)
	}
	return hi, nil
}

// digestAlgID is the AlgorithmIdentifier of a hash, parameters absent as
// RFC 5754 §2 prefers.
func digestAlgID(h crypto.Hash) (pkix.AlgorithmIdentifier, error) {
	hi, err := lookupHash(h)
	if err != nil {
		return pkix.AlgorithmIdentifier{}, err
	}
	return pkix.AlgorithmIdentifier{Algorithm: hi.digest}, nil
}

type pssParameters struct {
	Hash       pkix.AlgorithmIdentifier `asn1:"explicit,tag:0"`
	MGF        pkix.AlgorithmIdentifier `asn1:"explicit,tag:1"`
	SaltLength int                      `asn1:"explicit,tag:2"`
	// trailerField keeps its default (1) and is therefore omitted in DER.
}

// sigAlgID is the AlgorithmIdentifier of this key's signatures with hash h.
func (k *keyPair) sigAlgID(h crypto.Hash) (pkix.AlgorithmIdentifier, error) {
	hi, err := lookupHash(h)
	if err != nil {
		return pkix.AlgorithmIdentifier{}, err
	}
	switch k.alg {
	case ECDSAP256, ECDSABrainpoolP256r1:
		// RFC 5758 §3.2: parameters absent.
		return pkix.AlgorithmIdentifier{Algorithm: hi.ecdsa}, nil
	case RSA2048:
		// RFC 4055 §5: parameters NULL.
		return pkix.AlgorithmIdentifier{Algorithm: hi.rsa, Parameters: asn1.NullRawValue}, nil
	case RSAPSS2048:
		// Hash identifiers inside PSS parameters carry NULL, as crypto/x509
		// and OpenSSL write them.
		hashID := pkix.AlgorithmIdentifier{Algorithm: hi.digest, Parameters: asn1.NullRawValue}
		mgfParam, err := asn1.Marshal(hashID)
		if err != nil {
			return pkix.AlgorithmIdentifier{}, chiperr.Wrap(chiperr.Unsupported, "demo: PSS parameters", err)
		}
		params, err := asn1.Marshal(pssParameters{
			Hash:       hashID,
			MGF:        pkix.AlgorithmIdentifier{Algorithm: oids.MGF1, Parameters: asn1.RawValue{FullBytes: mgfParam}},
			SaltLength: h.Size(),
		})
		if err != nil {
			return pkix.AlgorithmIdentifier{}, chiperr.Wrap(chiperr.Unsupported, "demo: PSS parameters", err)
		}
		return pkix.AlgorithmIdentifier{Algorithm: oids.RSASSAPSS, Parameters: asn1.RawValue{FullBytes: params}}, nil
	}
	return pkix.AlgorithmIdentifier{}, chiperr.Newf(chiperr.Unsupported, "demo: signature", "unknown key algorithm %d", int(k.alg))
}

// sign hashes msg with h and signs the digest (ECDSA: DER Ecdsa-Sig-Value).
func (k *keyPair) sign(rnd io.Reader, h crypto.Hash, msg []byte) ([]byte, error) {
	if _, err := lookupHash(h); err != nil {
		return nil, err
	}
	hh := h.New()
	hh.Write(msg)
	digest := hh.Sum(nil)
	var sig []byte
	var err error
	switch k.alg {
	case ECDSAP256, ECDSABrainpoolP256r1:
		sig, err = ecdsa.SignASN1(rnd, k.ec, digest)
	case RSA2048:
		sig, err = rsa.SignPKCS1v15(nil, k.rsa, h, digest)
	case RSAPSS2048:
		sig, err = rsa.SignPSS(rnd, k.rsa, h, digest, &rsa.PSSOptions{SaltLength: h.Size(), Hash: h})
	default:
		return nil, chiperr.Newf(chiperr.Unsupported, "demo: signature", "unknown key algorithm %d", int(k.alg))
	}
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Unsupported, "demo: signature", err)
	}
	return sig, nil
}
