package diag

import (
	"fmt"
	"io"
	"strings"
)

var marks = map[Severity]string{OK: "[ OK ]", Info: "[info]", Warning: "[ !! ]", Problem: "[FAIL]"}

// WriteText writes the report for a person, in lang ("fr" or "en").
func (r *Report) WriteText(w io.Writer, lang string) error {
	en := lang == "en"
	pick := func(fr, e string) string {
		if en {
			return e
		}
		return fr
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n\n", pick("Diagnostic de CNIE Reader", "CNIE Reader diagnosis"), r.At.Format("2006-01-02 15:04:05"))
	fmt.Fprintf(&b, "%s: %s\n\n", pick("Conclusion", "Verdict"), r.Verdict.In(lang))
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%s %s\n", marks[f.Severity], f.What.In(lang))
		if n := f.Next.In(lang); n != "" {
			fmt.Fprintf(&b, "       -> %s\n", n)
		}
		if f.Detail != "" {
			fmt.Fprintf(&b, "       (%s: %s)\n", pick("détail", "detail"), f.Detail)
		}
	}
	s := r.System
	fmt.Fprintf(&b, "\n%s: %s/%s %s, %s %s\n", pick("Système", "System"), s.OS, s.Arch, s.Distribution, pick("noyau", "kernel"), s.Kernel)
	fmt.Fprintf(&b, "%s: %s (%s)\n", pick("Application", "Application"), s.App, s.Go)
	sv := r.Service
	fmt.Fprintf(&b, "pcscd: %s=%v %s=%v %s=%v %s %s\n", pick("installé", "installed"), sv.Installed,
		pick("démarré", "running"), sv.Running, pick("joignable", "reachable"), sv.Reachable, sv.Version, sv.Error)
	if len(r.Conflicts) > 0 {
		fmt.Fprintf(&b, "%s: %s\n", pick("Modules noyau en conflit", "Conflicting kernel modules"), strings.Join(r.Conflicts, ", "))
	}
	fmt.Fprintf(&b, "%s: %d\n", pick("Lecteurs", "Readers"), len(r.Readers))
	for i, rd := range r.Readers {
		fmt.Fprintf(&b, "  %d: %s\n", i, rd.Name)
		if rd.Model != "" {
			fmt.Fprintf(&b, "     %s: %s\n", pick("modèle", "model"), rd.Model)
		}
		fmt.Fprintf(&b, "     %s: %s   %s: %s\n", pick("carte", "card"), word(rd.Card, en), pick("APDU étendus", "extended length"), word(rd.Extended, en))
		if rd.ATR != "" {
			fmt.Fprintf(&b, "     ATR: %s  %s\n", rd.ATR, rd.ATRText.In(lang))
		}
		if rd.ATS != "" {
			fmt.Fprintf(&b, "     ATS: %s\n", rd.ATS)
		}
		if k := rd.CardKind.In(lang); k != "" {
			fmt.Fprintf(&b, "     %s: %s\n", pick("type", "kind"), k)
		}
		for _, n := range rd.Notes {
			fmt.Fprintf(&b, "     %s: %s\n       -> %s\n", pick("à savoir", "note"), n.What.In(lang), n.Fix.In(lang))
		}
	}
	st := r.SelfTest
	fmt.Fprintf(&b, "%s: %v (%s, %d APDU, %.1f ms, %s %d APDU) %s\n", pick("Autotest", "Self-test"), st.Passed, st.Through,
		st.APDUs, st.Millis, pick("sans APDU étendus :", "short APDUs only:"), st.ShortAPDUs, st.Error)
	_, err := io.WriteString(w, b.String())
	return err
}

// frenchWords translate the few state words of the report.
var frenchWords = map[string]string{
	"present": "présente", "absent": "absente", "mute": "muette", "in use": "utilisée ailleurs",
	"yes": "oui", "no": "non", "unknown": "inconnu", "removed during the probe": "retirée pendant le test",
}

func word(s string, en bool) string {
	if f, ok := frenchWords[s]; ok && !en {
		return f
	}
	return s
}
