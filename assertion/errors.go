package assertion

import "github.com/cnie-reader/cnie-reader/internal/kinderr"

// Kind classifies what went wrong on the online journey.
type Kind int

const (
	_ Kind = iota
	// Malformed: a request or assertion that does not parse.
	Malformed
	// Unsigned: a request without a signature, or with an algorithm not allowed.
	Unsigned
	// BadSignature: the signature does not verify with the certificate it names.
	BadSignature
	// BadCertificate: the certificate chain is broken, expired or unusable.
	BadCertificate
	// HostMismatch: the service's name is not in its certificate, or the
	// answer would go to another host than the one named.
	HostMismatch
	// Expired: the request (or assertion) is past its lifetime.
	Expired
	// Replayed: the same request or assertion was seen before.
	Replayed
	// WrongAudience: the assertion was made for another service or request.
	WrongAudience
	// Altered: data do not match what the document signer signed.
	Altered
	// ChipSignature: the chip's Active Authentication signature does not verify.
	ChipSignature
	// Untrusted: the document signer does not chain to a trusted authority.
	Untrusted
	// TooLarge: a request or body beyond the limits.
	TooLarge
	// WrongHost: a request to the intake with a Host header other than loopback.
	WrongHost
	// Busy: another request is being handled.
	Busy
	// RateLimited: too many requests in a short time.
	RateLimited
	// Refused: the holder said no.
	Refused
	// Unsupported: something asked for that this application cannot give.
	Unsupported
	// Network: the service could not be reached or answered an error.
	Network
	// NotNavigation: the intake was reached by a page's script (fetch,
	// iframe…), not by a navigation of the person's browser.
	NotNavigation
	// DeceptiveText: text shown to the holder holds control or bidi-control
	// characters that could change what the screen or terminal shows.
	DeceptiveText

	// numKinds ends the list: a kind added above it is in [Kinds] at once.
	numKinds
)

// Kinds lists every kind, in order (the tests that word each kind walk it).
func Kinds() []Kind { return kinderr.Kinds(numKinds) }

var names = [numKinds]string{
	Malformed:      "malformed request",
	Unsigned:       "unsigned request",
	BadSignature:   "bad request signature",
	BadCertificate: "bad service certificate",
	HostMismatch:   "host mismatch",
	Expired:        "expired",
	Replayed:       "replayed",
	WrongAudience:  "wrong audience",
	Altered:        "data altered",
	ChipSignature:  "bad chip signature",
	Untrusted:      "untrusted document signer",
	TooLarge:       "too large",
	WrongHost:      "wrong host",
	Busy:           "busy",
	RateLimited:    "rate limited",
	Refused:        "refused by the holder",
	Unsupported:    "unsupported",
	Network:        "network",
	NotNavigation:  "not a navigation",
	DeceptiveText:  "deceptive text",
}

// Error names the kind in lowercase English, so a Kind works with errors.Is.
func (k Kind) Error() string { return kinderr.Name(names[:], k, "assertion error") }

// Error is a failure of the online journey; app/problem words it for the
// holder and for support.
type Error = kinderr.Error[Kind]

// Errorf makes an Error with a formatted detail.
func Errorf(kind Kind, op, format string, args ...any) *Error {
	return kinderr.Newf(kind, op, format, args...)
}

// Wrap makes an Error around err, whose text is also the detail support
// reads (the error says it once).
func Wrap(kind Kind, op string, err error) *Error {
	return &Error{Kind: kind, Op: op, Detail: err.Error(), Err: err}
}

// KindOf returns the kind of an assertion error, or 0.
func KindOf(err error) Kind { return kinderr.KindOf[Kind](err) }
