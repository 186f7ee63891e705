package assertion

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Deceptive tells whether r, shown on a terminal or a screen, could change
// what the holder sees beyond its own glyph: C0 and C1 controls (ESC
// starts terminal sequences), DEL, line and paragraph separators, and the
// bidirectional controls that reorder the text around them.
func Deceptive(r rune) bool {
	switch {
	case unicode.IsControl(r), r == '\u2028', r == '\u2029':
		return true
	case r == '\u061c', r == '\u200e', r == '\u200f', r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// HasDeceptive tells whether s holds a [Deceptive] rune or invalid UTF-8.
func HasDeceptive(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	return strings.IndexFunc(s, Deceptive) >= 0
}

// Printable is s as it may be shown: every deceptive rune and every byte
// of invalid UTF-8 written as an escape (\x1b, \u202e), the rest as is.
// Text that came from a service goes through it even after the request
// was checked, so that nothing from a request reaches a terminal raw.
func Printable(s string) string {
	if !HasDeceptive(s) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case Deceptive(r):
			q := strconv.QuoteToASCII(string(r))
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String()
}
