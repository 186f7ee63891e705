package verify

import (
	"maps"
	"slices"

	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// CheckDeviations lists what the issuing state's signed deviation lists
// (ICAO 9303-12 §10) say about this document.
const CheckDeviations CheckID = "deviations"

// deviationQuery describes the document to the store's deviation lists.
// Its number and type come from DG1 only when DG1's hash passed: an
// altered DG1 must not pick the deviations that excuse it.
func deviationQuery(r *Report, doc *document.Document, ds *pki.Certificate, signed SigningTime) pki.DeviationQuery {
	q := pki.DeviationQuery{DS: ds}
	if signed.Source != Estimated {
		q.IssuedAt = signed.Time
	}
	if c, ok := r.Check(CheckDGHash, 1); ok && c.Status == Passed && doc.MRZ != nil {
		q.DocumentNumber, q.DocumentCode = doc.MRZ.DocumentNumber, doc.MRZ.DocumentCode
	}
	return q
}

// applyDeviations turns a failed data-group hash into "not proven" when a
// trusted deviation list of the issuing state declares exactly that defect
// for this data group and this document (never DG1, DG2, DG14 or DG15: the
// store refuses those), and names the deviation. It returns the data
// groups' status again. Only called once the chain passed: a deviation
// excuses the issuer's mistake, never an unknown signer's.
func applyDeviations(r *Report, store *pki.Store, doc *document.Document, q pki.DeviationQuery, hashes Status) Status {
	changed := false
	for i := range r.Checks {
		c := &r.Checks[i]
		if c.ID != CheckDGHash || c.Status != Failed {
			continue
		}
		q.DataGroup, q.Defect = c.DG, pki.DefectDGHashWrong
		d, ok := store.Deviation(q)
		if !ok {
			continue
		}
		c.Status, changed = NotPossible, true
		c.Reason, c.Deviations = ReasonExcused, []*pki.Deviation{d}
		c.Detail = "deviation applied: " + c.Detail
	}
	if !changed {
		return hashes
	}
	out, checked := Passed, 0
	for _, c := range r.Checks {
		if c.ID != CheckDGHash {
			continue
		}
		if _, read := doc.DataGroups[c.DG]; !read {
			continue
		}
		switch c.Status {
		case Failed:
			return Failed
		case NotPossible:
			out = NotPossible
		case Passed:
			checked++
		}
	}
	if checked == 0 {
		return NotPossible
	}
	return out
}

// unreadableChecks reports the data groups read but not understood: their
// contents are not shown, which proves nothing either way (their hash is
// checked as for the others). A deviation list of the issuing state that
// declares the defect for this data group and document is named.
func unreadableChecks(r *Report, doc *document.Document, store *pki.Store, q *pki.DeviationQuery) {
	for _, n := range slices.Sorted(maps.Keys(doc.Unreadable)) {
		err := doc.Unreadable[n]
		c := Check{ID: CheckDGFormat, DG: n, Status: NotPossible, Detail: errDetail(err), Reason: ReasonUnreadable}
		if q != nil {
			dq := *q
			dq.DataGroup, dq.Defect = n, pki.DefectDGMalformed
			if d, ok := store.Deviation(dq); ok {
				c.Reason, c.Deviations = ReasonUnreadableDeclared, []*pki.Deviation{d}
				c.Detail = "deviation applied: " + c.Detail
			}
		}
		r.add(c)
	}
}

// deviationNotes adds one check naming every deviation the lists declare
// for this document, and stops relying on Active Authentication when one
// says its key may be compromised.
func deviationNotes(r *Report, store *pki.Store, q pki.DeviationQuery) {
	all := store.DeviationsAbout(q)
	if len(all) == 0 {
		return
	}
	compromised := false
	for _, d := range all {
		compromised = compromised || d.Defect == pki.DefectAAKeyCompromised
	}
	r.add(Check{ID: CheckDeviations, Status: Passed, Reason: ReasonListed, Deviations: all})
	if !compromised {
		return
	}
	for i := range r.Checks {
		if c := &r.Checks[i]; c.ID == CheckActiveAuth && c.Status == Passed {
			c.Status = NotPossible
			c.Reason = ReasonKeyCompromised
		}
	}
}
