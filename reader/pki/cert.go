package pki

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"slices"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/cms"
	"github.com/cnie-reader/cnie-reader/reader/lds"
)

// Bounds on a certificate.
const (
	// MaxCertificateSize bounds a DER certificate: real CSCA and Document
	// Signer certificates take 1 to 3 KB.
	MaxCertificateSize = 64 << 10
	maxSerialBytes     = 64
	maxExtensions      = 64
)

// DemoOrganization is the O= of the simulator's demonstration PKI (the same
// string as reader/sim/demo.DemoOrganization). A certificate carrying it is
// only ever trusted as a Demo anchor.
const DemoOrganization = "DEMO - NOT A REAL AUTHORITY"

// Certificate is a parsed X.509 certificate of the document PKI.
type Certificate struct {
	Raw                     []byte // the whole DER certificate
	RawTBS                  []byte // tbsCertificate, the signed part
	RawSubject              []byte
	RawIssuer               []byte
	RawSubjectPublicKeyInfo []byte

	Version      int // 1, 2 or 3
	SerialNumber *big.Int
	// Subject and Issuer in RFC 4514 form, e.g. "CN=CSCA-FRANCE,O=Gouv,C=FR".
	Subject, Issuer string
	// Country and IssuerCountry are the C= of the subject and the issuer.
	Country, IssuerCountry string
	NotBefore, NotAfter    time.Time

	// PublicKey is *rsa.PublicKey, *ecdsa.PublicKey (NIST curves) or
	// *lds.ECPublicKey (brainpool curves, named or explicit).
	PublicKey          crypto.PublicKey
	SignatureAlgorithm AlgorithmIdentifier
	Signature          []byte
	// Fingerprint is the SHA-256 of Raw.
	Fingerprint [32]byte

	BasicConstraintsValid bool
	IsCA                  bool
	MaxPathLen            int // -1 when basicConstraints has no pathLenConstraint
	HasKeyUsage           bool
	KeyUsage              x509.KeyUsage
	ExtKeyUsage           []asn1.ObjectIdentifier
	SubjectKeyID          []byte
	AuthorityKeyID        []byte
	// PrivateKeyUsageNotBefore/NotAfter come from privateKeyUsagePeriod,
	// zero when absent.
	PrivateKeyUsageNotBefore, PrivateKeyUsageNotAfter time.Time
	// CRLDistributionPoints are the URIs of the CRL distribution points
	// (informative: this reader never fetches them).
	CRLDistributionPoints []string
	// DocumentTypes is the documentTypeList of a Document Signer
	// (ICAO 9303-12 §7.1.1.3), e.g. ["P"] or ["ID"].
	HasDocumentTypeList bool
	DocumentTypes       []string
	// UnhandledCritical lists critical extensions this package does not
	// process; a chain through such a certificate is refused.
	UnhandledCritical []asn1.ObjectIdentifier
	// BadExtensions are non-critical extensions that did not parse. RFC 5280
	// lets a verifier ignore a non-critical extension, so they are reported
	// and skipped; a critical one that does not parse refuses the certificate.
	BadExtensions []ExtensionProblem
	// Lenient names the encoding slips of real issuers that were accepted
	// because they change nothing in meaning (e.g. basicConstraints cA
	// encoded 01 instead of FF); empty for a well-formed certificate.
	Lenient []string

	subject, issuer name
}

type certificateASN struct {
	TBS    asn1.RawValue
	SigAlg asn1.RawValue
	Sig    asn1.BitString
}

type tbsCertificateASN struct {
	Version    int `asn1:"optional,explicit,default:0,tag:0"`
	Serial     *big.Int
	SigAlg     asn1.RawValue
	Issuer     asn1.RawValue
	Validity   validityASN
	Subject    asn1.RawValue
	SPKI       asn1.RawValue
	IssuerUID  asn1.BitString `asn1:"optional,tag:1"`
	SubjectUID asn1.BitString `asn1:"optional,tag:2"`
	Extensions []extensionASN `asn1:"optional,explicit,tag:3"`
}

type validityASN struct {
	NotBefore, NotAfter time.Time
}

type extensionASN struct {
	ID       asn1.ObjectIdentifier
	Critical bool `asn1:"optional"`
	Value    []byte
}

