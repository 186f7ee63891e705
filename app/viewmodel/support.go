package viewmodel

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/explain"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/internal/diag"
	"github.com/cnie-reader/cnie-reader/internal/version"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/trace"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// SelfTest is a full read and verification of the virtual card, in-process.
type SelfTest struct {
	Passed   bool
	APDUs    int
	Duration time.Duration
	Verdict  verify.Verdict
	Problem  *Problem
}

// SupportState is a snapshot of the support screen.
type SupportState struct {
	Diagnosing bool
	Diagnosis  *diag.Report
	Testing    bool
	SelfTest   *SelfTest
	Readers    core.ReaderStatus
	Problem    *Problem
	Trace      *trace.Trace
	// Intake is where services send browsers ("" when it is not running).
	Intake string
}

// Support is the support screen: what is there, what went wrong, a
// self-test, and a report to export. Nothing it shows is personal: the
// trace is redacted and the self-test reads only the DEMO card.
type Support struct {
	observable
	App *App

	mu         sync.Mutex
	diagnosing bool
	report     *diag.Report
	testing    bool
	selfTest   *SelfTest
}

// NewSupport makes the support screen's model.
func NewSupport(app *App) *Support {
	s := &Support{App: app}
	app.Subscribe(s.notify)
	return s
}

// State is a snapshot.
func (s *Support) State() SupportState {
	s.mu.Lock()
	st := SupportState{Diagnosing: s.diagnosing, Diagnosis: s.report, Testing: s.testing, SelfTest: s.selfTest}
	s.mu.Unlock()
	st.Readers, st.Problem, st.Trace, st.Intake = s.App.Readers(), s.App.LastProblem(), s.App.LastTrace(), s.App.Intake()
	return st
}

// Diagnose runs the diagnosis in the background.
func (s *Support) Diagnose() {
	run := s.App.Env.Diagnose
	if run == nil {
		run = func(ctx context.Context) *diag.Report { return diag.Run(ctx, diag.Options{}) }
	}
	if !s.begin(&s.diagnosing) {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		r := run(ctx)
		s.mu.Lock()
		s.report, s.diagnosing = r, false
		if r != nil && (r.SelfTest.Passed || r.SelfTest.Error != "") {
			// The diagnosis ran the self-test: the Auto-test section says
			// what its finding says.
			s.selfTest = selfTestOfDiagnosis(r.SelfTest)
		}
		s.mu.Unlock()
		s.notify()
	}()
}

// begin sets a busy flag; false when the work is already running.
func (s *Support) begin(busy *bool) bool {
	s.mu.Lock()
	if *busy {
		s.mu.Unlock()
		return false
	}
	*busy = true
	s.mu.Unlock()
	s.notify()
	return true
}

// RunSelfTest reads and verifies the DEMO card in the background: it
// proves the whole read path (PACE, secure messaging, files, CA, AA,
// passive authentication) works on this computer.
func (s *Support) RunSelfTest() {
	if !s.begin(&s.testing) {
		return
	}
	go func() {
		demo := s.App.Demo()
		start := time.Now()
		res, err := core.ReadCard(context.Background(), demo, reader.Secret{CAN: demo.DemoCAN()}, core.ReadOptions{TrustDir: s.App.Env.TrustDir})
		t := &SelfTest{Duration: time.Since(start)}
		if err != nil {
			t.Problem = ProblemOf(err)
		} else {
			t.APDUs, t.Verdict = res.Doc.Stats.APDUs, res.Report.Verdict
			t.Passed = t.Verdict == verify.Demo
			res.Wipe()
		}
		s.mu.Lock()
		s.selfTest, s.testing = t, false
		if s.report != nil {
			// The diagnosis's self-test finding follows the newer run.
			r := *s.report
			r.SelfTest = diagSelfTest(t, r.SelfTest)
			r.Conclude(diag.Options{})
			s.report = &r
		}
		s.mu.Unlock()
		s.notify()
	}()
}

