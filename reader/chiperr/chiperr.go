// Package chiperr holds the typed errors that every part of reader/ returns.
//
// A chip failure reaches three audiences: the program (which checks the
// Kind with errors.Is), the holder (who reads Message in French or English)
// and support staff (who read Hint). Keeping the kinds in one leaf package
// lets every layer, from the APDU codec to the virtual card, speak the same
// vocabulary without import cycles.
package chiperr

import (
	"errors"
	"fmt"
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
)

var texts = map[Kind]Sentences{
	Malformed: {
		"La carte a renvoyé des données illisibles.",
		"The card sent data that cannot be read.",
		"Réponse de la puce mal formée : relancer la lecture ; si cela se répète, la puce est peut-être endommagée.",
		"Malformed chip response: retry the read; if it repeats, the chip may be damaged or not an ICAO document.",
	},
	Integrity: {
		"La communication sécurisée avec la carte a été altérée.",
		"The secure connection with the card was tampered with or disturbed.",
		"Échec d'un contrôle d'intégrité (MAC de messagerie sécurisée, jeton d'authentification ou point envoyé par la puce) : carte déplacée, lecteur instable ou puce non authentique.",
		"An integrity check failed (secure messaging MAC, authentication token, or a point sent by the chip): card moved, unstable reader, or a chip that is not genuine.",
	},
	AccessDenied: {
		"La carte a refusé le code. Vérifiez le numéro à 6 chiffres (CAN) imprimé sur la carte.",
		"The card refused the access code. Check the 6-digit number (CAN) printed on the card.",
		"Authentification PACE/BAC refusée : CAN ou données MRZ erronés.",
		"PACE/BAC authentication refused: wrong CAN or MRZ data.",
	},
	SecurityStatus: {
		"La carte demande une authentification avant de donner cette information.",
		"The card requires authentication before giving this information.",
		"Mot d'état 6982 : conditions de sécurité non satisfaites.",
		"Status word 6982: security status not satisfied.",
	},
	FileNotFound: {
		"Cette information n'existe pas sur la carte.",
		"This information does not exist on the card.",
		"Mot d'état 6A82 : fichier absent.",
		"Status word 6A82: file not found.",
	},
	WrongLength: {
		"La carte ou le lecteur a refusé la taille d'un échange.",
		"The card or the reader refused the size of an exchange.",
		"Mot d'état 6700 : longueur incorrecte ; le lecteur ne gère peut-être pas les APDU étendus.",
		"Status word 6700: wrong length; the reader may not support extended-length APDUs.",
	},
	Unsupported: {
		"Cette carte utilise une méthode de sécurité que l'application ne connaît pas.",
		"This card uses a security method the application does not know.",
		"Aucun protocole d'accès commun (PACE/BAC) ou algorithme non pris en charge.",
		"No common access protocol (PACE/BAC) or unsupported algorithm.",
	},
	TooLarge: {
		"La carte annonce une taille de données impossible.",
		"The card announced an impossible data size.",
		"Longueur annoncée au-delà des bornes : puce défectueuse ou hostile.",
		"Announced length beyond bounds: faulty or hostile chip.",
	},
	Timeout: {
		"La carte ne répond plus. Posez-la bien à plat sur le lecteur et réessayez.",
		"The card stopped answering. Lay it flat on the reader and try again.",
		"Délai dépassé pendant l'échange avec la puce.",
		"Deadline exceeded while talking to the chip.",
	},
	Canceled: {
		"Lecture annulée.",
		"Reading cancelled.",
		"Opération annulée par l'utilisateur ou le programme.",
		"Operation cancelled by the user or the program.",
	},
	CardRemoved: {
		"La carte a été retirée pendant la lecture. Reposez-la à plat et réessayez.",
		"The card was removed during reading. Put it back flat and try again.",
		"Carte sortie du champ du lecteur en cours d'échange.",
		"Card left the reader's field during an exchange.",
	},
	Transport: {
		"Le lecteur de cartes ne répond pas correctement.",
		"The card reader is not answering properly.",
		"Erreur du lecteur ou du pilote (PC/SC) sous le niveau APDU.",
		"Reader or driver (PC/SC) failure below the APDU level.",
	},
	Status: {
		"La carte a refusé une commande.",
		"The card refused a command.",
		"Mot d'état inattendu.",
		"Unexpected status word.",
	},
	NoService: {
		"Le service des lecteurs de cartes (pcscd) ne fonctionne pas.",
		"The smart card service (pcscd) is not running.",
		"Démarrer pcscd : sudo systemctl start pcscd.socket (paquet Debian pcscd).",
		"Start pcscd: sudo systemctl start pcscd.socket (Debian package pcscd).",
	},
	NoReader: {
		"Aucun lecteur de cartes n'est branché.",
		"No card reader is plugged in.",
		"Aucun lecteur PC/SC listé : vérifier le câble USB, le pilote (libccid) et, pour un ACR122U, que les modules pn533_usb/nfc sont blacklistés.",
		"No PC/SC reader listed: check the USB cable, the driver (libccid) and, for an ACR122U, that the pn533_usb/nfc kernel modules are blacklisted.",
	},
	NoCard: {
		"Aucune carte sur le lecteur. Posez la carte bien à plat.",
		"No card on the reader. Lay the card flat on it.",
		"Le lecteur ne détecte pas de carte dans son champ.",
		"The reader detects no card in its field.",
	},
	ReaderRemoved: {
		"Le lecteur de cartes a été débranché. Rebranchez-le : la lecture reprendra.",
		"The card reader was unplugged. Plug it back in: reading will resume.",
		"Lecteur disparu de PC/SC en cours d'utilisation (câble, concentrateur USB, mise en veille).",
		"Reader vanished from PC/SC while in use (cable, USB hub, power saving).",
	},
	CardMute: {
		"La carte ne répond pas. Posez-la bien à plat au centre du lecteur, sans autre carte à côté.",
		"The card does not answer. Lay it flat in the middle of the reader, with no other card nearby.",
		"Carte muette : pas d'ATR/ATS ou pas de réponse (position, deux cartes dans le champ, carte non ISO 14443-4).",
		"Card mute: no ATR/ATS or no answer (placement, two cards in the field, card not ISO 14443-4).",
	},
	Busy: {
		"Une autre application utilise la carte ou le lecteur. Fermez-la et réessayez.",
		"Another application is using the card or the reader. Close it and try again.",
		"SCARD_E_SHARING_VIOLATION : accès exclusif détenu par un autre processus (navigateur avec middleware, autre lecteur d'identité).",
		"SCARD_E_SHARING_VIOLATION: exclusive access held by another process (browser middleware, another eID client).",
	},
	BadInput: {
		"Le code saisi n'est pas valide.",
		"The code you entered is not valid.",
		"Donnée d'accès mal formée (CAN ou MRZ).",
		"Malformed access data (CAN or MRZ).",
	},
}

