// Package chiperr holds the typed errors that every part of reader/ returns.
//
// A chip failure has a [Kind], which says what a person can do about it;
// programs test it with errors.Is(err, chiperr.Timeout). Errors are
// technical: Error() is lowercase English for logs and support, never a
// sentence for the holder. What the holder and support staff read is
// decided at the application's edge (package app/problem), in their
// language, from the kind.
//
// One way to link an error family to the kinds: an error of another package
// that has a chip meaning (a status word, a trust failure, a seal failure)
// answers errors.Is(err, chiperr.Integrity) with true, as go-piv's
// status-word error unwraps to ErrNotFound; the families built on
// internal/kinderr do it through their kind's Is method. [KindOf] finds the
// kind of any such error with errors.Is.
package chiperr

import (
	"errors"

	"github.com/cnie-reader/cnie-reader/internal/kinderr"
)

// Kind classifies a failure by what a person can do about it.
type Kind int

const (
	_ Kind = iota
	// Malformed: the card (or a file on it) sent bytes that do not parse.
	Malformed
	// Integrity: a secure-messaging MAC or an authentication token did not verify.
	Integrity
	// AccessDenied: the card refused the access key (wrong CAN or MRZ).
	AccessDenied
	// SecurityStatus: the card wants authentication before this command (6982).
	SecurityStatus
	// FileNotFound: the file does not exist on this card (6A82).
	FileNotFound
	// WrongLength: the card refused the length of a command or its Le (6700).
	WrongLength
	// Unsupported: the card offers nothing this reader knows how to use.
	Unsupported
	// TooLarge: a length announced by the card is beyond every sane bound.
	TooLarge
	// Timeout: the card or the reader did not answer in time.
	Timeout
	// Canceled: the user or the program stopped the operation.
	Canceled
	// CardRemoved: the card left the reader's field.
	CardRemoved
	// Transport: the reader or its driver failed below the APDU level.
	Transport
	// Status: the card answered with a status word that this step did not expect.
	Status
	// BadInput: what the user typed (CAN, MRZ) cannot be right.
	BadInput
	// NoService: the PC/SC service (pcscd) is not running.
	NoService
	// NoReader: no card reader is connected.
	NoReader
	// NoCard: the reader is there but no card is on it.
	NoCard
	// ReaderRemoved: the reader was unplugged while in use.
	ReaderRemoved
	// CardMute: a card is there but does not answer (badly placed, or not a smart card).
	CardMute
	// Busy: another application holds the card or the reader.
	Busy

	// numKinds ends the list: a kind added above it is in [Kinds] at once,
	// so the tests that walk every kind see it.
	numKinds
)

// Kinds lists every kind, in order.
func Kinds() []Kind { return kinderr.Kinds(numKinds) }

var names = [numKinds]string{
	Malformed:      "malformed chip data",
	Integrity:      "integrity check failed",
	AccessDenied:   "access key refused",
	SecurityStatus: "security status not satisfied",
	FileNotFound:   "file not found",
	WrongLength:    "wrong length",
	Unsupported:    "unsupported protocol or algorithm",
	TooLarge:       "announced length out of bounds",
	Timeout:        "chip timeout",
	Canceled:       "canceled",
	CardRemoved:    "card removed",
	Transport:      "reader transport failure",
	Status:         "unexpected status word",
	BadInput:       "invalid access data",
	NoService:      "pc/sc service not running",
	NoReader:       "no reader",
	NoCard:         "no card",
	ReaderRemoved:  "reader removed",
	CardMute:       "card mute",
	Busy:           "card or reader busy",
}

// Error names the kind in lowercase English, so a Kind can be an errors.Is target.
func (k Kind) Error() string { return kinderr.Name(names[:], k, "chip error") }

// Error is a failure of one operation on the chip; its Op says what was
// being done, e.g. "PACE: General Authenticate".
type Error = kinderr.Error[Kind]

// New returns an Error of the given kind.
func New(kind Kind, op, detail string) *Error { return kinderr.New(kind, op, detail) }

// Newf is New with a formatted detail.
func Newf(kind Kind, op, format string, args ...any) *Error {
	return kinderr.Newf(kind, op, format, args...)
}

// Wrap returns an Error of the given kind caused by err. If err already has
// a kind (a chip error, or an error of another family linked to a kind) it
// keeps that kind and only gains context.
func Wrap(kind Kind, op string, err error) error {
	if k := KindOf(err); k != 0 {
		kind = k
	}
	return kinderr.Wrap(kind, op, err)
}

// KindOf returns the kind of err, or 0 when it has none: the kind of the
// outermost chip Error, else the first kind that errors.Is matches (an
// error of another family whose kind links to a chip kind, see
// [kinderr]).
func KindOf(err error) Kind {
	if k := kinderr.KindOf[Kind](err); k != 0 {
		return k
	}
	for k := Kind(1); k < numKinds; k++ {
		if errors.Is(err, k) {
			return k
		}
	}
	return 0
}
