package vds

import (
	"errors"
	"fmt"

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
)

type text struct{ fr, en string }

var texts = map[Reason]text{
	NotVDS: {
		"Ce code n'est pas un cachet électronique visible (VDS) ICAO.",
		"This code is not an ICAO visible digital seal (VDS).",
	},
	UnsupportedVersion: {
		"Cette version de cachet électronique n'est pas prise en charge.",
		"This digital seal version is not supported.",
	},
	Truncated: {
		"Le cachet électronique est incomplet : relisez le code.",
		"The digital seal is incomplete: scan the code again.",
	},
	Malformed: {
		"Le cachet électronique est illisible.",
		"The digital seal cannot be read.",
	},
	TooLarge: {
		"Le cachet électronique annonce une taille impossible.",
		"The digital seal announces an impossible size.",
	},
	NoSignature: {
		"Le cachet électronique ne contient pas de signature.",
		"The digital seal carries no signature.",
	},
	BadSignature: {
		"La signature du cachet électronique est invalide : le document a peut-être été modifié.",
		"The digital seal's signature is invalid: the document may have been altered.",
	},
	UnsupportedKey: {
		"La clé du signataire du cachet utilise un algorithme non pris en charge.",
		"The seal signer's key uses an unsupported algorithm.",
	},
	BadInput: {
		"Donnée invalide pour la création du cachet.",
		"Invalid data for building the seal.",
	},
}

// Error returns the English message, so a Reason can be an errors.Is target.
func (r Reason) Error() string {
	if t, ok := texts[r]; ok {
		return t.en
	}
	return fmt.Sprintf("vds error %d", int(r))
}

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

// Error is a failure to parse, verify or build a seal.
type Error struct {
	Reason Reason
	Op     string // what was being done, e.g. "VDS header"
	Detail string // technical detail (never a field value)
	Err    error  // the cause, if any
}

func newErr(r Reason, op, detail string) *Error { return &Error{Reason: r, Op: op, Detail: detail} }

func newErrf(r Reason, op, format string, args ...any) *Error {
	return &Error{Reason: r, Op: op, Detail: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string {
	s := "VDS: " + e.Reason.Error()
	if e.Op != "" {
		s = "VDS " + e.Op + ": " + e.Reason.Error()
	}
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap gives the chiperr error of the same meaning and the cause, so that
// errors.Is(err, chiperr.Integrity) and chiperr.KindOf work.
func (e *Error) Unwrap() []error {
	out := []error{chiperr.New(e.Reason.chip(), "VDS "+e.Op, e.Detail)}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// Is makes errors.Is(err, vds.BadSignature) work.
func (e *Error) Is(target error) bool {
	r, ok := target.(Reason)
	return ok && r == e.Reason
}

// Message is the sentence shown to the user, in "fr" or "en" (French by default).
func (e *Error) Message(lang string) string { return ReasonMessage(e.Reason, lang) }

// ReasonMessage is the user's sentence for a reason.
func ReasonMessage(r Reason, lang string) string {
	t, ok := texts[r]
	if !ok {
		t = text{"Erreur inconnue pendant la lecture du cachet électronique.", "Unknown error while reading the digital seal."}
	}
	if lang == "en" {
		return t.en
	}
	return t.fr
}

// ReasonOf returns the Reason of a vds error, or 0 when err is not one.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return 0
}
