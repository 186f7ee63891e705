package gui

import (
	"testing"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/problem"
	"github.com/cnie-reader/cnie-reader/app/viewmodel"
)

// A failed read says what to do next (app/problem's next step, which the
// command line printed and the window did not), on its own line, in the
// reader's language.
func TestFailedReadShowsTheNextStep(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		u := newTestUI(t, lang, "", noReader)
		s := readWithCAN(t, u, "654321")
		waitFor(t, "problem on screen", func() bool { return s.failed.Visible() && s.problem.message.Text != "" })
		want := i18n.T("problem.next_step", map[string]any{"Next": i18n.T("problem.next." + string(problem.CheckCAN))})
		var got string
		var shown bool
		onUI(func() { got, shown = s.problem.next.Text, s.problem.next.Visible() })
		if got != want || !shown {
			t.Errorf("%s: next step %q (shown %v), want %q", lang, got, shown, want)
		}
	}
	// A problem without a next step shows no empty line.
	newTestUI(t, "fr", "", noReader)
	p := newProblemView()
	onUI(func() { p.set(&viewmodel.Problem{Message: "m", Hint: "h", Detail: "d"}) })
	if !p.object.Visible() || p.next.Visible() {
		t.Errorf("without a next step: view shown %v, next line shown %v", p.object.Visible(), p.next.Visible())
	}
}
