package verify

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// Options tune Verify.
type Options struct {
	// Now is the time certificates, CRLs and the document's expiry are
	// checked at; time.Now() when zero.
	Now time.Time
	// FromFiles: the document comes from files (a dump), not a chip read;
	// what is missing was not given rather than not read.
	FromFiles bool
}

// Verify checks what doc holds against the trust store. It never fails:
// every problem becomes a check that failed or could not be made.
func Verify(doc *document.Document, store *pki.Store, opts Options) *Report {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	r := &Report{At: now}
	pa := passiveAuthentication(r, doc, store, now, opts.FromFiles)
	signedInfos, _ := cardSecurityCheck(r, doc, store, pa.ds, pa.signed)
	paceInfosCheck(r, doc, signedInfos)
	unreadableChecks(r, doc, store, pa.deviations)
	chipChecks(r, doc)
	if pa.deviations != nil {
		deviationNotes(r, store, *pa.deviations)
	}
	documentChecks(r, doc, now, opts.FromFiles)
	r.conclude(pa)
	return r
}

// paOutcome is what passive authentication established.
type paOutcome struct {
	sodSigned  Status // the DS signed the SOD
	chain      Status // a known CSCA vouches for the DS, both valid
	hashes     Status // every readable data group matches
	anchorKind pki.SourceKind
	ds         *pki.Certificate // EF.SOD's signer, when known
	signed     SigningTime      // when it signed
	// deviations describes the document to the deviation lists, once its
	// chain passed.
	deviations *pki.DeviationQuery
}

func passiveAuthentication(r *Report, doc *document.Document, store *pki.Store, now time.Time, fromFiles bool) paOutcome {
	out := paOutcome{sodSigned: NotPossible, chain: NotPossible, hashes: NotPossible}
	if len(doc.SOD) == 0 {
		r.add(Check{ID: CheckSODSignature, Status: NotPossible, Reason: ReasonMissing})
		return out
	}
	sod, err := lds.ParseSOD(doc.SOD)
	if err != nil {
		out.sodSigned = Failed
		r.add(Check{ID: CheckSODSignature, Status: Failed, Detail: err.Error(), Reason: ReasonUnreadable})
		return out
	}
	out.hashes = dataGroupChecks(r, doc, sod, fromFiles)

	ds, dsErr := documentSigner(sod)
	if dsErr != nil {
		r.add(Check{ID: CheckSODSignature, Status: NotPossible, Detail: dsErr.Error(), Reason: ReasonNoSignerCertificate})
		if pki.KindOf(dsErr) == pki.UnsupportedAlgorithm {
			// Most often a key too short to prove anything: say so.
			detail := dsErr.Error()
			detail = strings.TrimSpace(detail[strings.LastIndex(detail, ": ")+1:])
			r.add(Check{ID: CheckAlgorithms, Status: NotPossible, Detail: dsErr.Error(), Reason: ReasonSignerKeyRefused,
				Args: args("Detail", detail)})
		}
	} else {
		r.Signer = ds.Subject
		out.sodSigned = checkSODSignature(r, sod, ds)
	}

	if ds == nil {
		r.add(Check{ID: CheckCSCAKnown, Status: NotPossible, Reason: ReasonNoSignerCertificate})
		return out
	}
	signed := signingTime(sod, doc, ds, now)
	r.SignedAt, out.ds, out.signed = &signed, ds, signed
	anchor, chain := chainChecks(r, ds, store, signed)
	algorithmCheck(r, sod, ds, anchor.Cert)
	if anchor.Cert == nil {
		r.add(Check{ID: CheckCRL, Status: NotPossible, Reason: ReasonNoAuthority})
		return out
	}
	out.anchorKind = anchor.Source.Kind
	out.chain = worst(chain, countryCheck(r, anchor, ds, doc))
	if out.chain == NotPossible && chain == Passed {
		// An unknown country code leaves the issuer unproven, as an
		// unknown CSCA does.
		out.chain = NotPossible
	}
	if crl := checkCRL(r, ds, anchor, store, now); crl == Failed {
		out.chain = Failed
	}
	if out.chain == Passed {
		q := deviationQuery(r, doc, ds, signed)
		out.hashes = applyDeviations(r, store, doc, q, out.hashes)
		out.deviations = &q
	}
	return out
}

