package verifier

import (
	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/internal/kinderr"
)

// Reason says why an assertion was refused, in terms the service that
// received it can act on; app/problem words it for the service's staff.
type Reason int

const (
	_ Reason = iota
	// Malformed: not a well-formed cnie-reader-assertion/1 (bad JSON,
	// unknown or repeated keys, data-group keys other than DG1…DG16).
	Malformed
	// TooLarge: beyond assertion.MaxTokenSize.
	TooLarge
	// OtherRequest: made for another request or service (state, client_id
	// or nonce differ from the service's record).
	OtherRequest
	// Expired: the request expired, or the assertion is too old or dated
	// in the future.
	Expired
	// Replayed: this assertion was already accepted once.
	Replayed
	// DocumentSignature: EF.SOD is unreadable or the document signer's
	// signature over it is false.
	DocumentSignature
	// Untrusted: the document signer chains to no CSCA the service trusts.
	Untrusted
	// Revoked: the document signer's certificate is revoked.
	Revoked
	// Altered: a data group differs from its hash signed in EF.SOD.
	Altered
	// PresenceMissing: the chip has Active Authentication (EF.SOD lists
	// DG15) but the assertion brings no signature of it.
	PresenceMissing
	// PresenceInvalid: the chip's signature does not verify over the
	// challenge of this request and this content.
	PresenceInvalid
	// Incomplete: a released datum comes without the data group that
	// holds it, or that group does not hold it.
	Incomplete

	// numReasons ends the list: a reason added above it is in [Reasons] at once.
	numReasons
)

// Reasons lists every reason, in order (the tests that word each reason walk it).
func Reasons() []Reason { return kinderr.Kinds(numReasons) }

var names = [numReasons]string{
	Malformed:         "malformed assertion",
	TooLarge:          "assertion too large",
	OtherRequest:      "assertion for another request",
	Expired:           "request expired or assertion out of its time window",
	Replayed:          "assertion replayed",
	DocumentSignature: "bad document signature",
	Untrusted:         "document signer not trusted",
	Revoked:           "document signer revoked",
	Altered:           "data group altered",
	PresenceMissing:   "chip presence signature missing",
	PresenceInvalid:   "chip presence signature invalid",
	Incomplete:        "released datum without its data group",
}

// Error names the reason in lowercase English, so a Reason works with errors.Is.
func (r Reason) Error() string { return kinderr.Name(names[:], r, "verifier reason") }

// Scope puts "verifier" in front of the verifier's errors.
func (Reason) Scope() string { return "verifier" }

// Is links a reason to the assertion.Kind it belongs to, so callers that
// test the online journey's kinds (errors.Is(err, assertion.Expired)) see
// the verifier's refusals too.
func (r Reason) Is(target error) bool { return kinderr.Links(target, kindOf[r]) }

// kindOf is the assertion.Kind of each reason.
var kindOf = map[Reason]assertion.Kind{
	Malformed: assertion.Malformed, TooLarge: assertion.TooLarge, OtherRequest: assertion.WrongAudience,
	Expired: assertion.Expired, Replayed: assertion.Replayed, DocumentSignature: assertion.BadSignature,
	Untrusted: assertion.Untrusted, Revoked: assertion.Untrusted, Altered: assertion.Altered,
	PresenceMissing: assertion.ChipSignature, PresenceInvalid: assertion.ChipSignature, Incomplete: assertion.Malformed,
}

// Error is an assertion refused by the verifier; its Kind is the [Reason]
// and its Detail says exactly what was found, for the service's logs.
type Error = kinderr.Error[Reason]

// ReasonOf returns the reason of a verifier error, or 0.
func ReasonOf(err error) Reason { return kinderr.KindOf[Reason](err) }

func refuse(r Reason, detail string) *Error { return kinderr.New(r, "", detail) }

func refuseErr(r Reason, err error) *Error { return &Error{Kind: r, Detail: err.Error(), Err: err} }
