package viewmodel

import (
	"time"

	"github.com/cnie-reader/cnie-reader/app/problem"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Problem is an error as the screens show it: what happened and what to do
// (for the holder), and the technical detail (for support).
type Problem struct {
	Kind    chiperr.Kind
	Code    string // problem.Problem's code, e.g. "scan.no_code"
	Message string
	Hint    string
	Next    string // the next step's sentence, empty when there is none
	// Detail is the technical detail a window shows: the problem's code,
	// the same in every language.
	Detail string
	// Raw is the error's own text, in English, for the support report
	// only (labelled as such there): never shown under a French sentence.
	Raw string
	// At is when it happened, for the support report.
	At time.Time
}

// ProblemOf describes err in the current language, through app/problem.
func ProblemOf(err error) *Problem {
	p := problem.Of(err)
	if p == nil {
		return nil
	}
	return &Problem{Kind: chiperr.KindOf(err), Code: p.Code, Message: p.Message, Hint: p.LocalHint,
		Next: p.NextText, Detail: p.Code, Raw: p.Detail, At: time.Now()}
}

// errNoReader is met when a read is asked with no reader and no DEMO card.
var errNoReader = chiperr.New(chiperr.NoReader, "read", "no reader connected")
