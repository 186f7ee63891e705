package pki

import (
	"errors"
	"fmt"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Kind classifies a trust failure by what it means for the document.
type Kind int

const (
	_ Kind = iota
	// Malformed: a certificate, CRL or master list does not parse.
	Malformed
	// TooLarge: a size or a count is beyond every sane bound.
	TooLarge
	// UnsupportedAlgorithm: a signature or key algorithm this reader does not implement.
	UnsupportedAlgorithm
	// BadSignature: a signature was checked and is wrong.
	BadSignature
	// UnknownIssuer: no trusted CSCA matches the certificate's issuer.
	UnknownIssuer
	// Expired: a certificate or CRL is past its validity at the checked time.
	Expired
	// NotYetValid: a certificate is not yet valid at the checked time.
	NotYetValid
	// Revoked: the issuer's CRL lists the certificate.
	Revoked
	// NotCA: a certificate used as an issuer is not a certification authority.
	NotCA
	// WrongUsage: the key usage or extended key usage forbids this use.
	WrongUsage
	// UnhandledCritical: a critical extension this reader does not process.
	UnhandledCritical
	// Duplicate: the trust store already holds this file or certificate.
	Duplicate
	// DemoAnchor: the demonstration CSCA was offered as a real trust anchor.
	DemoAnchor
	// Storage: reading or writing the user's trust directory failed.
	Storage
	// BadInput: the caller passed something unusable (nil certificate, empty path).
	BadInput
	// UntrustedList: a master list whose signature fails or whose signer
	// does not chain to a pinned or trusted CSCA; none of its CSCAs is used.
	UntrustedList
	// UntrustedDeviationList: a deviation list whose signature fails, or
	// whose signer is not a deviation list signer issued by a trusted CSCA;
	// none of its deviations is used.
	UntrustedDeviationList
)

// text is this package's own Sentences type (short literals below).
type text chiperr.Sentences

var texts = map[Kind]text{
	Malformed: {
		"Un certificat ou une liste de confiance est illisible.",
		"A certificate or trust list cannot be read.",
		"Structure ASN.1/DER invalide (certificat, CRL, liste maîtresse ou liste d'écarts).",
		"Invalid ASN.1/DER structure (certificate, CRL, master list or deviation list).",
	},
	TooLarge: {
		"Un certificat ou une liste de confiance est anormalement grand.",
		"A certificate or trust list is abnormally large.",
		"Taille ou nombre d'éléments au-delà des bornes : fichier défectueux ou hostile.",
		"Size or element count beyond bounds: faulty or hostile file.",
	},
	UnsupportedAlgorithm: {
		"Le document utilise un algorithme de signature que l'application ne connaît pas.",
		"The document uses a signature algorithm the application does not know.",
		"Algorithme de signature ou de clé non pris en charge.",
		"Unsupported signature or key algorithm.",
	},
	BadSignature: {
		"Une signature électronique est invalide : le document a peut-être été modifié.",
		"An electronic signature is invalid: the document may have been altered.",
		"La vérification cryptographique de la signature a échoué.",
		"Cryptographic signature verification failed.",
	},
	UnknownIssuer: {
		"L'autorité qui a signé ce document n'est pas dans la liste de confiance.",
		"The authority that signed this document is not in the trust list.",
		"Aucun certificat CSCA de confiance ne correspond à l'émetteur ; importer le CSCA du pays ou une liste maîtresse.",
		"No trusted CSCA certificate matches the issuer; import the country's CSCA or a master list.",
	},
	Expired: {
		"Un certificat de la chaîne de confiance a expiré.",
		"A certificate of the trust chain has expired.",
		"Date de vérification postérieure à la fin de validité (notAfter ou nextUpdate).",
		"Verification time is after the end of validity (notAfter or nextUpdate).",
	},
	NotYetValid: {
		"Un certificat de la chaîne de confiance n'est pas encore valide.",
		"A certificate of the trust chain is not valid yet.",
		"Date de vérification antérieure au début de validité (notBefore) ; vérifier l'horloge.",
		"Verification time is before the start of validity (notBefore); check the clock.",
	},
	Revoked: {
		"Le certificat qui a signé ce document a été révoqué.",
		"The certificate that signed this document has been revoked.",
		"Le numéro de série figure dans la liste de révocation (CRL) de l'autorité.",
		"The serial number is listed in the authority's revocation list (CRL).",
	},
	NotCA: {
		"Un certificat utilisé comme autorité n'en est pas une.",
		"A certificate used as an authority is not one.",
		"basicConstraints absent ou cA=FALSE.",
		"basicConstraints missing or cA=FALSE.",
	},
	WrongUsage: {
		"Un certificat est utilisé pour un usage qu'il n'autorise pas.",
		"A certificate is used for a purpose it does not allow.",
		"keyUsage ou extendedKeyUsage incompatible avec l'usage.",
		"keyUsage or extendedKeyUsage does not allow this use.",
	},
	UnhandledCritical: {
		"Un certificat contient une extension critique inconnue.",
		"A certificate contains an unknown critical extension.",
		"Extension marquée critique non traitée par l'application (RFC 5280 §4.2).",
		"Extension marked critical that the application does not process (RFC 5280 §4.2).",
	},
	Duplicate: {
		"Ce fichier est déjà dans la liste de confiance.",
		"This file is already in the trust list.",
		"Même empreinte SHA-256 déjà présente dans le répertoire de confiance.",
		"Same SHA-256 fingerprint already present in the trust directory.",
	},
	DemoAnchor: {
		"Le certificat de démonstration ne peut pas être ajouté comme autorité réelle.",
		"The demonstration certificate cannot be added as a real authority.",
		"Le CSCA DEMO ne sert qu'à la carte virtuelle.",
		"The DEMO CSCA is only for the virtual card.",
	},
	Storage: {
		"Impossible de lire ou d'écrire la liste de confiance.",
		"The trust list cannot be read or written.",
		"Erreur de fichier dans le répertoire de confiance de l'utilisateur.",
		"File error in the user's trust directory.",
	},
	UntrustedList: {
		"Une liste maîtresse n'est pas signée par une autorité de confiance : aucun de ses certificats n'est utilisé.",
		"A master list is not signed by a trusted authority: none of its certificates is used.",
		"Signature CMS fausse, ou signataire sans chaîne vers un CSCA épinglé ou déjà de confiance ; obtenir la liste auprès de son éditeur (BSI, ICAO).",
		"Wrong CMS signature, or a signer that does not chain to a pinned or already trusted CSCA; get the list from its publisher (BSI, ICAO).",
	},
	UntrustedDeviationList: {
		"Une liste d'écarts n'est pas signée par une autorité de confiance : elle n'est pas utilisée.",
		"A deviation list is not signed by a trusted authority: it is not used.",
		"Signature CMS fausse, signingTime absent, ou signataire sans usage id-icao-DeviationListSigningKey ou sans chaîne vers un CSCA de confiance ; importer d'abord le CSCA du pays qui publie la liste.",
		"Wrong CMS signature, no signingTime, or a signer without the id-icao-DeviationListSigningKey usage or without a chain to a trusted CSCA; import the publishing country's CSCA first.",
	},
	BadInput: {
		"Donnée invalide.",
		"Invalid input.",
		"Paramètre invalide passé au module de confiance.",
		"Invalid parameter passed to the trust module.",
	},
}

// Error returns the English message, so a Kind can be an errors.Is target.
func (k Kind) Error() string {
	if t, ok := texts[k]; ok {
		return t.EN
	}
	return fmt.Sprintf("pki error %d", int(k))
}

// chip is the chiperr kind that the same failure has on the chip side, or 0.
func (k Kind) chip() chiperr.Kind {
	switch k {
	case Malformed:
		return chiperr.Malformed
	case TooLarge:
		return chiperr.TooLarge
	case UnsupportedAlgorithm:
		return chiperr.Unsupported
	case BadSignature:
		return chiperr.Integrity
	}
	return 0
}

// Error is a failure of the trust module.
type Error struct {
	Kind   Kind
	Op     string // what was being done, e.g. "parse certificate"
	Detail string // technical detail for support (never personal data)
	Err    error  // the cause, if any
}

func newErr(kind Kind, op, detail string) *Error {
	return &Error{Kind: kind, Op: op, Detail: detail}
}

func newErrf(kind Kind, op, format string, args ...any) *Error {
	return &Error{Kind: kind, Op: op, Detail: fmt.Sprintf(format, args...)}
}

// wrap returns an Error of kind caused by err; a pki error keeps its kind.
func wrap(kind Kind, op string, err error) error {
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) {
		kind = pe.Kind
	}
	return &Error{Kind: kind, Op: op, Err: err}
}

