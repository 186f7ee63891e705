package gui

import (
	"bytes"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/app/explain"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/viewmodel"
	"github.com/cnie-reader/cnie-reader/internal/diag"
)

// supportView is the support screen: readers, pcscd, the last error, the
// self-test, the redacted trace, and the report export.
type supportView struct {
	u  *UI
	vm *viewmodel.Support

	object    fyne.CanvasObject
	diagnose  *button
	selfTest  *button
	export    *button
	busy      *widget.Activity
	readers   *widget.Label
	service   *widget.Label
	findings  *fyne.Container
	selfText  *widget.Label
	intake    *widget.Label
	problem   *problemView
	noProblem *widget.Label
	trace     *widget.Entry
}

func newSupportView(u *UI) *supportView {
	s := &supportView{u: u, vm: u.Support, busy: widget.NewActivity(), readers: text(""), service: text(""),
		findings: container.NewVBox(), selfText: text(i18n.T("support.selftest_not_run")), problem: newProblemView(),
		noProblem: text(i18n.T("support.no_error")), trace: widget.NewMultiLineEntry(), intake: text("")}
	s.diagnose = primary(newButton(i18n.T("support.run_diagnosis"), theme.SearchIcon(), s.vm.Diagnose))
	s.selfTest = newButton(i18n.T("support.run_selftest"), theme.MediaPlayIcon(), s.vm.RunSelfTest)
	s.export = newButton(i18n.T("support.export"), theme.DocumentSaveIcon(), s.exportReport)
	s.trace.TextStyle = fyne.TextStyle{Monospace: true}
	s.trace.Wrapping = fyne.TextWrapOff
	s.trace.SetMinRowsVisible(10)
	section := func(key string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(i18n.T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	left := container.NewVBox(
		section("support.readers"), s.readers,
		section("support.service"), s.service, s.findings,
		section("support.selftest"), s.selfText,
		section("support.intake"), s.intake,
		section("support.last_error"), s.noProblem, s.problem.object)
	right := container.NewBorder(section("support.trace"), nil, nil, nil, s.trace)
	toolbar := container.NewHBox(s.diagnose, s.selfTest, s.export, s.busy)
	split := container.NewHSplit(container.NewVScroll(left), right)
	split.Offset = 0.45
	s.object = container.NewBorder(toolbar, nil, nil, nil, split)
	s.vm.Subscribe(func() { u.do(s.refresh) })
	return s
}

func (s *supportView) content() fyne.CanvasObject { return s.object }
func (s *supportView) shown() {
	// Support staff come here to find out what is wrong: look at once.
	if st := s.vm.State(); st.Diagnosis == nil && !st.Diagnosing {
		s.vm.Diagnose()
	}
	s.refresh()
	s.u.Window.Canvas().Focus(s.diagnose)
}
func (s *supportView) left() {}

func (s *supportView) refresh() {
	st := s.vm.State()
	if st.Diagnosing || st.Testing {
		s.busy.Show()
		s.busy.Start()
	} else {
		s.busy.Stop()
		s.busy.Hide()
	}
	// Readers: the live status first, counted as the status line counts
	// them; then the diagnosis's details (model, extended length), or,
	// before it runs, the names of what is plugged in.
	_, status := readerStatusText(st.Readers)
	lines := []string{status}
	if d := st.Diagnosis; d != nil {
		for _, r := range d.Readers {
			if !r.Counted() {
				lines = append(lines, fmt.Sprintf("• %s — %s", r.Name, i18n.T("support.virtual_slot")))
				continue
			}
			line := fmt.Sprintf("• %s — %s", r.Name, i18n.T("support.card_"+strings.ReplaceAll(r.Card, " ", "_")))
			if r.Model != "" {
				line += " (" + explain.Model(r.Model) + ")"
			}
			line += " — " + i18n.T("support.extended_"+r.Extended)
			lines = append(lines, line)
		}
	} else {
		for _, r := range st.Readers.Readers {
			lines = append(lines, "• "+r.Name)
		}
	}
	s.readers.SetText(strings.Join(lines, "\n"))
	s.findings.Objects = nil
	if d := st.Diagnosis; d != nil {
		s.service.SetText(serviceText(d.Service))
		for _, f := range d.Findings {
			s.findings.Add(findingView(f))
		}
		s.findings.Add(text(explain.Diagnosis(d)))
	} else {
		s.service.SetText(i18n.T("support.service_unknown"))
	}
	s.findings.Refresh()
	if t := st.SelfTest; t != nil {
		s.selfText.SetText(viewmodel.SelfTestText(t))
	}
	s.intake.SetText(viewmodel.IntakeText(st.Intake))
	if st.Problem != nil {
		s.noProblem.Hide()
	} else {
		s.noProblem.Show()
	}
	s.problem.set(st.Problem)
	if st.Trace != nil {
		var b bytes.Buffer
		_ = st.Trace.WriteText(&b)
		s.trace.SetText(b.String())
	} else {
		s.trace.SetText(i18n.T("support.no_trace"))
	}
	s.object.Refresh() // sections grew or shrank: lay them out again
}

func serviceText(sv diag.Service) string {
	switch {
	case sv.Reachable:
		v := ""
		if sv.Version != "" {
			v = " " + sv.Version
		}
		return i18n.T("support.service_ok", map[string]any{"Version": v})
	case sv.Running:
		return i18n.T("support.service_unreachable")
	case sv.Installed:
		return i18n.T("support.service_stopped")
	}
	return i18n.T("support.service_missing")
}

func findingView(f diag.Finding) fyne.CanvasObject {
	var icon fyne.Resource = theme.NewSuccessThemedResource(theme.ConfirmIcon())
	switch f.Severity {
	case diag.Warning:
		icon = theme.NewWarningThemedResource(theme.WarningIcon())
	case diag.Problem:
		icon = theme.NewErrorThemedResource(theme.ErrorIcon())
	case diag.Info:
		icon = theme.InfoIcon()
	}
	body, next := explain.Finding(f)
	if next != "" {
		body += "\n→ " + next
	}
	return container.NewBorder(nil, nil, widget.NewIcon(icon), nil, text(body))
}

// exportReport writes the plain-text report where the user chooses.
func (s *supportView) exportReport() {
	showFileSave(s.u.Window, i18n.T("dialog.save_report_title"), "cnie-reader-support.txt", func(w fyne.URIWriteCloser) {
		defer w.Close()
		if err := s.vm.WriteReport(w); err != nil {
			p := viewmodel.ProblemOf(err)
			dialog.ShowInformation(i18n.T("support.export"), p.Message+"\n"+p.Next, s.u.Window)
			return
		}
		dialog.ShowInformation(i18n.T("support.export"), i18n.T("support.exported", map[string]any{"Path": w.URI().Path()}), s.u.Window)
	})
}
