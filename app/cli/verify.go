package cli

import (
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"os"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/explain"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/problem"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/internal/safefile"
	"github.com/cnie-reader/cnie-reader/reader/pki"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

var statusMark = map[verify.Status]string{verify.Passed: "[ OK ]", verify.Failed: "[FAIL]", verify.NotPossible: "[ -- ]"}

// printReport writes a verification report in lang, worded by app/explain.
func printReport(w io.Writer, r *verify.Report, lang string) {
	l := i18n.Locale{Lang: lang}
	fmt.Fprintf(w, "\n== %s ==\n", l.T("verify.heading"))
	fmt.Fprintf(w, "%s\n", explain.SummaryIn(l, r))
	for _, c := range []verify.Claim{r.AuthenticChip, r.DataIntact, r.IssuedBy, r.NotCloned} {
		fmt.Fprintf(w, "  %s %s\n", statusMark[c.Status], explain.ClaimIn(l, c))
	}
	fmt.Fprintln(w)
	for _, c := range r.Checks {
		name := string(c.ID)
		if c.ID == verify.CheckDGHash {
			name = fmt.Sprintf("%s DG%d", c.ID, c.DG)
		}
		fmt.Fprintf(w, "  %s %-16s %s\n", statusMark[c.Status], name, explain.CheckIn(l, c))
		if c.Detail != "" && c.Status != verify.Passed {
			fmt.Fprintf(w, "         %-16s (%s)\n", "", c.Detail)
		}
	}
}

// writePhoto writes the face decoded by the read as PNG; only ever
// called when the user asked for the file.
func writePhoto(img image.Image, decodeErr error, path string) error {
	if decodeErr != nil {
		return decodeErr
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("photo: %w (an existing file is never overwritten)", err)
	}
	// 8-bit RGBA: png would write other image types with 16 bits a channel.
	rgba := image.NewNRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	if err := png.Encode(out, rgba); err != nil {
		out.Close()
		os.Remove(path)
		return err
	}
	return out.Close()
}

func runTrust(args []string, out io.Writer) error {
	fs := newFlags("trust")
	dir := fs.String("dir", "", "")
	force := fs.Bool("force", false, "")
	words, err := parseArgs(fs, args, 2)
	if err != nil {
		return err
	}
	if len(words) == 0 {
		return missing("trust", "import | import-service | list")
	}
	sub, files := words[0], words[1:]
	if sub == "list" && len(files) > 0 {
		return &usageError{cmd: "trust list", key: "cli.usage.extra", data: map[string]any{"Arg": files[0]}}
	}
	switch sub {
	case "import":
		if len(files) != 1 {
			return missing("trust import", "FILE")
		}
		res, err := pki.ImportWith(files[0], *dir, pki.ImportOptions{Force: *force})
		var refused *pki.ImportRefusedError
		if errors.As(err, &refused) {
			return forceable{refused}
		}
		if err != nil {
			return err
		}
		for _, w := range res.Warnings { // in the user's language only
			l := i18n.Current()
			fmt.Fprintln(out, l.T("problem.pki.warning.forced", map[string]any{"Warning": problem.WarningIn(l, w)}))
		}
		switch {
		case res.DeviationList != nil:
			printImportedDeviationList(out, res, lang())
		case res.MasterList != nil:
			fmt.Fprintln(out, msg("cli.trust.imported_ml", map[string]any{"Count": len(res.MasterList.CSCAs), "Dest": res.Dest}))
		case res.CRL != nil:
			fmt.Fprintln(out, msg("cli.trust.imported_crl", map[string]any{"Issuer": res.CRL.Issuer, "Dest": res.Dest}))
		default:
			for _, c := range res.Certificates {
				fmt.Fprintln(out, msg("cli.trust.imported_cert", map[string]any{"Subject": c.Subject,
					"Until": c.NotAfter.Format("2006-01-02"), "Dest": res.Dest}))
			}
		}
		return nil
	case "import-service":
		if len(files) != 1 {
			return missing("trust import-service", "FILE")
		}
		base := *dir
		if base == "" {
			d, err := pki.DefaultUserDir()
			if err != nil {
				return err
			}
			base = d
		}
		dest := request.DefaultServicesDir(base)
		// ImportService opens the path itself: refuse a FIFO or a folder first.
		f, err := safefile.Open(files[0])
		if err != nil {
			return err
		}
		f.Close()
		certs, err := request.ImportService(files[0], dest)
		if err != nil {
			return err
		}
		for _, c := range certs {
			fmt.Fprintln(out, msg("cli.trust.trusted_service", map[string]any{"Subject": c.Subject,
				"Names": fmt.Sprint(c.DNSNames), "Until": c.NotAfter.Format("2006-01-02"), "Dest": dest}))
		}
		return nil
	case "list":
		t, err := core.TrustFor(*dir)
		if err != nil {
			return err
		}
		s, rep, err := t.Store()
		if err != nil {
			return err
		}
		printTrust(out, s, rep, lang())
		return nil
	}
	return &usageError{cmd: "trust", key: "cli.usage.unknown_command", data: map[string]any{"Name": sub},
		suggestion: closest(sub, []string{"import", "import-service", "list"})}
}

// forceable is an import refused for reasons --force overrides; printError says so.
type forceable struct{ *pki.ImportRefusedError }

func (e forceable) Unwrap() error { return e.ImportRefusedError }
