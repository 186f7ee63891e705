package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"image"
	"image/draw"
	"image/png"
	"io"
	"os"
	"strings"

	"github.com/cnie-reader/cnie-reader/internal/safefile"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/pki"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

var statusMark = map[verify.Status]string{verify.Passed: "[ OK ]", verify.Failed: "[FAIL]", verify.NotPossible: "[ -- ]"}

func printReport(w io.Writer, r *verify.Report, lang string) {
	fmt.Fprintf(w, "\n== %s ==\n", map[string]string{"fr": "Vérification", "en": "Verification"}[lang])
	fmt.Fprintf(w, "%s\n", r.Summary.In(lang))
	for _, c := range []verify.Claim{r.AuthenticChip, r.DataIntact, r.IssuedBy, r.NotCloned} {
		fmt.Fprintf(w, "  %s %s\n", statusMark[c.Status], c.Text.In(lang))
	}
	fmt.Fprintln(w)
	for _, c := range r.Checks {
		name := string(c.ID)
		if c.ID == verify.CheckDGHash {
			name = fmt.Sprintf("%s DG%d", c.ID, c.DG)
		}
		fmt.Fprintf(w, "  %s %-16s %s\n", statusMark[c.Status], name, c.Reason.In(lang))
		if c.Detail != "" && c.Status != verify.Passed {
			fmt.Fprintf(w, "         %-16s (%s)\n", "", c.Detail)
		}
	}
}

// writePhoto decodes the first face of DG2 and writes it as PNG; only ever
// called when the user asked for the file.
func writePhoto(ctx context.Context, doc *reader.Document, path string) error {
	img, err := core.DecodeFace(ctx, doc)
	if err != nil {
		return err
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
	if len(args) == 0 {
		return fmt.Errorf("usage: cnie-reader trust import FILE | trust import-service FILE | trust list")
	}
	fs := flag.NewFlagSet("trust", flag.ContinueOnError)
	dir := fs.String("dir", "", "trust directory (default: the user's configuration directory)")
	force := fs.Bool("force", false, "import: add a certificate even if it is expired, not yet valid or not a CA (the warning is still printed)")
	fs.SetOutput(out)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch args[0] {
	case "import":
		if fs.NArg() != 1 {
			return fmt.Errorf("usage: cnie-reader trust import [--dir DIR] [--force] FILE")
		}
		res, err := pki.ImportWith(fs.Arg(0), *dir, pki.ImportOptions{Force: *force})
		var refused *pki.ImportRefusedError
		if errors.As(err, &refused) {
			return forceable{refused}
		}
		if err != nil {
			return err
		}
		for _, w := range res.Warnings {
			fmt.Fprintf(out, "Attention : %s (importé avec --force).\nWarning: %s (imported with --force).\n", w.Message("fr"), w.Message("en"))
		}
		switch {
		case res.DeviationList != nil:
			printImportedDeviationList(out, res, lang())
		case res.MasterList != nil:
			fmt.Fprintf(out, "Imported master list: %d CSCA certificates -> %s\n", len(res.MasterList.CSCAs), res.Dest)
		case res.CRL != nil:
			fmt.Fprintf(out, "Imported CRL of %s -> %s\n", res.CRL.Issuer, res.Dest)
		default:
			for _, c := range res.Certificates {
				fmt.Fprintf(out, "Imported %s (valid until %s) -> %s\n", c.Subject, c.NotAfter.Format("2006-01-02"), res.Dest)
			}
		}
		return nil
	case "import-service":
		if fs.NArg() != 1 {
			return fmt.Errorf("usage: cnie-reader trust import-service [--dir DIR] FILE")
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
		f, err := safefile.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		f.Close()
		certs, err := request.ImportService(fs.Arg(0), dest)
		if err != nil {
			return err
		}
		for _, c := range certs {
			fmt.Fprintf(out, "Trusted service %s %v (valid until %s) -> %s\n", c.Subject, c.DNSNames, c.NotAfter.Format("2006-01-02"), dest)
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
	return fmt.Errorf("unknown trust command %q (import, import-service, list)", strings.Join(args[:1], ""))
}

// forceable is an import refused for reasons --force overrides; it says so.
type forceable struct{ *pki.ImportRefusedError }

func (e forceable) Unwrap() error { return e.ImportRefusedError }

func (e forceable) Message(lang string) string {
	if lang == "en" {
		return e.ImportRefusedError.Message(lang) + " To import it anyway, run the command again with --force."
	}
	return e.ImportRefusedError.Message(lang) + " Pour l'importer quand même, relancez la commande avec --force."
}
