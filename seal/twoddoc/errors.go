package twoddoc

import (
	"fmt"

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
)

type reasonText struct {
	fr, en string
	kind   chiperr.Kind
}

var reasonTexts = map[Reason]reasonText{
	NotTwoDDoc:           {"Ce code n'est pas un 2D-Doc.", "This code is not a 2D-Doc.", chiperr.Malformed},
	Truncated:            {"Le 2D-Doc est incomplet.", "The 2D-Doc is incomplete.", chiperr.Malformed},
	BadHeader:            {"L'en-tête du 2D-Doc est invalide.", "The 2D-Doc header is invalid.", chiperr.Malformed},
	BadDate:              {"Une date de l'en-tête du 2D-Doc est invalide.", "A date in the 2D-Doc header is invalid.", chiperr.Malformed},
	UnsupportedVersion:   {"Cette version de 2D-Doc n'est pas prise en charge.", "This 2D-Doc version is not supported.", chiperr.Unsupported},
	BadField:             {"Les données du 2D-Doc sont mal formées.", "The 2D-Doc data is malformed.", chiperr.Malformed},
	NoSignature:          {"Le 2D-Doc ne contient pas de signature.", "The 2D-Doc has no signature.", chiperr.Malformed},
	BadBase32:            {"La signature du 2D-Doc est illisible.", "The 2D-Doc signature cannot be read.", chiperr.Malformed},
	UnsupportedSignature: {"Le 2D-Doc utilise un algorithme de signature non pris en charge.", "The 2D-Doc uses an unsupported signature algorithm.", chiperr.Unsupported},
	BadSignature:         {"La signature du 2D-Doc est invalide : le document a pu être modifié.", "The 2D-Doc signature is invalid: the document may have been altered.", chiperr.Integrity},
	TooLarge:             {"Le 2D-Doc est anormalement long.", "The 2D-Doc is abnormally long.", chiperr.TooLarge},
	BadInput:             {"Données impossibles à encoder en 2D-Doc.", "Data that cannot be encoded as a 2D-Doc.", chiperr.BadInput},
}

// Error returns the English message.
func (r Reason) Error() string {
	if t, ok := reasonTexts[r]; ok {
		return t.en
	}
	return fmt.Sprintf("2D-Doc error %d", int(r))
}

// Error is a failure to parse, verify or build a 2D-Doc.
type Error struct {
	Reason Reason
	Detail string // technical detail for support; never field values
}

func newErr(r Reason, format string, args ...any) *Error {
	return &Error{Reason: r, Detail: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string {
	s := "2D-Doc: " + e.Reason.Error()
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Message is the sentence shown to the user, in "fr" or "en" (French by default).
func (e *Error) Message(lang string) string {
	t, ok := reasonTexts[e.Reason]
	if !ok {
		t = reasonText{fr: "Erreur inconnue sur le 2D-Doc.", en: "Unknown 2D-Doc error."}
	}
	if lang == "en" {
		return t.en
	}
	return t.fr
}

// Kind maps the reason onto the project's error kinds, so chiperr.KindOf and
// errors.Is(err, chiperr.Integrity) work on seal errors as on chip errors.
func (e *Error) Kind() chiperr.Kind {
	if t, ok := reasonTexts[e.Reason]; ok {
		return t.kind
	}
	return chiperr.Malformed
}

// Is matches a Reason or a chiperr.Kind.
func (e *Error) Is(target error) bool {
	switch t := target.(type) {
	case Reason:
		return t == e.Reason
	case chiperr.Kind:
		return t == e.Kind()
	}
	return false
}
