package demo

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"io"
	"math/big"
	"slices"
	"sort"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// SODTag is the tag of EF.SOD (ICAO 9303-10 Table 34).
const SODTag = 0x77

// SODOptions make BuildSODWith produce a defective EF.SOD on purpose, for
// the negative tests of a verifier.
type SODOptions struct {
	// WrongHashForDG, when non-zero, stores a wrong hash (one bit flipped)
	// for that data group; the signature stays valid over the wrong value.
	WrongHashForDG int
	// CorruptSignature flips one bit of the SignerInfo signature.
	CorruptSignature bool
	// SigningTime, when non-zero, adds the signingTime signed attribute.
	SigningTime time.Time
}

type dataGroupHash struct {
	Number int
	Hash   []byte
}

type ldsSecurityObject struct {
	Version       int
	HashAlgorithm pkix.AlgorithmIdentifier
	Hashes        []dataGroupHash
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue // SET OF AttributeValue, encoded in full
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type signerInfo struct {
	Version            int
	SID                issuerAndSerial
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue // [0] IMPLICIT SET OF Attribute
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
}

type encapContentInfo struct {
	Type    asn1.ObjectIdentifier
	Content asn1.RawValue // [0] EXPLICIT OCTET STRING
}

type signedData struct {
	Version          int
	DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContent     encapContentInfo
	Certificates     asn1.RawValue // [0] IMPLICIT SET OF Certificate
	SignerInfos      []signerInfo  `asn1:"set"`
}

type contentInfo struct {
	Type    asn1.ObjectIdentifier
	Content asn1.RawValue // [0] EXPLICIT SignedData
}

// tbsCertHeader reads just what the SignerInfo needs from our DS certificate.
type tbsCertHeader struct {
	Version int `asn1:"optional,explicit,default:0,tag:0"`
	Serial  *big.Int
	SigAlg  pkix.AlgorithmIdentifier
	Issuer  asn1.RawValue
}

type certHeader struct {
	TBS tbsCertHeader
}

// MaxDataGroup is the highest data group number an LDS v1 SOD can list.
const MaxDataGroup = 16

// BuildSOD returns EF.SOD (tag 77) over the given data groups (number →
// whole encoded DG, tag included), signed by the PKI's Document Signer with
// hashAlg for both the DG hashes and the signature. rnd may be nil.
func BuildSOD(p *PKI, hashAlg crypto.Hash, dataGroups map[int][]byte, rnd io.Reader) ([]byte, error) {
	return BuildSODWith(p, hashAlg, dataGroups, rnd, SODOptions{})
}

// BuildSODWith is BuildSOD with options, including deliberate defects.
//
// Structure (RFC 5652 §5, ICAO 9303-10 §4.6.2): ContentInfo{signedData,
// SignedData{v3, {hash}, {ldsSecurityObject, LDSSecurityObject{v0, hash,
// DataGroupHashes}}, [0]{DS certificate}, {SignerInfo{v1,
// issuerAndSerialNumber, hash, [0]{contentType, messageDigest
// [, signingTime]}, signatureAlgorithm, signature}}}}.
func BuildSODWith(p *PKI, hashAlg crypto.Hash, dataGroups map[int][]byte, rnd io.Reader, opts SODOptions) ([]byte, error) {
	const op = "demo: build EF.SOD"
	if p == nil {
		return nil, chiperr.New(chiperr.BadInput, op, "no PKI")
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	hashID, err := digestAlgID(hashAlg)
	if err != nil {
		return nil, err
	}
	if len(dataGroups) == 0 {
		return nil, chiperr.New(chiperr.BadInput, op, "no data group")
	}
	if opts.WrongHashForDG != 0 {
		if _, ok := dataGroups[opts.WrongHashForDG]; !ok {
			return nil, chiperr.Newf(chiperr.BadInput, op, "WrongHashForDG %d is not among the data groups", opts.WrongHashForDG)
		}
	}
	numbers := make([]int, 0, len(dataGroups))
	for n := range dataGroups {
		if n < 1 || n > MaxDataGroup {
			return nil, chiperr.Newf(chiperr.BadInput, op, "data group number %d outside 1..%d", n, MaxDataGroup)
		}
		numbers = append(numbers, n)
	}
	slices.Sort(numbers)
	lso := ldsSecurityObject{Version: 0, HashAlgorithm: hashID}
	for _, n := range numbers {
		h := hashAlg.New()
		h.Write(dataGroups[n])
		sum := h.Sum(nil)
		if n == opts.WrongHashForDG {
			sum[len(sum)-1] ^= 0x01
		}
		lso.Hashes = append(lso.Hashes, dataGroupHash{Number: n, Hash: sum})
	}
	eContent, err := asn1.Marshal(lso)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Unsupported, op, err)
	}
	ci, err := signContent(p, hashAlg, oids.LDSSecurityObject, eContent, rnd, opts)
	if err != nil {
		return nil, err
	}
	return ber.Encode(SODTag, ci), nil
}