// ParseCertificate parses a DER X.509 certificate with an RSA or EC key
// (NIST or brainpool curves, named or with explicit parameters). It checks
// the structure only: signatures, validity and usage are checked by
// CheckSignatureFrom, CheckValidity and the Store.
func ParseCertificate(der []byte) (*Certificate, error) {
	const op = "parse certificate"
	if len(der) == 0 {
		return nil, newErr(Malformed, op, "empty")
	}
	if len(der) > MaxCertificateSize {
		return nil, newErrf(TooLarge, op, "%d bytes", len(der))
	}
	// Parse a private copy so that the Raw fields can point into it.
	raw := bytes.Clone(der)
	var outer certificateASN
	if rest, err := asn1.Unmarshal(raw, &outer); err != nil || len(rest) > 0 {
		return nil, newErr(Malformed, op, "not a DER Certificate")
	}
	var tbs tbsCertificateASN
	if rest, err := asn1.Unmarshal(outer.TBS.FullBytes, &tbs); err != nil || len(rest) > 0 {
		return nil, newErr(Malformed, op, "not a TBSCertificate")
	}
	c := &Certificate{
		Raw:         clip(raw),
		RawTBS:      clip(outer.TBS.FullBytes),
		Version:     tbs.Version + 1,
		Fingerprint: sha256.Sum256(der),
		MaxPathLen:  -1,
	}
	if tbs.Version < 0 || tbs.Version > 2 {
		return nil, newErrf(Malformed, op, "version %d", tbs.Version+1)
	}
	if tbs.Serial == nil || len(tbs.Serial.Bytes()) > maxSerialBytes {
		return nil, newErr(Malformed, op, "serial number missing or too long")
	}
	c.SerialNumber = tbs.Serial
	// RFC 5280 §4.1.1.2: the outer signatureAlgorithm repeats tbs.signature.
	if !bytes.Equal(outer.SigAlg.FullBytes, tbs.SigAlg.FullBytes) {
		return nil, newErr(Malformed, op, "signatureAlgorithm differs from tbsCertificate.signature")
	}
	alg, err := parseAlgorithm(outer.SigAlg.FullBytes)
	if err != nil {
		return nil, wrap(Malformed, op, err)
	}
	c.SignatureAlgorithm = alg
	if outer.Sig.BitLength%8 != 0 {
		return nil, newErr(Malformed, op, "signature is not a whole number of bytes")
	}
	c.Signature = bytes.Clone(outer.Sig.Bytes)

	if c.subject, err = parseName(tbs.Subject.FullBytes); err != nil {
		return nil, wrap(Malformed, op+": subject", err)
	}
	if c.issuer, err = parseName(tbs.Issuer.FullBytes); err != nil {
		return nil, wrap(Malformed, op+": issuer", err)
	}
	c.RawSubject = clip(tbs.Subject.FullBytes)
	c.RawIssuer = clip(tbs.Issuer.FullBytes)
	c.Subject, c.Country = c.subject.display, c.subject.country
	c.Issuer, c.IssuerCountry = c.issuer.display, c.issuer.country

	c.NotBefore, c.NotAfter = tbs.Validity.NotBefore, tbs.Validity.NotAfter
	if c.NotAfter.Before(c.NotBefore) {
		return nil, newErr(Malformed, op, "notAfter before notBefore")
	}

	c.RawSubjectPublicKeyInfo = clip(tbs.SPKI.FullBytes)
	if c.PublicKey, c.Lenient, err = parseKey(tbs.SPKI.FullBytes); err != nil {
		return nil, err
	}

	if len(tbs.Extensions) > 0 && c.Version != 3 {
		return nil, newErrf(Malformed, op, "extensions in a version %d certificate", c.Version)
	}
	if err := c.parseExtensions(tbs.Extensions); err != nil {
		return nil, err
	}
	return c, nil
}

// clip caps a sub-slice so that an append by a caller cannot overwrite
// the bytes that follow it.
func clip(b []byte) []byte { return b[:len(b):len(b)] }

