package pki

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// Bounds on extension contents.
const (
	maxKeyIDLen   = 64
	maxListItems  = 32
	maxURILen     = 2048
	maxDocTypeLen = 2
)

// handledExtensions are processed here, or (subject and issuer alternative
// names, ICAO nameChange) only informative: a critical one of them does not
// make a certificate unusable.
var handledExtensions = []asn1.ObjectIdentifier{
	oids.ExtSubjectKeyID, oids.ExtKeyUsage, oids.ExtPrivKeyUsage, oids.ExtSubjectAltName,
	oids.ExtIssuerAltName, oids.ExtBasicConstraints, oids.ExtCRLDistribution,
	oids.ExtAuthorityKeyID, oids.ExtExtKeyUsage, oids.ExtDocumentTypeList, oids.ExtNameChange,
}

func handled(oid asn1.ObjectIdentifier) bool {
	for _, h := range handledExtensions {
		if h.Equal(oid) {
			return true
		}
	}
	return false
}

// ExtensionProblem is an extension that did not parse.
type ExtensionProblem struct {
	OID asn1.ObjectIdentifier
	Err error
}

type privateKeyUsagePeriodASN struct {
	NotBefore time.Time `asn1:"optional,tag:0,generalized"`
	NotAfter  time.Time `asn1:"optional,tag:1,generalized"`
}

type documentTypeListASN struct {
	Version int
	Types   []string `asn1:"set"`
}

func (c *Certificate) parseExtensions(exts []extensionASN) error {
	const op = "parse certificate extensions"
	if len(exts) > maxExtensions {
		return newErrf(TooLarge, op, "%d extensions", len(exts))
	}
	for i, e := range exts {
		for _, prev := range exts[:i] {
			if prev.ID.Equal(e.ID) {
				// RFC 5280 §4.2: at most one instance of an extension.
				return newErrf(Malformed, op, "extension %s twice", e.ID)
			}
		}
		if err := c.parseExtension(e); err != nil {
			if e.Critical {
				return wrap(Malformed, op+" "+e.ID.String(), err)
			}
			c.BadExtensions = append(c.BadExtensions, ExtensionProblem{OID: e.ID, Err: err})
			continue
		}
		if e.Critical && !handled(e.ID) {
			c.UnhandledCritical = append(c.UnhandledCritical, e.ID)
		}
	}
	return nil
}

// unmarshalAll unmarshals v from b and refuses trailing bytes.
func unmarshalAll(b []byte, v any) bool {
	rest, err := asn1.Unmarshal(b, v)
	return err == nil && len(rest) == 0
}

func (c *Certificate) parseExtension(e extensionASN) error {
	const op = "extension"
	bad := func(what string) error { return newErr(Malformed, op, what) }
	switch {
	case e.ID.Equal(oids.ExtBasicConstraints):
		isCA, maxPath, lenient, err := basicConstraints(e.Value)
		if err != nil {
			return err
		}
		c.BasicConstraintsValid, c.IsCA, c.MaxPathLen = true, isCA, maxPath
		if lenient != "" {
			c.Lenient = append(c.Lenient, lenient)
		}
	case e.ID.Equal(oids.ExtKeyUsage):
		var bs asn1.BitString
		if !unmarshalAll(e.Value, &bs) || bs.BitLength > 16 {
			return bad("keyUsage")
		}
		var u x509.KeyUsage
		for i := 0; i < 9; i++ {
			if bs.At(i) == 1 {
				u |= 1 << i
			}
		}
		c.HasKeyUsage, c.KeyUsage = true, u
	case e.ID.Equal(oids.ExtSubjectKeyID):
		var id []byte
		if !unmarshalAll(e.Value, &id) || len(id) == 0 || len(id) > maxKeyIDLen {
			return bad("subjectKeyIdentifier")
		}
		c.SubjectKeyID = id
	case e.ID.Equal(oids.ExtAuthorityKeyID):
		id, err := authorityKeyID(e.Value)
		if err != nil {
			return err
		}
		c.AuthorityKeyID = id
	case e.ID.Equal(oids.ExtPrivKeyUsage):
		var p privateKeyUsagePeriodASN
		if !unmarshalAll(e.Value, &p) {
			return bad("privateKeyUsagePeriod")
		}
		c.PrivateKeyUsageNotBefore, c.PrivateKeyUsageNotAfter = p.NotBefore, p.NotAfter
	case e.ID.Equal(oids.ExtExtKeyUsage):
		var oids []asn1.ObjectIdentifier
		if !unmarshalAll(e.Value, &oids) || len(oids) == 0 || len(oids) > maxListItems {
			return bad("extKeyUsage")
		}
		c.ExtKeyUsage = oids
	case e.ID.Equal(oids.ExtDocumentTypeList):
		var d documentTypeListASN
		if !unmarshalAll(e.Value, &d) || len(d.Types) > maxListItems {
			return bad("documentTypeList")
		}
		for _, t := range d.Types {
			if len(t) == 0 || len(t) > maxDocTypeLen {
				return bad("documentTypeList entry")
			}
		}
		c.HasDocumentTypeList, c.DocumentTypes = true, d.Types
	case e.ID.Equal(oids.ExtCRLDistribution):
		// Informative only: a distribution point this reader cannot read
		// is skipped rather than failing the certificate.
		c.CRLDistributionPoints = crlURIs(e.Value)
	}
	return nil
}

