package problem

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/pivot"
	"github.com/cnie-reader/cnie-reader/assertion/store"
	"github.com/cnie-reader/cnie-reader/assertion/verifier"
	"github.com/cnie-reader/cnie-reader/internal/safefile"
	"github.com/cnie-reader/cnie-reader/reader/can"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/pki"
	"github.com/cnie-reader/cnie-reader/seal/camera"
	"github.com/cnie-reader/cnie-reader/seal/scan"
	"github.com/cnie-reader/cnie-reader/seal/twoddoc"
	"github.com/cnie-reader/cnie-reader/seal/vds"
)

var fr, en = i18n.Locale{Lang: "fr"}, i18n.Locale{Lang: "en"}

// everyError is one error of every kind, reason, code and sentinel of every
// domain family. The enumerated families come from the lists their packages
// export (chiperr.Kinds, pki.Kinds, assertion.Kinds, verifier.Reasons,
// vds.Reasons, twoddoc.Reasons, scan.Codes, store.Kinds, pivot.Kinds), each built up to an unexported
// end-of-list constant: a kind added to a family is in its list at once,
// and fails TestEveryErrorIsWorded until this package words it. Sentinel
// errors (safefile, dumps, the CAN, the camera, context) are listed by hand.
func everyError() map[string]error {
	m := map[string]error{}
	for _, k := range chiperr.Kinds() {
		m[fmt.Sprintf("chiperr %d %v", k, k)] = chiperr.New(k, "op", "")
	}
	for sw := 0x6000; sw <= 0x6FFF; sw++ {
		m[fmt.Sprintf("status word %04X", sw)] = &iso7816.StatusError{SW: uint16(sw)}
	}
	for _, k := range pki.Kinds() {
		m[fmt.Sprintf("pki %d %v", k, k)] = &pki.Error{Kind: k, Op: "op"}
	}
	m["pki import refused"] = &pki.ImportRefusedError{Path: "x.der", Warnings: []pki.Warning{{Kind: pki.NotCA, Subject: "CN=X"}}}
	for _, k := range assertion.Kinds() {
		m[fmt.Sprintf("assertion %d %v", k, k)] = &assertion.Error{Kind: k}
	}
	for _, r := range verifier.Reasons() {
		m[fmt.Sprintf("verifier %d %v", r, r)] = &verifier.Error{Kind: r}
	}
	for _, r := range vds.Reasons() {
		m[fmt.Sprintf("vds %d %v", r, r)] = &vds.Error{Kind: r}
	}
	for _, r := range twoddoc.Reasons() {
		m[fmt.Sprintf("twoddoc %d %v", r, r)] = &twoddoc.Error{Kind: r}
	}
	for _, k := range store.Kinds() {
		m[fmt.Sprintf("store %d %v", k, k)] = &store.Error{Kind: k}
	}
	for _, k := range pivot.Kinds() {
		m[fmt.Sprintf("pivot %d %v", k, k)] = &pivot.Error{Kind: k}
	}
	for _, c := range scan.Codes() {
		m[fmt.Sprintf("scan %d %v", c, c)] = &scan.Error{Kind: c}
	}
	for _, s := range []error{safefile.ErrNotRegular, safefile.ErrTooLarge, safefile.ErrExists} {
		m["safefile "+s.Error()] = &safefile.Error{Path: "x.pem", Err: s, Mode: os.ModeNamedPipe, Max: 10}
	}
	for _, e := range dumpErrors() {
		m["dump "+e.Err.Error()] = e
	}
	m["dump too large together"] = &core.DumpError{Err: core.ErrDumpTooLarge, Max: 8}
	m["dump no EF.SOD"] = &core.DumpError{Err: core.ErrDumpNoSOD}
	m["terminal auth DG3"] = lds.ErrTerminalAuth(3)
	m["terminal auth DG4"] = lds.ErrTerminalAuth(4)
	m["context canceled"] = context.Canceled
	m["context deadline"] = fmt.Errorf("decode: %w", context.DeadlineExceeded)
	m["no camera"] = camera.ErrNoCamera
	m["not an image"] = fmt.Errorf("x.txt: not a readable image: %w", image.ErrFormat)
	m["damaged PNG"] = fmt.Errorf("x.png: %w", png.FormatError("invalid checksum"))
	m["camera missing"] = fmt.Errorf("camera /dev/video9: %w", &fs.PathError{Op: "open", Path: "/dev/video9", Err: fs.ErrNotExist})
	m["camera forbidden"] = fmt.Errorf("camera /dev/video0: %w", &fs.PathError{Op: "open", Path: "/dev/video0", Err: fs.ErrPermission})
	m["CAN empty"] = can.ErrEmpty
	m["CAN not digits"] = can.ErrNotDigits
	m["CAN length"] = &can.LengthError{Digits: 4}
	return m
}