func parseAlgorithm(der []byte) (AlgorithmIdentifier, error) {
	const op = "parse algorithm identifier"
	d := ber.Decoder{Rules: ber.DER, Op: op}
	e, rest, err := d.Read(der)
	if err == nil && len(rest) == 0 {
		if a, err := cms.ParseAlgorithmIdentifier(d, e); err == nil {
			return a, nil
		}
	}
	return AlgorithmIdentifier{}, newErr(Malformed, op, "not an AlgorithmIdentifier")
}

// parseKey reads a SubjectPublicKeyInfo through lds.ParsePublicKey and gives
// NIST curve keys their crypto/ecdsa form.
func parseKey(spki []byte) (crypto.PublicKey, []string, error) {
	const op = "parse certificate: public key"
	// CSCAs of several states have 6144-bit RSA keys: certificates get
	// this package's bound, not the one meant for chip keys.
	k, err := lds.ParsePublicKeyMax(spki, MaxRSABits)
	if err != nil {
		return nil, nil, wrapChip(op, err)
	}
	switch key := k.(type) {
	case *lds.ECPublicKey:
		lenient := key.Lenient
		c := key.Curve.Elliptic()
		switch c {
		case elliptic.P224(), elliptic.P256(), elliptic.P384(), elliptic.P521():
			pk, err := ecdsa.ParseUncompressedPublicKey(c, key.Curve.Encode(key.Point))
			if err != nil {
				return nil, nil, newErrf(Malformed, op, "%v", err)
			}
			return pk, lenient, nil
		}
		return key, lenient, nil
	case *lds.DHPublicKey:
		// A DH key cannot sign: no certificate of this PKI carries one.
		return nil, nil, newErr(UnsupportedAlgorithm, op, "Diffie-Hellman key")
	}
	return k, nil, nil
}

// IsSelfIssued reports whether subject and issuer are the same name, as in
// a self-signed CSCA or a CSCA link certificate.
func (c *Certificate) IsSelfIssued() bool {
	return c.subject.canon == c.issuer.canon
}

// IsDemo reports whether the certificate belongs to the simulator's
// demonstration PKI (O=DemoOrganization in its subject).
func (c *Certificate) IsDemo() bool {
	return slices.Contains(c.subject.orgs, DemoOrganization)
}

// CheckValidity checks that at lies within [NotBefore, NotAfter].
func (c *Certificate) CheckValidity(at time.Time) error {
	const op = "certificate validity"
	switch {
	case at.Before(c.NotBefore):
		return newErrf(NotYetValid, op, "%s: valid from %s", c.Subject, c.NotBefore.UTC().Format(time.DateOnly))
	case at.After(c.NotAfter):
		return newErrf(Expired, op, "%s: valid until %s", c.Subject, c.NotAfter.UTC().Format(time.DateOnly))
	}
	return nil
}

// CheckSignatureFrom checks that parent signed c: parent must be a CA
// (basicConstraints cA) whose keyUsage, if present, allows keyCertSign, and
// its key must verify c's signature.
func (c *Certificate) CheckSignatureFrom(parent *Certificate) error {
	const op = "check certificate signature"
	if c == nil || parent == nil {
		return newErr(BadInput, op, "nil certificate")
	}
	if err := parent.checkIssuer(x509.KeyUsageCertSign, op); err != nil {
		return err
	}
	if err := VerifySignature(parent.PublicKey, c.SignatureAlgorithm, c.RawTBS, c.Signature); err != nil {
		return wrap(BadSignature, op, err)
	}
	return nil
}

// checkIssuer checks that the certificate may issue certificates or CRLs.
func (c *Certificate) checkIssuer(usage x509.KeyUsage, op string) error {
	if !c.BasicConstraintsValid || !c.IsCA {
		return newErrf(NotCA, op, "%s", c.Subject)
	}
	if c.HasKeyUsage && c.KeyUsage&usage == 0 {
		return newErrf(WrongUsage, op, "%s: keyUsage lacks %s", c.Subject, usageName(usage))
	}
	return nil
}

func usageName(u x509.KeyUsage) string {
	switch u {
	case x509.KeyUsageCertSign:
		return "keyCertSign"
	case x509.KeyUsageCRLSign:
		return "cRLSign"
	case x509.KeyUsageDigitalSignature:
		return "digitalSignature"
	}
	return "the required usage"
}
