// Package cms reads the CMS SignedData of RFC 5652 §5 that every signed
// object of this module is: EF.SOD and EF.CardSecurity on the chip, CSCA
// master lists and deviation lists. It identifies the signer, reads the
// signed attributes and checks what they bind (contentType and
// messageDigest); the signature itself is checked by the caller's key code
// (reader/pki) over the bytes [SignedData.SignedBytes] returns.
//
// Where something is signed or hashed (a SignerInfo with its attributes,
// each certificate) DER is always required. [Options.Rules] says whether
// the envelope around them may use BER's indefinite lengths and segmented
// eContent, as streaming encoders write some passports' EF.SOD.
package cms

import (
	"bytes"
	"crypto"
	"encoding/asn1"
	"math/big"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// Bounds on hostile input that do not depend on the caller.
const (
	maxAttributes = 32   // signed attributes
	maxHashSize   = 64   // SHA-512, and a subjectKeyIdentifier
	maxSerialSize = 64   // RFC 5280 allows 20; some issuers exceed it
	maxSignature  = 2048 // RSA-16384
	maxFields     = 16   // fields of one SEQUENCE
)

// Options say how a SignedData is read.
type Options struct {
	// Rules is ber.DER (the whole ContentInfo must be DER) or ber.BER (the
	// envelope may be BER; signed parts must still be DER).
	Rules ber.Rules
	// Op names the operation in errors, e.g. "parse EF.SOD".
	Op string
	// Bounds on the certificates (with the CRLs), the SignerInfos and
	// the digest algorithms.
	MaxCertificates, MaxSigners, MaxDigestAlgorithms int
}

// HashAlgorithm is a digest AlgorithmIdentifier resolved to a crypto.Hash.
// An OID this module does not know leaves Hash at 0 and Err set to a
// chiperr.Unsupported error, so that the rest of the SignedData stays
// readable.
type HashAlgorithm struct {
	oids.AlgorithmIdentifier
	Hash crypto.Hash
	Err  error
}

// SignerInfo is a CMS SignerInfo (RFC 5652 §5.3). Nothing here is verified.
type SignerInfo struct {
	// Version is 1 (IssuerRaw and SerialNumber set) or 3 (SubjectKeyID set).
	Version      int
	IssuerRaw    []byte // DER Name of the signer certificate's issuer
	SerialNumber *big.Int
	SubjectKeyID []byte
	// DigestAlgorithm hashes the eContent into MessageDigest and, for
	// most signature algorithms, SignedAttrsRaw into the signed value.
	DigestAlgorithm HashAlgorithm
	// SignedAttrsRaw is the signed attributes with their [0] IMPLICIT tag
	// replaced by SET (31), exactly the bytes the signature covers (RFC
	// 5652 §5.4); nil when the SignerInfo has none.
	SignedAttrsRaw []byte
	// The signed attributes this module uses, when SignedAttrsRaw is set:
	// contentType and messageDigest are then present (RFC 5652 §5.3).
	ContentType   asn1.ObjectIdentifier
	MessageDigest []byte
	SigningTime   *time.Time // nil when absent
	// SignatureAlgorithm is kept raw: RSASSA-PSS carries its hash in Params.
	SignatureAlgorithm oids.AlgorithmIdentifier
	Signature          []byte
}

// SignedData is a parsed CMS SignedData with an encapsulated content.
type SignedData struct {
	Version          int // 1..5 (3 in ICAO documents)
	DigestAlgorithms []HashAlgorithm
	EContentType     asn1.ObjectIdentifier
	// EContent is the encapsulated content, the bytes MessageDigest covers.
	EContent []byte
	// Certificates holds the DER certificates (attribute and other
	// certificates are left out); CRLs holds the DER revocation entries.
	Certificates [][]byte
	CRLs         [][]byte
	// Signer is the first SignerInfo; OtherSigners the rest (ICAO
	// documents have none, master lists may).
	Signer       SignerInfo
	OtherSigners []SignerInfo
}

// SignerInfos returns every SignerInfo, the first one first.
func (sd *SignedData) SignerInfos() []*SignerInfo {
	out := []*SignerInfo{&sd.Signer}
	for i := range sd.OtherSigners {
		out = append(out, &sd.OtherSigners[i])
	}
	return out
}

// parser carries the options of one parse.
type parser struct {
	Options
	env ber.Decoder // the envelope's rules
	der ber.Decoder // for the signed parts
}

func (p *parser) errf(format string, args ...any) error {
	return chiperr.Newf(chiperr.Malformed, p.Op, format, args...)
}

// Parse reads b, which must be exactly one ContentInfo holding a
// SignedData. Every error is a chiperr error (Malformed, or TooLarge for a
// length, depth or count beyond the bounds) named by o.Op.
func Parse(b []byte, o Options) (*SignedData, error) {
	p := newParser(o)
	ci, rest, err := p.env.Read(b)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, p.errf("data after the ContentInfo")
	}
	return p.contentInfo(ci)
}