// dumpErrors is one DumpError of each sentinel, naming the file x.bin.
func dumpErrors() []*core.DumpError {
	return []*core.DumpError{
		{Err: core.ErrDumpUnknown, File: "x.bin", Detail: "first byte FF"},
		{Err: core.ErrDumpUnknownKey, File: "x.bin", Entry: "photo"},
		{Err: core.ErrDumpDuplicate, File: "x.bin", As: "DG1", Other: "y.bin"},
		{Err: core.ErrDumpMismatch, File: "x.bin", As: "DG1", Other: "DG2"},
		{Err: core.ErrDumpMalformed, File: "x.bin", As: "DG1"},
		{Err: core.ErrDumpTooLarge, File: "x.bin", Max: 10},
		{Err: core.ErrDumpTooMany, File: "x.bin", Max: 10},
		{Err: core.ErrDumpUnsafeName, File: "x.bin", Entry: "../a"},
		{Err: core.ErrDumpUnsupported, File: "x.bin", Entry: "a"},
		{Err: core.ErrDumpNotDir, File: "x.bin"},
		{Err: core.ErrDumpDirNotEmpty, File: "x.bin"},
	}
}

// TestEveryErrorIsWorded: no error of any family falls through to the
// unexpected sentence, none is empty or a bare key, and French and English
// differ.
func TestEveryErrorIsWorded(t *testing.T) {
	unexpected := In(fr, errors.New("x")).Message
	for name, err := range everyError() {
		pf, pe := In(fr, err), In(en, err)
		if pf.Code == "unexpected" || pf.Message == unexpected || pf.Code != pe.Code {
			t.Errorf("%s: code %q / %q, message %q", name, pf.Code, pe.Code, pf.Message)
			continue
		}
		for what, s := range map[string]string{"fr message": pf.Message, "en message": pe.Message,
			"fr hint": pf.Hint, "en hint": pe.Hint, "fr next": pf.NextText, "en next": pe.NextText} {
			if (strings.TrimSpace(s) == "" && !strings.HasSuffix(what, "next")) || strings.Contains(s, "problem.") ||
				strings.Contains(s, "<no value>") || strings.Contains(s, "%!") {
				t.Errorf("%s: %s %q", name, what, s)
			}
		}
		if pf.Message == pe.Message {
			t.Errorf("%s: French and English say the same: %q", name, pf.Message)
		}
		if (pf.Next == None) != (pf.NextText == "") {
			t.Errorf("%s: next %q worded %q", name, pf.Next, pf.NextText)
		}
		if pf.Detail != err.Error() {
			t.Errorf("%s: detail %q", name, pf.Detail)
		}
	}
}