// basicConstraints reads BasicConstraints ::= SEQUENCE { cA BOOLEAN
// DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL } (RFC 5280
// §4.2.1.9). DER writes TRUE as FF; one issuer's CSCA writes 01. A BER
// boolean is true when non-zero (X.690 §8.2.2), so the meaning is certain:
// it is accepted and named in lenient. maxPath is -1 without a constraint.
func basicConstraints(v []byte) (isCA bool, maxPath int, lenient string, err error) {
	bad := newErr(Malformed, "extension", "basicConstraints")
	var seq asn1.RawValue
	if !unmarshalAll(v, &seq) || seq.Class != asn1.ClassUniversal || seq.Tag != asn1.TagSequence || !seq.IsCompound {
		return false, 0, "", bad
	}
	maxPath = -1
	rest := seq.Bytes
	if len(rest) > 0 && rest[0] == asn1.TagBoolean {
		var f asn1.RawValue
		if rest, err = asn1.Unmarshal(rest, &f); err != nil || len(f.Bytes) != 1 {
			return false, 0, "", bad
		}
		switch f.Bytes[0] {
		case 0xFF:
			isCA = true
		case 0x00:
			// DER omits a FALSE default; harmless when written out.
		default:
			isCA, lenient = true, "basicConstraints cA encoded as non-DER TRUE"
		}
	}
	if len(rest) > 0 {
		var n int
		if rest, err = asn1.Unmarshal(rest, &n); err != nil || n < 0 {
			return false, 0, "", bad
		}
		maxPath = n
	}
	if len(rest) > 0 {
		return false, 0, "", bad
	}
	if !isCA {
		maxPath = -1
	}
	return isCA, maxPath, lenient, nil
}

// authorityKeyID reads the keyIdentifier [0] of AuthorityKeyIdentifier
// (RFC 5280 §4.2.1.1); authorityCertIssuer [1] and serial [2] are skipped.
func authorityKeyID(v []byte) ([]byte, error) {
	bad := newErr(Malformed, "extension", "authorityKeyIdentifier")
	var seq asn1.RawValue
	if !unmarshalAll(v, &seq) || seq.Class != asn1.ClassUniversal || seq.Tag != asn1.TagSequence {
		return nil, bad
	}
	var id []byte
	rest := seq.Bytes
	last := -1
	for len(rest) > 0 {
		var f asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &f); err != nil || f.Class != asn1.ClassContextSpecific || f.Tag <= last || f.Tag > 2 {
			return nil, bad
		}
		last = f.Tag
		if f.Tag == 0 {
			if f.IsCompound || len(f.Bytes) == 0 || len(f.Bytes) > maxKeyIDLen {
				return nil, bad
			}
			id = bytes.Clone(f.Bytes)
		}
	}
	return id, nil
}

// crlURIs collects the uniformResourceIdentifier names of the fullName of
// each DistributionPoint (RFC 5280 §4.2.1.13).
func crlURIs(v []byte) []string {
	var points []asn1.RawValue
	if !unmarshalAll(v, &points) || len(points) > maxListItems {
		return nil
	}
	var out []string
	for _, p := range points {
		fields := p.Bytes
		for len(fields) > 0 {
			var f asn1.RawValue
			var err error
			if fields, err = asn1.Unmarshal(fields, &f); err != nil {
				break
			}
			if f.Class != asn1.ClassContextSpecific || f.Tag != 0 {
				continue // reasons, cRLIssuer
			}
			// distributionPoint [0] holds a DistributionPointName CHOICE;
			// its fullName [0] holds GeneralNames.
			var dpn asn1.RawValue
			if !unmarshalAll(f.Bytes, &dpn) || dpn.Class != asn1.ClassContextSpecific || dpn.Tag != 0 {
				continue
			}
			names := dpn.Bytes
			for len(names) > 0 && len(out) < maxListItems {
				var gn asn1.RawValue
				if names, err = asn1.Unmarshal(names, &gn); err != nil {
					break
				}
				if gn.Class == asn1.ClassContextSpecific && gn.Tag == 6 && !gn.IsCompound && len(gn.Bytes) <= maxURILen {
					out = append(out, latin1(gn.Bytes))
				}
			}
		}
	}
	return out
}

// isUniversal reports whether v is a constructed universal element of tag.
func isUniversal(v asn1.RawValue, tag int) bool {
	return v.Class == asn1.ClassUniversal && v.Tag == tag && v.IsCompound
}
