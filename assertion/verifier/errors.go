package verifier

import (
	"errors"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Reason says why an assertion was refused, in terms the service that
// received it can act on (the holder's app has its own words).
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
)

type text chiperr.Sentences

// texts speak to the service (its staff, its logs, its developers).
var texts = map[Reason]text{
	Malformed: {"L'assertion reçue n'est pas une assertion cnie-reader-assertion/1 bien formée : refusez-la.",
		"The assertion received is not a well-formed cnie-reader-assertion/1: refuse it.",
		"JSON invalide, clé inconnue ou répétée, ou clé de groupe autre que DG1…DG16.",
		"Invalid JSON, unknown or repeated key, or a data-group key other than DG1…DG16."},
	TooLarge: {"L'assertion reçue dépasse la taille admise : refusez-la.",
		"The assertion received exceeds the allowed size: refuse it.",
		"Au-delà de assertion.MaxTokenSize.", "Beyond assertion.MaxTokenSize."},
	OtherRequest: {"Cette assertion répond à une autre demande ou à un autre service : elle ne prouve rien pour celle-ci.",
		"This assertion answers another request or another service: it proves nothing for this one.",
		"state, client_id ou nonce différents de ceux que le service a enregistrés.",
		"state, client_id or nonce differ from the service's own record."},
	Expired: {"La demande a expiré ou l'assertion est trop ancienne : faites une nouvelle demande.",
		"The request expired or the assertion is too old: make a new request.",
		"exp de la demande dépassé, ou iat de l'assertion hors de la fenêtre admise.",
		"The request's exp passed, or the assertion's iat is outside the allowed window."},
	Replayed: {"Cette assertion a déjà été reçue et acceptée : une copie rejouée est refusée.",
		"This assertion was already received and accepted: a replayed copy is refused.",
		"client_id + nonce déjà vus par ce vérificateur.", "client_id + nonce already seen by this verifier."},
	DocumentSignature: {"La signature de l'État sur les données (EF.SOD) est fausse ou illisible : rien n'est prouvé.",
		"The State's signature over the data (EF.SOD) is false or unreadable: nothing is proven.",
		"EF.SOD illisible, ou signature du signataire de document (DS) invalide.",
		"EF.SOD unreadable, or the document signer's (DS) signature invalid."},
	Untrusted: {"Le document n'est pas signé sous une autorité (CSCA) de votre liste de confiance : ajoutez celle du pays émetteur si vous l'acceptez.",
		"The document is not signed under an authority (CSCA) of your trust store: add the issuing country's if you accept it.",
		"Le DS ne remonte à aucune CSCA de confiance, ou la chaîne est invalide ou expirée.",
		"The DS chains to no trusted CSCA, or the chain is invalid or expired."},
	Revoked: {"Le certificat qui a signé ce document est révoqué : refusez le document.",
		"The certificate that signed this document is revoked: refuse the document.",
		"Le DS figure sur la CRL de sa CSCA.", "The DS is on its CSCA's CRL."},
	Altered: {"Des données ont été modifiées après leur signature par l'État : refusez-les.",
		"Data were changed after the State signed them: refuse them.",
		"L'empreinte d'un groupe de données diffère de celle signée dans l'EF.SOD.",
		"A data group's hash differs from the one signed in EF.SOD."},
	PresenceMissing: {"La puce de ce document sait signer votre demande, mais l'assertion n'apporte pas sa signature : la preuve de présence a été retirée, refusez.",
		"This document's chip can sign your request, but the assertion carries no signature of it: the proof of presence was stripped, refuse it.",
		"L'EF.SOD signé liste DG15 (authentification active) et chip_presence n'est pas une signature valide.",
		"The signed EF.SOD lists DG15 (Active Authentication) and chip_presence is not a valid signature."},
	PresenceInvalid: {"La signature de la puce ne correspond pas à cette demande (autre nonce, autre service ou contenu changé) : refusez.",
		"The chip's signature does not match this request (another nonce, another service or changed content): refuse it.",
		"Signature d'authentification active invalide pour le défi dérivé de nonce, client_id, EF.SOD et groupes envoyés.",
		"Active Authentication signature invalid for the challenge derived from nonce, client_id, EF.SOD and the groups sent."},
	Incomplete: {"L'assertion annonce une donnée sans le groupe de données signé qui la porte : refusez-la.",
		"The assertion announces a datum without the signed data group that holds it: refuse it.",
		"released cite une donnée dont le groupe est absent (ou DG2 sans visage).",
		"released names a datum whose group is missing (or DG2 without a face)."},
}

var catalog = chiperr.Catalog[Reason, text]{Texts: texts, Unknown: chiperr.Sentences{
	FR: "L'assertion est refusée pour une raison inconnue.", EN: "The assertion is refused for an unknown reason.",
	HintFR: "Raison de type inconnu.", HintEN: "Reason of an unknown kind.",
}}

// kindOf keeps errors.Is(err, assertion.Kind) working for callers that
// test the online journey's kinds.
var kindOf = map[Reason]assertion.Kind{
	Malformed: assertion.Malformed, TooLarge: assertion.TooLarge, OtherRequest: assertion.WrongAudience,
	Expired: assertion.Expired, Replayed: assertion.Replayed, DocumentSignature: assertion.BadSignature,
	Untrusted: assertion.Untrusted, Revoked: assertion.Untrusted, Altered: assertion.Altered,
	PresenceMissing: assertion.ChipSignature, PresenceInvalid: assertion.ChipSignature, Incomplete: assertion.Malformed,
}

// Error is an assertion refused by the verifier.
type Error struct {
	Reason Reason
	// Detail says exactly what was found, for the service's logs.
	Detail string
	Err    error
}

func (e *Error) Error() string {
	s := "verifier: " + catalog.Hint(e.Reason, "en", "")
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches a Reason, or the assertion.Kind it belongs to.
func (e *Error) Is(target error) bool {
	switch t := target.(type) {
	case Reason:
		return t == e.Reason
	case assertion.Kind:
		return t == kindOf[e.Reason]
	}
	return false
}

// Message is the service's sentence in "fr" or "en".
func (e *Error) Message(lang string) string { return catalog.Message(e.Reason, lang) }

// Hint is the technical sentence with the detail.
func (e *Error) Hint(lang string) string { return catalog.Hint(e.Reason, lang, e.Detail) }

// Error returns the English sentence, so a Reason works with errors.Is.
func (r Reason) Error() string { return catalog.Message(r, "en") }

// ReasonOf returns the reason of a verifier error, or 0.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return 0
}

func refuse(r Reason, detail string) *Error { return &Error{Reason: r, Detail: detail} }

func refuseErr(r Reason, err error) *Error { return &Error{Reason: r, Detail: err.Error(), Err: err} }
