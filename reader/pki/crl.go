package pki

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// Bounds on a CRL. CSCA CRLs are small (a few Document Signers at most);
// the bounds leave room for the largest national CRLs.
const (
	MaxCRLSize       = 8 << 20
	maxRevokedLength = 200_000
)

// RevokedCertificate is one entry of a CRL.
type RevokedCertificate struct {
	SerialNumber   *big.Int
	RevocationTime time.Time
}

// CRL is a parsed X.509 v2 certificate revocation list (RFC 5280 §5).
type CRL struct {
	Raw       []byte
	RawTBS    []byte
	RawIssuer []byte

	Version    int // 1 or 2
	Issuer     string
	Country    string // C= of the issuer
	ThisUpdate time.Time
	NextUpdate time.Time // zero when absent
	Revoked    []RevokedCertificate

	SignatureAlgorithm AlgorithmIdentifier
	Signature          []byte
	AuthorityKeyID     []byte
	Number             *big.Int // cRLNumber, nil when absent
	// UnhandledCritical lists critical CRL or entry extensions that this
	// package does not process (e.g. issuingDistributionPoint); the Store
	// refuses such a CRL.
	UnhandledCritical []asn1.ObjectIdentifier
	Fingerprint       [32]byte

	issuer  name
	revoked map[string]time.Time // serial (hex) → revocation time
}

type tbsCertListASN struct {
	Version    int `asn1:"optional,default:0"`
	SigAlg     asn1.RawValue
	Issuer     asn1.RawValue
	ThisUpdate time.Time
	NextUpdate time.Time      `asn1:"optional"`
	Revoked    []revokedASN   `asn1:"optional"`
	Extensions []extensionASN `asn1:"optional,explicit,tag:0"`
}

type revokedASN struct {
	Serial     *big.Int
	Date       time.Time
	Extensions []extensionASN `asn1:"optional"`
}

// ParseCRL parses a DER CertificateList. Like ParseCertificate it does not
// depend on crypto/x509, so CRLs signed with brainpool keys parse too.
func ParseCRL(der []byte) (*CRL, error) {
	const op = "parse CRL"
	if len(der) == 0 {
		return nil, newErr(Malformed, op, "empty")
	}
	if len(der) > MaxCRLSize {
		return nil, newErrf(TooLarge, op, "%d bytes", len(der))
	}
	raw := bytes.Clone(der)
	var outer certificateASN // CertificateList has the same outer shape
	if rest, err := asn1.Unmarshal(raw, &outer); err != nil || len(rest) > 0 {
		return nil, newErr(Malformed, op, "not a DER CertificateList")
	}
	var tbs tbsCertListASN
	if rest, err := asn1.Unmarshal(outer.TBS.FullBytes, &tbs); err != nil || len(rest) > 0 {
		return nil, newErr(Malformed, op, "not a TBSCertList")
	}
	if tbs.Version < 0 || tbs.Version > 1 {
		return nil, newErrf(Malformed, op, "version %d", tbs.Version+1)
	}
	if len(tbs.Revoked) > maxRevokedLength {
		return nil, newErrf(TooLarge, op, "%d revoked certificates", len(tbs.Revoked))
	}
	if !bytes.Equal(outer.SigAlg.FullBytes, tbs.SigAlg.FullBytes) {
		return nil, newErr(Malformed, op, "signatureAlgorithm differs from tbsCertList.signature")
	}
	alg, err := parseAlgorithm(outer.SigAlg.FullBytes)
	if err != nil {
		return nil, wrap(Malformed, op, err)
	}
	if outer.Sig.BitLength%8 != 0 {
		return nil, newErr(Malformed, op, "signature is not a whole number of bytes")
	}
	c := &CRL{
		Raw:                clip(raw),
		RawTBS:             clip(outer.TBS.FullBytes),
		RawIssuer:          clip(tbs.Issuer.FullBytes),
		Version:            tbs.Version + 1,
		ThisUpdate:         tbs.ThisUpdate,
		NextUpdate:         tbs.NextUpdate,
		SignatureAlgorithm: alg,
		Signature:          bytes.Clone(outer.Sig.Bytes),
		Fingerprint:        sha256.Sum256(der),
		revoked:            make(map[string]time.Time, len(tbs.Revoked)),
	}
	if !c.NextUpdate.IsZero() && c.NextUpdate.Before(c.ThisUpdate) {
		return nil, newErr(Malformed, op, "nextUpdate before thisUpdate")
	}
	if c.issuer, err = parseName(tbs.Issuer.FullBytes); err != nil {
		return nil, wrap(Malformed, op+": issuer", err)
	}
	c.Issuer, c.Country = c.issuer.display, c.issuer.country
	if (len(tbs.Extensions) > 0) && c.Version != 2 {
		return nil, newErr(Malformed, op, "extensions in a version 1 CRL")
	}
	if err := c.parseExtensions(tbs.Extensions); err != nil {
		return nil, err
	}
	for _, r := range tbs.Revoked {
		if r.Serial == nil || len(r.Serial.Bytes()) > maxSerialBytes {
			return nil, newErr(Malformed, op, "revoked serial number missing or too long")
		}
		if len(r.Extensions) > maxExtensions {
			return nil, newErrf(TooLarge, op, "%d entry extensions", len(r.Extensions))
		}
		for _, e := range r.Extensions {
			// reasonCode and invalidityDate are informative; anything else
			// critical (certificateIssuer of indirect CRLs) is not handled.
			if e.Critical && !e.ID.Equal(oids.ExtCRLReason) {
				c.UnhandledCritical = append(c.UnhandledCritical, e.ID)
			}
		}
		c.Revoked = append(c.Revoked, RevokedCertificate{SerialNumber: r.Serial, RevocationTime: r.Date})
		key := r.Serial.Text(16)
		if _, dup := c.revoked[key]; !dup {
			c.revoked[key] = r.Date
		}
	}
	return c, nil
}