// ParseContentInfo is Parse for a ContentInfo element already framed by
// the caller (EF.SOD wraps it in its tag 77).
func ParseContentInfo(ci ber.Element, o Options) (*SignedData, error) {
	return newParser(o).contentInfo(ci)
}

func newParser(o Options) *parser {
	return &parser{Options: o, env: ber.Decoder{Rules: o.Rules, Op: o.Op}, der: ber.Decoder{Rules: ber.DER, Op: o.Op}}
}

// contentInfo reads ContentInfo { signedData, [0] EXPLICIT SignedData }.
func (p *parser) contentInfo(ci ber.Element) (*SignedData, error) {
	if ci.Tag != 0x30 {
		return nil, p.errf("ContentInfo is not a SEQUENCE")
	}
	f, err := p.env.ReadAll(ci.Value, maxFields, "ContentInfo")
	if err != nil {
		return nil, err
	}
	if len(f) != 2 {
		return nil, p.errf("ContentInfo has %d fields, want 2", len(f))
	}
	if oid, ok := f[0].OID(); !ok || !oid.Equal(oids.SignedData) {
		return nil, p.errf("content type is not signedData")
	}
	sd, err := p.env.Explicit(f[1], 0xA0, "ContentInfo content")
	if err != nil {
		return nil, err
	}
	if sd.Tag != 0x30 {
		return nil, p.errf("SignedData is not a SEQUENCE")
	}
	return p.signedData(sd.Value)
}

// signedData reads SignedData ::= SEQUENCE { version, digestAlgorithms SET,
// encapContentInfo, certificates [0] IMPLICIT OPTIONAL, crls [1] IMPLICIT
// OPTIONAL, signerInfos SET }.
func (p *parser) signedData(content []byte) (*SignedData, error) {
	f, err := p.env.ReadAll(content, maxFields, "SignedData")
	if err != nil {
		return nil, err
	}
	if len(f) < 4 {
		return nil, p.errf("SignedData has %d fields, want at least 4", len(f))
	}
	sd := &SignedData{}
	v, ok := f[0].SmallInt()
	if !ok || v < 1 || v > 5 { // RFC 5652 §5.1: 1, 3, 4 or 5
		return nil, p.errf("SignedData version not 1..5")
	}
	sd.Version = v
	if sd.DigestAlgorithms, err = p.digestAlgorithms(f[1]); err != nil {
		return nil, err
	}
	if err := p.encapContent(sd, f[2]); err != nil {
		return nil, err
	}
	i := 3
	if f[i].Tag == 0xA0 { // certificates [0] IMPLICIT CertificateSet
		isCert := func(e ber.Element) bool { return e.Tag == 0x30 }
		if sd.Certificates, err = p.derMembers(f[i], isCert, "certificates"); err != nil {
			return nil, err
		}
		i++
	}
	if i < len(f) && f[i].Tag == 0xA1 { // crls [1] IMPLICIT RevocationInfoChoices
		if sd.CRLs, err = p.derMembers(f[i], func(ber.Element) bool { return true }, "crls"); err != nil {
			return nil, err
		}
		i++
	}
	if i != len(f)-1 || f[i].Tag != 0x31 {
		return nil, p.errf("signerInfos missing or not last")
	}
	signers, err := p.env.ReadAll(f[i].Value, p.MaxSigners, "signerInfos")
	if err != nil {
		return nil, err
	}
	if len(signers) == 0 {
		return nil, p.errf("no SignerInfo")
	}
	for j, e := range signers {
		si, err := p.signerInfo(e)
		if err != nil {
			return nil, err
		}
		if j == 0 {
			sd.Signer = si
		} else {
			sd.OtherSigners = append(sd.OtherSigners, si)
		}
	}
	return sd, nil
}

func (p *parser) digestAlgorithms(set ber.Element) ([]HashAlgorithm, error) {
	if set.Tag != 0x31 {
		return nil, p.errf("digestAlgorithms is not a SET")
	}
	algs, err := p.env.ReadAll(set.Value, p.MaxDigestAlgorithms, "digestAlgorithms")
	if err != nil {
		return nil, err
	}
	var out []HashAlgorithm
	for _, e := range algs {
		a, err := ParseAlgorithmIdentifier(p.env, e)
		if err != nil {
			return nil, err
		}
		out = append(out, p.hash(a))
	}
	return out, nil
}