// wrapChip maps a chiperr error (from lds.ParsePublicKey or ecc) onto a Kind.
func wrapChip(op string, err error) error {
	kind := Malformed
	switch chiperr.KindOf(err) {
	case chiperr.TooLarge:
		kind = TooLarge
	case chiperr.Unsupported:
		kind = UnsupportedAlgorithm
	}
	return &Error{Kind: kind, Op: op, Err: err}
}

func (e *Error) Error() string {
	var inner *Error
	if e.Detail == "" && errors.As(e.Err, &inner) && inner.Kind == e.Kind {
		// Say the kind once: "op: inner op: message (detail)".
		if e.Op == "" {
			return inner.Error()
		}
		return e.Op + ": " + inner.Error()
	}
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

// Unwrap gives the cause and, for kinds that have one, the chiperr error of
// the same meaning, so that errors.Is(err, chiperr.Integrity) and
// chiperr.KindOf work on pki errors too.
func (e *Error) Unwrap() []error {
	var out []error
	if ck := e.Kind.chip(); ck != 0 {
		out = append(out, chiperr.New(ck, e.Op, e.Detail))
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// Is makes errors.Is(err, pki.BadSignature) work.
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

var catalog = chiperr.Catalog[Kind, text]{Texts: texts, Unknown: chiperr.Sentences{
	FR:     "Erreur inconnue pendant la vérification de l'authenticité du document.",
	EN:     "Unknown error while checking the document's authenticity.",
	HintFR: "Erreur de type inconnu.", HintEN: "Error of an unknown kind.",
}}

// KindOf returns the Kind of a pki error, or 0 when err is not one.
func KindOf(err error) Kind {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Kind
	}
	return 0
}
