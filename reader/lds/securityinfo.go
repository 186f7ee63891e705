package lds

import (
	"bytes"
	"crypto"
	"encoding/asn1"
	"math/big"
	"slices"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// SecurityInfos is the content of EF.CardAccess, EF.CardSecurity and DG14
// (Doc 9303 Part 11 §9.2, TR-03110-3 §A.1.1): a SET OF SecurityInfo sorted
// by kind. Entries whose protocol this reader does not know are kept in
// Unknown.
type SecurityInfos struct {
	PACE                         []PACEInfo
	PACEDomainParameters         []PACEDomainParameterInfo
	ChipAuthentication           []ChipAuthenticationInfo
	ChipAuthenticationPublicKeys []ChipAuthenticationPublicKeyInfo
	ActiveAuthentication         []ActiveAuthenticationInfo
	TerminalAuthentication       []TerminalAuthenticationInfo
	Unknown                      []UnknownSecurityInfo
}

// PACEInfo announces one PACE protocol (id-PACE.mapping.cipher).
type PACEInfo struct {
	Protocol    asn1.ObjectIdentifier
	Version     int  // 2 for current documents
	ParameterID *int // standardized domain parameters, nil when absent
}

// PACEDomainParameterInfo carries proprietary PACE domain parameters. They
// are kept raw: this reader only uses standardized parameters.
type PACEDomainParameterInfo struct {
	Protocol        asn1.ObjectIdentifier // id-PACE.mapping
	DomainParameter []byte                // the DER AlgorithmIdentifier
	ParameterID     *big.Int              // identifies these parameters, nil when absent
}

// ChipAuthenticationInfo announces one Chip Authentication protocol.
type ChipAuthenticationInfo struct {
	Protocol asn1.ObjectIdentifier // id-CA.agreement.cipher
	Version  int
	KeyID    *big.Int // nil when absent
}

// ChipAuthenticationPublicKeyInfo holds the chip's static key for CA.
type ChipAuthenticationPublicKeyInfo struct {
	Protocol asn1.ObjectIdentifier // oids.PKDH or oids.PKECDH
	// PublicKeyInfo is the DER SubjectPublicKeyInfo as stored. Marshal
	// writes it as is when set (test documents may carry a broken key).
	PublicKeyInfo []byte
	// PublicKey is PublicKeyInfo parsed by ParsePublicKey, nil if that
	// failed; KeyErr then says why (an unsupported curve does not stop
	// the rest of the SecurityInfos from being used).
	PublicKey crypto.PublicKey
	KeyErr    error
	KeyID     *big.Int // nil when absent
}

// ActiveAuthenticationInfo names the signature algorithm of an ECDSA AA key.
type ActiveAuthenticationInfo struct {
	Version            int
	SignatureAlgorithm asn1.ObjectIdentifier // nil when absent
}

// TerminalAuthenticationInfo is recognised but not used by this reader.
type TerminalAuthenticationInfo struct {
	Version int
	// EFCVCA is the DER of the optional file identifier (version 1 only).
	EFCVCA []byte
}

// UnknownSecurityInfo is a SecurityInfo of another protocol, kept whole.
type UnknownSecurityInfo struct {
	Protocol asn1.ObjectIdentifier
	Raw      []byte // the DER SecurityInfo
}

// maxSecurityInfos bounds the entries of one SET: real files hold a handful.
const maxSecurityInfos = 64

// maxKeyID bounds a key or parameter identifier, in bytes of DER content.
const maxKeyID = 32

type securityInfo struct {
	Protocol asn1.ObjectIdentifier
	Required asn1.RawValue
	Optional asn1.RawValue `asn1:"optional"`
}

// ParseSecurityInfos reads a DER SET OF SecurityInfo. Bytes after the SET
// (file padding) are ignored. A known SecurityInfo whose fields do not
// have the expected types is chiperr.Malformed.
func ParseSecurityInfos(b []byte) (*SecurityInfos, error) {
	const op = "parse SecurityInfos"
	var set asn1.RawValue
	if _, err := asn1.Unmarshal(b, &set); err != nil {
		return nil, chiperr.Newf(chiperr.Malformed, op, "not DER: %v", err)
	}
	if set.Class != asn1.ClassUniversal || set.Tag != asn1.TagSet || !set.IsCompound {
		return nil, chiperr.New(chiperr.Malformed, op, "not a SET")
	}
	out := &SecurityInfos{}
	rest := set.Bytes
	for n := 0; len(rest) > 0; n++ {
		if n == maxSecurityInfos {
			return nil, chiperr.Newf(chiperr.TooLarge, op, "more than %d entries", maxSecurityInfos)
		}
		var raw asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &raw); err != nil {
			return nil, chiperr.Newf(chiperr.Malformed, op, "entry %d: %v", n, err)
		}
		if err := out.add(raw.FullBytes); err != nil {
			return nil, chiperr.Wrap(chiperr.Malformed, op, err)
		}
	}
	return out, nil
}

