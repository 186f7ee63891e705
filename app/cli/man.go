package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/internal/version"
)

// writeMan writes the manual page (roff), in English whatever the locale
// (it is built once, for the package), from the same usage text as
// `cnie-reader help`, so the two never disagree.
func writeMan(w io.Writer) {
	usage := englishUsage()
	version := version.Get().Version
	esc := func(s string) string {
		s = strings.ReplaceAll(s, `\`, `\e`)
		s = strings.ReplaceAll(s, "-", `\-`)
		if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
			s = `\&` + s
		}
		return s
	}
	fmt.Fprintf(w, ".TH CNIE\\-READER 1 \"\" \"CNIE Reader %s\" \"User Commands\"\n", esc(version))
	fmt.Fprintln(w, ".SH NAME\ncnie\\-reader \\- read and check the French identity card (CNIE) and ICAO chip documents")
	fmt.Fprintln(w, ".SH SYNOPSIS\n.nf")
	lines := strings.Split(strings.TrimSpace(usage), "\n")
	var rest []string
	for i, l := range lines {
		if strings.HasPrefix(l, "  cnie-reader") || (strings.HasPrefix(l, "   ") && i > 0) {
			fmt.Fprintln(w, esc(strings.TrimPrefix(l, "  ")))
		} else if i > 0 && !strings.HasSuffix(l, ":") && strings.TrimSpace(l) != "" {
			rest = append(rest, l)
		}
	}
	fmt.Fprintln(w, ".fi\n.SH DESCRIPTION")
	fmt.Fprintln(w, esc(strings.TrimSpace(strings.SplitN(lines[0], "—", 2)[len(strings.SplitN(lines[0], "—", 2))-1]))+".")
	fmt.Fprintln(w, "Without a command it opens the window: reading a card step by step, checking a card at a counter, and support.")
	fmt.Fprintln(w, "With a cnie\\-reader:// link it takes an online service's request to the running window.")
	for _, l := range rest {
		fmt.Fprintln(w, ".PP\n"+esc(strings.TrimSpace(l)))
	}
	fmt.Fprintln(w, `.SH FILES
.TP
.I ~/.config/cnie\-reader/trust
CSCA certificates, master lists and CRLs added with \fBcnie\-reader trust import\fR.
.TP
.I ~/.config/cnie\-reader/trust\-services
certificates of the online services the user trusts.
.SH ENVIRONMENT
.TP
.B LANG, LC_ALL, LC_MESSAGES, LANGUAGE
French unless the first language is English.
.SH NOTES
Personal data never go to disk or logs unless the user exports them (\fB\-\-photo\fR, \fB\-\-trace\fR, \fB\-\-dump\fR).
The built\-in virtual card is a DEMO: nothing it proves is shown as genuine.`)
}

// englishUsage is the usage text in English, whatever the language in use.
func englishUsage() string { return i18n.Locale{Lang: "en"}.T("cli.usage", helpData()) }