// BuildCardSecurity returns EF.CardSecurity: a CMS ContentInfo signed by
// the PKI's Document Signer over the chip's SecurityInfos (the DER SET
// securityInfos), as BSI TR-03110-3 §A.1.2.5 and ICAO 9303-11 §9.2.3
// describe it. opts.SigningTime and opts.CorruptSignature apply.
func BuildCardSecurity(p *PKI, hashAlg crypto.Hash, securityInfos []byte, rnd io.Reader, opts SODOptions) ([]byte, error) {
	if p == nil {
		return nil, chiperr.New(chiperr.BadInput, "demo: build EF.CardSecurity", "no PKI")
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	return signContent(p, hashAlg, oids.SecurityObject, securityInfos, rnd, opts)
}

// signContent returns a ContentInfo{signedData} over eContent of type
// contentType, signed by the PKI's Document Signer with hashAlg.
//
// Structure (RFC 5652 §5): SignedData{v3, {hash}, {contentType,
// eContent}, [0]{DS certificate}, {SignerInfo{v1, issuerAndSerialNumber,
// hash, [0]{contentType, messageDigest [, signingTime]},
// signatureAlgorithm, signature}}}.
func signContent(p *PKI, hashAlg crypto.Hash, contentType asn1.ObjectIdentifier, eContent []byte, rnd io.Reader, opts SODOptions) ([]byte, error) {
	const op = "demo: sign CMS content"
	hashID, err := digestAlgID(hashAlg)
	if err != nil {
		return nil, err
	}
	h := hashAlg.New()
	h.Write(eContent)
	attrSet, err := signedAttributes(contentType, h.Sum(nil), opts.SigningTime)
	if err != nil {
		return nil, err
	}
	sig, err := p.ds.sign(rnd, hashAlg, attrSet)
	if err != nil {
		return nil, err
	}
	if opts.CorruptSignature {
		// The last byte is inside s (ECDSA) or the RSA value: the DER stays
		// well formed and only verification fails.
		sig[len(sig)-1] ^= 0x01
	}
	sigAlg, err := p.ds.sigAlgID(hashAlg)
	if err != nil {
		return nil, err
	}
	var cert certHeader
	if _, err := asn1.Unmarshal(p.dsDER, &cert); err != nil {
		return nil, chiperr.Wrap(chiperr.Unsupported, op, err)
	}
	// In SignerInfo the attributes are [0] IMPLICIT; only the tag differs
	// from the SET that was signed.
	implicitAttrs := bytes.Clone(attrSet)
	implicitAttrs[0] = 0xA0

	octets, err := asn1.Marshal(eContent)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Unsupported, op, err)
	}
	sd, err := asn1.Marshal(signedData{
		Version:          3, // RFC 5652 §5.1: eContentType is not id-data
		DigestAlgorithms: []pkix.AlgorithmIdentifier{hashID},
		EncapContent: encapContentInfo{
			Type:    contentType,
			Content: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: octets},
		},
		Certificates: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: p.dsDER},
		SignerInfos: []signerInfo{{
			Version:            1, // issuerAndSerialNumber
			SID:                issuerAndSerial{Issuer: cert.TBS.Issuer, Serial: cert.TBS.Serial},
			DigestAlgorithm:    hashID,
			SignedAttrs:        asn1.RawValue{FullBytes: implicitAttrs},
			SignatureAlgorithm: sigAlg,
			Signature:          sig,
		}},
	})
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Unsupported, op, err)
	}
	ci, err := asn1.Marshal(contentInfo{
		Type:    oids.SignedData,
		Content: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sd},
	})
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Unsupported, op, err)
	}
	return ci, nil
}

// signedAttributes returns the DER SET OF Attribute that the signature
// covers, its members sorted by encoding as DER requires for SET OF.
func signedAttributes(contentType asn1.ObjectIdentifier, digest []byte, signingTime time.Time) ([]byte, error) {
	const op = "demo: signed attributes"
	one := func(oid asn1.ObjectIdentifier, v any) ([]byte, error) {
		val, err := asn1.Marshal(v)
		if err != nil {
			return nil, chiperr.Wrap(chiperr.Unsupported, op, err)
		}
		set := ber.Encode(0x31, val)
		b, err := asn1.Marshal(attribute{Type: oid, Values: asn1.RawValue{FullBytes: set}})
		if err != nil {
			return nil, chiperr.Wrap(chiperr.Unsupported, op, err)
		}
		return b, nil
	}
	var attrs [][]byte
	ct, err := one(oids.AttrContentType, contentType)
	if err != nil {
		return nil, err
	}
	md, err := one(oids.AttrMessageDigest, digest)
	if err != nil {
		return nil, err
	}
	attrs = append(attrs, ct, md)
	if !signingTime.IsZero() {
		st, err := one(oids.AttrSigningTime, signingTime.UTC().Truncate(time.Second))
		if err != nil {
			return nil, err
		}
		attrs = append(attrs, st)
	}
	sort.Slice(attrs, func(i, j int) bool { return bytes.Compare(attrs[i], attrs[j]) < 0 })
	return ber.Encode(0x31, attrs...), nil
}