func (s *SecurityInfos) add(der []byte) error {
	var si securityInfo
	if rest, err := asn1.Unmarshal(der, &si); err != nil || len(rest) > 0 {
		return chiperr.New(chiperr.Malformed, "SecurityInfo", "not a SEQUENCE { OID, ANY, ANY OPTIONAL }")
	}
	p, req, opt := si.Protocol, si.Required.FullBytes, si.Optional.FullBytes
	bad := func(what string) error {
		return chiperr.Newf(chiperr.Malformed, "SecurityInfo "+p.String(), "%s", what)
	}
	switch {
	case under(p, oids.PACE, 2):
		info := PACEInfo{Protocol: p}
		if !parseInt(req, &info.Version) {
			return bad("version is not an INTEGER")
		}
		if opt != nil {
			var id int
			if !parseInt(opt, &id) {
				return bad("parameterId is not an INTEGER")
			}
			info.ParameterID = &id
		}
		s.PACE = append(s.PACE, info)
	case under(p, oids.PACE, 1):
		if !isSequence(si.Required) {
			return bad("domainParameter is not an AlgorithmIdentifier")
		}
		info := PACEDomainParameterInfo{Protocol: p, DomainParameter: bytes.Clone(req)}
		if opt != nil && !parseID(opt, &info.ParameterID) {
			return bad("parameterId is not an INTEGER")
		}
		s.PACEDomainParameters = append(s.PACEDomainParameters, info)
	case under(p, oids.CA, 2):
		info := ChipAuthenticationInfo{Protocol: p}
		if !parseInt(req, &info.Version) {
			return bad("version is not an INTEGER")
		}
		if opt != nil && !parseID(opt, &info.KeyID) {
			return bad("keyId is not an INTEGER")
		}
		s.ChipAuthentication = append(s.ChipAuthentication, info)
	case p.Equal(oids.PKDH) || p.Equal(oids.PKECDH):
		if !isSequence(si.Required) {
			return bad("chipAuthenticationPublicKey is not a SubjectPublicKeyInfo")
		}
		info := ChipAuthenticationPublicKeyInfo{Protocol: p, PublicKeyInfo: bytes.Clone(req)}
		info.PublicKey, info.KeyErr = ParsePublicKey(req)
		if opt != nil && !parseID(opt, &info.KeyID) {
			return bad("keyId is not an INTEGER")
		}
		s.ChipAuthenticationPublicKeys = append(s.ChipAuthenticationPublicKeys, info)
	case p.Equal(oids.AAProtocolObject):
		var info ActiveAuthenticationInfo
		if !parseInt(req, &info.Version) {
			return bad("version is not an INTEGER")
		}
		if opt != nil {
			if rest, err := asn1.Unmarshal(opt, &info.SignatureAlgorithm); err != nil || len(rest) > 0 {
				return bad("signatureAlgorithm is not an OBJECT IDENTIFIER")
			}
		}
		s.ActiveAuthentication = append(s.ActiveAuthentication, info)
	case p.Equal(oids.TA):
		info := TerminalAuthenticationInfo{EFCVCA: bytes.Clone(opt)}
		if !parseInt(req, &info.Version) {
			return bad("version is not an INTEGER")
		}
		s.TerminalAuthentication = append(s.TerminalAuthentication, info)
	default:
		s.Unknown = append(s.Unknown, UnknownSecurityInfo{Protocol: p, Raw: bytes.Clone(der)})
	}
	return nil
}

func isSequence(v asn1.RawValue) bool {
	return v.Class == asn1.ClassUniversal && v.Tag == asn1.TagSequence && v.IsCompound
}

// parseInt reads a DER INTEGER that fits in an int.
func parseInt(der []byte, v *int) bool {
	rest, err := asn1.Unmarshal(der, v)
	return err == nil && len(rest) == 0
}

// parseID reads a non-negative DER INTEGER of bounded size.
func parseID(der []byte, v **big.Int) bool {
	if len(der) > maxKeyID+2 {
		return false
	}
	n := new(big.Int)
	rest, err := asn1.Unmarshal(der, &n)
	if err != nil || len(rest) > 0 || n.Sign() < 0 {
		return false
	}
	*v = n
	return true
}

