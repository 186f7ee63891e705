package explain_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/app/explain"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/internal/diag"
	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

var (
	fr = i18n.Locale{Lang: "fr"}
	en = i18n.Locale{Lang: "en"}
)

// sample holds a value for every argument a sentence may name, so that a
// placeholder without its argument shows as "<no value>".
var sample = map[string]string{
	"Signer": "CN=DS", "Detail": "RSA 1024", "Uses": "MD5 (signed digest)", "Names": "SHA-256, ECDSA",
	"SignerBits": "1024", "AuthorityBits": "1536", "MinBits": "2048", "Issuer": "CN=CSCA", "Authority": "CN=CSCA",
	"Date": "2024-01-02", "SignedAt": string(verify.Estimated), "Who": "signer", "From": "2020-01-01",
	"Until": "2030-01-01", "State": "D", "Country": "FR", "Countries": "CSCA FR, DS ?, DG1 ?", "Source": "DG14",
	"Name": "ACR122U", "Error": "boom", "Modules": "pn533 nfc", "Blacklist": "printf x | sudo tee y",
	"Unload": "sudo modprobe -r pn533", "Millis": "120", "APDUs": "19", "Seconds": "2", "Extra": "105",
	"Note": string(pcsc.NoteCNIE), "Protocol": "PACE", "Cause": "card removed", "Standard": "ISO 14443 A part 3",
	"Protocols": "T=0, T=1", "Slots": "PICC, SAM",
}

// worded fails when a sentence is missing, unfilled or the same in both
// languages (fr and en are one key's two renderings).
func worded(t *testing.T, key, f, e string) {
	t.Helper()
	for _, s := range []string{f, e} {
		if s == "" || strings.Contains(s, key) || strings.Contains(s, "<no value>") || strings.Contains(s, "{{") {
			t.Errorf("%s: %q", key, s)
		}
	}
	if f == e {
		t.Errorf("%s: the same in both languages: %q", key, f)
	}
}

// Every reason Verify can give, every claim and verdict has a sentence in
// both languages, every placeholder filled.
func TestVerifyWords(t *testing.T) {
	for id, reasons := range verify.Reasons {
		for _, reason := range reasons {
			c := verify.Check{ID: id, Reason: reason, Args: sample}
			if id == verify.CheckDGHash || id == verify.CheckDGFormat {
				c.DG = 3
			}
			worded(t, explain.CheckKey(id, reason), explain.CheckIn(fr, c), explain.CheckIn(en, c))
		}
	}
	for id, reasons := range verify.ClaimReasons {
		for _, reason := range reasons {
			c := verify.Claim{ID: id, Reason: reason, Args: sample}
			worded(t, explain.ClaimKey(id, reason), explain.ClaimIn(fr, c), explain.ClaimIn(en, c))
		}
	}
	for _, v := range []verify.Verdict{verify.Genuine, verify.Demo, verify.NotGenuine, verify.NotProven} {
		for _, demo := range []bool{false, true} {
			r := &verify.Report{Verdict: v, DemoPKI: demo}
			worded(t, "verify.verdict."+string(v), explain.SummaryIn(fr, r), explain.SummaryIn(en, r))
		}
	}
}

