package assertion

import (
	"slices"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
)

// Ask is one datum a service asks for.
type Ask struct {
	Datum    Datum `json:"datum"`
	Required bool  `json:"required"`
}

// Scope is what a request asks for and what the holder let go of: the
// optional data switched off stay home.
type Scope struct {
	Asked []Ask
	off   map[Datum]bool
}

// NewScope starts with every asked datum on.
func NewScope(asked []Ask) *Scope { return &Scope{Asked: slices.Clone(asked), off: map[Datum]bool{}} }

// Switch turns an optional datum on or off; a required one cannot be
// turned off (the holder refuses the whole request instead).
func (s *Scope) Switch(d Datum, on bool) bool {
	for _, a := range s.Asked {
		if a.Datum == d {
			if a.Required && !on {
				return false
			}
			s.off[d] = !on
			return true
		}
	}
	return false
}

// On tells whether d is asked and not switched off.
func (s *Scope) On(d Datum) bool {
	for _, a := range s.Asked {
		if a.Datum == d {
			return !s.off[d]
		}
	}
	return false
}

// Released lists the data the holder agreed to, in the request's order.
func (s *Scope) Released() []Datum {
	var out []Datum
	for _, a := range s.Asked {
		if !s.off[a.Datum] {
			out = append(out, a.Datum)
		}
	}
	return out
}

// DataGroups are the groups that leave for the released data, sorted.
func (s *Scope) DataGroups() []int {
	var dgs []int
	for _, d := range s.Released() {
		if n := d.DataGroup(); !slices.Contains(dgs, n) {
			dgs = append(dgs, n)
		}
	}
	slices.Sort(dgs)
	return dgs
}

// Item is one thing that leaves the computer, as the consent screen lists it.
type Item struct {
	DataGroup int // 0 for what is not a data group (EF.SOD, the report)
	// What it is: a [Datum], or one of the Item… codes; the application
	// names it for people (app/claimtext).
	What  string
	Value string // empty before the read, or for images and keys
	// Asked: the service asked for it; the others ride along because the
	// chip signs the whole group.
	Asked bool
}

// What leaves besides the data asked for ([Item.What]).
const (
	ItemMRZIssuer     = "mrz_issuer"     // document type and issuing country
	ItemMRZOptional   = "mrz_optional"   // the MRZ's optional data
	ItemDG11Rest      = "dg11_rest"      // before the read: the rest of DG11, described
	ItemSOD           = "sod"            // the State's signature and the data groups' fingerprints
	ItemChipSignature = "chip_signature" // the chip's key and its signature of the request
	ItemReport        = "report"         // this application's verification report
)

// The other fields of DG11, listed after the read when the card has them
// ([Item.What]).
const (
	ItemFullName        = "full_name"
	ItemFullBirthDate   = "full_birth_date"
	ItemOtherNames      = "other_names"
	ItemPersonalNumber  = "personal_number"
	ItemTelephone       = "telephone"
	ItemProfession      = "profession"
	ItemTitle           = "title"
	ItemPersonalSummary = "personal_summary"
	ItemOtherDocuments  = "other_documents"
	ItemCustody         = "custody"
	ItemProofOfCitizen  = "proof_of_citizen" // an image: no value
)

// Leaves lists, before the read, everything that will leave for this scope:
// every field of every data group sent, asked for or not (described, no
// values yet), then the evidence that goes with them; withAA says whether
// the chip's signature is expected to go too.
func (s *Scope) Leaves(withAA bool, now time.Time) []Item {
	return s.leaves(nil, nil, false, withAA, now)
}

// LeavesOf is Leaves after a read, with the values: DG1 (m) and DG11 (g)
// as the reader's Document holds them, already parsed.
func (s *Scope) LeavesOf(m *mrz.MRZ, g *lds.DG11, withAA bool, now time.Time) []Item {
	return s.leaves(m, g, true, withAA, now)
}

func (s *Scope) leaves(m *mrz.MRZ, g *lds.DG11, read, withAA bool, now time.Time) []Item {
	released := s.Released()
	asked := func(d Datum) bool { return slices.Contains(released, d) }
	values := ValuesOf(m, g, now)
	var items []Item
	add := func(dg int, what, value string, a bool) {
		items = append(items, Item{DataGroup: dg, What: what, Value: value, Asked: a})
	}
	addDatum := func(d Datum) { add(d.DataGroup(), string(d), values[d], asked(d)) }
	for _, dg := range s.DataGroups() {
		switch dg {
		case 1:
			for _, d := range []Datum{FamilyName, GivenNames, BirthDate, Sex, Nationality, DocumentNumber, ExpiryDate} {
				addDatum(d)
			}
			issuer, optional := "", ""
			if m != nil {
				issuer, optional = m.IssuingState, strings.Trim(m.OptionalData+" "+m.OptionalData2, " ")
			}
			add(1, ItemMRZIssuer, issuer, false)
			if !read || optional != "" {
				add(1, ItemMRZOptional, optional, false)
			}
		case 2:
			add(2, string(Photo), "", asked(Photo))
		case 11:
			addDatum(PlaceOfBirth)
			addDatum(Address)
			for _, f := range dg11Others(g) {
				add(11, f[0], f[1], false)
			}
			if !read {
				add(11, ItemDG11Rest, "", false)
			}
		}
	}
	add(0, ItemSOD, "", false)
	if withAA {
		add(15, ItemChipSignature, "", false)
	}
	add(0, ItemReport, "", false)
	return items
}

// dg11Others lists the DG11 fields other than place of birth and address,
// as (Item code, value).
func dg11Others(g *lds.DG11) [][2]string {
	if g == nil {
		return nil
	}
	var out [][2]string
	add := func(what, v string) {
		if v = strings.TrimSpace(strings.ReplaceAll(v, "<", " ")); v != "" {
			out = append(out, [2]string{what, v})
		}
	}
	add(ItemFullName, g.FullName)
	add(ItemFullBirthDate, g.FullDateOfBirth)
	add(ItemOtherNames, strings.Join(g.OtherNames, ", "))
	add(ItemPersonalNumber, g.PersonalNumber)
	add(ItemTelephone, g.Telephone)
	add(ItemProfession, g.Profession)
	add(ItemTitle, g.Title)
	add(ItemPersonalSummary, g.PersonalSummary)
	add(ItemOtherDocuments, g.OtherTDNumbers)
	add(ItemCustody, g.CustodyInformation)
	if len(g.ProofOfCitizenship) > 0 {
		out = append(out, [2]string{ItemProofOfCitizen, ""})
	}
	return out
}
