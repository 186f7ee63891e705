package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// verifyFilesOutput is what `verify --json` prints.
type verifyFilesOutput struct {
	Files        []core.DumpPart `json:"files"`
	MRZ          *mrzView        `json:"mrz,omitempty"`
	Verification *verify.Report  `json:"verification"`
}

// runVerifyFiles checks a document from files (issue 14, item 9).
func runVerifyFiles(args []string, out io.Writer) error {
	fs := newFlags("verify")
	asJSON := fs.Bool("json", false, "")
	demo := fs.Bool("demo", false, "")
	profile := fs.String("profile", sim.DefaultProfile, "")
	trustDir := fs.String("trust-dir", "", "")
	paths, err := parseArgs(fs, args, -1)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return missing("verify", "FILE")
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
	fmt.Fprintf(out, "== %s ==\n", msg("cli.files.title"))
	for _, p := range d.Parts {
		fmt.Fprint(out, "  "+msg("cli.files.taken_as", map[string]any{"File": p.File, "As": p.As, "Size": p.Size}))
		if p.Ignored > 0 {
			fmt.Fprint(out, msg("cli.files.padding", map[string]any{"Count": p.Ignored}))
		}
		fmt.Fprintln(out, ")")
	}
	if m := o.MRZ; m != nil {
		fmt.Fprintln(out)
		line := func(key, format string, args ...any) {
			fmt.Fprintf(out, "%-28s %s\n", label(key)+":", fmt.Sprintf(format, args...))
		}
		line("document", "%s %s %s %s", m.DocumentCode, m.IssuingState, label("no"), m.DocumentNumber)
		line("surname", "%s", m.Surname)
		line("given", "%s", m.GivenNames)
		line("born", "%s   %s: %s", m.BirthDate, label("expires"), m.ExpiryDate)
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
	fmt.Fprintln(errOut, msg("cli.dump.written", map[string]any{"Count": len(paths), "Dir": dir}))
	return nil
}