// The sentences the reports showed before they carried codes, word for word.
func TestVerifySentences(t *testing.T) {
	check := func(c verify.Check, wantFR, wantEN string) {
		t.Helper()
		if f, e := explain.CheckIn(fr, c), explain.CheckIn(en, c); f != wantFR || e != wantEN {
			t.Errorf("%s/%s:\n got %q\n     %q\nwant %q\n     %q", c.ID, c.Reason, f, e, wantFR, wantEN)
		}
	}
	check(verify.Check{ID: verify.CheckDGHash, DG: 1, Reason: verify.ReasonNotGiven},
		"DG1 est couvert par le fichier de sécurité mais ne fait pas partie des fichiers donnés.",
		"DG1 is covered by the security file but was not among the files given.")
	check(verify.Check{ID: verify.CheckChipAuth, Reason: verify.ReasonFromFiles},
		"Authentification de la puce : impossible à partir de fichiers, elle demande la puce elle-même (des fichiers copiés ne prouvent pas l'absence de clonage).",
		"Chip authentication: cannot be run from files; it needs the chip itself (copied files cannot prove the chip is not a clone).")
	check(verify.Check{ID: verify.CheckDSChain, Reason: verify.ReasonNotValidThen, Args: map[string]string{
		"Who": "authority", "From": "2010-01-01", "Until": "2020-01-01", "Date": "2021-06-15", "SignedAt": string(verify.Estimated)}},
		"Le certificat de l'autorité émettrice (valide du 2010-01-01 au 2020-01-01) ne l'était pas à la signature (2021-06-15, date ESTIMÉE : le document ne dit pas quand il a été signé).",
		"The certificate of the issuing authority (valid 2010-01-01 – 2020-01-01) was not valid when it signed (2021-06-15, ESTIMATED date: the document does not say when it was signed).")
	check(verify.Check{ID: verify.CheckAlgorithms, Reason: verify.ReasonWeakKey, Args: map[string]string{
		"SignerBits": "1024", "AuthorityBits": "1536", "MinBits": "2048"}},
		"Clé trop courte (clé RSA du signataire de 1024 bits, clé RSA de l'autorité de 1536 bits, moins de 2048 bits) : elle se factorise, sa signature ne prouve rien.",
		"Key too short (RSA key of the signer of 1024 bits, RSA key of the authority of 1536 bits, below 2048 bits): it can be factored, its signature proves nothing.")
	check(verify.Check{ID: verify.CheckCountry, Reason: verify.ReasonUnknownState, Args: map[string]string{"State": "XYZ"}},
		`Le code d'État émetteur "XYZ" n'est pas connu de l'application : l'accord des pays ne peut pas être vérifié.`,
		`The issuing state code "XYZ" is not known to this application: the countries cannot be compared.`)
	for _, n := range []int{2, 11} {
		check(verify.Check{ID: verify.CheckDGHash, DG: n, Reason: verify.ReasonNotGiven},
			fmt.Sprintf("DG%d est couvert par le fichier de sécurité mais ne fait pas partie des fichiers donnés.", n),
			fmt.Sprintf("DG%d is covered by the security file but was not among the files given.", n))
	}
	check(verify.Check{ID: verify.CheckDGHash, DG: 3, Reason: verify.ReasonProtected},
		"DG3 est présent mais réservé aux autorités (authentification du terminal).",
		"DG3 is present but reserved to authorities (terminal authentication).")
	check(verify.Check{ID: verify.CheckMRZ, Reason: verify.ReasonNotGiven},
		"La zone de lecture automatique (DG1) ne fait pas partie des fichiers donnés.",
		"The machine readable zone (DG1) was not among the files given.")
	r := &verify.Report{Verdict: verify.NotProven, DemoPKI: true}
	if f, e := explain.SummaryIn(fr, r), explain.SummaryIn(en, r); !strings.HasPrefix(f, "DÉMONSTRATION — L'authenticité") || !strings.HasPrefix(e, "DEMO — This document's") {
		t.Errorf("demo summary %q / %q", f, e)
	}
	issued := verify.Claim{ID: verify.ClaimIssuedBy, Status: verify.Passed, Reason: verify.ReasonCountry, Args: map[string]string{"Country": "DE"}}
	if f, e := explain.ClaimIn(fr, issued), explain.ClaimIn(en, issued); f != "Émise par l'autorité du pays DE" || e != "Issued by the authority of country DE" {
		t.Errorf("issued-by %q / %q", f, e)
	}
}

// Every finding, next step, verdict and state word of the diagnosis.
func TestDiagWords(t *testing.T) {
	for _, code := range diag.WhatCodes {
		f := diag.Finding{What: code, Args: sample}
		wf, _ := explain.FindingIn(fr, f)
		we, _ := explain.FindingIn(en, f)
		worded(t, "diag.what."+code, wf, we)
	}
	for _, code := range diag.NextCodes {
		f := diag.Finding{What: diag.WhatNoReader, Next: code, Args: sample}
		_, nf := explain.FindingIn(fr, f)
		_, ne := explain.FindingIn(en, f)
		worded(t, "diag.next."+code, nf, ne)
	}
	for _, v := range []diag.Verdict{diag.Ready, diag.Caveat, diag.Blocked} {
		r := &diag.Report{Verdict: v, Findings: []diag.Finding{{What: diag.WhatNoReader, Next: diag.NextPlugReader}}}
		worded(t, "diag.verdict."+string(v), explain.DiagnosisIn(fr, r), explain.DiagnosisIn(en, r))
	}
	// The text report translates the card's and the reader's states.
	r := &diag.Report{Verdict: diag.Ready, Readers: []diag.Reader{{Name: "R", Card: "in use", Extended: "no"}}}
	var b strings.Builder
	if err := explain.WriteDiagnosisIn(fr, &b, r); err != nil || !strings.Contains(b.String(), "carte: utilisée ailleurs   APDU étendus: non") {
		t.Errorf("French text report: %v\n%s", err, b.String())
	}
}

// The Linux NFC modules' fix shows both commands in both languages.
func TestKernelFixWords(t *testing.T) {
	mods, fix := pcsc.KernelModuleConflicts(strings.NewReader("pn533_usb 1 0 - Live 0x0\nnfc 1 1 pn533_usb, Live 0x0\n"))
	f := diag.Finding{What: diag.WhatKernelModules, Next: diag.NextKernelModules,
		Args: map[string]string{"Modules": strings.Join(mods, " "), "Blacklist": fix.Blacklist, "Unload": fix.Unload}}
	for _, l := range []i18n.Locale{fr, en} {
		_, next := explain.FindingIn(l, f)
		for _, want := range []string{"sudo tee /etc/modprobe.d/blacklist-nfc-pcsc.conf", "sudo modprobe -r pn533_usb nfc", "printf 'blacklist pn533_usb\\nblacklist nfc\\n'"} {
			if !strings.Contains(next, want) {
				t.Errorf("%s: fix lacks %q:\n%s", l.Lang, want, next)
			}
		}
	}
}

