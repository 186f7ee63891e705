package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/sealtext"
	"github.com/cnie-reader/cnie-reader/internal/safefile"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/internal/version"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/trace"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// writeTrace exports the redacted trace to a new file; an existing one is
// a *safefile.Error (ErrExists), never overwritten.
func writeTrace(tr *trace.Trace, path string) error {
	f, err := safefile.CreateNew(path, 0o600)
	if err != nil {
		return err
	}
	if err := tr.WriteText(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// runRead is `cnie-reader read`: one read through [core.ReadCard], the
// window's own pipeline, then what was asked printed. Messages for the
// person at the terminal (waiting, the dump written) go to errOut, so
// that out stays the read itself (--json).
func runRead(ctx context.Context, args []string, out, errOut io.Writer) (rerr error) {
	fs := newFlags("read")
	useSim := fs.Bool("sim", false, "")
	profile := fs.String("profile", sim.DefaultProfile, "")
	readerIdx := fs.Int("reader", -1, "")
	canFlag := fs.String("can", "", "")
	mrzArg := fs.String("mrz", "", "")
	asJSON := fs.Bool("json", false, "")
	doVerify := fs.Bool("verify", false, "")
	photo := fs.String("photo", "", "")
	sealPath := fs.String("seal", "", "")
	tracePath := fs.String("trace", "", "")
	trustDir := fs.String("trust-dir", "", "")
	dumpDir := fs.String("dump", "", "")
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	if err := checkDumpDir(*dumpDir); err != nil {
		return err
	}
	if *tracePath != "" {
		// Fail before the card is touched rather than after a whole read.
		if err := safefile.CheckAbsent(*tracePath); err != nil {
			return err
		}
	}
	src, err := cardSource(ctx, "read", *useSim, *profile, *readerIdx, errOut)
	if err != nil {
		return err
	}
	secret, err := parseSecret(src, *canFlag, *mrzArg)
	if err != nil {
		return err
	}

	var tr *trace.Trace
	if *tracePath != "" {
		tr = trace.New(version.Get().Short())
		// Written even when the read fails: that is when support needs it.
		// A trace not written fails the command; the read's own failure,
		// if any, stays the one reported.
		defer func() {
			if werr := writeTrace(tr, *tracePath); werr != nil {
				if rerr == nil {
					rerr = werr
				} else {
					fmt.Fprintln(errOut, "trace:", werr)
				}
			}
		}()
	}
	told := false
	slow := func(p reader.Progress) {
		if p.Slow && !told { // once a read: the card may keep us waiting on several steps
			told = true
			fmt.Fprintln(errOut, msg("cli.read.slow_card"))
		}
	}
	res, err := core.ReadCard(ctx, src, secret, core.ReadOptions{TrustDir: *trustDir, Progress: slow, Trace: tr,
		SkipVerify: !*doVerify, SkipFace: *photo == ""})
	if err != nil {
		return err
	}
	defer res.Wipe()
	doc, report := res.Doc, res.Report
	if err := writeDumpFiles(errOut, *dumpDir, doc); err != nil {
		return err
	}
	if *photo != "" {
		if err := writePhoto(res.Face, res.FaceErr, *photo); err != nil {
			return err
		}
	}
	s := summarize(doc, sourceLabel(src, *profile))
	s.Verification = report
	if *sealPath != "" {
		if s.SealCheck, err = core.CheckSealImage(ctx, *sealPath, doc, res.Demo); err != nil {
			return err
		}
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	printText(out, s)
	if c := s.SealCheck; c != nil {
		fmt.Fprintf(out, "\n== %s ==\n%s\n%s: %s\n", msg("cli.read.seal_title"),
			sealtext.What(c.Seal), msg("cli.read.seal_signature"), sealtext.Why(c.Seal))
		if c.Compare.Match() {
			fmt.Fprintln(out, msg("cli.read.seal_agrees", map[string]any{"Fields": strings.Join(c.Compare.Compared, ", ")}))
		}
		for _, d := range c.Compare.Differences {
			fmt.Fprintln(out, "  "+msg("cli.read.seal_differs", map[string]any{"Difference": sealtext.Difference(d)}))
		}
	}
	if report != nil {
		printReport(out, report, lang())
	} else {
		fmt.Fprintln(out, msg("cli.read.not_verified"))
	}
	return nil
}

// summary is what `read` prints: the chip's identity data and how the read went.
type summary struct {
	Source     string               `json:"source"`
	Access     document.Access      `json:"access"`
	MRZ        *mrzView             `json:"mrz,omitempty"`
	Files      []reader.FileRead    `json:"files"`
	Protected  []string             `json:"protected,omitempty"`
	ChipAuth   document.ProtocolRun `json:"chip_authentication"`
	ActiveAuth document.ProtocolRun `json:"active_authentication"`
	Stats      reader.Stats         `json:"stats"`
	DurationMS float64              `json:"duration_ms"`
	Extra      map[string]string    `json:"additional_details,omitempty"`
	// Verification is present with --verify.
	Verification *verify.Report `json:"verification,omitempty"`
	// SealCheck is present with --seal.
	SealCheck *core.SealCheck `json:"seal_check,omitempty"`
}

type mrzView struct {
	DocumentCode   string `json:"document_code"`
	IssuingState   string `json:"issuing_state"`
	DocumentNumber string `json:"document_number"`
	Surname        string `json:"surname"`
	GivenNames     string `json:"given_names"`
	Nationality    string `json:"nationality"`
	BirthDate      string `json:"birth_date"`
	Sex            string `json:"sex"`
	ExpiryDate     string `json:"expiry_date"`
	ChecksValid    bool   `json:"check_digits_valid"`
}

func summarize(d *reader.Document, source string) summary {
	s := summary{Source: source, Access: d.Access, Files: d.Files, ChipAuth: d.ChipAuth, ActiveAuth: d.ActiveAuth,
		Stats: d.Stats, DurationMS: float64(d.Duration.Microseconds()) / 1000}
	for _, n := range d.Protected {
		s.Protected = append(s.Protected, fmt.Sprintf("DG%d", n))
	}
	if m := d.MRZ; m != nil {
		s.MRZ = &mrzView{m.DocumentCode, m.IssuingState, m.DocumentNumber, m.PrimaryIdentifier, m.SecondaryIdentifier,
			m.Nationality, m.BirthDate.String(), m.Sex, m.ExpiryDate.String(), m.Valid()}
	}
	if g := d.DG11; g != nil {
		s.Extra = map[string]string{}
		add := func(k, v string) {
			if v != "" {
				s.Extra[k] = strings.ReplaceAll(v, "<", " ")
			}
		}
		if primary, secondary := g.Names(); primary != "" {
			add("full_name", strings.TrimSpace(primary+", "+secondary))
		}
		add("full_birth_date", g.FullDateOfBirth)
		add("place_of_birth", g.PlaceOfBirth)
		add("address", g.Address)
		add("personal_number", g.PersonalNumber)
	}
	return s
}

// label is a word of the text output (cli.label.* in the translation
// files); key is also a protocol outcome ("passed", "not offered").
func label(key string) string {
	return msg("cli.label." + strings.ReplaceAll(key, " ", "_"))
}

func printText(w io.Writer, s summary) {
	line := func(key, format string, args ...any) {
		fmt.Fprintf(w, "%-28s %s\n", label(key)+":", fmt.Sprintf(format, args...))
	}
	line("source", "%s", s.Source)
	a := s.Access
	if a.Protocol == "PACE" {
		line("access", "PACE %s, %s, %s, %s %s (%s)", a.Mapping, a.Domain, a.Cipher, label("with"), a.Password, a.Name)
	} else {
		line("access", "%s, %s, %s %s", a.Protocol, a.Cipher, label("with"), a.Password)
	}
	if m := s.MRZ; m != nil {
		line("document", "%s %s %s %s", m.DocumentCode, m.IssuingState, label("no"), m.DocumentNumber)
		line("surname", "%s", m.Surname)
		line("given", "%s", m.GivenNames)
		line("nationality", "%s   %s: %s", m.Nationality, label("sex"), m.Sex)
		line("born", "%s   %s: %s", m.BirthDate, label("expires"), m.ExpiryDate)
		ok := "mrz_bad"
		if m.ChecksValid {
			ok = "mrz_ok"
		}
		line("mrz", "%s", label(ok))
	}
	for _, k := range []string{"full_name", "full_birth_date", "place_of_birth", "address", "personal_number"} {
		if v, ok := s.Extra[k]; ok {
			line(k, "%s", v)
		}
	}
	var names []string
	for _, f := range s.Files {
		names = append(names, fmt.Sprintf("%s (%d B)", f.Name, f.Size))
	}
	line("files", "%s", strings.Join(names, ", "))
	if len(s.Protected) > 0 {
		line("protected", "%s (%s)", strings.Join(s.Protected, ", "), label("protected_why"))
	}
	run := func(r document.ProtocolRun) string {
		out := label(string(r.Outcome))
		if r.Algorithm != "" {
			out += " (" + r.Algorithm + ")"
		}
		if r.Detail != "" && r.Outcome != document.Passed {
			out += ": " + r.Detail
		}
		return out
	}
	line("ca", "%s", run(s.ChipAuth))
	line("aa", "%s", run(s.ActiveAuth))
	mode := label("short")
	if s.Stats.Extended {
		mode = label("extended")
	}
	line("exchange", "%d APDU, %d %s, %d %s, %s, %.1f ms",
		s.Stats.APDUs, s.Stats.BytesSent, label("sent"), s.Stats.BytesReceived, label("received"), mode, s.DurationMS)
}
