package demo

import (
	"crypto"
	"crypto/sha1"
	"crypto/x509/pkix"
	"encoding/asn1"
	"io"
	"math/big"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// Certificates are built by hand with encoding/asn1 rather than with
// crypto/x509 because crypto/x509 cannot encode brainpool keys; one builder
// for every algorithm keeps the certificates alike.

// certHash signs every certificate and the CRL.
const certHash = crypto.SHA256

type tbsCertificate struct {
	Version            int `asn1:"explicit,tag:0"`
	SerialNumber       *big.Int
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Issuer             asn1.RawValue
	Validity           validity
	Subject            asn1.RawValue
	PublicKey          asn1.RawValue
	Extensions         []pkix.Extension `asn1:"explicit,tag:3"`
}

type validity struct {
	NotBefore, NotAfter time.Time
}

type signedObject struct {
	TBS                asn1.RawValue
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          asn1.BitString
}

type privateKeyUsagePeriod struct {
	NotBefore time.Time `asn1:"optional,tag:0,generalized"`
	NotAfter  time.Time `asn1:"optional,tag:1,generalized"`
}

type authorityKeyID struct {
	ID []byte `asn1:"optional,tag:0"`
}

type basicConstraints struct {
	CA      bool
	PathLen int
}

type documentTypeList struct {
	Version int
	Types   []string `asn1:"set"` // PrintableString(SIZE(1..2)); asn1 picks PrintableString for these
}

type tbsCertList struct {
	Version             int
	SignatureAlgorithm  pkix.AlgorithmIdentifier
	Issuer              asn1.RawValue
	ThisUpdate          time.Time
	NextUpdate          time.Time
	RevokedCertificates []revokedCert    `asn1:"optional"`
	Extensions          []pkix.Extension `asn1:"explicit,tag:0"`
}

type revokedCert struct {
	Serial         *big.Int
	RevocationDate time.Time
}

// certSpec describes one certificate to issue.
type certSpec struct {
	serial     *big.Int
	subject    pkix.Name
	issuer     pkix.Name
	notBefore  time.Time
	notAfter   time.Time
	subjectKey *keyPair
	issuerKey  *keyPair
	extensions []pkix.Extension
}

func encodeName(n pkix.Name) ([]byte, error) {
	b, err := asn1.Marshal(n.ToRDNSequence())
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Unsupported, "demo PKI: name", err)
	}
	return b, nil
}

// keyID is the RFC 5280 §4.2.1.2 method 1 key identifier.
func keyID(k *keyPair) []byte {
	s := sha1.Sum(k.pubBits)
	return s[:]
}

// randomSerial returns a positive serial of at most 127 bits (16 DER bytes,
// within RFC 5280's 20-octet limit).
func randomSerial(rnd io.Reader) (*big.Int, error) {
	b := make([]byte, 16)
	for {
		if _, err := io.ReadFull(rnd, b); err != nil {
			return nil, chiperr.Wrap(chiperr.Transport, "demo PKI: serial", err)
		}
		b[0] &= 0x7F
		if s := new(big.Int).SetBytes(b); s.Sign() > 0 {
			return s, nil
		}
	}
}

func extension(oid asn1.ObjectIdentifier, critical bool, v any) (pkix.Extension, error) {
	b, err := asn1.Marshal(v)
	if err != nil {
		return pkix.Extension{}, chiperr.Wrap(chiperr.Unsupported, "demo PKI: extension "+oid.String(), err)
	}
	return pkix.Extension{Id: oid, Critical: critical, Value: b}, nil
}

// signTBS wraps tbs into the Certificate / CertificateList shape, which is
// the same: SEQUENCE { tbs, signatureAlgorithm, signature BIT STRING }.
func signTBS(rnd io.Reader, tbs []byte, alg pkix.AlgorithmIdentifier, key *keyPair) ([]byte, error) {
	sig, err := key.sign(rnd, certHash, tbs)
	if err != nil {
		return nil, err
	}
	der, err := asn1.Marshal(signedObject{
		TBS:                asn1.RawValue{FullBytes: tbs},
		SignatureAlgorithm: alg,
		Signature:          asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)},
	})
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Unsupported, "demo PKI: signed object", err)
	}
	return der, nil
}

func issueCert(rnd io.Reader, s certSpec) ([]byte, error) {
	alg, err := s.issuerKey.sigAlgID(certHash)
	if err != nil {
		return nil, err
	}
	subject, err := encodeName(s.subject)
	if err != nil {
		return nil, err
	}
	issuer, err := encodeName(s.issuer)
	if err != nil {
		return nil, err
	}
	tbs, err := asn1.Marshal(tbsCertificate{
		Version:            2, // v3
		SerialNumber:       s.serial,
		SignatureAlgorithm: alg,
		Issuer:             asn1.RawValue{FullBytes: issuer},
		Validity:           validity{s.notBefore.UTC(), s.notAfter.UTC()},
		Subject:            asn1.RawValue{FullBytes: subject},
		PublicKey:          asn1.RawValue{FullBytes: s.subjectKey.spki},
		Extensions:         s.extensions,
	})
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Unsupported, "demo PKI: TBSCertificate", err)
	}
	return signTBS(rnd, tbs, alg, s.issuerKey)
}

// issueCRL builds an empty v2 CRL signed by the CSCA.
func issueCRL(rnd io.Reader, issuerName pkix.Name, key *keyPair, thisUpdate, nextUpdate time.Time, number int64, revoked []revokedCert) ([]byte, error) {
	alg, err := key.sigAlgID(certHash)
	if err != nil {
		return nil, err
	}
	issuer, err := encodeName(issuerName)
	if err != nil {
		return nil, err
	}
	aki, err := extension(oids.ExtAuthorityKeyID, false, authorityKeyID{ID: keyID(key)})
	if err != nil {
		return nil, err
	}
	num, err := extension(oids.ExtCRLNumber, false, big.NewInt(number))
	if err != nil {
		return nil, err
	}
	tbs, err := asn1.Marshal(tbsCertList{
		Version:             1, // v2
		SignatureAlgorithm:  alg,
		Issuer:              asn1.RawValue{FullBytes: issuer},
		ThisUpdate:          thisUpdate.UTC(),
		NextUpdate:          nextUpdate.UTC(),
		RevokedCertificates: revoked,
		Extensions:          []pkix.Extension{aki, num},
	})
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Unsupported, "demo PKI: TBSCertList", err)
	}
	return signTBS(rnd, tbs, alg, key)
}
