// Package problem is the one place that says to people what an error
// means. Domain packages (reader/..., seal/..., assertion/...) return
// technical errors: lowercase English, a kind, a reason or a sentinel, never
// a sentence for the holder. Of and In map any of them, with errors.Is and
// errors.As, to a [Problem]: a stable code, the holder's sentence, the
// support hint with the technical detail, and the next step, worded from the
// problem.*.json translation files. The window, the command line, the
// intake pages and the dumps all describe errors here.
package problem

import (
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// Step is what the person can do next.
type Step string

// The next steps; each is worded by the key problem.next.<step>.
const (
	None        Step = ""
	Retry       Step = "retry"
	PlaceCard   Step = "place_card"
	CheckCAN    Step = "check_can"
	CheckReader Step = "check_reader"
	CloseOther  Step = "close_other"
	StartOver   Step = "start_over"
	ImportTrust Step = "import_trust"
	OtherFile   Step = "other_file"
	Rescan      Step = "rescan"
	Wait        Step = "wait"
	Refuse      Step = "refuse"
	Support     Step = "support"
	Diagnose    Step = "diagnose"
)

// Problem is an error as people read it.
type Problem struct {
	// Code names the situation, stable across languages: "chip.access_denied",
	// "scan.no_code"… It is the translation key's middle part.
	Code string
	// Message is the holder's sentence.
	Message string
	// Hint is the sentence for support staff, with the technical detail.
	Hint string
	// LocalHint is Hint with only a detail in the reader's language (a
	// status word's name; in English, every detail): what a window or a
	// page shows, where nothing may be in another language. The domains'
	// own details, in English, stay in Hint and Detail.
	LocalHint string
	// Next is the next step, and NextText its sentence (empty for None).
	Next     Step
	NextText string
	// Detail is the error's own technical text, for logs and reports.
	Detail string
}

// Of describes err in the current language; nil for a nil error.
func Of(err error) *Problem { return describe(err, i18n.T, i18n.Lang()) }

// In describes err in l's language whatever the language in use (the
// intake pages speak the browser's language).
func In(l i18n.Locale, err error) *Problem { return describe(err, l.T, l.Lang) }

// translate renders a key with its arguments.
type translate func(key string, data ...any) string

// describe words err with t, in lang ("en", French otherwise).
func describe(err error, t translate, lang string) *Problem {
	if err == nil {
		return nil
	}
	f := classify(err, t)
	p := &Problem{Code: f.code, Next: f.next, Detail: err.Error()}
	p.Message = t("problem."+f.code+".message", f.args)
	p.Hint = f.hint
	if p.Hint == "" {
		p.Hint = t("problem."+f.code+".hint", f.args)
	}
	p.LocalHint = p.Hint
	switch {
	case f.detail == "":
	case f.parens:
		p.Hint += " (" + f.detail + ")"
	default:
		p.Hint += " [" + f.detail + "]"
	}
	if f.localDetail || lang == "en" {
		p.LocalHint = p.Hint // the detail is in the reader's language
	}
	if f.next != None {
		p.NextText = t("problem.next."+string(f.next), nil)
	}
	return p
}

// finding is what classify learnt about an error.
type finding struct {
	code string
	next Step
	args map[string]any
	// hint replaces the code's hint when not empty (a status word names itself).
	hint string
	// detail is appended to the hint: in brackets, or in parentheses when parens.
	detail string
	parens bool
	// localDetail: detail is worded in the reader's language (a status word).
	localDetail bool
}

// WarningIn names, in l's language, a reason not to trust an imported certificate
// (the command line says it when --force imported it anyway).
func WarningIn(l i18n.Locale, w pki.Warning) string { return warningText(w, l.T) }

// Intake words a refusal for the pages of the local intake, in lang: the
// holder's sentence and the support hint (intake.Server's Describe).
func Intake(lang string, err error) (message, hint string) {
	p := In(i18n.Locale{Lang: lang}, err)
	return p.Message, p.LocalHint
}