// derMembers returns, cloned, the members of a SET that keep says to keep,
// each of which must be DER.
func (p *parser) derMembers(set ber.Element, keep func(ber.Element) bool, what string) ([][]byte, error) {
	list, err := p.env.ReadAll(set.Value, p.MaxCertificates, what)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for _, e := range list {
		if !keep(e) {
			continue // e.g. an attribute certificate: not a signer certificate
		}
		if !ber.IsDER(e.Raw) {
			return nil, p.errf("%s: member is not DER", what)
		}
		out = append(out, bytes.Clone(e.Raw))
	}
	return out, nil
}

// encapContent reads EncapsulatedContentInfo ::= SEQUENCE { eContentType,
// eContent [0] EXPLICIT OCTET STRING OPTIONAL }; the content must be there.
func (p *parser) encapContent(sd *SignedData, e ber.Element) error {
	if e.Tag != 0x30 {
		return p.errf("encapContentInfo is not a SEQUENCE")
	}
	f, err := p.env.ReadAll(e.Value, maxFields, "encapContentInfo")
	if err != nil {
		return err
	}
	if len(f) == 0 || len(f) > 2 {
		return p.errf("encapContentInfo has %d fields", len(f))
	}
	oid, ok := f[0].OID()
	if !ok {
		return p.errf("eContentType is not an OID")
	}
	sd.EContentType = oid
	if len(f) != 2 {
		return p.errf("no eContent (a detached signature is not valid)")
	}
	oct, err := p.env.Explicit(f[1], 0xA0, "eContent")
	if err != nil {
		return err
	}
	v, err := p.env.Octets(oct)
	if err != nil {
		return err
	}
	sd.EContent = bytes.Clone(v)
	return nil
}

func (p *parser) hash(a oids.AlgorithmIdentifier) HashAlgorithm { return ResolveHash(a, p.Op) }

// ResolveHash resolves a digest AlgorithmIdentifier; for an unknown OID,
// Err is a chiperr.Unsupported error named by op.
func ResolveHash(a oids.AlgorithmIdentifier, op string) HashAlgorithm {
	h, ok := oids.Hash(a.OID)
	if !ok {
		return HashAlgorithm{AlgorithmIdentifier: a, Err: chiperr.Newf(chiperr.Unsupported, op, "hash algorithm %v", a.OID)}
	}
	return HashAlgorithm{AlgorithmIdentifier: a, Hash: h}
}

// ParseAlgorithmIdentifier reads AlgorithmIdentifier ::= SEQUENCE { OID,
// parameters ANY OPTIONAL } with d's rules; Params keeps the parameters'
// whole encoding.
func ParseAlgorithmIdentifier(d ber.Decoder, e ber.Element) (oids.AlgorithmIdentifier, error) {
	bad := func(format string, args ...any) (oids.AlgorithmIdentifier, error) {
		return oids.AlgorithmIdentifier{}, chiperr.Newf(chiperr.Malformed, d.Op, format, args...)
	}
	if e.Tag != 0x30 {
		return bad("AlgorithmIdentifier is not a SEQUENCE")
	}
	f, err := d.ReadAll(e.Value, maxFields, "AlgorithmIdentifier")
	if err != nil {
		return oids.AlgorithmIdentifier{}, err
	}
	if len(f) == 0 || len(f) > 2 {
		return bad("AlgorithmIdentifier has %d fields", len(f))
	}
	oid, ok := f[0].OID()
	if !ok {
		return bad("AlgorithmIdentifier without a valid OID")
	}
	a := oids.AlgorithmIdentifier{OID: oid}
	if len(f) == 2 {
		a.Params = bytes.Clone(f[1].Raw)
	}
	return a, nil
}

// PeekEContentType returns the eContentType of b, a ContentInfo holding a
// SignedData, reading no further than that: it tells a master list from a
// deviation list before either is parsed.
func PeekEContentType(b []byte, rules ber.Rules) (asn1.ObjectIdentifier, bool) {
	d := ber.Decoder{Rules: rules, Op: "peek SignedData"}
	ci, rest, err := d.Read(b)
	if err != nil || len(rest) != 0 || ci.Tag != 0x30 {
		return nil, false
	}
	f, err := d.ReadAll(ci.Value, maxFields, "ContentInfo")
	if err != nil || len(f) != 2 {
		return nil, false
	}
	if oid, ok := f[0].OID(); !ok || !oid.Equal(oids.SignedData) {
		return nil, false
	}
	sd, err := d.Explicit(f[1], 0xA0, "ContentInfo content")
	if err != nil || sd.Tag != 0x30 {
		return nil, false
	}
	f, err = d.ReadAll(sd.Value, maxFields, "SignedData")
	if err != nil || len(f) < 3 || f[2].Tag != 0x30 {
		return nil, false
	}
	encap, _, err := d.Read(f[2].Value)
	if err != nil {
		return nil, false
	}
	return encap.OID()
}
