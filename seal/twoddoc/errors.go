package twoddoc

import (
	"github.com/cnie-reader/cnie-reader/internal/kinderr"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Reason says what is wrong with a 2D-Doc. A Reason is an error itself, so
// errors.Is(err, twoddoc.BadSignature) works.
type Reason int

const (
	_ Reason = iota
	// NotTwoDDoc: the bytes do not start with a 2D-Doc header marker.
	NotTwoDDoc
	// Truncated: the payload stops in the middle of the header or of a field.
	Truncated
	// BadHeader: a header element has characters it cannot have.
	BadHeader
	// BadDate: a header date is not four hexadecimal digits.
	BadDate
	// UnsupportedVersion: a header version other than 02, 03 or 04.
	UnsupportedVersion
	// BadField: a field identifier or value breaks the message syntax.
	BadField
	// NoSignature: the unit separator or the signature after it is missing.
	NoSignature
	// BadBase32: the signature is not canonical RFC 4648 Base32.
	BadBase32
	// UnsupportedSignature: the signature size matches no ECDSA curve of the
	// specification, or the key is not on P-256, P-384 or P-521.
	UnsupportedSignature
	// BadSignature: the signature does not verify with the given key.
	BadSignature
	// TooLarge: more bytes than any DataMatrix can hold.
	TooLarge
	// BadInput: the builder was given a header or a field it cannot encode.
	BadInput

	// numReasons ends the list: a reason added above it is in [Reasons] at once.
	numReasons
)

// Reasons lists every reason, in order (the tests that word each reason walk it).
func Reasons() []Reason { return kinderr.Kinds(numReasons) }

var names = [numReasons]string{
	NotTwoDDoc:           "not a 2d-doc",
	Truncated:            "truncated",
	BadHeader:            "bad header",
	BadDate:              "bad header date",
	UnsupportedVersion:   "unsupported version",
	BadField:             "bad field",
	NoSignature:          "no signature",
	BadBase32:            "bad base32 signature",
	UnsupportedSignature: "unsupported signature algorithm",
	BadSignature:         "bad signature",
	TooLarge:             "too large",
	BadInput:             "invalid input",
}

// Error names the reason in lowercase English.
func (r Reason) Error() string { return kinderr.Name(names[:], r, "2d-doc error") }

// Scope puts "2d-doc" in front of the 2D-Doc's errors.
func (Reason) Scope() string { return "2d-doc" }

// Is links a reason to the chiperr kind of the same meaning
// (errors.Is(err, chiperr.Integrity) for BadSignature), the one way
// families link to chiperr (see internal/kinderr).
func (r Reason) Is(target error) bool { return kinderr.Links(target, r.chip()) }

// chip is the chiperr kind of the same failure: Malformed unless the
// reason says otherwise, an unknown reason included.
func (r Reason) chip() chiperr.Kind {
	switch r {
	case UnsupportedVersion, UnsupportedSignature:
		return chiperr.Unsupported
	case BadSignature:
		return chiperr.Integrity
	case TooLarge:
		return chiperr.TooLarge
	case BadInput:
		return chiperr.BadInput
	}
	return chiperr.Malformed
}

// Error is a failure to parse, verify or build a 2D-Doc; its Kind is the
// [Reason], its Detail never a field value.
type Error = kinderr.Error[Reason]

func newErr(r Reason, format string, args ...any) *Error {
	return kinderr.Newf(r, "", format, args...)
}