// What a reader tells about a card: every note, ATR code and reader
// problem has words, and the sentences the reader package used to build
// are the same.
func TestReaderWords(t *testing.T) {
	for _, n := range pcsc.CardNotes {
		worded(t, "reader.card."+string(n), explain.CardNoteIn(fr, n), explain.CardNoteIn(en, n))
	}
	for _, code := range pcsc.ATRCodes {
		worded(t, "reader.atr."+code, explain.ATRIn(fr, code, sample), explain.ATRIn(en, code, sample))
	}
	for _, code := range pcsc.ProblemCodes {
		p := pcsc.Problem{Code: code, Args: sample}
		wf, ff := explain.ReaderProblemIn(fr, p)
		we, fe := explain.ReaderProblemIn(en, p)
		worded(t, "reader.problem."+code+".what", wf, we)
		worded(t, "reader.problem."+code+".fix", ff, fe)
	}
	for note, enHas := range map[pcsc.CardNote][]string{
		pcsc.NoteCNIE:      {"French national identity card"},
		pcsc.NoteICAO:      {"not confirmed", "international standard"},
		pcsc.NoteStorage:   {"memory card"},
		pcsc.NoteNotID:     {"bank or transport card"},
		pcsc.NoteCNIENoApp: {"try again"},
		pcsc.NoteUnknown:   {"not recognised"},
		pcsc.NoteCNIEGuess: {"weak evidence"},
		pcsc.NoteCNIEDemo:  {"Demonstration"},
		pcsc.NoteICAODemo:  {"Demonstration"},
	} {
		for _, w := range enHas {
			if s := explain.CardNoteIn(en, note); !strings.Contains(s, w) {
				t.Errorf("%s: %q lacks %q", note, s, w)
			}
		}
	}
	if s := explain.CardNoteIn(fr, pcsc.NoteCNIEGuess); !strings.Contains(s, "indice faible") {
		t.Errorf("CNIE guess in French: %q", s)
	}
	atr := func(hex string) *pcsc.ATR {
		t.Helper()
		a, err := pcsc.ParseATR(testhex.Bytes(t, hex))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	for _, c := range []struct {
		atr string
		l   i18n.Locale
		out string
	}{
		{"3B 8B 80 01 00 31 C1 64 09 37 72 13 00 90 00 51", fr, "Carte sans contact (ISO 14443 type A) à microprocesseur."},
		{"3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A", en, "Contactless memory card (MIFARE Classic 1K, ISO 14443 A part 3): no microprocessor, not an identity document."},
	} {
		code, args := atr(c.atr).Description()
		if got := explain.ATRIn(c.l, code, args); got != c.out {
			t.Errorf("ATR %s: %q, want %q", c.atr, got, c.out)
		}
	}
	code, args := atr("3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A").Description()
	if got := explain.ATRIn(fr, code, args); !strings.HasPrefix(got, "Carte mémoire sans contact (MIFARE Classic 1K") {
		t.Errorf("storage card in French: %q", got)
	}
	if got := explain.ATRIn(en, pcsc.ATRContact, map[string]string{"Protocols": "T=0"}); got != "Contact card, protocol T=0." {
		t.Errorf("contact card: %q", got)
	}
	var none *pcsc.ATR
	if code, args := none.Description(); explain.ATRIn(fr, code, args) == "" {
		t.Error("no ATR: no words")
	}
}

// The current language (Fyne's translations, as the window shows them)
// words a report as the In variants do.
func TestCurrentLanguage(t *testing.T) {
	r := &verify.Report{Verdict: verify.NotGenuine, DemoPKI: true}
	c := verify.Check{ID: verify.CheckDGHash, DG: 2, Reason: verify.ReasonAltered}
	f := diag.Finding{What: diag.WhatReaderEmpty, Next: diag.NextPlaceCard, Args: map[string]string{"Name": "R"}}
	for _, l := range []i18n.Locale{fr, en} {
		if err := i18n.Use(l); err != nil {
			t.Fatal(err)
		}
		if got, want := explain.Summary(r), explain.SummaryIn(l, r); got != want {
			t.Errorf("%s summary %q, want %q", l.Lang, got, want)
		}
		if got, want := explain.Check(c), explain.CheckIn(l, c); got != want {
			t.Errorf("%s check %q, want %q", l.Lang, got, want)
		}
		what, next := explain.Finding(f)
		if w, n := explain.FindingIn(l, f); what != w || next != n {
			t.Errorf("%s finding %q %q, want %q %q", l.Lang, what, next, w, n)
		}
	}
}
