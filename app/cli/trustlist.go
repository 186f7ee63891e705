package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/app/explain"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/problem"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// sourceKeys are how `trust list` names where an anchor comes from.
var sourceKeys = map[pki.SourceKind]string{
	pki.SourceBundled:           "cli.trust.source.bundled",
	pki.SourceBundledMasterList: "cli.trust.source.bundled_list",
	pki.SourceMasterList:        "cli.trust.source.imported_list",
	pki.SourceUser:              "cli.trust.source.imported",
	pki.SourceDemo:              "cli.trust.source.demo",
}

// sourceName is where an anchor comes from, in words.
func sourceName(k pki.SourceKind) string { return msg(sourceKeys[k]) }

// say writes one line of cli.trust.* with its data.
func say(w io.Writer, key string, data map[string]any) { fmt.Fprintln(w, msg(key, data)) }

// printTrust writes what the store trusts: each master list and what it
// gave or why it was refused, then every anchor with its source.
func printTrust(w io.Writer, s *pki.Store, rep pki.LoadReport, l string) {
	for _, m := range rep.MasterLists {
		name := m.Source.Name
		switch {
		case m.Refused != nil:
			say(w, "cli.trust.ml_refused", map[string]any{"Name": name, "Reason": pkiMessage(m.Refused, l)})
			fmt.Fprintf(w, "          (%v)\n", m.Refused)
			continue
		case m.SupersededBy != "":
			say(w, "cli.trust.ml_superseded", map[string]any{"Name": name, "Newer": m.SupersededBy})
			continue
		}
		say(w, "cli.trust.ml_used", map[string]any{"Name": name, "Source": sourceName(m.Source.Kind),
			"Date": m.SigningTime.Format(time.DateOnly), "Signer": m.Signer.Subject})
		say(w, "cli.trust.ml_counts", map[string]any{"Present": m.Present, "Added": m.CSCAs, "Unusable": len(m.Invalid)})
		for _, e := range m.Invalid {
			say(w, "cli.trust.ml_unusable", map[string]any{"Index": e.Index, "Error": e.Err})
		}
		for _, r := range m.Replaced {
			say(w, "cli.trust.ml_replaces", map[string]any{"Name": r})
		}
	}
	printDeviationLists(w, s, rep, l)
	for _, p := range rep.Problems {
		say(w, "cli.trust.file_skipped", map[string]any{"Path": p.Path, "Error": p.Err})
	}
	count := map[pki.SourceKind]int{}
	for _, a := range s.Anchors() {
		count[a.Source.Kind]++
	}
	say(w, "cli.trust.total", map[string]any{"Total": s.Len(), "Bundled": count[pki.SourceBundled],
		"BundledList": count[pki.SourceBundledMasterList], "Lists": count[pki.SourceMasterList], "Imported": count[pki.SourceUser]})
	for _, a := range s.Anchors() {
		c := a.Cert
		fmt.Fprintf(w, "%-2s %-20s %s  %s..%s  sha256:%x\n", c.Country, sourceName(a.Source.Kind), c.Subject,
			c.NotBefore.Format(time.DateOnly), c.NotAfter.Format(time.DateOnly), c.Fingerprint[:8])
		if len(c.Lenient) > 0 {
			say(w, "cli.trust.tolerated", map[string]any{"What": strings.Join(c.Lenient, "; ")})
		}
		for _, b := range c.BadExtensions {
			say(w, "cli.trust.bad_extension", map[string]any{"OID": b.OID})
		}
	}
}

// printDeviationLists writes the deviation lists refused by the load
// (rep), then each one the store holds with what it declares.
func printDeviationLists(w io.Writer, s *pki.Store, rep pki.LoadReport, l string) {
	for _, d := range rep.DeviationLists {
		if d.Refused != nil {
			say(w, "cli.trust.dl_refused", map[string]any{"Name": d.Source.Name, "Reason": pkiMessage(d.Refused, l)})
			fmt.Fprintf(w, "          (%v)\n", d.Refused)
		}
	}
	devs := s.Deviations()
	for _, info := range s.DeviationLists() {
		say(w, "cli.trust.dl_used", map[string]any{"Name": info.Source.Name, "Country": info.Country,
			"Date": info.SigningTime.Format(time.DateOnly), "Signer": info.Signer.Subject})
		for _, d := range devs {
			if d.List == info {
				fmt.Fprintf(w, "  - %s\n", explain.DeviationIn(i18n.Locale{Lang: l}, d))
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
	say(w, "cli.trust.dl_imported", map[string]any{"Country": res.DeviationInfo.Country,
		"Date": res.DeviationInfo.SigningTime.Format(time.DateOnly), "Count": len(res.DeviationList.Deviations),
		"Applicable": applicable, "Dest": res.Dest})
}

// pkiMessage is the person's sentence of a trust error.
func pkiMessage(err error, l string) string { return problem.In(i18n.Locale{Lang: l}, err).Message }
