package problem

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io/fs"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
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

// classify finds what err is. The outermost error of a known family wins,
// as the most specific words are the ones closest to what was being done:
// a chip error wrapping a status word speaks of the step, a bare status
// word of itself. Sentinels matched through errors.Is come last.
func classify(err error, t translate) finding {
	var f finding
	walk(err, func(e error) bool {
		var ok bool
		f, ok = classifyOne(e, t)
		return ok
	})
	if f.code != "" {
		return f
	}
	switch {
	case chiperr.KindOf(err) != 0:
		return chipFinding(chiperr.KindOf(err), "")
	case errors.Is(err, context.Canceled):
		return finding{code: "context.canceled", next: Retry}
	case errors.Is(err, context.DeadlineExceeded):
		return finding{code: "context.timeout", next: Retry}
	case notImage(err):
		return finding{code: "file.not_image", next: OtherFile}
	case errors.Is(err, fs.ErrNotExist):
		return finding{code: "system.not_found", next: OtherFile}
	case errors.Is(err, fs.ErrPermission):
		return finding{code: "system.permission", next: Support}
	}
	return finding{code: "unexpected", next: Support}
}

// notImage tells a file that is no picture, or a damaged one, from the
// image decoders' errors.
func notImage(err error) bool {
	var pngFormat png.FormatError
	var pngUnsupported png.UnsupportedError
	var jpegFormat jpeg.FormatError
	var jpegUnsupported jpeg.UnsupportedError
	return errors.Is(err, image.ErrFormat) || errors.As(err, &pngFormat) || errors.As(err, &pngUnsupported) ||
		errors.As(err, &jpegFormat) || errors.As(err, &jpegUnsupported)
}

// walk visits err and its causes depth first until visit returns true.
func walk(err error, visit func(error) bool) bool {
	if err == nil {
		return false
	}
	if visit(err) {
		return true
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return walk(u.Unwrap(), visit)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if walk(e, visit) {
				return true
			}
		}
	}
	return false
}

// classifyOne knows the error types and sentinels of every family.
func classifyOne(err error, t translate) (finding, bool) {
	switch e := err.(type) {
	case *verifier.Error:
		return finding{code: "verifier." + verifierCodes[e.Kind], next: Refuse, detail: e.Detail}, verifierCodes[e.Kind] != ""
	case verifier.Reason:
		return finding{code: "verifier." + verifierCodes[e], next: Refuse}, verifierCodes[e] != ""
	case *assertion.Error:
		c := assertionCodes[e.Kind]
		return finding{code: "assertion." + c.code, next: c.next, detail: e.Detail}, c.code != ""
	case assertion.Kind:
		c := assertionCodes[e]
		return finding{code: "assertion." + c.code, next: c.next}, c.code != ""
	case *pki.ImportRefusedError:
		return importRefused(e, t), true
	case *pki.Error:
		c := pkiCodes[e.Kind]
		return finding{code: "pki." + c.code, next: c.next, detail: e.Detail}, c.code != ""
	case pki.Kind:
		c := pkiCodes[e]
		return finding{code: "pki." + c.code, next: c.next}, c.code != ""
	case *vds.Error:
		c := vdsCodes[e.Kind]
		return finding{code: "vds." + c.code, next: c.next, detail: e.Detail}, c.code != ""
	case *twoddoc.Error:
		c := twoddocCodes[e.Kind]
		return finding{code: "twoddoc." + c.code, next: c.next, detail: e.Detail}, c.code != ""
	case *store.Error:
		c := storeCodes[e.Kind]
		return finding{code: "store." + c.code, next: c.next, detail: e.Detail}, c.code != ""
	case *pivot.Error:
		c := pivotCodes[e.Kind]
		return finding{code: "pivot." + c.code, next: c.next, detail: e.Detail}, c.code != ""
	case *scan.Error:
		c := scanCodes[e.Kind]
		return finding{code: "scan." + c.code, next: c.next, detail: e.Detail, args: map[string]any{"Max": scan.MaxPixels}}, c.code != ""
	case *safefile.Error:
		return fileFinding(e), true
	case *core.DumpError:
		return dumpFinding(e), true
	case *lds.TerminalAuthError:
		what := "problem.lds.iris"
		if e.DG == 3 {
			what = "problem.lds.fingerprints"
		}
		return finding{code: "lds.terminal_auth", args: map[string]any{"DG": e.DG.String(), "What": t(what, nil)}}, true
	case *iso7816.StatusError:
		f := chipFinding(e.Kind(), "")
		f.hint = statusWord(e.SW, t)
		return f, true
	case *chiperr.Error:
		detail := e.Detail
		var sw *iso7816.StatusError
		if detail == "" && errors.As(e.Err, &sw) && sw.Kind() != e.Kind {
			// The step gave the status word its meaning (6300 to PACE's
			// mutual authentication is a wrong CAN): the step's words,
			// and the status word the chip answered.
			f := chipFinding(e.Kind, statusWord(sw.SW, t))
			f.localDetail = true
			return f, chipCodes[e.Kind].code != ""
		}
		return chipFinding(e.Kind, detail), chipCodes[e.Kind].code != ""
	case chiperr.Kind:
		return chipFinding(e, ""), chipCodes[e].code != ""
	case *can.LengthError:
		return finding{code: "can.length", next: CheckCAN, args: map[string]any{"Digits": e.Digits}}, true
	}
	switch err {
	case can.ErrEmpty:
		return finding{code: "can.empty", next: CheckCAN}, true
	case can.ErrNotDigits:
		return finding{code: "can.not_digits", next: CheckCAN}, true
	case camera.ErrNoCamera:
		return finding{code: "camera.none", next: OtherFile}, true
	case context.Canceled:
		return finding{code: "context.canceled", next: Retry}, true
	case context.DeadlineExceeded:
		return finding{code: "context.timeout", next: Retry}, true
	}
	return finding{}, false
}

