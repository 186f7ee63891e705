package verify

import (
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/document"
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
func signingTime(sod *lds.SOD, doc *document.Document, ds *pki.Certificate, now time.Time) SigningTime {
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
func estimateSigningTime(doc *document.Document, ds *pki.Certificate, now time.Time) time.Time {
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
			r.add(Check{ID: CheckCSCAKnown, Status: NotPossible, Detail: errDetail(err), Reason: ReasonUnknownAlgorithm})
		} else {
			r.add(Check{ID: CheckCSCAKnown, Status: Failed, Detail: errDetail(err), Reason: ReasonNotTrusted, Args: args("Issuer", ds.Issuer)})
		}
		r.add(Check{ID: CheckDSChain, Status: NotPossible, Reason: ReasonNoAuthority})
		return pki.Anchor{}, NotPossible
	}
	r.Issuer, r.Country = anchor.Cert.Subject, anchor.Cert.Country
	r.DemoPKI = anchor.Source.Kind == pki.SourceDemo
	used := anchorName(anchor)
	known := Check{ID: CheckCSCAKnown, Status: Passed, Reason: ReasonKnown, Args: args("Authority", used), Detail: used}
	if r.DemoPKI {
		known.Reason, known.Args = ReasonDemo, nil
	}
	r.add(known)

	when := signed.Time.UTC().Format(time.DateOnly)
	switch kind := pki.KindOf(err); {
	case err == nil, kind == pki.Revoked:
		// A revocation is the CRL check's to report; the chain itself holds.
		r.add(Check{ID: CheckDSChain, Status: Passed, Detail: used, Reason: ReasonValid,
			Args: args("Date", when, "SignedAt", string(signed.Source))})
		return anchor, Passed
	case kind == pki.Expired || kind == pki.NotYetValid:
		who, c := "signer", ds
		if ds.CheckValidity(signed.Time) == nil {
			who, c = "authority", anchor.Cert
		}
		from, until := c.NotBefore.UTC().Format(time.DateOnly), c.NotAfter.UTC().Format(time.DateOnly)
		r.add(Check{ID: CheckDSChain, Status: Failed, Detail: errDetail(err), Reason: ReasonNotValidThen,
			Args: args("Who", who, "From", from, "Until", until, "Date", when, "SignedAt", string(signed.Source))})
	case kind == pki.UnhandledCritical:
		r.add(Check{ID: CheckDSChain, Status: Failed, Detail: errDetail(err), Reason: ReasonCriticalExtension})
	default:
		r.add(Check{ID: CheckDSChain, Status: Failed, Detail: errDetail(err), Reason: ReasonInvalid})
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

func errDetail(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// countryCheck compares the CSCA's country, the Document Signer's and
// DG1's issuing state (ICAO 9303-12: a CSCA vouches for its own state's
// documents only). A mismatch fails the chain.
func countryCheck(r *Report, anchor pki.Anchor, ds *pki.Certificate, doc *document.Document) Status {
	csca, signer := strings.ToUpper(anchor.Cert.Country), strings.ToUpper(ds.Country)
	state, stateA2 := "", ""
	if doc.MRZ != nil {
		state = strings.TrimRight(doc.MRZ.IssuingState, "<")
	}
	if state != "" {
		a2, ok := mrz.CountryAlpha2(state)
		if !ok {
			r.add(Check{ID: CheckCountry, Status: NotPossible, Detail: "issuing state " + state, Reason: ReasonUnknownState, Args: args("State", state)})
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
		r.add(Check{ID: CheckCountry, Status: Passed, Detail: names, Reason: ReasonSameWithoutDG1, Args: args("Country", csca)})
		return Passed
	}
	if csca == "" || signer == "" {
		r.add(Check{ID: CheckCountry, Status: NotPossible, Detail: names, Reason: ReasonMissing, Args: args("Countries", names)})
		return NotPossible
	}
	if csca != signer || (state != "" && csca != stateA2) {
		r.add(Check{ID: CheckCountry, Status: Failed, Detail: names, Reason: ReasonMismatch, Args: args("Authority", orUnknown(csca), "Signer", orUnknown(signer), "State", orUnknown(state))})
		return Failed
	}
	r.add(Check{ID: CheckCountry, Status: Passed, Detail: names, Reason: ReasonAgree, Args: args("Country", csca)})
	return Passed
}

func orUnknown(s string) string {
	if s == "" {
		return "?"
	}
	return s
}
