package verify

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// cardSecurityCheck verifies EF.CardSecurity as EF.SOD is verified: its
// Document Signer, the signature, and the chain to a trusted CSCA. It
// returns the SecurityInfos it signs when everything passed, nil
// otherwise. A chip without EF.CardSecurity adds no check.
//
// sodDS is EF.SOD's signer: the same DS usually signs both, and its chain
// is then not judged twice.
func cardSecurityCheck(r *Report, doc *document.Document, store *pki.Store, sodDS *pki.Certificate, signed SigningTime) (*lds.SecurityInfos, Status) {
	if len(doc.CardSecurity) == 0 {
		return nil, NotPossible
	}
	if store == nil {
		store = pki.NewStore()
	}
	cs, err := lds.ParseCardSecurity(doc.CardSecurity)
	if err != nil {
		r.add(Check{ID: CheckCardSecurity, Status: Failed, Detail: err.Error(), Reason: ReasonUnreadable})
		return nil, Failed
	}
	ds, err := documentSigner(cs.Signed)
	if err != nil && sodDS != nil && signerMatches(cs.Signed.Signer, sodDS) {
		// Some chips leave the certificate out: it is EF.SOD's.
		ds, err = sodDS, nil
	}
	if err != nil {
		r.add(Check{ID: CheckCardSecurity, Status: NotPossible, Detail: err.Error(), Reason: ReasonNoSignerCertificate})
		return nil, NotPossible
	}
	switch err := verifySigned(cs.Signed, ds); {
	case errors.Is(err, errUnknownDigest) || pki.KindOf(err) == pki.UnsupportedAlgorithm:
		r.add(Check{ID: CheckCardSecurity, Status: NotPossible, Detail: err.Error(), Reason: ReasonUnknownAlgorithm})
		return nil, NotPossible
	case err != nil:
		r.add(Check{ID: CheckCardSecurity, Status: Failed, Detail: err.Error(), Reason: ReasonWrongSignature})
		return nil, Failed
	}
	if sodDS != nil && ds.Fingerprint == sodDS.Fingerprint {
		// EF.SOD's signer: its chain is the ds-chain check's to judge.
		r.add(Check{ID: CheckCardSecurity, Status: Passed, Detail: ds.Subject, Reason: ReasonSameSigner})
		return cs.Infos, Passed
	}
	var chain Status
	switch anchor, err := store.Verify(ds, signed.Time); {
	case err == nil:
		chain = Passed
	case anchor.Cert == nil:
		chain = NotPossible
	default:
		chain = Failed
	}
	switch chain {
	case Passed:
		r.add(Check{ID: CheckCardSecurity, Status: Passed, Detail: ds.Subject, Reason: ReasonRecognised, Args: args("Signer", ds.Subject)})
		return cs.Infos, Passed
	case Failed:
		r.add(Check{ID: CheckCardSecurity, Status: Failed, Detail: ds.Subject, Reason: ReasonSignerInvalid})
		return nil, Failed
	}
	r.add(Check{ID: CheckCardSecurity, Status: NotPossible, Detail: ds.Subject, Reason: ReasonUnknownAuthority})
	return nil, NotPossible
}

// paceInfosCheck guards against a PACE downgrade: EF.CardAccess is not
// signed, so an attacker between chip and reader (or a forged chip) could
// offer a weaker PACE than the document has. ICAO 9303-11 §9.2 requires
// DG14 (signed through EF.SOD) to repeat EF.CardAccess's PACE
// SecurityInfos; EF.CardSecurity signs them too. Every PACEInfo the chip
// offered must be in a signed list. A document without PACE adds no check.
func paceInfosCheck(r *Report, doc *document.Document, fromCardSecurity *lds.SecurityInfos) Status {
	if doc.CardAccess == nil || len(doc.CardAccess.PACE) == 0 {
		return Passed
	}
	type source struct {
		name  string // a file name, the same in every language
		infos *lds.SecurityInfos
	}
	var signed []source
	if fromCardSecurity != nil {
		signed = append(signed, source{"EF.CardSecurity", fromCardSecurity})
	}
	dg14Verified := false
	if c, ok := r.Check(CheckDGHash, 14); ok && c.Status == Passed {
		dg14Verified = true
		if infos, err := lds.ParseDG14(doc.DataGroups[14]); err == nil {
			signed = append(signed, source{"DG14", infos})
		}
	}
	offered := describePACE(doc.CardAccess.PACE)
	for _, s := range signed {
		if missing := missingPACE(doc.CardAccess.PACE, s.infos.PACE); len(missing) == 0 {
			r.add(Check{ID: CheckPACEInfos, Status: Passed, Detail: offered, Reason: ReasonSigned, Args: args("Source", s.name)})
			return Passed
		}
	}
	if len(signed) > 0 {
		missing := missingPACE(doc.CardAccess.PACE, signed[0].infos.PACE)
		r.add(Check{ID: CheckPACEInfos, Status: Failed, Detail: "offered " + offered + "; not signed: " + describePACE(missing), Reason: ReasonNotSigned})
		return Failed
	}
	_, hasDG14 := doc.DataGroups[14]
	if hasDG14 && !dg14Verified || len(doc.CardSecurity) > 0 {
		r.add(Check{ID: CheckPACEInfos, Status: NotPossible, Detail: offered, Reason: ReasonNotCompared})
		return NotPossible
	}
	r.add(Check{ID: CheckPACEInfos, Status: Failed, Detail: "offered " + offered + "; no DG14, no EF.CardSecurity", Reason: ReasonNoSignedFile})
	return Failed
}

// missingPACE returns the offered PACEInfos that signed does not list
// (same protocol, version and parameter).
func missingPACE(offered, signed []lds.PACEInfo) []lds.PACEInfo {
	var out []lds.PACEInfo
	for _, o := range offered {
		if !slices.ContainsFunc(signed, func(s lds.PACEInfo) bool { return samePACE(o, s) }) {
			out = append(out, o)
		}
	}
	return out
}

func samePACE(a, b lds.PACEInfo) bool {
	if !a.Protocol.Equal(b.Protocol) || a.Version != b.Version {
		return false
	}
	if (a.ParameterID == nil) != (b.ParameterID == nil) {
		return false
	}
	return a.ParameterID == nil || *a.ParameterID == *b.ParameterID
}

func describePACE(infos []lds.PACEInfo) string {
	var b bytes.Buffer
	for i, p := range infos {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.Protocol.String())
		if p.ParameterID != nil {
			fmt.Fprintf(&b, "/%d", *p.ParameterID)
		}
	}
	return strings.TrimSpace(b.String())
}