// WriteReport writes the plain-text report support asks for: the
// diagnosis, the self-test, the last problem and the redacted trace.
func (s *Support) WriteReport(w io.Writer) error {
	st := s.State()
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s — %s — %s\n\n", version.Get(), i18n.T("support.report_title"), i18n.Current().DateTime(time.Now()))
	if st.Diagnosis != nil {
		if err := explain.WriteDiagnosis(&b, st.Diagnosis); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(&b, i18n.T("support.no_diagnosis"))
	}
	fmt.Fprintf(&b, "\n== %s ==\n%s\n", i18n.T("support.intake"), IntakeText(st.Intake))
	fmt.Fprintf(&b, "\n== %s ==\n", i18n.T("support.selftest"))
	if t := st.SelfTest; t != nil {
		fmt.Fprintln(&b, SelfTestText(t))
	} else {
		fmt.Fprintln(&b, i18n.T("support.selftest_not_run"))
	}
	fmt.Fprintf(&b, "\n== %s ==\n", i18n.T("support.last_error"))
	if p := st.Problem; p != nil {
		fmt.Fprintf(&b, "%s\n%s\n%s\n%s\n", i18n.Current().DateTime(p.At), p.Message, p.Hint,
			i18n.T("support.report_code", map[string]any{"Code": p.Code}))
		if p.Raw != "" {
			fmt.Fprintln(&b, i18n.T("support.report_raw", map[string]any{"Detail": p.Raw}))
		}
	} else {
		fmt.Fprintln(&b, i18n.T("support.no_error"))
	}
	fmt.Fprintf(&b, "\n== %s ==\n", i18n.T("support.trace"))
	if st.Trace != nil {
		if err := st.Trace.WriteText(&b); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(&b, i18n.T("support.no_trace"))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// IntakeText says where services reach the application.
func IntakeText(url string) string {
	if url == "" {
		return i18n.T("support.intake_off")
	}
	return i18n.T("support.intake_on", map[string]any{"URL": url})
}

// SelfTestText is one sentence on a self-test.
func SelfTestText(t *SelfTest) string {
	if t.Problem != nil {
		return i18n.T("support.selftest_failed", map[string]any{"Message": t.Problem.Message, "Detail": t.Problem.Detail})
	}
	key := "support.selftest_passed"
	if !t.Passed {
		key = "support.selftest_wrong_verdict"
	}
	return i18n.T(key, map[string]any{"APDUs": t.APDUs, "Millis": t.Duration.Milliseconds(), "Verdict": string(t.Verdict)})
}

// selfTestOfDiagnosis is the self-test the diagnosis ran, as the Auto-test
// section shows it.
func selfTestOfDiagnosis(d diag.SelfTest) *SelfTest {
	t := &SelfTest{Passed: d.Passed, APDUs: d.APDUs, Duration: time.Duration(d.Millis * float64(time.Millisecond)),
		Verdict: verify.Verdict(d.Verdict)}
	if !d.Passed && d.Verdict == "" {
		t.Problem = &Problem{Code: "selftest.failed", Message: i18n.T("support.selftest_broken"), Detail: "selftest.failed", Raw: d.Error, At: time.Now()}
	}
	return t
}

// diagSelfTest is a self-test run from the support screen, as the
// diagnosis records it (the short-APDU count stays the diagnosis's own).
func diagSelfTest(t *SelfTest, was diag.SelfTest) diag.SelfTest {
	d := diag.SelfTest{Passed: t.Passed, Through: was.Through, APDUs: t.APDUs,
		Millis: float64(t.Duration.Microseconds()) / 1000, Verdict: string(t.Verdict), ShortAPDUs: was.ShortAPDUs}
	if d.Through == "" {
		d.Through = "in-process"
	}
	switch {
	case t.Problem != nil:
		d.Error = t.Problem.Raw
	case !t.Passed:
		d.Error = "verification verdict " + string(t.Verdict)
	}
	return d
}
