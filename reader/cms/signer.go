package cms

import (
	"bytes"
	"encoding/asn1"
	"math/big"
	"slices"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// signerInfo reads SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm,
// signedAttrs [0] IMPLICIT OPTIONAL, signatureAlgorithm, signature,
// unsignedAttrs [1] IMPLICIT OPTIONAL }, which must be DER.
func (p *parser) signerInfo(e ber.Element) (SignerInfo, error) {
	var si SignerInfo
	e, rest, err := p.der.Read(e.Raw)
	if err != nil {
		return si, err
	}
	if len(rest) != 0 || e.Tag != 0x30 {
		return si, p.errf("SignerInfo is not a SEQUENCE")
	}
	f, err := p.der.ReadAll(e.Value, maxFields, "SignerInfo")
	if err != nil {
		return si, err
	}
	if len(f) < 5 {
		return si, p.errf("SignerInfo has %d fields", len(f))
	}
	v, _ := f[0].SmallInt()
	switch sid := f[1]; {
	case v == 1 && sid.Tag == 0x30:
		if err := p.issuerAndSerial(&si, sid); err != nil {
			return si, err
		}
	case v == 3 && sid.Tag == 0x80: // subjectKeyIdentifier [0] IMPLICIT
		if len(sid.Value) == 0 || len(sid.Value) > maxHashSize {
			return si, p.errf("subjectKeyIdentifier of %d bytes", len(sid.Value))
		}
		si.SubjectKeyID = bytes.Clone(sid.Value)
	default:
		return si, p.errf("SignerInfo version and signer identifier do not match (1 with issuerAndSerialNumber or 3 with [0])")
	}
	si.Version = v
	a, err := ParseAlgorithmIdentifier(p.der, f[2])
	if err != nil {
		return si, err
	}
	si.DigestAlgorithm = p.hash(a)
	i := 3
	if f[i].Tag == 0xA0 {
		if err := p.signedAttrs(&si, f[i].Value); err != nil {
			return si, err
		}
		si.SignedAttrsRaw = bytes.Clone(f[i].Raw)
		si.SignedAttrsRaw[0] = 0x31 // RFC 5652 §5.4: signed as an explicit SET OF
		i++
	}
	if len(f) < i+2 {
		return si, p.errf("SignerInfo has %d fields, want at least %d", len(f), i+2)
	}
	if si.SignatureAlgorithm, err = ParseAlgorithmIdentifier(p.der, f[i]); err != nil {
		return si, err
	}
	sig := f[i+1]
	if sig.Tag != 0x04 || len(sig.Value) == 0 || len(sig.Value) > maxSignature {
		return si, p.errf("signature is not an OCTET STRING of 1..%d bytes", maxSignature)
	}
	si.Signature = bytes.Clone(sig.Value)
	switch i += 2; {
	case len(f) == i:
	case len(f) == i+1 && f[i].Tag == 0xA1: // unsignedAttrs, not used
	default:
		return si, p.errf("unexpected field after the SignerInfo signature")
	}
	return si, nil
}

// issuerAndSerial reads IssuerAndSerialNumber ::= SEQUENCE { issuer Name,
// serialNumber INTEGER }.
func (p *parser) issuerAndSerial(si *SignerInfo, e ber.Element) error {
	f, err := p.der.ReadAll(e.Value, maxFields, "issuerAndSerialNumber")
	if err != nil {
		return err
	}
	if len(f) != 2 || f[0].Tag != 0x30 || f[1].Tag != 0x02 {
		return p.errf("issuerAndSerialNumber is not { Name, INTEGER }")
	}
	if len(f[1].Value) > maxSerialSize {
		return p.errf("serial number of %d bytes", len(f[1].Value))
	}
	n := new(big.Int)
	if rest, err := asn1.Unmarshal(f[1].Raw, &n); err != nil || len(rest) != 0 {
		return p.errf("serial number is not a DER INTEGER")
	}
	si.IssuerRaw = bytes.Clone(f[0].Raw)
	si.SerialNumber = n
	return nil
}

// signedAttrs reads the SET OF Attribute { type, SET OF value }: each type
// at most once (RFC 5652 §5.3), contentType and messageDigest required,
// these and signingTime with a single value (§11); other attributes are
// not examined.
func (p *parser) signedAttrs(si *SignerInfo, content []byte) error {
	attrs, err := p.der.ReadAll(content, maxAttributes, "signedAttrs")
	if err != nil {
		return err
	}
	var buf [8]asn1.ObjectIdentifier
	seen := buf[:0] // attribute types so far: a SignerInfo has a handful
	for _, a := range attrs {
		if a.Tag != 0x30 {
			return p.errf("signed attribute is not a SEQUENCE")
		}
		f, err := p.der.ReadAll(a.Value, maxFields, "signed attribute")
		if err != nil {
			return err
		}
		if len(f) != 2 || f[1].Tag != 0x31 {
			return p.errf("signed attribute is not { OID, SET }")
		}
		typ, ok := f[0].OID()
		if !ok {
			return p.errf("signed attribute type is not an OID")
		}
		if slices.ContainsFunc(seen, typ.Equal) {
			return p.errf("signed attribute %v present twice", typ)
		}
		seen = append(seen, typ)
		if !typ.Equal(oids.AttrContentType) && !typ.Equal(oids.AttrMessageDigest) && !typ.Equal(oids.AttrSigningTime) {
			continue
		}
		vals, err := p.der.ReadAll(f[1].Value, 2, "attribute values")
		if err != nil || len(vals) != 1 {
			return p.errf("signed attribute %v has not exactly one value", typ)
		}
		if err := p.setAttribute(si, typ, vals[0]); err != nil {
			return err
		}
	}
	if si.ContentType == nil || si.MessageDigest == nil {
		return p.errf("signed attributes lack contentType or messageDigest")
	}
	return nil
}

func (p *parser) setAttribute(si *SignerInfo, typ asn1.ObjectIdentifier, v ber.Element) error {
	switch {
	case typ.Equal(oids.AttrContentType):
		oid, ok := v.OID()
		if !ok {
			return p.errf("contentType attribute is not an OID")
		}
		si.ContentType = oid
	case typ.Equal(oids.AttrMessageDigest):
		if v.Tag != 0x04 || len(v.Value) == 0 || len(v.Value) > maxHashSize {
			return p.errf("messageDigest is not an OCTET STRING of 1..%d bytes", maxHashSize)
		}
		si.MessageDigest = bytes.Clone(v.Value)
	default: // signingTime: UTCTime or GeneralizedTime
		var t time.Time
		if v.Tag != 0x17 && v.Tag != 0x18 {
			return p.errf("signingTime is not a time")
		}
		if rest, err := asn1.Unmarshal(v.Raw, &t); err != nil || len(rest) != 0 {
			return p.errf("signingTime does not parse")
		}
		t = t.UTC()
		si.SigningTime = &t
	}
	return nil
}
