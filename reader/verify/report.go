// Package verify turns what was read from a chip into a verification
// Report: passive authentication (EF.SOD signature, Document Signer chain to
// a known CSCA, CRL, data-group hashes), chip and active authentication,
// and the document's expiry. The Report is the one value the CLI, the GUI
// and the identity assertion all show, so every check carries its reason as
// a code and arguments (no sentence: the application renders them in the
// reader's language, see package app/report), and nothing is called
// genuine that was not proven.
//
// In JSON (a dump, an assertion's app_report_not_evidence) a check is
// {"id", "dg", "status", "reason", "args", "detail"}: reason is a [Reason]
// code and args its named values (dates, subjects, countries), the words
// being the application's. A claim is {"id", "status", "reason", "args"}.
// The report has no summary sentence: the verdict and demo_pki say it. The
// deviations a check names are not in the JSON; its detail says one was
// applied.
package verify

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// Status is the outcome of one check.
type Status string

const (
	Passed      Status = "passed"
	Failed      Status = "failed"
	NotPossible Status = "not possible" // the check could not be made; nothing is concluded
)

// CheckID names a check.
type CheckID string

const (
	CheckSODSignature CheckID = "sod-signature" // the Document Signer signed EF.SOD
	CheckDSChain      CheckID = "ds-chain"      // a CSCA signed the DS certificate, both valid today
	CheckCSCAKnown    CheckID = "csca-known"    // that CSCA is in the trust store
	CheckCRL          CheckID = "crl"           // the DS certificate is not revoked
	CheckDGHash       CheckID = "dg-hash"       // one data group matches its hash in EF.SOD
	CheckChipAuth     CheckID = "chip-auth"     // Chip Authentication (DG14)
	CheckActiveAuth   CheckID = "active-auth"   // Active Authentication (DG15)
	CheckExpiry       CheckID = "expiry"        // the document has not expired
	CheckMRZ          CheckID = "mrz"           // the MRZ check digits
	CheckCountry      CheckID = "country"       // CSCA, DS and DG1 issuing state agree
	CheckAlgorithms   CheckID = "algorithms"    // no broken algorithm or short key; SHA-1 named
	CheckCardSecurity CheckID = "card-security" // EF.CardSecurity signed by a Document Signer of the chain
	CheckPACEInfos    CheckID = "pace-infos"    // what EF.CardAccess offers is what the signed files say
	CheckDGFormat     CheckID = "dg-format"     // a data group read whose contents could not be understood
)

// Check is one verification step and how it ended.
type Check struct {
	ID     CheckID `json:"id"`
	DG     int     `json:"dg,omitempty"` // for CheckDGHash
	Status Status  `json:"status"`
	Reason Reason  `json:"reason"`
	// Args are the values the reason's sentence names, by name ("Date",
	// "Signer", "Country"...); the data group number is DG.
	Args map[string]string `json:"args,omitempty"`
	// Deviations are the entries of the issuing state's deviation lists
	// this check names, to be described after its sentence.
	Deviations []*pki.Deviation `json:"-"`
	// Detail is technical, for support staff (never personal data).
	Detail string `json:"detail,omitempty"`
}

// Verdict sums the report up.
type Verdict string

const (
	// Genuine: passive authentication passed against a real (non-demo)
	// CSCA, and chip or active authentication passed.
	Genuine Verdict = "genuine"
	// Demo: everything that would make it genuine passed, but against the
	// demo PKI of the virtual card. Never shown as genuine.
	Demo Verdict = "demo"
	// NotGenuine: a check failed: altered data, forged signature, clone...
	NotGenuine Verdict = "not genuine"
	// NotProven: nothing failed, but something needed could not be checked
	// (unknown CSCA, no chip authentication offered...).
	NotProven Verdict = "not proven"
)

// ClaimID names one of the four claims.
type ClaimID string

const (
	ClaimAuthenticChip ClaimID = "authentic_chip"
	ClaimDataIntact    ClaimID = "data_intact"
	ClaimIssuedBy      ClaimID = "issued_by"
	ClaimNotCloned     ClaimID = "not_cloned"
)

// Claim is one of the four plain statements shown to a holder.
type Claim struct {
	ID     ClaimID           `json:"id"`
	Status Status            `json:"status"`
	Reason Reason            `json:"reason"`
	Args   map[string]string `json:"args,omitempty"`
}

// Report is the result of Verify.
type Report struct {
	Verdict Verdict `json:"verdict"`
	// The four statements a holder reads (issue 6): the chip is
	// authentic, the data are intact, issued by <country>, not cloned.
	AuthenticChip Claim `json:"authentic_chip"`
	DataIntact    Claim `json:"data_intact"`
	IssuedBy      Claim `json:"issued_by"`
	NotCloned     Claim `json:"not_cloned"`
	// DemoPKI: the chain ends in the demo CSCA of the virtual card.
	DemoPKI bool `json:"demo_pki"`
	// Issuer describes the CSCA (subject and country) when known.
	Issuer  string `json:"issuer,omitempty"`
	Country string `json:"country,omitempty"`
	Signer  string `json:"document_signer,omitempty"`
	// SignedAt is the time the chain was judged at, and where it comes from.
	SignedAt *SigningTime `json:"signed_at,omitempty"`
	Checks   []Check      `json:"checks"`
	At       time.Time    `json:"verified_at"`
}

// Check returns the first check with this id (and data group, for hashes).
func (r *Report) Check(id CheckID, dg int) (Check, bool) {
	for _, c := range r.Checks {
		if c.ID == id && c.DG == dg {
			return c, true
		}
	}
	return Check{}, false
}

func (r *Report) add(c Check) { r.Checks = append(r.Checks, c) }

// String is the check in one technical line, for logs and error details:
// "ds-chain failed: not-valid-then (Date=…, Who=signer)", "dg-hash DG3 …".
func (c Check) String() string {
	var b strings.Builder
	b.WriteString(string(c.ID))
	if c.DG != 0 {
		fmt.Fprintf(&b, " DG%d", c.DG)
	}
	fmt.Fprintf(&b, " %s: %s", c.Status, c.Reason)
	if len(c.Args) > 0 {
		var kv []string
		for _, k := range slices.Sorted(maps.Keys(c.Args)) {
			kv = append(kv, k+"="+c.Args[k])
		}
		b.WriteString(" (" + strings.Join(kv, ", ") + ")")
	}
	return b.String()
}