// documentSigner is the DS certificate carried by the SOD.
func documentSigner(sod *lds.SOD) (*pki.Certificate, error) {
	if len(sod.Certificates) == 0 {
		return nil, errors.New("EF.SOD carries no certificate")
	}
	var firstErr error
	for _, der := range sod.Certificates {
		c, err := pki.ParseCertificate(der)
		if err != nil {
			firstErr = cmp.Or(firstErr, err)
			continue
		}
		if signerMatches(sod.Signer, c) {
			return c, nil
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return nil, errors.New("no certificate in EF.SOD matches the signer")
}

func signerMatches(si lds.SignerInfo, c *pki.Certificate) bool {
	return si.Identifies(c.SubjectKeyID, c.SerialNumber, c.RawIssuer, pki.SameName)
}

// checkSODSignature checks the signed attributes (content type, message
// digest of the LDS security object) and the signature over them.
func checkSODSignature(r *Report, sod *lds.SOD, ds *pki.Certificate) Status {
	err := verifySigned(sod, ds)
	switch {
	case errors.Is(err, errUnknownDigest) || pki.KindOf(err) == pki.UnsupportedAlgorithm:
		r.add(Check{ID: CheckSODSignature, Status: NotPossible, Detail: err.Error(), Reason: ReasonUnknownAlgorithm})
		return NotPossible
	case err != nil:
		r.add(Check{ID: CheckSODSignature, Status: Failed, Detail: err.Error(), Reason: ReasonWrongSignature})
		return Failed
	}
	r.add(Check{ID: CheckSODSignature, Status: Passed, Detail: ds.SignatureAlgorithm.String(), Reason: ReasonSigned,
		Args: args("Signer", ds.Subject)})
	return Passed
}

// errUnknownDigest: the SignerInfo's digest algorithm is not one this
// reader computes (MD5 and RIPEMD among them: they prove nothing).
var errUnknownDigest = errors.New("digest algorithm unknown or too weak")

// verifySigned checks a CMS SignedData as EF.SOD and EF.CardSecurity carry
// it: the messageDigest attribute over the content, and ds's signature
// over the signed attributes.
func verifySigned(sd *lds.SOD, ds *pki.Certificate) error {
	si := sd.Signer
	h := si.DigestAlgorithm.Hash
	if si.DigestAlgorithm.Err != nil || h == 0 || !h.Available() {
		return fmt.Errorf("%w: %s", errUnknownDigest, algorithmName(si.DigestAlgorithm.OID))
	}
	return pki.VerifySignerInfo(&sd.SignedData, &si, ds)
}

func checkCRL(r *Report, ds *pki.Certificate, anchor pki.Anchor, store *pki.Store, now time.Time) Status {
	crl := store.CRLFor(ds)
	if crl == nil || crl.CheckSignatureFrom(anchor.Cert) != nil {
		r.add(Check{ID: CheckCRL, Status: NotPossible, Reason: ReasonNoList})
		return NotPossible
	}
	if revoked, when := crl.IsRevoked(ds.SerialNumber); revoked {
		r.add(Check{ID: CheckCRL, Status: Failed, Reason: ReasonRevoked, Args: args("Date", when.Format(time.DateOnly))})
		return Failed
	}
	if err := crl.CheckFreshness(now); err != nil {
		r.add(Check{ID: CheckCRL, Status: NotPossible, Detail: err.Error(), Reason: ReasonListOutOfDate})
		return NotPossible
	}
	r.add(Check{ID: CheckCRL, Status: Passed, Reason: ReasonNotRevoked, Args: args("Date", crl.ThisUpdate.Format(time.DateOnly))})
	return Passed
}

// dataGroupChecks compares every data group read with its hash in the SOD,
// and says which listed ones could not be read.
func dataGroupChecks(r *Report, doc *document.Document, sod *lds.SOD, fromFiles bool) Status {
	var listed []int
	for dg := range sod.DataGroupHashes {
		listed = append(listed, int(dg))
	}
	for n := range doc.DataGroups {
		if !slices.Contains(listed, n) {
			listed = append(listed, n)
		}
	}
	slices.Sort(listed)
	result := Passed
	checked := 0
	for _, n := range listed {
		content, read := doc.DataGroups[n]
		if !read {
			reason := ReasonNotRead
			if fromFiles {
				reason = ReasonNotGiven
			}
			if slices.Contains(doc.Protected, n) {
				reason = ReasonProtected
			}
			r.add(Check{ID: CheckDGHash, DG: n, Status: NotPossible, Reason: reason})
			continue
		}
		err := sod.CheckDataGroup(lds.DataGroup(n), content)
		switch {
		case err == nil:
			checked++
			r.add(Check{ID: CheckDGHash, DG: n, Status: Passed, Reason: ReasonIntact})
		case errors.Is(err, lds.ErrDataGroupNotInSOD):
			result = Failed
			r.add(Check{ID: CheckDGHash, DG: n, Status: Failed, Detail: err.Error(), Reason: ReasonNotCovered})
		case errors.Is(err, lds.ErrDataGroupHashMismatch):
			result = Failed
			r.add(Check{ID: CheckDGHash, DG: n, Status: Failed, Detail: err.Error(), Reason: ReasonAltered})
		default:
			if result == Passed {
				result = NotPossible
			}
			r.add(Check{ID: CheckDGHash, DG: n, Status: NotPossible, Detail: err.Error(), Reason: ReasonNotCompared})
		}
	}
	if checked == 0 && result == Passed {
		return NotPossible
	}
	return result
}

func chipChecks(r *Report, doc *document.Document) {
	add := func(id CheckID, run document.ProtocolRun) {
		c := Check{ID: id, Detail: run.Algorithm}
		switch run.Outcome {
		case document.Passed:
			c.Status, c.Reason = Passed, ReasonPassed
		case document.Failed:
			c.Status, c.Reason = Failed, ReasonFailed
			if run.Detail != "" {
				c.Detail = run.Detail
			}
		case document.NotRun:
			c.Status, c.Reason = NotPossible, ReasonFromFiles
			c.Detail = "not run: verification from files"
		default:
			c.Status, c.Reason = NotPossible, ReasonNotOffered
		}
		r.add(c)
	}
	add(CheckChipAuth, doc.ChipAuth)
	add(CheckActiveAuth, doc.ActiveAuth)
}

func documentChecks(r *Report, doc *document.Document, now time.Time, fromFiles bool) {
	if doc.MRZ == nil {
		reason := ReasonNotRead
		if fromFiles {
			reason = ReasonNotGiven
		}
		r.add(Check{ID: CheckMRZ, Status: NotPossible, Reason: reason})
		r.add(Check{ID: CheckExpiry, Status: NotPossible, Reason: ReasonUnknown})
		return
	}
	if doc.MRZ.Valid() {
		r.add(Check{ID: CheckMRZ, Status: Passed, Reason: ReasonValid})
	} else {
		r.add(Check{ID: CheckMRZ, Status: Failed, Reason: ReasonWrong})
	}
	e := doc.MRZ.ExpiryDate
	if e.Month < 1 || e.Month > 12 || e.Day < 1 || e.Day > 31 {
		r.add(Check{ID: CheckExpiry, Status: NotPossible, Reason: ReasonUnreadable})
		return
	}
	end := time.Date(e.ExpiryYear(now), time.Month(e.Month), e.Day, 23, 59, 59, 0, time.UTC)
	day := end.Format(time.DateOnly)
	if now.After(end) {
		r.add(Check{ID: CheckExpiry, Status: Failed, Reason: ReasonExpired, Args: args("Date", day)})
		return
	}
	r.add(Check{ID: CheckExpiry, Status: Passed, Reason: ReasonValid, Args: args("Date", day)})
}
