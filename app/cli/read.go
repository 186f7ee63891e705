package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/cnie-reader/cnie-reader/internal/version"
	"io"
	"strings"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/internal/safefile"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
	"github.com/cnie-reader/cnie-reader/reader/sim"
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

// Messages for the person at the terminal (waiting, the dump written) go
// to errOut, so that out stays the read itself (--json).
func runRead(ctx context.Context, args []string, out, errOut io.Writer) (rerr error) {
	fs := flag.NewFlagSet("read", flag.ContinueOnError)
	useSim := fs.Bool("sim", false, "read the built-in virtual card")
	profile := fs.String("profile", sim.DefaultProfile, "virtual card profile (see `cnie-reader sim --list`)")
	readerIdx := fs.Int("reader", -1, "index of the PC/SC reader (see `cnie-reader readers`)")
	can := fs.String("can", "", "the card access number printed on the card (6 digits)")
	mrzArg := fs.String("mrz", "", `document number, birth date and expiry date: "DOCNUMBER YYMMDD YYMMDD"`)
	asJSON := fs.Bool("json", false, "print JSON")
	shortOnly := fs.Bool("short-apdu", false, "never use extended-length APDUs")
	doVerify := fs.Bool("verify", false, "check authenticity: passive, chip and active authentication")
	photo := fs.String("photo", "", "write the decoded face to this PNG file (never overwrites)")
	sealPath := fs.String("seal", "", "also read the seal in this photo and compare it with the chip")
	tracePath := fs.String("trace", "", "write the redacted APDU trace to this file, for support (never overwrites)")
	trustDir := fs.String("trust-dir", "", "directory of imported trust files (default: the user's configuration directory)")
	dumpDir := fs.String("dump", "", "write the files read as binary files into the new or empty folder `DIR` (personal data; check them with: cnie-reader verify DIR/*)")
	fs.SetOutput(out)
	if err := fs.Parse(args); err != nil {
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
	secret := reader.Secret{CAN: *can}
	if *mrzArg != "" {
		parts := strings.Fields(*mrzArg)
		if len(parts) != 3 {
			return chiperr.New(chiperr.BadInput, "--mrz", `expected "DOCNUMBER YYMMDD YYMMDD"`)
		}
		info, err := mrz.Information(parts[0], parts[1], parts[2])
		if err != nil {
			return err
		}
		secret.MRZ = info
	}

	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	var t iso7816.Transmitter
	var demoCard sim.Chip
	source, readerName := "", ""
	switch {
	case *useSim:
		card, err := sim.NewNamed(*profile)
		if err != nil {
			return err
		}
		p := card.Profile()
		if secret.CAN == "" && secret.MRZ == "" {
			// The demo card's secrets are public: use them unless told otherwise.
			if p.CAN != "" {
				secret.CAN = p.CAN
			} else {
				secret.MRZ = p.MRZInformation()
			}
		}
		t, source, demoCard = card, map[string]string{"fr": "carte virtuelle (DÉMO), profil ", "en": "virtual card (DEMO), profile "}[lang()]+p.Name, card
	case *readerIdx >= 0:
		pc, names, err := listReaders()
		if chiperr.KindOf(err) == chiperr.NoReader {
			// No reader yet: wait for one to be plugged in (PC/SC hot-plug).
			fmt.Fprintln(errOut, "Branchez le lecteur de cartes… / Plug in the card reader…")
			pc, names, err = waitForReader(ctx)
		}
		if err != nil {
			return err
		}
		defer pc.Close()
		if *readerIdx >= len(names) {
			return chiperr.Newf(chiperr.NoReader, "--reader", "reader %d does not exist (%d connected)", *readerIdx, len(names))
		}
		name := names[*readerIdx]
		card, err := pc.Connect(name)
		if chiperr.KindOf(err) == chiperr.NoCard {
			// Wait for the holder to lay the card, as a person would expect.
			fmt.Fprintln(errOut, "Posez la carte sur le lecteur… / Lay the card on the reader…")
			if err := pc.WaitForCard(ctx, name); err != nil {
				return err
			}
			card, err = pc.Connect(name)
		}
		if err != nil {
			return err
		}
		defer card.Close()
		t, source, readerName = card, name, name
		if works, known := pcsc.ExtendedKnown(name); known && !works {
			*shortOnly = true
		}
		if q, ok := pcsc.LookupQuirks(name, 0, 0); ok && !q.ExtendedLength {
			*shortOnly = true // a short-only model: skip the failing extended attempt
		}
	default:
		return chiperr.New(chiperr.BadInput, "read", "give --sim or --reader N")
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
			fmt.Fprintln(errOut, map[string]string{
				"fr": "Après des essais erronés, la carte peut faire patienter jusqu'à une minute : gardez-la immobile sur le lecteur…",
				"en": "After wrong attempts the card may make you wait up to a minute: keep it still on the reader…",
			}[lang()])
		}
	}
	doc, err := reader.Read(ctx, t, secret, reader.Options{ShortOnly: *shortOnly, Trace: tr, Progress: slow})
	if err == nil && readerName != "" {
		pcsc.RememberExtended(readerName, doc.Stats.Extended)
	}
	if err != nil {
		return err
	}
	defer doc.Wipe()
	if err := writeDumpFiles(errOut, *dumpDir, doc); err != nil {
		return err
	}
	var report *verify.Report
	if *doVerify {
		store, err := core.TrustStore(*trustDir, demoCard)
		if err != nil {
			return err
		}
		report = verify.Verify(doc, store, verify.Options{})
	}
	if *photo != "" {
		if err := writePhoto(ctx, doc, *photo); err != nil {
			return err
		}
	}
	s := summarize(doc, source)
	s.Verification = report
	if *sealPath != "" {
		if s.SealCheck, err = core.CheckSealImage(ctx, *sealPath, doc, demoCard != nil); err != nil {
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
		l := lang()
		fmt.Fprintf(out, "\n== %s ==\n%s\n%s: %s\n", map[string]string{"fr": "Cachet", "en": "Seal"}[l],
			sentence(c.Seal.What, l), map[string]string{"fr": "Signature", "en": "Signature"}[l], sentence(c.Seal.Why, l))
		if c.Compare.Match() {
			fmt.Fprintln(out, map[string]string{"fr": "Le cachet et la puce concordent sur : ", "en": "Seal and chip agree on: "}[l]+strings.Join(c.Compare.Compared, ", "))
		}
		for _, d := range c.Compare.Differences {
			if l == "en" {
				fmt.Fprintln(out, "  DIFFERENT: "+d.Text.EN)
			} else {
				fmt.Fprintln(out, "  DIFFÉRENT : "+d.Text.FR)
			}
		}
	}
	if report != nil {
		printReport(out, report, lang())
	} else {
		fmt.Fprintln(out, map[string]string{"fr": "Authenticité non vérifiée : ajoutez --verify.", "en": "Authenticity not checked: add --verify."}[lang()])
	}
	return nil
}

// summary is what `read` prints: the chip's identity data and how the read went.
type summary struct {
	Source     string             `json:"source"`
	Access     reader.Access      `json:"access"`
	MRZ        *mrzView           `json:"mrz,omitempty"`
	Files      []reader.FileRead  `json:"files"`
	Protected  []string           `json:"protected,omitempty"`
	ChipAuth   reader.ProtocolRun `json:"chip_authentication"`
	ActiveAuth reader.ProtocolRun `json:"active_authentication"`
	Stats      reader.Stats       `json:"stats"`
	DurationMS float64            `json:"duration_ms"`
	Extra      map[string]string  `json:"additional_details,omitempty"`
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

// labels are the words of the text output, French first.
var labels = map[string][2]string{
	"source": {"Source", "Source"}, "access": {"Accès", "Access"}, "with": {"avec", "with the"},
	"document": {"Document", "Document"}, "no": {"n°", "no."}, "surname": {"Nom", "Surname"},
	"given": {"Prénoms", "Given names"}, "nationality": {"Nationalité", "Nationality"}, "sex": {"Sexe", "Sex"},
	"born": {"Naissance (AAMMJJ)", "Born (YYMMDD)"}, "expires": {"Expiration (AAMMJJ)", "Expires (YYMMDD)"},
	"mrz": {"Contrôles MRZ", "MRZ checks"}, "mrz_ok": {"tous les chiffres de contrôle sont justes", "all check digits valid"},
	"mrz_bad":   {"CHIFFRE DE CONTRÔLE FAUX", "CHECK DIGIT FAILURE"},
	"full_name": {"Nom complet", "Full name"}, "full_birth_date": {"Date de naissance", "Date of birth"},
	"place_of_birth": {"Lieu de naissance", "Place of birth"}, "address": {"Adresse", "Address"},
	"personal_number": {"Numéro personnel", "Personal number"}, "files": {"Fichiers lus", "Files read"},
	"protected":     {"Non lisibles", "Not readable"},
	"protected_why": {"réservés aux autorités (authentification du terminal)", "reserved to authorities (terminal authentication)"},
	"ca":            {"Authentification de la puce", "Chip authentication"}, "aa": {"Authentification active", "Active authentication"},
	"exchange": {"Échanges", "Exchange"}, "short": {"APDU courts", "short APDUs"}, "extended": {"APDU étendus", "extended-length APDUs"},
	"sent": {"octets envoyés", "bytes sent"}, "received": {"reçus", "received"},
	"passed": {"réussie", "passed"}, "failed": {"ÉCHOUÉE", "FAILED"}, "not offered": {"non proposée par la carte", "not offered by the card"},
}

func label(key, lang string) string {
	if l, ok := labels[key]; ok {
		if lang == "en" {
			return l[1]
		}
		return l[0]
	}
	return key
}

func printText(w io.Writer, s summary) {
	l := lang()
	line := func(key, format string, args ...any) {
		fmt.Fprintf(w, "%-28s %s\n", label(key, l)+":", fmt.Sprintf(format, args...))
	}
	line("source", "%s", s.Source)
	a := s.Access
	if a.Protocol == "PACE" {
		line("access", "PACE %s, %s, %s, %s %s (%s)", a.Mapping, a.Domain, a.Cipher, label("with", l), a.Password, a.Name)
	} else {
		line("access", "%s, %s, %s %s", a.Protocol, a.Cipher, label("with", l), a.Password)
	}
	if m := s.MRZ; m != nil {
		line("document", "%s %s %s %s", m.DocumentCode, m.IssuingState, label("no", l), m.DocumentNumber)
		line("surname", "%s", m.Surname)
		line("given", "%s", m.GivenNames)
		line("nationality", "%s   %s: %s", m.Nationality, label("sex", l), m.Sex)
		line("born", "%s   %s: %s", m.BirthDate, label("expires", l), m.ExpiryDate)
		ok := "mrz_bad"
		if m.ChecksValid {
			ok = "mrz_ok"
		}
		line("mrz", "%s", label(ok, l))
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
		line("protected", "%s (%s)", strings.Join(s.Protected, ", "), label("protected_why", l))
	}
	run := func(r reader.ProtocolRun) string {
		out := label(string(r.Outcome), l)
		if r.Algorithm != "" {
			out += " (" + r.Algorithm + ")"
		}
		if r.Detail != "" && r.Outcome != reader.Passed {
			out += ": " + r.Detail
		}
		return out
	}
	line("ca", "%s", run(s.ChipAuth))
	line("aa", "%s", run(s.ActiveAuth))
	mode := label("short", l)
	if s.Stats.Extended {
		mode = label("extended", l)
	}
	line("exchange", "%d APDU, %d %s, %d %s, %s, %.1f ms",
		s.Stats.APDUs, s.Stats.BytesSent, label("sent", l), s.Stats.BytesReceived, label("received", l), mode, s.DurationMS)
}