// statusWord names a status word in the language of t: "SW 6300 — authentication failed".
func statusWord(sw uint16, t translate) string {
	m := iso7816.MeaningOf(sw)
	meaning := t("problem.sw."+m.Code, map[string]any{"N": m.N})
	return t("problem.chip.status_word.hint", map[string]any{"SW": fmt.Sprintf("%04X", sw), "Meaning": meaning})
}

func chipFinding(k chiperr.Kind, detail string) finding {
	c, ok := chipCodes[k]
	if !ok {
		return finding{code: "unexpected", next: Support, detail: detail}
	}
	return finding{code: "chip." + c.code, next: c.next, detail: detail}
}

// importRefused names every warning of a trust import refused.
func importRefused(e *pki.ImportRefusedError, t translate) finding {
	msgs := make([]string, len(e.Warnings))
	for i, w := range e.Warnings {
		msgs[i] = warningText(w, t)
	}
	sep := t("problem.pki.import_refused.separator", nil)
	return finding{code: "pki.import_refused", next: None, args: map[string]any{"Warnings": strings.Join(msgs, sep)}}
}

// warningKeys word the warnings that name a date or a certificate's flaw;
// the other kinds say the kind's own sentence after the subject.
var warningKeys = map[pki.Kind]string{pki.Expired: "expired", pki.NotYetValid: "not_yet_valid", pki.NotCA: "not_ca", pki.WrongUsage: "wrong_usage"}

func warningText(w pki.Warning, t translate) string {
	args := map[string]any{"Subject": w.Subject, "Date": w.Date.UTC().Format(time.DateOnly)}
	key, ok := warningKeys[w.Kind]
	if !ok {
		key = "other"
		// The sentence ends the list's own sentence: without its full stop.
		args["Message"] = strings.TrimSuffix(t("problem.pki."+pkiCodes[w.Kind].code+".message", nil), ".")
	}
	return t("problem.pki.warning."+key, args)
}

func fileFinding(e *safefile.Error) finding {
	args := map[string]any{"Path": e.Path, "Max": e.Max, "Mode": e.Mode.Type().String()}
	switch e.Err {
	case safefile.ErrNotRegular:
		return finding{code: "file.not_regular", next: OtherFile, args: args}
	case safefile.ErrTooLarge:
		return finding{code: "file.too_large", next: OtherFile, args: args}
	case safefile.ErrExists:
		return finding{code: "file.exists", next: OtherFile, args: args}
	}
	return finding{code: "file.other", next: OtherFile, args: args}
}

// dumpCodes words the sentinels of core.DumpError.
var dumpCodes = map[error]string{
	core.ErrDumpUnknown: "unknown", core.ErrDumpUnknownKey: "unknown_key", core.ErrDumpDuplicate: "duplicate",
	core.ErrDumpMismatch: "mismatch", core.ErrDumpNoSOD: "no_sod", core.ErrDumpMalformed: "malformed",
	core.ErrDumpTooLarge: "too_large", core.ErrDumpTooMany: "too_many", core.ErrDumpUnsafeName: "unsafe_name",
	core.ErrDumpUnsupported: "unsupported", core.ErrDumpNotDir: "not_dir", core.ErrDumpDirNotEmpty: "dir_not_empty",
}

func dumpFinding(e *core.DumpError) finding {
	c, ok := dumpCodes[e.Err]
	if !ok {
		c = "other"
	}
	if c == "too_large" && e.File == "" {
		c = "too_large_all"
	}
	next := OtherFile
	if c == "not_dir" || c == "dir_not_empty" {
		next = None
	}
	return finding{code: "dump." + c, next: next, detail: e.Detail, parens: true,
		args: map[string]any{"File": e.File, "As": e.As, "Other": e.Other, "Entry": e.Entry, "Max": e.Max}}
}
