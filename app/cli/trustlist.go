package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// sourceNames are how `trust list` names where an anchor comes from.
var sourceNames = map[pki.SourceKind]map[string]string{
	pki.SourceBundled:           {"fr": "fourni (France)", "en": "bundled (France)"},
	pki.SourceBundledMasterList: {"fr": "fourni (liste BSI)", "en": "bundled (BSI list)"},
	pki.SourceMasterList:        {"fr": "liste importée", "en": "imported list"},
	pki.SourceUser:              {"fr": "importé", "en": "imported"},
	pki.SourceDemo:              {"fr": "DÉMO", "en": "DEMO"},
}

// printTrust writes what the store trusts: each master list and what it
// gave or why it was refused, then every anchor with its source.
func printTrust(w io.Writer, s *pki.Store, rep pki.LoadReport, l string) {
	say := func(fr, en string, args ...any) {
		f := fr
		if l == "en" {
			f = en
		}
		fmt.Fprintf(w, f+"\n", args...)
	}
	for _, m := range rep.MasterLists {
		name := m.Source.Name
		switch {
		case m.Refused != nil:
			say("REFUSÉE : liste maîtresse %s : %s", "REFUSED: master list %s: %s", name, pkiMessage(m.Refused, l))
			say("          (%v)", "          (%v)", m.Refused)
			continue
		case m.SupersededBy != "":
			say("Liste maîtresse %s : non utilisée, %s est plus récente.", "Master list %s: not used, %s is newer.", name, m.SupersededBy)
			continue
		}
		say("Liste maîtresse %s, %s : signée le %s par %s, signature et signataire vérifiés.",
			"Master list %s, %s: signed on %s by %s, signature and signer verified.",
			name, sourceNames[m.Source.Kind][l], m.SigningTime.Format(time.DateOnly), m.Signer.Subject)
		say("  %d certificats, %d ajoutés (les autres étaient déjà connus), %d inutilisables.",
			"  %d certificates, %d added (the others were already known), %d unusable.",
			m.Present, m.CSCAs, len(m.Invalid))
		for _, e := range m.Invalid {
			say("  inutilisable : n° %d : %v", "  unusable: #%d: %v", e.Index, e.Err)
		}
		for _, r := range m.Replaced {
			say("  remplace %s", "  replaces %s", r)
		}
	}
	printDeviationLists(w, s, rep, l)
	for _, p := range rep.Problems {
		say("Fichier ignoré %s : %v", "File skipped %s: %v", p.Path, p.Err)
	}
	count := map[pki.SourceKind]int{}
	for _, a := range s.Anchors() {
		count[a.Source.Kind]++
	}
	say("%d autorités de confiance : %d fournies (France), %d de la liste BSI fournie, %d de listes importées, %d importées.",
		"%d trusted authorities: %d bundled (France), %d from the bundled BSI list, %d from imported lists, %d imported.",
		s.Len(), count[pki.SourceBundled], count[pki.SourceBundledMasterList], count[pki.SourceMasterList], count[pki.SourceUser])
	for _, a := range s.Anchors() {
		c := a.Cert
		fmt.Fprintf(w, "%-2s %-20s %s  %s..%s  sha256:%x\n", c.Country, sourceNames[a.Source.Kind][l], c.Subject,
			c.NotBefore.Format(time.DateOnly), c.NotAfter.Format(time.DateOnly), c.Fingerprint[:8])
		if len(c.Lenient) > 0 {
			say("     toléré : %s", "     tolerated: %s", strings.Join(c.Lenient, "; "))
		}
		for _, b := range c.BadExtensions {
			say("     extension non critique illisible ignorée : %s", "     unreadable non-critical extension ignored: %s", b.OID)
		}
	}
}

// printDeviationLists writes the deviation lists refused by the load
// (rep), then each one the store holds with what it declares.
func printDeviationLists(w io.Writer, s *pki.Store, rep pki.LoadReport, l string) {
	say := func(fr, en string, args ...any) {
		f := fr
		if l == "en" {
			f = en
		}
		fmt.Fprintf(w, f+"\n", args...)
	}
	for _, d := range rep.DeviationLists {
		if d.Refused != nil {
			say("REFUSÉE : liste d'écarts %s : %s", "REFUSED: deviation list %s: %s", d.Source.Name, pkiMessage(d.Refused, l))
			say("          (%v)", "          (%v)", d.Refused)
		}
	}
	devs := s.Deviations()
	for _, info := range s.DeviationLists() {
		say("Liste d'écarts %s (%s) : signée le %s par %s, signature et signataire vérifiés.",
			"Deviation list %s (%s): signed on %s by %s, signature and signer verified.",
			info.Source.Name, info.Country, info.SigningTime.Format(time.DateOnly), info.Signer.Subject)
		for _, d := range devs {
			if d.List == info {
				fmt.Fprintf(w, "  - %s\n", d.Describe(l))
			}
		}
	}
}

// printImportedDeviationList is what `trust import` says of a deviation list.
func printImportedDeviationList(w io.Writer, res pki.ImportResult, l string) {
	applicable := 0
	for _, d := range res.DeviationList.Deviations {
		if d.Applicable() {
			applicable++
		}
	}
	f := "Liste d'écarts de %s importée (signée le %s) : %d écarts, dont %d applicables -> %s\n"
	if l == "en" {
		f = "Imported deviation list of %s (signed on %s): %d deviations, %d of them applicable -> %s\n"
	}
	fmt.Fprintf(w, f, res.DeviationInfo.Country, res.DeviationInfo.SigningTime.Format(time.DateOnly),
		len(res.DeviationList.Deviations), applicable, res.Dest)
}

// pkiMessage is the person's sentence of a trust error.
func pkiMessage(err error, l string) string {
	if m, ok := err.(interface{ Message(string) string }); ok {
		return m.Message(l)
	}
	return err.Error()
}
