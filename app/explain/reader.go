package explain

import (
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
)

// CardNote says what a card is, as far as the reader tells
// ("reader.card.<note>").
func CardNote(n pcsc.CardNote) string { return current.cardNote(n) }

// CardNoteIn is CardNote in lang.
func CardNoteIn(l i18n.Locale, n pcsc.CardNote) string { return in(l).cardNote(n) }

func (w words) cardNote(n pcsc.CardNote) string { return w.t("reader.card."+string(n), nil) }

// ATR says what an answer to reset tells ("reader.atr.<code>"), from
// pcsc.ATR.Description's code and arguments.
func ATR(code string, args map[string]string) string { return current.atr(code, args) }

// ATRIn is ATR in lang.
func ATRIn(l i18n.Locale, code string, args map[string]string) string { return in(l).atr(code, args) }

func (w words) atr(code string, args map[string]string) string {
	if code == "" {
		return ""
	}
	return w.t("reader.atr."+code, args)
}

// ReaderProblem words a known trouble of a reader model: what goes wrong
// and what the program does, or the user should do.
func ReaderProblem(p pcsc.Problem) (what, fix string) { return current.readerProblem(p) }

// ReaderProblemIn is ReaderProblem in lang.
func ReaderProblemIn(l i18n.Locale, p pcsc.Problem) (what, fix string) {
	return in(l).readerProblem(p)
}

func (w words) readerProblem(p pcsc.Problem) (what, fix string) {
	return w.t("reader.problem."+p.Code+".what", p.Args), w.t("reader.problem."+p.Code+".fix", p.Args)
}
