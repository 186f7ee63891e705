package explain

import (
	"fmt"
	"io"
	"strings"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/internal/diag"
)

// Finding words a finding: what was noticed ("diag.what.<code>") and the
// next step ("diag.next.<code>"; "" when it has none). The error behind
// it, if any, fills the Cause argument through app/problem.
func Finding(f diag.Finding) (what, next string) { return current.finding(f) }

// FindingIn is Finding in lang.
func FindingIn(l i18n.Locale, f diag.Finding) (what, next string) { return in(l).finding(f) }

func (w words) finding(f diag.Finding) (what, next string) {
	args := w.fill(f.Args)
	switch {
	case f.Cause != nil:
		args["Cause"] = w.cause(f.Cause)
	case f.Detail != "":
		args["Cause"] = f.Detail // a report read back from JSON keeps no error
	}
	if n, ok := args["Name"]; ok {
		args["Name"] = w.model(n)
	}
	what = w.t("diag.what."+f.What, args)
	if f.Next != "" {
		next = w.t("diag.next."+f.Next, args)
	}
	return what, next
}

// Diagnosis is the diagnosis's conclusion in one sentence; when reading is
// not possible, it repeats the worst finding and its next step.
func Diagnosis(r *diag.Report) string { return current.diagnosis(r) }

// DiagnosisIn is Diagnosis in lang.
func DiagnosisIn(l i18n.Locale, r *diag.Report) string { return in(l).diagnosis(r) }

func (w words) diagnosis(r *diag.Report) string {
	if r.Verdict == diag.Blocked && len(r.Findings) > 0 {
		what, next := w.finding(r.Findings[0])
		return w.t("diag.verdict.blocked", map[string]string{"What": what, "Next": next})
	}
	return w.t("diag.verdict."+string(r.Verdict), nil)
}

// marks show a finding's severity in text.
var marks = map[diag.Severity]string{diag.OK: "[ OK ]", diag.Info: "[info]", diag.Warning: "[ !! ]", diag.Problem: "[FAIL]"}

// WriteDiagnosis writes the diagnosis for a person, in the current language.
func WriteDiagnosis(out io.Writer, r *diag.Report) error { return current.writeDiagnosis(out, r) }

// WriteDiagnosisIn is WriteDiagnosis in lang.
func WriteDiagnosisIn(l i18n.Locale, out io.Writer, r *diag.Report) error {
	return in(l).writeDiagnosis(out, r)
}

func (w words) writeDiagnosis(out io.Writer, r *diag.Report) error {
	label := func(name string) string { return w.t("diag.text."+name, nil) }
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n\n", label("title"), r.At.Format("2006-01-02 15:04:05"))
	fmt.Fprintf(&b, "%s: %s\n\n", label("verdict"), w.diagnosis(r))
	for _, f := range r.Findings {
		what, next := w.finding(f)
		fmt.Fprintf(&b, "%s %s\n", marks[f.Severity], what)
		if next != "" {
			fmt.Fprintf(&b, "       -> %s\n", next)
		}
		w.technical(&b, "       ", f.Detail)
	}
	s := r.System
	fmt.Fprintf(&b, "\n%s: %s/%s %s, %s %s\n", label("system"), s.OS, s.Arch, s.Distribution, label("kernel"), s.Kernel)
	fmt.Fprintf(&b, "%s: %s (%s)\n", label("application"), s.App, s.Go)
	sv := r.Service
	fmt.Fprintf(&b, "pcscd — %s %s, %s %s, %s %s", label("installed"), w.yes(sv.Installed),
		label("running"), w.yes(sv.Running), label("reachable"), w.yes(sv.Reachable))
	if sv.Version != "" {
		fmt.Fprintf(&b, ", %s %s", label("version"), sv.Version)
	}
	b.WriteString("\n")
	w.technical(&b, "       ", sv.Error)
	if len(r.Conflicts) > 0 {
		fmt.Fprintf(&b, "%s: %s\n", label("conflicts"), strings.Join(r.Conflicts, ", "))
	}
	fmt.Fprintf(&b, "%s: %d\n", label("readers"), r.CountedReaders())
	for i, rd := range r.Readers {
		fmt.Fprintf(&b, "  %d: %s\n", i, rd.Name)
		if !rd.Counted() {
			fmt.Fprintf(&b, "     %s\n", label("virtual_slot"))
			continue
		}
		if rd.Model != "" {
			fmt.Fprintf(&b, "     %s: %s\n", label("model"), w.model(rd.Model))
		}
		fmt.Fprintf(&b, "     %s: %s   %s: %s\n", label("card"), w.state(rd.Card), label("extended"), w.state(rd.Extended))
		if rd.ATR != "" {
			fmt.Fprintf(&b, "     ATR: %s  %s\n", rd.ATR, w.atr(rd.ATRCode, rd.ATRArgs))
		}
		if rd.ATS != "" {
			fmt.Fprintf(&b, "     ATS: %s\n", rd.ATS)
		}
		if rd.CardNote != "" {
			fmt.Fprintf(&b, "     %s: %s\n", label("kind"), w.cardNote(rd.CardNote))
		}
		for _, p := range rd.Notes {
			what, fix := w.readerProblem(p)
			fmt.Fprintf(&b, "     %s: %s\n       -> %s\n", label("note"), what, fix)
		}
	}
	st := r.SelfTest
	outcome := "failed"
	if st.Passed {
		outcome = "passed"
	}
	fmt.Fprintf(&b, "%s: %s (%s, %d APDU, %.1f ms, %s %d APDU)\n", label("selftest"), w.state(outcome), w.state(st.Through),
		st.APDUs, st.Millis, label("short_only"), st.ShortAPDUs)
	w.technical(&b, "       ", st.Error)
	_, err := io.WriteString(out, b.String())
	return err
}

// technical writes a technical detail on its own line, labelled as such
// (it is the program's own text, in English): "(Détail technique (anglais) : …)".
func (w words) technical(b *strings.Builder, indent, detail string) {
	if detail != "" {
		fmt.Fprintf(b, "%s(%s %s)\n", indent, w.t("diag.text.detail", nil), detail)
	}
}

// yes words a yes or no.
func (w words) yes(v bool) string {
	if v {
		return w.state("yes")
	}
	return w.state("no")
}

// Model names a reader model in the current language ("reader.model.<key>",
// see ModelKey); a model without words, or a reader's own name, stays as
// it is.
func Model(name string) string { return current.model(name) }

// ModelKey is the key of a reader model's name (pcsc.Quirk.Name):
// "reader.model." and the name in lower case, every run of other
// characters than letters and digits made one "_".
func ModelKey(name string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			sep = false
		} else {
			sep = true
		}
	}
	return "reader.model." + b.String()
}

func (w words) model(name string) string {
	if name == "" {
		return ""
	}
	key := ModelKey(name)
	if t := w.t(key, nil); t != key {
		return t
	}
	return name
}

// state words a reader's or a card's state ("present", "in use", "yes"...);
// a state without words is shown as it is.
func (w words) state(s string) string {
	key := "diag.state." + strings.ReplaceAll(s, " ", "_")
	if t := w.t(key, nil); t != key {
		return t
	}
	return s
}