// Of speaks the language in use, through Fyne's translations, with the
// same words as In.
func TestOfFollowsTheLanguageInUse(t *testing.T) {
	defer i18n.Use(i18n.Locale{Lang: "fr"})
	for _, l := range []i18n.Locale{fr, en} {
		if err := i18n.Use(l); err != nil {
			t.Fatal(err)
		}
		for name, err := range everyError() {
			if got, want := *Of(err), *In(l, err); got != want {
				t.Fatalf("%s in %s: Of %+v, In %+v", name, l.Lang, got, want)
			}
		}
	}
	if Of(nil) != nil || In(fr, nil) != nil {
		t.Error("a nil error is no problem")
	}
}

// Two chip kinds never share a sentence: the holder could not tell them apart.
func TestChipKindsSayDifferentThings(t *testing.T) {
	for _, l := range []i18n.Locale{fr, en} {
		seen := map[string]chiperr.Kind{}
		for _, k := range chiperr.Kinds() {
			m := In(l, chiperr.New(k, "", "")).Message
			if prev, ok := seen[m]; ok {
				t.Errorf("%s: kinds %d and %d share %q", l.Lang, prev, k, m)
			}
			seen[m] = k
		}
		if hf, he := In(fr, chiperr.New(chiperr.Busy, "", "")).Hint, In(en, chiperr.New(chiperr.Busy, "", "")).Hint; hf == he {
			t.Errorf("hints %q", hf)
		}
	}
}

func TestHintCarriesDetail(t *testing.T) {
	e := chiperr.Newf(chiperr.TooLarge, "read file", "file %04X announces %d bytes", 0x0102, 1<<24)
	for _, l := range []i18n.Locale{fr, en} {
		if h := In(l, e).Hint; !strings.HasSuffix(h, " [file 0102 announces 16777216 bytes]") {
			t.Errorf("%s hint %q, detail missing", l.Lang, h)
		}
	}
	if m := In(en, e).Message; m != "The card announced an impossible data size." {
		t.Errorf("message %q", m)
	}
}

// The outermost known error speaks: a wrapped chip error keeps its words
// through fmt.Errorf, and a status word inside a chip error gives the
// step's words, a bare one names itself.
func TestWrappedErrors(t *testing.T) {
	inner := chiperr.New(chiperr.AccessDenied, "PACE", "6300")
	p := In(fr, fmt.Errorf("read: %w", inner))
	if p.Code != "chip.access_denied" || p.Message != "La carte a refusé le code. Vérifiez le numéro à 6 chiffres (CAN) imprimé sur la carte." || p.Next != CheckCAN {
		t.Errorf("%+v", p)
	}
	sw := &iso7816.StatusError{SW: iso7816.SWFileNotFound}
	if p := In(en, sw); p.Code != "chip.file_not_found" || !strings.Contains(p.Hint, "SW 6A82") {
		t.Errorf("bare status word: %+v", p)
	}
	if p := In(en, chiperr.Wrap(chiperr.Status, "SELECT", sw)); p.Code != "chip.file_not_found" || p.Hint != "Status word 6A82: file not found." {
		t.Errorf("wrapped status word: %+v", p)
	}
	for sw := 0x6000; sw <= 0x6FFF; sw++ {
		e := &iso7816.StatusError{SW: uint16(sw)}
		for _, l := range []i18n.Locale{fr, en} {
			if got, want := In(l, e).Message, In(l, chiperr.New(e.Kind(), "", "")).Message; got != want {
				t.Fatalf("%04X: %q, want the kind's %q", sw, got, want)
			}
		}
		if h := In(en, e).Hint; !strings.Contains(h, fmt.Sprintf("SW %04X", sw)) {
			t.Fatalf("%04X: hint %q, the status word is missing", sw, h)
		}
	}
	// A seal error the chip would call malformed keeps the seal's words.
	if p := In(en, fmt.Errorf("seal: %w", &twoddoc.Error{Kind: twoddoc.BadSignature})); p.Code != "twoddoc.bad_signature" {
		t.Errorf("2D-Doc: %+v", p)
	}
	// A chip kind reached only through errors.Is still speaks.
	if p := In(en, errors.Join(errors.New("first"), chiperr.Timeout)); p.Code != "chip.timeout" {
		t.Errorf("joined: %+v", p)
	}
}

