package lds

import (
	"crypto"
	"errors"
	"strings"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
)

const tagMRZ = 0x5F1F

// ParseDG1 reads DG1 (61 { 5F1F MRZ }) and parses its zone. As with
// mrz.Parse, a zone whose check digits fail is returned along with an
// error, here of kind chiperr.Malformed, that wraps the *mrz.CheckError.
// Bytes after the outer element are ignored.
func ParseDG1(b []byte) (*mrz.MRZ, error) {
	const op = "parse DG1"
	v, err := outer(b, DataGroup(1).Tag(), op)
	if err != nil {
		return nil, err
	}
	t, ok, err := ber.Find(v, tagMRZ)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, op, err)
	}
	if !ok {
		return nil, chiperr.New(chiperr.Malformed, op, "no MRZ (5F1F)")
	}
	switch len(t.Value) {
	case 90, 72, 88:
	default:
		return nil, chiperr.Newf(chiperr.Malformed, op, "MRZ of %d characters", len(t.Value))
	}
	for _, c := range t.Value {
		// The zone is stored without line breaks or blanks.
		if (c < '0' || c > '9') && (c < 'A' || c > 'Z') && c != '<' {
			return nil, chiperr.New(chiperr.Malformed, op, "MRZ holds a character outside 0-9, A-Z and '<'")
		}
	}
	m, err := mrz.Parse(string(t.Value))
	var ce *mrz.CheckError
	switch {
	case m != nil && errors.As(err, &ce):
		return m, &chiperr.Error{Kind: chiperr.Malformed, Op: op, Err: ce}
	case err != nil:
		detail := "MRZ does not parse"
		if e, ok := err.(*chiperr.Error); ok {
			detail += ": " + e.Detail
		}
		return nil, chiperr.New(chiperr.Malformed, op, detail)
	}
	return m, nil
}

// BuildDG1 writes DG1 from the lines of a zone. Wrong check digits are
// allowed, so that test documents can carry them; a zone that does not
// parse at all is chiperr.BadInput.
func BuildDG1(lines ...string) ([]byte, error) {
	s := strings.Join(lines, "")
	if m, err := mrz.Parse(s); m == nil {
		return nil, chiperr.Wrap(chiperr.BadInput, "build DG1", err)
	}
	return ber.Encode(DataGroup(1).Tag(), ber.Encode(tagMRZ, []byte(s))), nil
}

// ParseDG14 reads DG14 (6E { SecurityInfos }).
func ParseDG14(b []byte) (*SecurityInfos, error) {
	v, err := outer(b, DataGroup(14).Tag(), "parse DG14")
	if err != nil {
		return nil, err
	}
	s, err := ParseSecurityInfos(v)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, "parse DG14", err)
	}
	return s, nil
}

// BuildDG14 writes DG14.
func BuildDG14(s *SecurityInfos) ([]byte, error) {
	set, err := s.Build()
	if err != nil {
		return nil, err
	}
	return ber.Encode(DataGroup(14).Tag(), set), nil
}

// ParseDG15 reads DG15 (6F { SubjectPublicKeyInfo }), the Active
// Authentication public key.
func ParseDG15(b []byte) (crypto.PublicKey, error) {
	v, err := outer(b, DataGroup(15).Tag(), "parse DG15")
	if err != nil {
		return nil, err
	}
	k, err := ParsePublicKey(v)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, "parse DG15", err)
	}
	return k, nil
}

// BuildDG15 writes DG15 for a key accepted by MarshalPublicKey.
func BuildDG15(pub crypto.PublicKey) ([]byte, error) {
	spki, err := MarshalPublicKey(pub)
	if err != nil {
		return nil, err
	}
	return ber.Encode(DataGroup(15).Tag(), spki), nil
}
