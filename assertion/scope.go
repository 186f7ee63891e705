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
	DataGroup int    // 0 for what is not a data group (EF.SOD, the report)
	Label     string // in the language asked for
	Value     string // empty before the read, or for images and keys
	// Asked: the service asked for it; the others ride along because the
	// chip signs the whole group.
	Asked bool
}

// Leaves lists, before the read, everything that will leave for this scope:
// every field of every data group sent, asked for or not (described, no
// values yet), then the evidence that goes with them; withAA says whether
// the chip's signature is expected to go too.
func (s *Scope) Leaves(withAA bool, lang string, now time.Time) []Item {
	return s.leaves(nil, nil, false, withAA, lang, now)
}

// LeavesOf is Leaves after a read, with the values: DG1 (m) and DG11 (g)
// as the reader's Document holds them, already parsed.
func (s *Scope) LeavesOf(m *mrz.MRZ, g *lds.DG11, withAA bool, lang string, now time.Time) []Item {
	return s.leaves(m, g, true, withAA, lang, now)
}

func (s *Scope) leaves(m *mrz.MRZ, g *lds.DG11, read, withAA bool, lang string, now time.Time) []Item {
	t := func(fr, en string) string {
		if lang == "en" {
			return en
		}
		return fr
	}
	released := s.Released()
	asked := func(d Datum) bool { return slices.Contains(released, d) }
	values := ValuesOf(m, g, now)
	var items []Item
	add := func(dg int, label, value string, a bool) {
		items = append(items, Item{DataGroup: dg, Label: label, Value: value, Asked: a})
	}
	for _, dg := range s.DataGroups() {
		switch dg {
		case 1:
			for _, d := range []Datum{FamilyName, GivenNames, BirthDate, Sex, Nationality, DocumentNumber, ExpiryDate} {
				add(1, d.Label(lang), values[d], asked(d))
			}
			issuer, optional := "", ""
			if m != nil {
				issuer, optional = m.IssuingState, strings.Trim(m.OptionalData+" "+m.OptionalData2, " ")
			}
			add(1, t("Type de document et pays émetteur", "Document type and issuing country"), issuer, false)
			if !read || optional != "" {
				add(1, t("Données facultatives de la bande MRZ (s'il y en a)", "Optional data of the MRZ (if any)"), optional, false)
			}
		case 2:
			add(2, Photo.Label(lang), "", asked(Photo))
		case 11:
			add(11, PlaceOfBirth.Label(lang), values[PlaceOfBirth], asked(PlaceOfBirth))
			add(11, Address.Label(lang), values[Address], asked(Address))
			for _, f := range dg11Others(g, lang) {
				add(11, f[0], f[1], false)
			}
			if !read {
				add(11, t("Les autres informations que la carte garde dans ce groupe (nom complet, date de naissance complète, et selon la carte : téléphone, profession…)",
					"The other details the card keeps in this group (full name, full date of birth, and depending on the card: phone, profession…)"), "", false)
			}
		}
	}
	add(0, t("La signature de l'État (EF.SOD) et les empreintes de tous les groupes de données de la puce", "The State's signature (EF.SOD) and the fingerprints of all the chip's data groups"), "", false)
	if withAA {
		add(15, t("La clé publique de la puce et sa signature de cette demande (preuve que la carte était là)", "The chip's public key and its signature of this request (proof that the card was there)"), "", false)
	}
	add(0, t("Le rapport de vérification de cette application", "This application's verification report"), "", false)
	return items
}

// dg11Others lists the DG11 fields other than place of birth and address.
func dg11Others(g *lds.DG11, lang string) [][2]string {
	if g == nil {
		return nil
	}
	l := func(fr, en string) string {
		if lang == "en" {
			return en
		}
		return fr
	}
	var out [][2]string
	add := func(label, v string) {
		if v = strings.TrimSpace(strings.ReplaceAll(v, "<", " ")); v != "" {
			out = append(out, [2]string{label, v})
		}
	}
	add(l("Nom complet", "Full name"), g.FullName)
	add(l("Date de naissance complète", "Full date of birth"), g.FullDateOfBirth)
	add(l("Autres noms", "Other names"), strings.Join(g.OtherNames, ", "))
	add(l("Numéro personnel", "Personal number"), g.PersonalNumber)
	add(l("Téléphone", "Telephone"), g.Telephone)
	add(l("Profession", "Profession"), g.Profession)
	add(l("Titre", "Title"), g.Title)
	add(l("Résumé personnel", "Personal summary"), g.PersonalSummary)
	add(l("Autres documents", "Other travel documents"), g.OtherTDNumbers)
	add(l("Garde (mineurs)", "Custody information"), g.CustodyInformation)
	if len(g.ProofOfCitizenship) > 0 {
		out = append(out, [2]string{l("Preuve de nationalité (image)", "Proof of citizenship (image)"), ""})
	}
	return out
}
