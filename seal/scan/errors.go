package scan

import (
	"github.com/cnie-reader/cnie-reader/internal/kinderr"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Code classifies why no payload came out of an image.
type Code int

const (
	_ Code = iota
	// NoCode: nothing that looks like a readable 2D code was found.
	NoCode
	// Damaged: a code was found but could not be decoded, and none of the
	// reasons below explains it (torn, stained, too many errors for its
	// error correction).
	Damaged
	// Blurred: a code was found but its modules are smeared together
	// (out of focus, or moved during the exposure).
	Blurred
	// TooSmall: a code was found but its modules are too few pixels wide
	// to be told apart: the code must come closer to the camera.
	TooSmall
	// Glare: a code was found but part of it is washed out by a
	// reflection on the card's laminate.
	Glare
	// TooLarge: the image has more pixels than Decode accepts.
	TooLarge
	// Canceled: the context ended before a code was decoded.
	Canceled

	// numCodes ends the list: a code added above it is in [Codes] at once.
	numCodes
)

// Codes lists every code, in order (the tests that word each code walk it).
func Codes() []Code { return kinderr.Kinds(numCodes) }

var names = [numCodes]string{
	NoCode:   "no 2d code found",
	Damaged:  "2d code found but not decoded",
	Blurred:  "2d code found but blurred",
	TooSmall: "2d code found but too small in the image",
	Glare:    "2d code found but washed out by glare",
	TooLarge: "image too large",
	Canceled: "canceled",
}

// Error names the code in lowercase English, so a Code can be an errors.Is target.
func (c Code) Error() string { return kinderr.Name(names[:], c, "scan error") }

// Scope puts "scan" in front of the scan's errors.
func (Code) Scope() string { return "scan" }

// Is links Damaged, Blurred, TooSmall and Glare to chiperr.Malformed, TooLarge and Canceled to the
// chiperr kinds of the same name, the one way families link to chiperr
// (see internal/kinderr); NoCode has no counterpart there.
func (c Code) Is(target error) bool { return kinderr.Links(target, c.chip()) }

func (c Code) chip() chiperr.Kind {
	switch c {
	case Damaged, Blurred, TooSmall, Glare:
		return chiperr.Malformed
	case TooLarge:
		return chiperr.TooLarge
	case Canceled:
		return chiperr.Canceled
	}
	return 0
}

// Error is the failure of Decode: errors.Is(err, scan.NoCode) tests its
// Kind, the [Code]; its Detail never holds payload bytes.
type Error = kinderr.Error[Code]

func newErr(c Code, format string, args ...any) *Error {
	return kinderr.Newf(c, "", format, args...)
}
