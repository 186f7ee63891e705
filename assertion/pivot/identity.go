package pivot

import (
	"time"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/verifier"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
)

// Claim is the name of one claim of the scope identite_pivot.
type Claim string

// The claims of the scope identite_pivot, as FranceConnect names them.
const (
	GivenName      Claim = "given_name"
	GivenNameArray Claim = "given_name_array"
	FamilyName     Claim = "family_name"
	Birthdate      Claim = "birthdate"
	Gender         Claim = "gender"
	Birthplace     Claim = "birthplace"
	Birthcountry   Claim = "birthcountry"
)

// Claims lists the claims in the order FranceConnect documents them.
var Claims = []Claim{GivenName, GivenNameArray, FamilyName, Birthdate, Gender, Birthplace, Birthcountry}

// Scope is the OpenID Connect scope that asks for these claims.
const Scope = "identite_pivot"

// Identity is the pivot identity of the card's holder. Empty fields are
// claims the card does not support (see Provenance for why).
type Identity struct {
	GivenName      string   `json:"given_name"`
	GivenNameArray []string `json:"given_name_array"`
	FamilyName     string   `json:"family_name"`
	Birthdate      string   `json:"birthdate"`
	Gender         string   `json:"gender,omitempty"`
	Birthplace     string   `json:"birthplace,omitempty"`
	Birthcountry   string   `json:"birthcountry,omitempty"`
	// Provenance says, for each claim given and for each one left out,
	// where it comes from and how.
	Provenance map[Claim]Provenance `json:"provenance"`
}

// Basis says how much of a claim is the State's signed word.
type Basis string

const (
	// Verified: the value signed by the State, as is (fillers turned into
	// spaces, a code mapped to its word, a date written YYYY-MM-DD).
	Verified Basis = "verified"
	// Derived: obtained from signed data by the rule Provenance states;
	// it may differ from what the civil registry holds.
	Derived Basis = "derived"
	// Absent: the claim is left out; Provenance's Rule says why.
	Absent Basis = "absent"
)

// Source is where a claim's value is read on the chip.
type Source string

const (
	FromMRZ  Source = "DG1"  // the machine readable zone
	FromDG11 Source = "DG11" // additional personal details
)

// Provenance documents one claim: its basis, the data group it is read
// from, and in plain English the rule applied or why it is absent.
type Provenance struct {
	Basis  Basis  `json:"basis"`
	Source Source `json:"source,omitempty"`
	Rule   string `json:"rule,omitempty"`
}

// OIDC returns the claims to put in an ID token or userinfo response:
// the given ones only (an absent claim is left out, never sent empty).
func (id *Identity) OIDC() map[string]any {
	out := map[string]any{
		string(GivenName): id.GivenName, string(GivenNameArray): id.GivenNameArray,
		string(FamilyName): id.FamilyName, string(Birthdate): id.Birthdate,
	}
	for c, v := range map[Claim]string{Gender: id.Gender, Birthplace: id.Birthplace, Birthcountry: id.Birthcountry} {
		if v != "" {
			out[string(c)] = v
		}
	}
	return out
}

// Needed are the data a request must ask for the scope identite_pivot:
// the names and birth date are required (no identity without them);
// sex and place of birth too, so that the holder cannot switch off part
// of what the pairwise subject is computed from.
func Needed() []assertion.Ask {
	return []assertion.Ask{
		{Datum: assertion.FamilyName, Required: true}, {Datum: assertion.GivenNames, Required: true},
		{Datum: assertion.BirthDate, Required: true}, {Datum: assertion.Sex, Required: true},
		{Datum: assertion.PlaceOfBirth, Required: true},
	}
}

// FromResult makes the pivot identity of a verified result, from its
// verified data groups only. The names and the birth date must have been
// released; gender, birthplace and birthcountry are given when released
// and on the document. Every refusal is an [*Error].
func FromResult(r *verifier.Result) (Identity, error) {
	if r == nil || r.Groups[1] == nil {
		return Identity{}, fail(Missing, "no verified DG1")
	}
	released := map[assertion.Datum]bool{}
	for _, d := range r.Released {
		released[d] = true
	}
	for _, d := range []assertion.Datum{assertion.FamilyName, assertion.GivenNames, assertion.BirthDate} {
		if !released[d] {
			return Identity{}, fail(Missing, string(d)+" not released")
		}
	}
	m, err := lds.ParseDG1(r.Groups[1])
	if m == nil {
		return Identity{}, failErr(BadGroup, "DG1", err)
	}
	var g *lds.DG11
	if b, ok := r.Groups[11]; ok {
		if g, err = lds.ParseDG11(b); err != nil {
			return Identity{}, failErr(BadGroup, "DG11", err)
		}
	}
	now := time.Now()
	if r.Report != nil && !r.Report.At.IsZero() {
		now = r.Report.At // the century is judged when the data were verified
	}
	return build(m, g, released, now)
}

// build is FromResult on parsed groups: m is DG1's zone, g DG11 or nil,
// released the data the holder let go, now the reference for the century.
func build(m *mrz.MRZ, g *lds.DG11, released map[assertion.Datum]bool, now time.Time) (Identity, error) {
	id := Identity{Provenance: map[Claim]Provenance{}}
	if err := id.setNames(m, g); err != nil {
		return Identity{}, err
	}
	if err := id.setBirthdate(m, g, now); err != nil {
		return Identity{}, err
	}
	if released[assertion.Sex] {
		if err := id.setGender(m.Sex); err != nil {
			return Identity{}, err
		}
	} else {
		id.Provenance[Gender] = Provenance{Basis: Absent, Rule: "the holder did not release the sex field"}
	}
	if released[assertion.PlaceOfBirth] && g != nil {
		if err := id.setBirth(g.PlaceOfBirth); err != nil {
			return Identity{}, err
		}
	} else {
		why := "no DG11 place of birth on this document"
		if !released[assertion.PlaceOfBirth] {
			why = "the holder did not release the place of birth"
		}
		id.Provenance[Birthplace] = Provenance{Basis: Absent, Rule: why}
		id.Provenance[Birthcountry] = Provenance{Basis: Absent, Rule: why}
	}
	return id, nil
}
