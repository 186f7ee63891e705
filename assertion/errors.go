package assertion

import (
	"errors"
	"fmt"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

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
)

// text is this package's own Sentences type (short literals below).
type text chiperr.Sentences

var texts = map[Kind]text{
	Malformed: {"La demande du service est illisible.", "The service's request cannot be read.",
		"Requête ou assertion mal formée.", "Malformed request or assertion."},
	Unsigned: {"La demande du service n'est pas signée : elle est refusée.", "The service's request is not signed: it is refused.",
		"JWS absent ou algorithme non autorisé.", "Missing JWS or algorithm not allowed."},
	BadSignature: {"La signature de la demande est fausse : elle ne vient peut-être pas du service annoncé.", "The request's signature is false: it may not come from the service it names.",
		"La signature JWS ne se vérifie pas avec le certificat x5c.", "The JWS signature does not verify with the x5c certificate."},
	BadCertificate: {"Le certificat du service est invalide ou expiré.", "The service's certificate is invalid or expired.",
		"Chaîne x5c rompue, expirée ou clé non prise en charge.", "x5c chain broken, expired or key not supported."},
	HostMismatch: {"Le nom du service ne correspond pas à son certificat : la demande est refusée.", "The service's name does not match its certificate: the request is refused.",
		"client_id absent du SAN DNS, ou response_uri vers un autre hôte.", "client_id not in the DNS SAN, or response_uri on another host."},
	Expired: {"La demande a expiré. Recommencez depuis le site du service.", "The request has expired. Start again from the service's site.",
		"exp dépassé (ou iat dans le futur).", "exp passed (or iat in the future)."},
	Replayed: {"Cette demande a déjà été utilisée : elle est refusée.", "This request was already used: it is refused.",
		"nonce ou jti déjà vu.", "nonce or jti already seen."},
	WrongAudience: {"Cette preuve a été faite pour un autre service ou une autre demande.", "This proof was made for another service or request.",
		"client_id, nonce ou state ne correspondent pas.", "client_id, nonce or state do not match."},
	Altered: {"Les données ont été modifiées après leur signature par l'État.", "The data were changed after the State signed them.",
		"Empreinte d'un groupe de données différente de l'EF.SOD.", "A data group's hash differs from EF.SOD."},
	ChipSignature: {"La signature de la puce ne correspond pas à cette demande.", "The chip's signature does not match this request.",
		"Signature d'authentification active invalide pour le défi dérivé.", "Active Authentication signature invalid for the derived challenge."},
	Untrusted: {"Le document n'a pas été émis par une autorité reconnue.", "The document was not issued by a known authority.",
		"Le signataire (DS) ne remonte à aucune CSCA de confiance.", "The document signer chains to no trusted CSCA."},
	TooLarge: {"La demande est trop grande : elle est refusée.", "The request is too large: it is refused.",
		"Taille d'URL ou de corps au-delà des limites.", "URL or body size beyond the limits."},
	WrongHost: {"Demande refusée : elle ne vient pas de cet ordinateur.", "Request refused: it does not come from this computer.",
		"En-tête Host différent de 127.0.0.1/localhost (DNS rebinding ?).", "Host header other than 127.0.0.1/localhost (DNS rebinding?)."},
	Busy: {"Une autre demande est déjà en cours. Terminez-la d'abord.", "Another request is already in progress. Finish it first.",
		"Une seule demande à la fois.", "One request at a time."},
	RateLimited: {"Trop de demandes d'un coup. Attendez un instant.", "Too many requests at once. Wait a moment.",
		"Limite de débit de l'accueil local atteinte.", "The local intake's rate limit was reached."},
	Refused: {"Vous avez refusé : rien n'a été envoyé.", "You refused: nothing was sent.",
		"Refus du titulaire.", "The holder refused."},
	Unsupported: {"Le service demande quelque chose que cette application ne sait pas fournir.", "The service asks for something this application cannot give.",
		"Donnée, format ou mode de réponse non pris en charge.", "Datum, format or response mode not supported."},
	Network: {"Le service n'a pas pu être joint ou a répondu une erreur.", "The service could not be reached or answered an error.",
		"Échec de l'envoi à response_uri.", "Posting to response_uri failed."},
	NotNavigation: {"Demande refusée : elle n'a pas été ouverte par vous dans le navigateur (un script de page a tenté de la lancer).",
		"Request refused: it was not opened by you in the browser (a page's script tried to start it).",
		"Sec-Fetch-Mode/Dest autre qu'une navigation de premier niveau.", "Sec-Fetch-Mode/Dest other than a top-level navigation."},
	DeceptiveText: {"La demande du service contient des caractères de contrôle qui pourraient tromper l'affichage : elle est refusée.",
		"The service's request holds control characters that could falsify what is shown: it is refused.",
		"Caractère de contrôle C0/C1 ou de contrôle bidirectionnel dans un texte affiché (purpose, client_name…).",
		"C0/C1 control or bidi-control character in a displayed text (purpose, client_name…)."},
}

// Error is a failure of the online journey, in words for the holder
// (Message) and for support (Hint).
type Error struct {
	Kind   Kind
	Op     string
	Detail string
	Err    error
}

// Errorf makes an Error with a formatted detail.
func Errorf(kind Kind, op, format string, args ...any) *Error {
	return &Error{Kind: kind, Op: op, Detail: fmt.Sprintf(format, args...)}
}

// Wrap makes an Error around err.
func Wrap(kind Kind, op string, err error) *Error {
	return &Error{Kind: kind, Op: op, Detail: err.Error(), Err: err}
}

func (e *Error) Error() string {
	s := e.Kind.Error()
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, assertion.Expired) work.
func (e *Error) Is(target error) bool {
	k, ok := target.(Kind)
	return ok && k == e.Kind
}

// Message is the holder's sentence in "fr" or "en".
func (e *Error) Message(lang string) string { return catalog.Message(e.Kind, lang) }

// Hint is the support sentence, with the technical detail.
func (e *Error) Hint(lang string) string { return catalog.Hint(e.Kind, lang, e.Detail) }

var catalog = chiperr.Catalog[Kind, text]{Texts: texts, Unknown: chiperr.Sentences{
	FR: "Erreur inconnue pendant la demande du service.", EN: "Unknown error in the service's request.",
	HintFR: "Erreur de type inconnu.", HintEN: "Error of an unknown kind.",
}}

// Error returns the English message, so a Kind works with errors.Is.
func (k Kind) Error() string { return catalog.Message(k, "en") }

// KindOf returns the kind of an assertion error, or 0.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}