// Error returns the English message, so a Kind can be used as an errors.Is target.
func (k Kind) Error() string {
	if t, ok := texts[k]; ok {
		return t.EN
	}
	return fmt.Sprintf("chip error %d", int(k))
}

// Error is a failure of one operation on the chip.
type Error struct {
	Kind   Kind
	Op     string // what was being done, e.g. "PACE: General Authenticate"
	Detail string // technical detail for support (never personal data)
	Err    error  // the cause, if any
}

// New returns an Error of the given kind.
func New(kind Kind, op, detail string) *Error {
	return &Error{Kind: kind, Op: op, Detail: detail}
}

// Newf is New with a formatted detail.
func Newf(kind Kind, op, format string, args ...any) *Error {
	return &Error{Kind: kind, Op: op, Detail: fmt.Sprintf(format, args...)}
}

// Wrap returns an Error of the given kind caused by err. If err already is a
// chip error it keeps its own kind and only gains context.
func Wrap(kind Kind, op string, err error) error {
	if err == nil {
		return nil
	}
	if k := KindOf(err); k != 0 {
		kind = k
	}
	return &Error{Kind: kind, Op: op, Err: err}
}

func (e *Error) Error() string {
	s := e.Kind.Error()
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, chiperr.Timeout) work.
func (e *Error) Is(target error) bool {
	k, ok := target.(Kind)
	return ok && k == e.Kind
}

// Message is the sentence shown to the holder, in "fr" or "en" (French by default).
func (e *Error) Message(lang string) string { return KindMessage(e.Kind, lang) }

// Hint is the sentence shown to support staff, with the technical detail.
func (e *Error) Hint(lang string) string { return catalog.Hint(e.Kind, lang, e.Detail) }

// KindMessage is the holder's sentence for a kind.
func KindMessage(k Kind, lang string) string { return catalog.Message(k, lang) }

var catalog = Catalog[Kind, Sentences]{Texts: texts, Unknown: Sentences{
	FR: "Erreur inconnue pendant la lecture de la carte.", EN: "Unknown error while reading the card.",
	HintFR: "Erreur de type inconnu.", HintEN: "Error of an unknown kind.",
}}

// Kinded is implemented by errors of other packages (such as a status word)
// that map themselves onto a Kind.
type Kinded interface{ Kind() Kind }

// KindOf returns the kind of a chip error, or 0 when err is not one.
func KindOf(err error) Kind {
	var ce *Error
	if errors.As(err, &ce) {
		return ce.Kind
	}
	var k Kinded
	if errors.As(err, &k) {
		return k.Kind()
	}
	return 0
}