func TestTrustWords(t *testing.T) {
	err := error(&pki.Error{Kind: pki.BadSignature, Op: "verify", Detail: "sha256WithRSAEncryption"})
	pf, pe := In(fr, err), In(en, err)
	if pf.Message == pe.Message || !strings.Contains(pf.Message, "signature") || !strings.Contains(pe.Hint, "[sha256WithRSAEncryption]") {
		t.Errorf("messages %q / %q / %q", pf.Message, pe.Message, pe.Hint)
	}
	refused := &pki.ImportRefusedError{Warnings: []pki.Warning{{Kind: pki.NotCA, Subject: "CN=Leaf"}, {Kind: pki.UnknownIssuer, Subject: "CN=Other"}}}
	if m := In(fr, refused).Message; m != "Certificat non importé : « CN=Leaf » n'est pas une autorité de certification (basicConstraints cA absent ou faux) ; « CN=Other » : L'autorité qui a signé ce document n'est pas dans la liste de confiance." {
		t.Errorf("fr %q", m)
	}
	if m := In(en, refused).Message; !strings.HasPrefix(m, "Certificate not imported: “CN=Leaf” is not a certification authority") || !strings.Contains(m, "; “CN=Other”: ") {
		t.Errorf("en %q", m)
	}
	if w := WarningIn(en, pki.Warning{Kind: pki.WrongUsage, Subject: "CN=X"}); !strings.Contains(w, "CN=X") || !strings.Contains(w, "keyCertSign") {
		t.Errorf("warning %q", w)
	}
}

// The verifier's sentences speak to the service, never to the holder.
func TestVerifierWordsForTheService(t *testing.T) {
	for _, r := range verifier.Reasons() {
		for _, l := range []i18n.Locale{fr, en} {
			m := In(l, &verifier.Error{Kind: r}).Message
			for _, holder := range []string{"demande du service", "request's signature", "connexion", "connection", "cnie-reader diag"} {
				if strings.Contains(m, holder) {
					t.Errorf("reason %d: %q speaks to the holder (%q)", r, m, holder)
				}
			}
		}
	}
	if m := In(en, &verifier.Error{Kind: verifier.DocumentSignature}).Message; !strings.Contains(m, "EF.SOD") {
		t.Errorf("SOD signature refusal reads %q", m)
	}
}

// The intake's pages say the holder's sentence of the refusal.
func TestIntakeWords(t *testing.T) {
	msg, hint := Intake("en", &assertion.Error{Kind: assertion.WrongHost, Detail: "Host attacker.example"})
	if msg != "Request refused: it does not come from this computer." || !strings.HasSuffix(hint, "[Host attacker.example]") {
		t.Errorf("%q / %q", msg, hint)
	}
	if msg, _ := Intake("fr", &assertion.Error{Kind: assertion.Expired}); msg != "La demande a expiré. Recommencez depuis le site du service." {
		t.Errorf("fr %q", msg)
	}
	// The words the intake's tests looked for before they moved here.
	if msg, _ := Intake("en", &assertion.Error{Kind: assertion.Busy}); !strings.Contains(msg, "already in progress") {
		t.Errorf("busy %q", msg)
	}
	if msg, _ := Intake("en", &assertion.Error{Kind: assertion.RateLimited}); !strings.Contains(msg, "Too many requests") {
		t.Errorf("rate limited %q", msg)
	}
}

