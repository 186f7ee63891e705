package scan

import (
	"fmt"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Code classifies why no payload came out of an image.
type Code int

const (
	_ Code = iota
	// NoCode: nothing that looks like a readable 2D code was found.
	NoCode
	// Damaged: a code was found but could not be decoded (blurred, torn,
	// too many errors for its error correction).
	Damaged
	// TooLarge: the image has more pixels than Decode accepts.
	TooLarge
	// Canceled: the context ended before a code was decoded.
	Canceled
)

type codeText struct{ fr, en string }

var codeTexts = map[Code]codeText{
	NoCode: {
		"Aucun code 2D n'a été trouvé dans l'image. Présentez le cachet bien à plat, net et éclairé.",
		"No 2D code was found in the image. Hold the seal flat, in focus and well lit.",
	},
	Damaged: {
		"Un code 2D a été trouvé mais il est illisible (flou, abîmé ou trop petit). Rapprochez-le ou améliorez l'éclairage.",
		"A 2D code was found but cannot be read (blurred, damaged or too small). Move it closer or improve the light.",
	},
	TooLarge: {
		"L'image est trop grande pour être analysée.",
		"The image is too large to be analysed.",
	},
	Canceled: {
		"Lecture du code 2D annulée.",
		"2D code reading cancelled.",
	},
}

// Error is the failure of Decode. errors.Is(err, scan.NoCode) tests its Code,
// and errors.Is(err, chiperr.Malformed) works for Damaged (TooLarge and
// Canceled map onto the chiperr kinds of the same name).
type Error struct {
	Code   Code
	Detail string // technical detail for support (never payload bytes)
}

func (c Code) Error() string {
	if t, ok := codeTexts[c]; ok {
		return t.en
	}
	return fmt.Sprintf("scan error %d", int(c))
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return "scan: " + e.Code.Error()
	}
	return "scan: " + e.Code.Error() + " (" + e.Detail + ")"
}

// Message is the sentence shown to the user, in "fr" or "en" (French by default).
func (e *Error) Message(lang string) string {
	t, ok := codeTexts[e.Code]
	if !ok {
		t = codeText{"Erreur inconnue pendant la lecture du code 2D.", "Unknown error while reading the 2D code."}
	}
	if lang == "en" {
		return t.en
	}
	return t.fr
}

// codeHints are the support sentences (French, English) of each Code.
var codeHints = map[Code]codeText{
	NoCode:   {"Aucun symbole DataMatrix ni QR n'a été localisé.", "No DataMatrix or QR symbol was located."},
	Damaged:  {"Symbole localisé mais non décodé (au-delà de sa correction d'erreurs).", "Symbol located but not decoded (beyond its error correction)."},
	TooLarge: {fmt.Sprintf("Plus de %d pixels : image refusée avant son analyse.", MaxPixels), fmt.Sprintf("More than %d pixels: image refused before analysis.", MaxPixels)},
	Canceled: {"Le contexte a pris fin avant le décodage.", "The context ended before decoding."},
}

// Hint is the sentence for support staff, with the technical detail; with
// Message it lets the command line and the screens word the error.
func (e *Error) Hint(lang string) string {
	t := codeHints[e.Code]
	h := t.fr
	if lang == "en" {
		h = t.en
	}
	if e.Detail != "" {
		h += " [" + e.Detail + "]"
	}
	return h
}

// Kind maps the error onto the project's chip error vocabulary
// (0 for NoCode, which has no counterpart there).
func (e *Error) Kind() chiperr.Kind {
	switch e.Code {
	case Damaged:
		return chiperr.Malformed
	case TooLarge:
		return chiperr.TooLarge
	case Canceled:
		return chiperr.Canceled
	}
	return 0
}

// Is matches a Code or the chiperr.Kind that the error maps onto.
func (e *Error) Is(target error) bool {
	switch t := target.(type) {
	case Code:
		return t == e.Code
	case chiperr.Kind:
		return t != 0 && t == e.Kind()
	}
	return false
}

func newErr(c Code, format string, args ...any) *Error {
	return &Error{Code: c, Detail: fmt.Sprintf(format, args...)}
}
