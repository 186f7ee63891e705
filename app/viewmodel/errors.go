package viewmodel

import (
	"errors"
	"time"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Problem is an error as the screens show it: what happened and what to do
// (for the holder), and the technical detail (for support).
type Problem struct {
	Kind    chiperr.Kind
	Message string
	Hint    string
	Detail  string
	// At is when it happened, for the support report.
	At time.Time
}

// ProblemOf describes err in the current language.
func ProblemOf(err error) *Problem {
	if err == nil {
		return nil
	}
	l := i18n.Lang()
	p := &Problem{Kind: chiperr.KindOf(err), Detail: err.Error(), At: time.Now()}
	type localized interface {
		Message(lang string) string
		Hint(lang string) string
	}
	var loc localized
	if errors.As(err, &loc) {
		p.Message, p.Hint = loc.Message(l), loc.Hint(l)
	} else {
		p.Message = i18n.T("error.unexpected")
		p.Hint = i18n.T("error.unexpected_hint")
	}
	return p
}

// errNoReader is met when a read is asked with no reader and no DEMO card.
var errNoReader = chiperr.New(chiperr.NoReader, "read", "no reader connected")
