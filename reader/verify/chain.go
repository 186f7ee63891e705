package verify

import (
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// SigningTimeSource says where the time a document was signed comes from.
type SigningTimeSource string

const (
	// FromSOD: the signingTime attribute the Document Signer put in EF.SOD.
	FromSOD SigningTimeSource = "sod-signing-time"
	// FromDG12: the date of issue of DG12.
	FromDG12 SigningTimeSource = "dg12-date-of-issue"
	// Estimated: neither is there; see estimateSigningTime.
	Estimated SigningTimeSource = "estimated"
)

// SigningTime is when the Document Signer is taken to have signed.
type SigningTime struct {
	Time   time.Time         `json:"time"`
	Source SigningTimeSource `json:"source"`
}

// maxDocumentValidity is the longest validity of the documents this reader
// meets (passports and the CNIE: 10 years), used to bound an estimate.
const maxDocumentValidity = 10

// signingTime picks the time the Document Signer is judged at (ICAO
// 9303-12: a DS certificate must be valid when it signs, and documents
// stay valid after their DS expires): the SOD's signingTime, else DG12's
// date of issue, else an estimate.
func signingTime(sod *lds.SOD, doc *reader.Document, ds *pki.Certificate, now time.Time) SigningTime {
	if t := sod.Signer.SigningTime; t != nil && !t.IsZero() {
		return SigningTime{Time: *t, Source: FromSOD}
	}
	if b, ok := doc.DataGroups[12]; ok {
		if dg12, err := lds.ParseDG12(b); err == nil && dg12.DateOfIssue != "" {
			if t, err := time.Parse("20060102", dg12.DateOfIssue); err == nil {
				// The end of that day: personalisation happens during it.
				return SigningTime{Time: t.Add(24*time.Hour - time.Second), Source: FromDG12}
			}
		}
	}
	return SigningTime{Time: estimateSigningTime(doc, ds, now), Source: Estimated}
}

// estimateSigningTime is the latest time the DS could have signed: not
// after today, nor after its certificate's end (an honest issuer signs only
// with a valid certificate), nor before the document's expiry minus the
// longest validity (it cannot have been issued earlier). A DS that expired
// before that bound is judged at the bound, and fails.
func estimateSigningTime(doc *reader.Document, ds *pki.Certificate, now time.Time) time.Time {
	at := now
	if ds != nil && ds.NotAfter.Before(at) {
		at = ds.NotAfter
	}
	if doc.MRZ != nil {
		e := doc.MRZ.ExpiryDate
		if e.Month >= 1 && e.Month <= 12 && e.Day >= 1 && e.Day <= 31 {
			expiry := time.Date(e.ExpiryYear(now), time.Month(e.Month), e.Day, 0, 0, 0, 0, time.UTC)
			if earliest := expiry.AddDate(-maxDocumentValidity, 0, 0); at.Before(earliest) {
				at = earliest
			}
		}
	}
	return at
}

// chainChecks finds the CSCA that issued ds, as RFC 5280 path building does
// (pki.Store.Verify: every candidate, a valid one preferred), and judges
// the chain at the signing time. It adds the csca-known and ds-chain checks
// and returns the anchor used (zero when none) and the chain's status.
func chainChecks(r *Report, ds *pki.Certificate, store *pki.Store, signed SigningTime) (pki.Anchor, Status) {
	if store == nil {
		store = pki.NewStore()
	}
	anchor, err := store.Verify(ds, signed.Time)
	if anchor.Cert == nil {
		if pki.KindOf(err) == pki.UnsupportedAlgorithm {
			r.add(Check{ID: CheckCSCAKnown, Status: NotPossible, Detail: errDetail(err), Reason: text(
				"La signature de l'autorité sur le certificat du signataire utilise un algorithme inconnu ou trop faible.",
				"The authority's signature on the signer's certificate uses an unknown or too weak algorithm.")})
		} else {
			r.add(Check{ID: CheckCSCAKnown, Status: Failed, Detail: errDetail(err), Reason: text(
				"L'autorité qui a signé ce document (%s) n'est pas dans la liste de confiance.",
				"The authority that signed this document (%s) is not in the trust list.", ds.Issuer)})
		}
		r.add(Check{ID: CheckDSChain, Status: NotPossible, Reason: text(
			"La chaîne de certificats ne peut pas être vérifiée sans l'autorité émettrice.",
			"The certificate chain cannot be checked without the issuing authority.")})
		return pki.Anchor{}, NotPossible
	}
	r.Issuer, r.Country = anchor.Cert.Subject, anchor.Cert.Country
	r.DemoPKI = anchor.Source.Kind == pki.SourceDemo
	used := anchorName(anchor)
	known := text("Autorité émettrice connue : %s.", "Known issuing authority: %s.", used)
	if r.DemoPKI {
		known = text("Autorité de DÉMONSTRATION de la carte virtuelle : ce document n'est pas réel.",
			"DEMO authority of the virtual card: this document is not real.")
	}
	r.add(Check{ID: CheckCSCAKnown, Status: Passed, Reason: known, Detail: used})

	when := signed.Time.UTC().Format(time.DateOnly)
	at := signedAtText(signed)
	switch kind := pki.KindOf(err); {
	case err == nil, kind == pki.Revoked:
		// A revocation is the CRL check's to report; the chain itself holds.
		r.add(Check{ID: CheckDSChain, Status: Passed, Detail: used, Reason: Text{
			FR: "Le certificat du signataire est émis par l'autorité ; tous deux étaient valides à la signature (" + when + ", " + at.FR + ").",
			EN: "The signer's certificate is issued by the authority; both were valid when it signed (" + when + ", " + at.EN + ").",
		}})
		return anchor, Passed
	case kind == pki.Expired || kind == pki.NotYetValid:
		who, c := text("du signataire du document", "of the document signer"), ds
		if ds.CheckValidity(signed.Time) == nil {
			who, c = text("de l'autorité émettrice", "of the issuing authority"), anchor.Cert
		}
		from, until := c.NotBefore.UTC().Format(time.DateOnly), c.NotAfter.UTC().Format(time.DateOnly)
		r.add(Check{ID: CheckDSChain, Status: Failed, Detail: errDetail(err), Reason: Text{
			FR: "Le certificat " + who.FR + " (valide du " + from + " au " + until + ") ne l'était pas à la signature (" + when + ", " + at.FR + ").",
			EN: "The certificate " + who.EN + " (valid " + from + " – " + until + ") was not valid when it signed (" + when + ", " + at.EN + ").",
		}})
	case kind == pki.UnhandledCritical:
		r.add(Check{ID: CheckDSChain, Status: Failed, Detail: errDetail(err), Reason: text(
			"Un certificat de la chaîne contient une extension critique inconnue.",
			"A certificate of the chain has an unknown critical extension.")})
	default:
		r.add(Check{ID: CheckDSChain, Status: Failed, Detail: errDetail(err), Reason: text(
			"La chaîne de certificats du signataire n'est pas valide.",
			"The signer's certificate chain is not valid.")})
	}
	return anchor, Failed
}

// anchorName names the CSCA certificate a chain used: subject, validity
// and where it comes from, so that support can tell a link certificate
// from the self-signed one.
func anchorName(a pki.Anchor) string {
	c := a.Cert
	s := c.Subject + " [" + c.NotBefore.UTC().Format(time.DateOnly) + " – " + c.NotAfter.UTC().Format(time.DateOnly)
	if c.Subject != c.Issuer {
		s += ", link certificate"
	}
	s += "; " + a.Source.Kind.String()
	if a.Source.Name != "" {
		s += ": " + a.Source.Name
	}
	return s + "]"
}

func signedAtText(s SigningTime) Text {
	switch s.Source {
	case FromSOD:
		return text("date de signature du fichier de sécurité", "signing time in the security file")
	case FromDG12:
		return text("date de délivrance du document", "the document's date of issue")
	}
	return text("date ESTIMÉE : le document ne dit pas quand il a été signé", "ESTIMATED date: the document does not say when it was signed")
}

func errDetail(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// countryCheck compares the CSCA's country, the Document Signer's and
// DG1's issuing state (ICAO 9303-12: a CSCA vouches for its own state's
// documents only). A mismatch fails the chain.
func countryCheck(r *Report, anchor pki.Anchor, ds *pki.Certificate, doc *reader.Document) Status {
	csca, signer := strings.ToUpper(anchor.Cert.Country), strings.ToUpper(ds.Country)
	state, stateA2 := "", ""
	if doc.MRZ != nil {
		state = strings.TrimRight(doc.MRZ.IssuingState, "<")
	}
	if state != "" {
		a2, ok := mrz.CountryAlpha2(state)
		if !ok {
			r.add(Check{ID: CheckCountry, Status: NotPossible, Detail: "issuing state " + state, Reason: text(
				"Le code d'État émetteur %q n'est pas connu de l'application : l'accord des pays ne peut pas être vérifié.",
				"The issuing state code %q is not known to this application: the countries cannot be compared.", state)})
			return NotPossible
		}
		stateA2 = a2
	}
	names := "CSCA " + orUnknown(csca) + ", DS " + orUnknown(signer) + ", DG1 " + orUnknown(state)
	if stateA2 != "" {
		names += " (" + stateA2 + ")"
	}
	if state == "" && csca != "" && csca == signer {
		// No DG1 (a SOD verified alone): no issuing state is claimed, so
		// the authority and its signer are all there is to compare.
		r.add(Check{ID: CheckCountry, Status: Passed, Detail: names, Reason: text(
			"L'autorité et le signataire sont du même pays (%s) ; l'État émetteur (DG1) n'a pas été lu.",
			"The authority and the signer are of the same country (%s); the issuing state (DG1) was not read.", csca)})
		return Passed
	}
	if csca == "" || signer == "" {
		r.add(Check{ID: CheckCountry, Status: NotPossible, Detail: names, Reason: text(
			"Un des pays manque (%s) : leur accord ne peut pas être vérifié.",
			"One of the countries is missing (%s): they cannot be compared.", names)})
		return NotPossible
	}
	if csca != signer || (state != "" && csca != stateA2) {
		r.add(Check{ID: CheckCountry, Status: Failed, Detail: names, Reason: text(
			"Les pays ne concordent pas : autorité %s, signataire %s, État émetteur %s. Une autorité ne peut garantir que les documents de son pays.",
			"The countries disagree: authority %s, signer %s, issuing state %s. An authority vouches only for its own country's documents.",
			orUnknown(csca), orUnknown(signer), orUnknown(state))})
		return Failed
	}
	r.add(Check{ID: CheckCountry, Status: Passed, Detail: names, Reason: text(
		"L'autorité, le signataire et l'État émetteur sont du même pays (%s).",
		"The authority, the signer and the issuing state are of the same country (%s).", csca)})
	return Passed
}

func orUnknown(s string) string {
	if s == "" {
		return "?"
	}
	return s
}