// Build encodes the SET OF SecurityInfo in DER (elements sorted by their
// encoding). A ChipAuthenticationPublicKeyInfo without PublicKeyInfo has its
// PublicKey marshalled with MarshalPublicKey.
func (s *SecurityInfos) Build() ([]byte, error) {
	var elems [][]byte
	add := func(b []byte, err error) error {
		if err == nil {
			elems = append(elems, b)
		}
		return err
	}
	for _, i := range s.PACE {
		if err := add(i.Marshal()); err != nil {
			return nil, err
		}
	}
	for _, i := range s.PACEDomainParameters {
		if err := add(i.Marshal()); err != nil {
			return nil, err
		}
	}
	for _, i := range s.ChipAuthentication {
		if err := add(i.Marshal()); err != nil {
			return nil, err
		}
	}
	for _, i := range s.ChipAuthenticationPublicKeys {
		if err := add(i.Marshal()); err != nil {
			return nil, err
		}
	}
	for _, i := range s.ActiveAuthentication {
		if err := add(i.Marshal()); err != nil {
			return nil, err
		}
	}
	for _, i := range s.TerminalAuthentication {
		if err := add(i.Marshal()); err != nil {
			return nil, err
		}
	}
	for _, i := range s.Unknown {
		var si securityInfo
		if rest, err := asn1.Unmarshal(i.Raw, &si); err != nil || len(rest) > 0 {
			return nil, chiperr.New(chiperr.BadInput, "build SecurityInfos", "unknown entry is not a SecurityInfo")
		}
		elems = append(elems, i.Raw)
	}
	slices.SortFunc(elems, bytes.Compare)
	return ber.Encode(0x31, elems...), nil
}

// sequence encodes SEQUENCE { protocol, parts... }.
func sequence(protocol asn1.ObjectIdentifier, parts ...[]byte) ([]byte, error) {
	oid, err := asn1.Marshal(protocol)
	if err != nil {
		return nil, chiperr.Newf(chiperr.BadInput, "build SecurityInfo", "protocol: %v", err)
	}
	return ber.Encode(0x30, append([][]byte{oid}, parts...)...), nil
}

func derInt(v int) []byte {
	b, _ := asn1.Marshal(v) // an int always marshals
	return b
}

// derID encodes an optional identifier (nothing when nil).
func derID(v *big.Int) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	if v.Sign() < 0 || len(v.Bytes()) > maxKeyID {
		return nil, chiperr.New(chiperr.BadInput, "build SecurityInfo", "identifier negative or too large")
	}
	return asn1.Marshal(v)
}

// Marshal encodes the PACEInfo.
func (i PACEInfo) Marshal() ([]byte, error) {
	if !under(i.Protocol, oids.PACE, 2) {
		return nil, chiperr.New(chiperr.BadInput, "build PACEInfo", "protocol is not id-PACE.x.y")
	}
	var opt []byte
	if i.ParameterID != nil {
		opt = derInt(*i.ParameterID)
	}
	return sequence(i.Protocol, derInt(i.Version), opt)
}

// Marshal encodes the PACEDomainParameterInfo.
func (i PACEDomainParameterInfo) Marshal() ([]byte, error) {
	if !under(i.Protocol, oids.PACE, 1) || len(i.DomainParameter) == 0 {
		return nil, chiperr.New(chiperr.BadInput, "build PACEDomainParameterInfo", "protocol or parameters missing")
	}
	id, err := derID(i.ParameterID)
	if err != nil {
		return nil, err
	}
	return sequence(i.Protocol, i.DomainParameter, id)
}

// Marshal encodes the ChipAuthenticationInfo.
func (i ChipAuthenticationInfo) Marshal() ([]byte, error) {
	if !under(i.Protocol, oids.CA, 2) {
		return nil, chiperr.New(chiperr.BadInput, "build ChipAuthenticationInfo", "protocol is not id-CA.x.y")
	}
	id, err := derID(i.KeyID)
	if err != nil {
		return nil, err
	}
	return sequence(i.Protocol, derInt(i.Version), id)
}

// Marshal encodes the ChipAuthenticationPublicKeyInfo.
func (i ChipAuthenticationPublicKeyInfo) Marshal() ([]byte, error) {
	if !i.Protocol.Equal(oids.PKDH) && !i.Protocol.Equal(oids.PKECDH) {
		return nil, chiperr.New(chiperr.BadInput, "build ChipAuthenticationPublicKeyInfo", "protocol is not id-PK-DH or id-PK-ECDH")
	}
	spki := i.PublicKeyInfo
	if spki == nil {
		var err error
		if spki, err = MarshalPublicKey(i.PublicKey); err != nil {
			return nil, err
		}
	}
	id, err := derID(i.KeyID)
	if err != nil {
		return nil, err
	}
	return sequence(i.Protocol, spki, id)
}

// Marshal encodes the ActiveAuthenticationInfo.
func (i ActiveAuthenticationInfo) Marshal() ([]byte, error) {
	var alg []byte
	if i.SignatureAlgorithm != nil {
		var err error
		if alg, err = asn1.Marshal(i.SignatureAlgorithm); err != nil {
			return nil, chiperr.Newf(chiperr.BadInput, "build ActiveAuthenticationInfo", "%v", err)
		}
	}
	return sequence(oids.AAProtocolObject, derInt(i.Version), alg)
}

// Marshal encodes the TerminalAuthenticationInfo.
func (i TerminalAuthenticationInfo) Marshal() ([]byte, error) {
	return sequence(oids.TA, derInt(i.Version), i.EFCVCA)
}