func (c *CRL) parseExtensions(exts []extensionASN) error {
	const op = "parse CRL extensions"
	if len(exts) > maxExtensions {
		return newErrf(TooLarge, op, "%d extensions", len(exts))
	}
	for i, e := range exts {
		for _, prev := range exts[:i] {
			if prev.ID.Equal(e.ID) {
				return newErrf(Malformed, op, "extension %s twice", e.ID)
			}
		}
		switch {
		case e.ID.Equal(oids.ExtAuthorityKeyID):
			id, err := authorityKeyID(e.Value)
			if err != nil {
				return wrap(Malformed, op, err)
			}
			c.AuthorityKeyID = id
		case e.ID.Equal(oids.ExtCRLNumber):
			n := new(big.Int)
			if !unmarshalAll(e.Value, &n) || n.Sign() < 0 || len(n.Bytes()) > 20 {
				return newErr(Malformed, op, "cRLNumber")
			}
			c.Number = n
		default:
			if e.Critical {
				c.UnhandledCritical = append(c.UnhandledCritical, e.ID)
			}
		}
	}
	return nil
}

// IsRevoked reports whether the CRL lists serial, and when it was revoked.
func (c *CRL) IsRevoked(serial *big.Int) (bool, time.Time) {
	if c == nil || serial == nil {
		return false, time.Time{}
	}
	t, ok := c.revoked[serial.Text(16)]
	return ok, t
}

// CheckSignatureFrom checks that issuer signed the CRL: issuer must be a CA
// whose keyUsage, if present, allows cRLSign.
func (c *CRL) CheckSignatureFrom(issuer *Certificate) error {
	const op = "check CRL signature"
	if c == nil || issuer == nil {
		return newErr(BadInput, op, "nil CRL or certificate")
	}
	if err := issuer.checkIssuer(x509.KeyUsageCRLSign, op); err != nil {
		return err
	}
	if err := VerifySignature(issuer.PublicKey, c.SignatureAlgorithm, c.RawTBS, c.Signature); err != nil {
		return wrap(BadSignature, op, err)
	}
	return nil
}

// CheckFreshness checks that at lies between thisUpdate and nextUpdate.
func (c *CRL) CheckFreshness(at time.Time) error {
	const op = "CRL validity"
	switch {
	case at.Before(c.ThisUpdate):
		return newErrf(NotYetValid, op, "%s: issued %s", c.Issuer, c.ThisUpdate.UTC().Format(time.DateOnly))
	case !c.NextUpdate.IsZero() && at.After(c.NextUpdate):
		return newErrf(Expired, op, "%s: next update was due %s", c.Issuer, c.NextUpdate.UTC().Format(time.DateOnly))
	}
	return nil
}
