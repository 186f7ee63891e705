package pki

import (
	"errors"

	"github.com/cnie-reader/cnie-reader/internal/kinderr"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Kind classifies a trust failure by what it means for the document.
type Kind int

const (
	_ Kind = iota
	// Malformed: a certificate, CRL or master list does not parse.
	Malformed
	// TooLarge: a size or a count is beyond every sane bound.
	TooLarge
	// UnsupportedAlgorithm: a signature or key algorithm this reader does not implement.
	UnsupportedAlgorithm
	// BadSignature: a signature was checked and is wrong.
	BadSignature
	// UnknownIssuer: no trusted CSCA matches the certificate's issuer.
	UnknownIssuer
	// Expired: a certificate or CRL is past its validity at the checked time.
	Expired
	// NotYetValid: a certificate is not yet valid at the checked time.
	NotYetValid
	// Revoked: the issuer's CRL lists the certificate.
	Revoked
	// NotCA: a certificate used as an issuer is not a certification authority.
	NotCA
	// WrongUsage: the key usage or extended key usage forbids this use.
	WrongUsage
	// UnhandledCritical: a critical extension this reader does not process.
	UnhandledCritical
	// Duplicate: the trust store already holds this file or certificate.
	Duplicate
	// DemoAnchor: the demonstration CSCA was offered as a real trust anchor.
	DemoAnchor
	// Storage: reading or writing the user's trust directory failed.
	Storage
	// BadInput: the caller passed something unusable (nil certificate, empty path).
	BadInput
	// UntrustedList: a master list whose signature fails or whose signer
	// does not chain to a pinned or trusted CSCA; none of its CSCAs is used.
	UntrustedList
	// UntrustedDeviationList: a deviation list whose signature fails, or
	// whose signer is not a deviation list signer issued by a trusted CSCA;
	// none of its deviations is used.
	UntrustedDeviationList

	// numKinds ends the list: a kind added above it is in [Kinds] at once.
	numKinds
)

// Kinds lists every kind, in order (the tests that word each kind walk it).
func Kinds() []Kind { return kinderr.Kinds(numKinds) }

var names = [numKinds]string{
	Malformed:              "malformed trust data",
	TooLarge:               "trust data out of bounds",
	UnsupportedAlgorithm:   "unsupported algorithm",
	BadSignature:           "bad signature",
	UnknownIssuer:          "unknown issuer",
	Expired:                "expired",
	NotYetValid:            "not yet valid",
	Revoked:                "revoked",
	NotCA:                  "not a certification authority",
	WrongUsage:             "key usage does not allow this use",
	UnhandledCritical:      "unhandled critical extension",
	Duplicate:              "already in the trust store",
	DemoAnchor:             "demo csca offered as a trust anchor",
	Storage:                "trust store i/o",
	BadInput:               "invalid input",
	UntrustedList:          "untrusted master list",
	UntrustedDeviationList: "untrusted deviation list",
}

// Error names the kind in lowercase English, so a Kind can be an errors.Is target.
func (k Kind) Error() string { return kinderr.Name(names[:], k, "pki error") }

// Is links the kinds that have a chip meaning to chiperr's
// (errors.Is(err, chiperr.Integrity) for BadSignature), the one way
// families link to chiperr (see internal/kinderr).
func (k Kind) Is(target error) bool { return kinderr.Links(target, k.chip()) }

// chip is the chiperr kind that the same failure has on the chip side, or 0.
func (k Kind) chip() chiperr.Kind {
	switch k {
	case Malformed:
		return chiperr.Malformed
	case TooLarge:
		return chiperr.TooLarge
	case UnsupportedAlgorithm:
		return chiperr.Unsupported
	case BadSignature:
		return chiperr.Integrity
	}
	return 0
}

// Error is a failure of the trust module; its Op says what was being
// done, e.g. "parse certificate".
type Error = kinderr.Error[Kind]

func newErr(kind Kind, op, detail string) *Error { return kinderr.New(kind, op, detail) }

func newErrf(kind Kind, op, format string, args ...any) *Error {
	return kinderr.Newf(kind, op, format, args...)
}

// wrap returns an Error of kind caused by err; a pki error keeps its kind.
func wrap(kind Kind, op string, err error) error { return kinderr.Wrap(kind, op, err) }

// wrapChip maps a chiperr error (from lds.ParsePublicKey or ecc) onto a Kind.
func wrapChip(op string, err error) error {
	kind := Malformed
	switch chiperr.KindOf(err) {
	case chiperr.TooLarge:
		kind = TooLarge
	case chiperr.Unsupported:
		kind = UnsupportedAlgorithm
	}
	return &Error{Kind: kind, Op: op, Err: err}
}

// KindOf returns the Kind of a pki error (of the first warning of an
// import refused), or 0 when err is not one.
func KindOf(err error) Kind {
	if k := kinderr.KindOf[Kind](err); k != 0 {
		return k
	}
	var refused *ImportRefusedError
	if errors.As(err, &refused) && len(refused.Warnings) > 0 {
		return refused.Warnings[0].Kind
	}
	return 0
}