func TestFileAndDumpWords(t *testing.T) {
	for _, s := range []error{safefile.ErrNotRegular, safefile.ErrTooLarge, safefile.ErrExists} {
		e := &safefile.Error{Path: "x.pem", Err: s, Mode: os.ModeNamedPipe, Max: 10}
		pf, pe := In(fr, e), In(en, e)
		if !strings.Contains(pf.Message, "« x.pem »") || !strings.Contains(pe.Message, "“x.pem”") || pf.Message == pe.Message {
			t.Errorf("%v: %q / %q", s, pf.Message, pe.Message)
		}
		if pf.Hint == "" || pe.Hint == "" || pf.Hint == pe.Hint {
			t.Errorf("%v: hints %q / %q", s, pf.Hint, pe.Hint)
		}
	}
	for _, e := range dumpErrors() {
		pf, pe := In(fr, e), In(en, e)
		if pf.Message == pe.Message || !strings.Contains(pf.Message, "« x.bin »") || !strings.Contains(pe.Message, "“x.bin”") {
			t.Errorf("%v: %q / %q", e.Err, pf.Message, pe.Message)
		}
		if pf.Hint == "" || pf.Hint == pe.Hint {
			t.Errorf("%v: hints %q / %q", e.Err, pf.Hint, pe.Hint)
		}
	}
	for _, e := range []*core.DumpError{{Err: core.ErrDumpNoSOD}, {Err: core.ErrDumpTooLarge, Max: 8}} {
		if f, g := In(fr, e).Message, In(en, e).Message; f == g || f == "" || strings.Contains(g, "“”") {
			t.Errorf("%v: %q / %q", e.Err, f, g)
		}
	}
	dup := &core.DumpError{Err: core.ErrDumpDuplicate, File: "b.bin", As: "DG1", Other: "a.bin"}
	if m := In(fr, dup).Message; m != "« a.bin » et « b.bin » sont tous deux DG1 : donnez chaque fichier une seule fois." {
		t.Errorf("duplicate %q", m)
	}
	if h := In(en, dumpErrors()[0]).Hint; !strings.HasSuffix(h, " (first byte FF)") {
		t.Errorf("dump hint %q", h)
	}
}

func TestTerminalAuthWords(t *testing.T) {
	if m := In(fr, lds.ErrTerminalAuth(3)).Message; m != "présent sur la puce (empreintes digitales), illisible sans accès réservé aux autorités (authentification du terminal)" {
		t.Errorf("fr %q", m)
	}
	if m := In(en, lds.ErrTerminalAuth(4)).Message; m != "present on the chip (iris images), not readable without authority access (terminal authentication)" {
		t.Errorf("en %q", m)
	}
}

func TestSealWords(t *testing.T) {
	if m := In(fr, &scan.Error{Kind: scan.NoCode}).Message; m != "Aucun code 2D n'a été trouvé dans l'image. Présentez le cachet bien à plat, net et éclairé." {
		t.Errorf("fr %q", m)
	}
	if p := In(en, &scan.Error{Kind: scan.TooLarge, Detail: "8000x8000"}); p.Hint != fmt.Sprintf("More than %d pixels: image refused before analysis. [8000x8000]", scan.MaxPixels) {
		t.Errorf("en hint %q", p.Hint)
	}
	if m := In(en, &vds.Error{Kind: vds.BadSignature}).Message; m != "The digital seal's signature is invalid: the document may have been altered." {
		t.Errorf("vds %q", m)
	}
	if m := In(en, &twoddoc.Error{Kind: twoddoc.BadSignature}).Message; m != "The 2D-Doc signature is invalid: the document may have been altered." {
		t.Errorf("2D-Doc %q", m)
	}
}

func TestUnexpected(t *testing.T) {
	p := In(fr, errors.New("boom"))
	if p.Code != "unexpected" || p.Message != "Une erreur inattendue est survenue." || p.Detail != "boom" || p.Next != Support {
		t.Errorf("%+v", p)
	}
}

// Support staff are told to start pcscd when the service is not running.
func TestNoServiceNamesPcscd(t *testing.T) {
	for _, l := range []i18n.Locale{fr, en} {
		if h := In(l, chiperr.New(chiperr.NoService, "list readers", "")).Hint; !strings.Contains(h, "pcscd") {
			t.Errorf("%s hint %q", l.Lang, h)
		}
	}
}
