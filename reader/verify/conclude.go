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

	r.DataIntact = Claim{Status: intact, Text: claimText(intact,
		text("Données intactes", "Data intact"),
		text("Données modifiées ou signature fausse", "Data altered or signature wrong"),
		text("Intégrité des données non prouvée", "Data integrity not proven"))}
	country := r.Country
	if country == "" {
		country = "?"
	}
	issuedBy := text("Émise par l'autorité du pays %s", "Issued by the authority of country %s", country)
	if country == "FR" {
		issuedBy = text("Émise par la France", "Issued by France")
	}
	if r.DemoPKI {
		issuedBy = text("Émise par l'autorité de DÉMONSTRATION (pas un vrai document)", "Issued by the DEMO authority (not a real document)")
	}
	r.IssuedBy = Claim{Status: issued, Text: claimText(issued, issuedBy,
		text("Émetteur non reconnu ou chaîne invalide", "Issuer not recognised or chain invalid"),
		text("Émetteur non vérifiable", "Issuer cannot be verified"))}
	r.NotCloned = Claim{Status: cloneProof, Text: claimText(cloneProof,
		text("Non clonée", "Not cloned"),
		text("Copie possible de la puce", "Possible copy of the chip"),
		text("Absence de clonage non prouvée", "Not proven to be uncloned"))}
	chip := worst(intact, cloneProof)
	r.AuthenticChip = Claim{Status: chip, Text: claimText(chip,
		text("Puce authentique", "Authentic chip"),
		text("Puce non authentique", "Chip not authentic"),
		text("Authenticité de la puce non prouvée", "Chip authenticity not proven"))}

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
		r.Summary = text("Ce document N'EST PAS authentique ou n'est plus valable : voir les contrôles en échec.",
			"This document is NOT genuine or no longer valid: see the failed checks.")
	case NotPossible:
		r.Verdict = NotProven
		r.Summary = text("L'authenticité de ce document n'a pas pu être entièrement prouvée : voir les contrôles impossibles.",
			"This document's authenticity could not be fully proven: see the checks that could not be made.")
	default:
		if pa.anchorKind == pki.SourceDemo {
			r.Verdict = Demo
			r.Summary = text("DOCUMENT DE DÉMONSTRATION : les contrôles d'authenticité passent, mais avec l'autorité de démonstration. Ce n'est pas un vrai document.",
				"DEMO DOCUMENT: the authenticity checks pass, but against the demo authority. This is not a real document.")
			return
		}
		r.Verdict = Genuine
		r.Summary = text("Document authentique : émis par une autorité reconnue, données intactes, puce non clonée.",
			"Genuine document: issued by a recognised authority, data intact, chip not cloned.")
	}
	if r.DemoPKI && r.Verdict != Demo {
		r.Summary.FR = "DÉMONSTRATION — " + r.Summary.FR
		r.Summary.EN = "DEMO — " + r.Summary.EN
	}
}

func claimText(s Status, passed, failed, notPossible Text) Text {
	switch s {
	case Passed:
		return passed
	case Failed:
		return failed
	}
	return notPossible
}
