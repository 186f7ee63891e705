package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/sim"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

const verifyFilesHelp = `usage: cnie-reader verify [--json] [--demo [--profile NAME]] [--trust-dir DIR] FILE...

Checks a document from files, without a card: EF.SOD and any of EF.COM,
DG1 to DG16, EF.CardAccess and EF.CardSecurity, as binary files (each
recognised by its first tag, whatever its name), or as one JSON dump
{"EF.SOD": "<base64>", "DG1": "<base64>", ...} (standard base64, not hex),
or as one ZIP of binary files. ` + "`cnie-reader read --dump DIR`" + ` writes such files.
Chip and active authentication need the chip: from files they are not run.

`

// verifyFilesOutput is what `verify --json` prints.
type verifyFilesOutput struct {
	Files        []core.DumpPart `json:"files"`
	MRZ          *mrzView        `json:"mrz,omitempty"`
	Verification *verify.Report  `json:"verification"`
}

// runVerifyFiles checks a document from files (issue 14, item 9).
func runVerifyFiles(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	demo := fs.Bool("demo", false, "also trust the DEMO authority of the virtual card, whose dump then verifies as DEMO")
	profile := fs.String("profile", sim.DefaultProfile, "with --demo: the virtual card profile the files come from")
	trustDir := fs.String("trust-dir", "", "directory of imported trust files (default: the user's configuration directory)")
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprint(out, verifyFilesHelp)
		fs.PrintDefaults()
	}
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		fs.Usage()
		return flag.ErrHelp
	}
	profileSet := false
	fs.Visit(func(f *flag.Flag) { profileSet = profileSet || f.Name == "profile" })
	if profileSet && !*demo {
		return chiperr.New(chiperr.BadInput, "verify", "--profile names the virtual card of --demo: add --demo")
	}
	d, err := core.LoadDump(paths)
	if err != nil {
		return err
	}
	defer d.Wipe()
	opts := core.DumpVerifyOptions{TrustDir: *trustDir}
	if *demo {
		opts.DemoProfile = *profile
	}
	report, err := core.VerifyDump(d.Doc, opts)
	if err != nil {
		return err
	}
	o := verifyFilesOutput{Files: d.Parts, Verification: report}
	if m := d.Doc.MRZ; m != nil {
		o.MRZ = &mrzView{DocumentCode: m.DocumentCode, IssuingState: m.IssuingState, DocumentNumber: m.DocumentNumber,
			Surname: m.PrimaryIdentifier, GivenNames: m.SecondaryIdentifier, Nationality: m.Nationality,
			BirthDate: m.BirthDate.String(), Sex: m.Sex, ExpiryDate: m.ExpiryDate.String(), ChecksValid: m.Valid()}
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(o)
	}
	l := lang()
	fmt.Fprintf(out, "== %s ==\n", map[string]string{"fr": "Fichiers", "en": "Files"}[l])
	for _, p := range d.Parts {
		fmt.Fprintf(out, "  %s%s %s (%d %s", p.File, map[string]string{"fr": " : pris comme", "en": ": taken as"}[l],
			p.As, p.Size, map[string]string{"fr": "o", "en": "B"}[l])
		if p.Ignored > 0 {
			fmt.Fprintf(out, map[string]string{"fr": ", %d octets de remplissage ignorés", "en": ", %d padding bytes ignored"}[l], p.Ignored)
		}
		fmt.Fprintln(out, ")")
	}
	if m := o.MRZ; m != nil {
		fmt.Fprintln(out)
		line := func(key, format string, args ...any) {
			fmt.Fprintf(out, "%-28s %s\n", label(key, l)+":", fmt.Sprintf(format, args...))
		}
		line("document", "%s %s %s %s", m.DocumentCode, m.IssuingState, label("no", l), m.DocumentNumber)
		line("surname", "%s", m.Surname)
		line("given", "%s", m.GivenNames)
		line("born", "%s   %s: %s", m.BirthDate, label("expires", l), m.ExpiryDate)
	}
	printReport(out, report, l)
	return nil
}

// checkDumpDir fails `read --dump DIR` before the card is touched when
// DIR cannot take the dump.
func checkDumpDir(dir string) error {
	if dir == "" {
		return nil
	}
	return core.CheckDumpDir(dir)
}

// writeDumpFiles is `read --dump DIR`: the files read, written as binary
// files into DIR at the user's request. What was written is said on
// stderr, so that --json output stays JSON.
func writeDumpFiles(errOut io.Writer, dir string, doc *reader.Document) error {
	if dir == "" {
		return nil
	}
	paths, err := core.WriteDump(dir, doc)
	if err != nil {
		return err
	}
	fmt.Fprintf(errOut, map[string]string{
		"fr": "%d fichiers lus écrits dans %s (données personnelles : à effacer après usage).\n",
		"en": "%d files read written to %s (personal data: delete them when done).\n",
	}[lang()], len(paths), dir)
	return nil
}
