package vds

import (
	"github.com/cnie-reader/cnie-reader/internal/kinderr"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Reason classifies a seal failure.
type Reason int

const (
	_ Reason = iota
	// NotVDS: the bytes do not start with the VDS magic constant 0xDC.
	NotVDS
	// UnsupportedVersion: a header version other than 0x02 (v3) or 0x03 (v4).
	UnsupportedVersion
	// Truncated: the data ends before a header field or a feature does.
	Truncated
	// Malformed: bad C40, impossible date, bad length form, duplicate tag...
	Malformed
	// TooLarge: the seal is beyond every bar code's capacity.
	TooLarge
	// NoSignature: no signature zone (tag 0xFF) after the message zone.
	NoSignature
	// BadSignature: the signature was checked and is wrong.
	BadSignature
	// UnsupportedKey: the key is not an ECDSA key on a supported curve.
	UnsupportedKey
	// BadInput: the caller gave the builder something it cannot encode.
	BadInput

	// numReasons ends the list: a reason added above it is in [Reasons] at once.
	numReasons
)

// Reasons lists every reason, in order (the tests that word each reason walk it).
func Reasons() []Reason { return kinderr.Kinds(numReasons) }

var names = [numReasons]string{
	NotVDS:             "not a visible digital seal",
	UnsupportedVersion: "unsupported version",
	Truncated:          "truncated",
	Malformed:          "malformed",
	TooLarge:           "too large",
	NoSignature:        "no signature zone",
	BadSignature:       "bad signature",
	UnsupportedKey:     "unsupported signer key",
	BadInput:           "invalid input",
}

// Error names the reason in lowercase English, so a Reason can be an errors.Is target.
func (r Reason) Error() string { return kinderr.Name(names[:], r, "vds error") }

// Scope puts "vds" in front of the seal's errors ("vds header: truncated").
func (Reason) Scope() string { return "vds" }

// Is links a reason to the chiperr kind of the same meaning
// (errors.Is(err, chiperr.Integrity) for BadSignature), the one way
// families link to chiperr (see internal/kinderr).
func (r Reason) Is(target error) bool { return kinderr.Links(target, r.chip()) }

// chip is the chiperr kind of the same failure.
func (r Reason) chip() chiperr.Kind {
	switch r {
	case UnsupportedVersion, UnsupportedKey:
		return chiperr.Unsupported
	case TooLarge:
		return chiperr.TooLarge
	case BadSignature:
		return chiperr.Integrity
	case BadInput:
		return chiperr.BadInput
	}
	return chiperr.Malformed
}

// Error is a failure to parse, verify or build a seal; its Kind is the
// [Reason], its Op what was being done (e.g. "header"), its Detail never
// a field value.
type Error = kinderr.Error[Reason]

func newErr(r Reason, op, detail string) *Error { return kinderr.New(r, op, detail) }

func newErrf(r Reason, op, format string, args ...any) *Error {
	return kinderr.Newf(r, op, format, args...)
}

// ReasonOf returns the Reason of a vds error, or 0 when err is not one.
func ReasonOf(err error) Reason { return kinderr.KindOf[Reason](err) }
