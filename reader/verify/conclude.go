package verify

import "github.com/cnie-reader/cnie-reader/reader/pki"

// worst combines statuses: any failure wins, then any impossibility.
func worst(ss ...Status) Status {
	out := Passed
	for _, s := range ss {
		switch {
		case s == Failed:
			return Failed
		case s == NotPossible:
			out = NotPossible
		}
	}
	return out
}

// best is Passed if any passed; else Failed if any failed; else NotPossible.
func best(ss ...Status) Status {
	out := NotPossible
	for _, s := range ss {
		if s == Passed {
			return Passed
		}
		if s == Failed {
			out = Failed
		}
	}
	return out
}

func (r *Report) status(id CheckID) Status {
	if c, ok := r.Check(id, 0); ok {
		return c.Status
	}
	return NotPossible
}

// conclude derives the four claims and the verdict from the checks. The
// rule of the product: genuine only if passive authentication passed
// against a real CSCA and chip or active authentication passed.
func (r *Report) conclude(pa paOutcome) {
	ca, aa := r.status(CheckChipAuth), r.status(CheckActiveAuth)
	// An unknown CSCA leaves the chain "not possible": unproven, not disproven.
	issued := worst(pa.sodSigned, pa.chain)
	// A signature proves integrity only if its signer is vouched for: anyone
	// can sign a SOD with a certificate of their own making.
	intact := worst(pa.sodSigned, pa.hashes)
	if intact == Passed && issued != Passed {
		intact = NotPossible
	}
	// A failed CA or AA is a failure even if the other passed: a chip that
	// cannot prove one of its keys is not behaving as the genuine one. A
	// passed one proves something only if the key (DG14, DG15) is authentic.
	cloneProof := best(ca, aa)
	switch {
	case ca == Failed || aa == Failed:
		cloneProof = Failed
	case cloneProof == Passed && intact != Passed:
		cloneProof = NotPossible
	}

	r.DataIntact = claim(ClaimDataIntact, intact, ReasonPassed)
	issuedBy, country := ReasonCountry, r.Country
	switch {
	case r.DemoPKI:
		issuedBy = ReasonDemo
	case country == "FR":
		issuedBy = ReasonFrance
	case country == "":
		country = "?"
	}
	r.IssuedBy = claim(ClaimIssuedBy, issued, issuedBy)
	if r.IssuedBy.Reason == ReasonCountry {
		r.IssuedBy.Args = args("Country", country)
	}
	r.NotCloned = claim(ClaimNotCloned, cloneProof, ReasonPassed)
	chip := worst(intact, cloneProof)
	r.AuthenticChip = claim(ClaimAuthenticChip, chip, ReasonPassed)

	all := []Status{intact, issued, cloneProof, r.status(CheckExpiry)}
	// A revoked signer, a wrong check digit, a forged EF.CardSecurity or a
	// PACE offer the signed files do not back make the document fail.
	for _, id := range []CheckID{CheckCRL, CheckMRZ, CheckCardSecurity, CheckPACEInfos} {
		if r.status(id) == Failed {
			all = append(all, Failed)
		}
	}
	switch worst(all...) {
	case Failed:
		r.Verdict = NotGenuine
	case NotPossible:
		r.Verdict = NotProven
	default:
		r.Verdict = Genuine
		if pa.anchorKind == pki.SourceDemo {
			r.Verdict = Demo
		}
	}
}

// claim is a claim of this status; passed is its reason when it passed.
func claim(id ClaimID, s Status, passed Reason) Claim {
	switch s {
	case Passed:
		return Claim{ID: id, Status: s, Reason: passed}
	case Failed:
		return Claim{ID: id, Status: s, Reason: ReasonFailed}
	}
	return Claim{ID: id, Status: s, Reason: ReasonUnproven}
}
