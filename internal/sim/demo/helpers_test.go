package demo

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/ecc"
)

// The helpers below decode and verify what the package builds with their
// own tables (not the package's), so that a wrong OID or encoding in the
// builder is not mirrored by the test.

type tCert struct {
	Raw    asn1.RawContent
	TBS    tTBS
	SigAlg pkix.AlgorithmIdentifier
	Sig    asn1.BitString
}

type tTBS struct {
	Raw      asn1.RawContent
	Version  int `asn1:"explicit,tag:0"`
	Serial   *big.Int
	SigAlg   pkix.AlgorithmIdentifier
	Issuer   asn1.RawValue
	Validity struct{ NotBefore, NotAfter time.Time }
	Subject  asn1.RawValue
	SPKI     asn1.RawValue
	Exts     []pkix.Extension `asn1:"explicit,tag:3"`
}

type tCRL struct {
	TBS struct {
		Raw        asn1.RawContent
		Version    int
		SigAlg     pkix.AlgorithmIdentifier
		Issuer     asn1.RawValue
		ThisUpdate time.Time
		NextUpdate time.Time
		Revoked    []asn1.RawValue  `asn1:"optional"` // SEQUENCE OF; absent when empty
		Exts       []pkix.Extension `asn1:"explicit,tag:0"`
	}
	SigAlg pkix.AlgorithmIdentifier
	Sig    asn1.BitString
}

func parseCert(der []byte) (*tCert, error) {
	var c tCert
	rest, err := asn1.Unmarshal(der, &c)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, errors.New("trailing bytes after certificate")
	}
	return &c, nil
}

func (c *tCert) ext(oid asn1.ObjectIdentifier) (pkix.Extension, bool) {
	for _, e := range c.TBS.Exts {
		if e.Id.Equal(oid) {
			return e, true
		}
	}
	return pkix.Extension{}, false
}

func (c *tCert) name(raw asn1.RawValue) (pkix.Name, error) {
	var seq pkix.RDNSequence
	if _, err := asn1.Unmarshal(raw.FullBytes, &seq); err != nil {
		return pkix.Name{}, err
	}
	var n pkix.Name
	n.FillFromRDNSequence(&seq)
	return n, nil
}

// parseSPKI decodes EC keys on any curve reader/ecc knows (brainpool
// included) and RSA keys.
func parseSPKI(der []byte) (crypto.PublicKey, error) {
	var spki struct {
		Alg pkix.AlgorithmIdentifier
		Key asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil, err
	}
	if spki.Alg.Algorithm.Equal(asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}) {
		var curveOID asn1.ObjectIdentifier
		if _, err := asn1.Unmarshal(spki.Alg.Parameters.FullBytes, &curveOID); err != nil {
			return nil, err
		}
		c, ok := ecc.ByOID(curveOID)
		if !ok {
			return nil, fmt.Errorf("unknown curve %v", curveOID)
		}
		p, err := c.Decode(spki.Key.Bytes)
		if err != nil {
			return nil, err
		}
		return &ecdsa.PublicKey{Curve: c.Elliptic(), X: p.X, Y: p.Y}, nil
	}
	return x509.ParsePKIXPublicKey(der)
}

// Signature algorithm OIDs, from RFC 5758 §3.2 (ECDSA), RFC 4055 §5 and
// RFC 8017 Appendix C (RSA).
var tSigAlgs = map[string]crypto.Hash{
	"1.2.840.10045.4.1":     crypto.SHA1,
	"1.2.840.113549.1.1.5":  crypto.SHA1,
	"1.2.840.10045.4.3.1":   crypto.SHA224,
	"1.2.840.10045.4.3.2":   crypto.SHA256,
	"1.2.840.10045.4.3.3":   crypto.SHA384,
	"1.2.840.10045.4.3.4":   crypto.SHA512,
	"1.2.840.113549.1.1.14": crypto.SHA224,
	"1.2.840.113549.1.1.11": crypto.SHA256,
	"1.2.840.113549.1.1.12": crypto.SHA384,
	"1.2.840.113549.1.1.13": crypto.SHA512,
}

// Hash OIDs from RFC 5754 §2.
var tHashOIDs = map[string]crypto.Hash{
	"1.3.14.3.2.26":          crypto.SHA1,
	"2.16.840.1.101.3.4.2.4": crypto.SHA224,
	"2.16.840.1.101.3.4.2.1": crypto.SHA256,
	"2.16.840.1.101.3.4.2.2": crypto.SHA384,
	"2.16.840.1.101.3.4.2.3": crypto.SHA512,
}

type tPSS struct {
	Hash pkix.AlgorithmIdentifier `asn1:"explicit,tag:0"`
	MGF  pkix.AlgorithmIdentifier `asn1:"explicit,tag:1"`
	Salt int                      `asn1:"explicit,tag:2"`
}

// verify checks sig over msg with pub under the signature algorithm alg.
func verify(pub crypto.PublicKey, alg pkix.AlgorithmIdentifier, msg, sig []byte) error {
	var h crypto.Hash
	pss := alg.Algorithm.String() == "1.2.840.113549.1.1.10"
	salt := 0
	if pss {
		var p tPSS
		if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil {
			return err
		}
		var ok bool
		if h, ok = tHashOIDs[p.Hash.Algorithm.String()]; !ok {
			return fmt.Errorf("PSS hash %v", p.Hash.Algorithm)
		}
		var mgfHash pkix.AlgorithmIdentifier
		if _, err := asn1.Unmarshal(p.MGF.Parameters.FullBytes, &mgfHash); err != nil {
			return err
		}
		if p.MGF.Algorithm.String() != "1.2.840.113549.1.1.8" || !mgfHash.Algorithm.Equal(p.Hash.Algorithm) {
			return errors.New("PSS MGF is not MGF1 with the same hash")
		}
		salt = p.Salt
	} else {
		var ok bool
		if h, ok = tSigAlgs[alg.Algorithm.String()]; !ok {
			return fmt.Errorf("unknown signature algorithm %v", alg.Algorithm)
		}
	}
	hh := h.New()
	hh.Write(msg)
	digest := hh.Sum(nil)
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if len(alg.Parameters.FullBytes) != 0 {
			return errors.New("ECDSA algorithm identifier with parameters")
		}
		if !ecdsa.VerifyASN1(k, digest, sig) {
			return errors.New("ECDSA signature does not verify")
		}
		return nil
	case *rsa.PublicKey:
		if pss {
			return rsa.VerifyPSS(k, h, digest, sig, &rsa.PSSOptions{SaltLength: salt, Hash: h})
		}
		if string(alg.Parameters.FullBytes) != string([]byte{5, 0}) {
			return errors.New("PKCS#1 v1.5 algorithm identifier without NULL parameters")
		}
		return rsa.VerifyPKCS1v15(k, h, digest, sig)
	}
	return fmt.Errorf("unexpected key type %T", pub)
}
