package viewmodel

import (
	"context"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

func init() { _ = i18n.Use(i18n.Locale{Lang: "fr", Region: "FR"}) }

func TestCheckCAN(t *testing.T) {
	for in, valid := range map[string]bool{"123456": true, "123 456": true, " 123456 ": true, "12345": false, "1234567": false,
		"12345a": false, "": false, "１２３４５６": false} {
		if got := CheckCAN(in); got.Valid != valid || got.Message == "" {
			t.Errorf("%q: %+v", in, got)
		}
	}
	if got := CheckCAN("123 456").Digits; got != "123456" {
		t.Errorf("digits %q", got)
	}
	if a, b := CheckCAN("1234").Message, CheckCAN("12345").Message; a == b {
		t.Error("the message does not say how many digits are missing")
	}
}

func TestFractionOnlyGoesForward(t *testing.T) {
	steps := []reader.Progress{{Step: reader.StepConnect}, {Step: reader.StepIdentity, Done: 10, Total: 100},
		{Step: reader.StepIdentity, Done: 100, Total: 100}, {Step: reader.StepPhoto, Done: 0, Total: 20000},
		{Step: reader.StepPhoto, Done: 20000, Total: 20000}, {Step: reader.StepAuthenticity}, {Step: core.StepVerify}}
	last := -1.0
	for _, p := range steps {
		f := fractionOf(p)
		if f < last || f > 1 {
			t.Errorf("%+v: %f after %f", p, f, last)
		}
		last = f
	}
	if f := fractionOf(reader.Progress{Step: reader.StepPhoto, Done: 5, Total: 1}); f > 0.8 {
		t.Errorf("a hostile Done > Total gave %f", f)
	}
}

func TestWizard(t *testing.T) {
	w := NewWizard(StepReader, StepCAN, StepResult)
	calls := 0
	w.Subscribe(func() { calls++ })
	w.Next()
	w.Insert(StepCAN, "request")
	if w.Current() != StepCAN {
		t.Fatalf("insert moved the current step: %s", w.Current())
	}
	if n, total := w.Position(); n != 3 || total != 4 {
		t.Errorf("position %d/%d", n, total)
	}
	if w.After(StepCAN) != StepResult || w.After(StepResult) != StepResult {
		t.Error("After")
	}
	w.Back()
	if w.Current() != "request" {
		t.Errorf("back: %s", w.Current())
	}
	if w.GoTo("nowhere") {
		t.Error("GoTo a missing step")
	}
	if calls != 3 {
		t.Errorf("%d notifications", calls)
	}
}

type fixedMonitor struct{ st core.ReaderStatus }

func (m fixedMonitor) Watch(ctx context.Context, report func(core.ReaderStatus)) {
	report(m.st)
	<-ctx.Done()
}

func waitPhase(t *testing.T, r *Reading, want ...Phase) ReadingState {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := r.State()
		for _, p := range want {
			if st.Phase == p {
				return st
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("phase %v, want %v", st.Phase, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestCitizenDemoRead(t *testing.T) {
	app := NewApp(Env{TrustDir: t.TempDir()})
	c := NewCitizen(app)
	if c.SourceReady() {
		t.Fatal("ready with no reader and no demo")
	}
	c.UseDemo(true)
	c.SetCAN("123456")
	if !c.SubmitCAN() {
		t.Fatal("not started")
	}
	// The virtual card waits to be laid, like a real one.
	time.Sleep(50 * time.Millisecond)
	if st := c.Reading.State(); st.Phase != Waiting || c.Wizard.Current() != StepPlace {
		t.Fatalf("phase %v step %s", st.Phase, c.Wizard.Current())
	}
	c.LayDemoCard()
	st := waitPhase(t, c.Reading, Done, Failed)
	if st.Phase != Done {
		t.Fatalf("read failed: %+v", st.Problem)
	}
	if c.Wizard.Current() != StepResult {
		t.Errorf("step %s", c.Wizard.Current())
	}
	id, res, ok := c.Identity()
	if !ok || !id.Demo || id.Verdict != verify.Demo {
		t.Fatalf("%v %+v", ok, id)
	}
	// French dates with month names, DG11's full names.
	if v := id.Value("field.birth_date"); v == "" || v[0] < '1' || v[0] > '9' {
		t.Errorf("birth date %q", v)
	}
	c.Finish()
	if res.Doc != nil || res.Face != nil || c.Wizard.Current() != StepReader {
		t.Error("finish kept the result")
	}
	if app.LastTrace() == nil {
		t.Error("no trace kept for support")
	}
}

func TestCancelWhileWaitingForTheCard(t *testing.T) {
	app := NewApp(Env{TrustDir: t.TempDir()})
	c := NewCitizen(app)
	c.UseDemo(true)
	c.SetCAN("123456")
	c.SubmitCAN()
	if n, _ := c.Wizard.Position(); n != 3 {
		t.Fatalf("waiting for the card at step %d", n)
	}
	// Issue 17: a cancel by the holder is a choice, not a failure: no
	// problem (it was shown in red, with the counter at 4/5), back to the
	// CAN step it came from.
	c.Cancel()
	st := c.Reading.State()
	if st.Phase != Idle || st.Problem != nil || app.LastProblem() != nil {
		t.Fatalf("after cancel: phase %v, problem %+v, last problem %+v", st.Phase, st.Problem, app.LastProblem())
	}
	time.Sleep(50 * time.Millisecond) // the stopped read's goroutine ends: it must change nothing
	if st := c.Reading.State(); st.Phase != Idle || app.LastProblem() != nil || c.Wizard.Current() != StepCAN {
		t.Fatalf("phase %v, step %s, last problem %+v", st.Phase, c.Wizard.Current(), app.LastProblem())
	}
	if n, total := c.Wizard.Position(); n != 2 || total != 5 {
		t.Fatalf("counter %d/%d after cancel", n, total)
	}
	// The CAN is still there: Continue starts again and waits for the card.
	if !c.SubmitCAN() {
		t.Fatal("no new read after cancel")
	}
	if st := waitPhase(t, c.Reading, Waiting); st.Problem != nil {
		t.Fatal(st.Problem)
	}
	c.Finish()
}

func TestRetryAfterWrongCANGoesBackToTheCAN(t *testing.T) {
	app := NewApp(Env{TrustDir: t.TempDir()})
	c := NewCitizen(app)
	c.UseDemo(true)
	c.SetCAN("111111")
	c.SubmitCAN()
	c.LayDemoCard()
	st := waitPhase(t, c.Reading, Failed, Done)
	if st.Problem == nil || st.Problem.Kind != chiperr.AccessDenied || st.Problem.Hint == "" {
		t.Fatalf("%+v", st.Problem)
	}
	c.Retry()
	if c.Wizard.Current() != StepCAN || c.Reading.State().Phase != Idle {
		t.Fatalf("retry: step %s phase %v", c.Wizard.Current(), c.Reading.State().Phase)
	}
}

func TestReaderSourcePrefersTheCard(t *testing.T) {
	st := core.ReaderStatus{Readers: []pcsc.ReaderState{{Name: "A"}, {Name: "B", Present: true}}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	app := NewApp(Env{Monitor: fixedMonitor{st}})
	app.Start(ctx)
	deadline := time.Now().Add(5 * time.Second)
	for len(app.Readers().Readers) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	src, ok := app.ReaderSource()
	if !ok || src.Name() != "B" || src.Demo() {
		t.Fatalf("%v %v", src, ok)
	}
	if app.Readers().Level() != core.LevelCard {
		t.Error("level")
	}
}

func TestClerkNeedsAReaderOrTheDemo(t *testing.T) {
	app := NewApp(Env{TrustDir: t.TempDir()})
	c := NewClerk(app)
	c.SetCAN("123456")
	if c.ReadChip() {
		t.Fatal("read started without a reader")
	}
	if p := app.LastProblem(); p == nil || p.Kind != chiperr.NoReader {
		t.Fatalf("%+v", p)
	}
	if v := c.State().Verdict; v.Level != verify.NotPossible || v.Message == "" {
		t.Errorf("%+v", v)
	}
	// Issue 17: said on the clerk's screen (the chip column), with what to
	// do: plug a reader in or tick the DEMO card; and the verdict says so.
	st := c.State()
	if st.Reading.Phase != Failed || st.Reading.Problem == nil || st.Reading.Problem.Hint != i18n.T("clerk.no_reader_hint") {
		t.Fatalf("chip column: %v %+v", st.Reading.Phase, st.Reading.Problem)
	}
	if st.Verdict.Message != i18n.T("clerk.verdict.chip_failed") {
		t.Errorf("verdict %q", st.Verdict.Message)
	}
	// Ticking the DEMO card then reads.
	c.UseDemo(true)
	if !c.ReadChip() {
		t.Fatal("no read with the DEMO card")
	}
	if st := waitPhase(t, c.Reading, Done, Failed); st.Phase != Done {
		t.Fatalf("%+v", st.Problem)
	}
	c.Next()
}

// After a failed chip read the verdict says the read failed, not "read
// the chip first" (issue 17).
func TestClerkVerdictAfterAFailedRead(t *testing.T) {
	app := NewApp(Env{TrustDir: t.TempDir()})
	c := NewClerk(app)
	c.UseDemo(true)
	c.SetCAN("111111")
	if v := c.State().Verdict.Message; v != i18n.T("clerk.verdict.no_chip") {
		t.Errorf("before the read: %q", v)
	}
	c.ReadChip()
	if st := waitPhase(t, c.Reading, Failed, Done); st.Phase != Failed || st.Problem.Kind != chiperr.AccessDenied {
		t.Fatalf("%v %+v", st.Phase, st.Problem)
	}
	if v := c.State().Verdict; v.Message != i18n.T("clerk.verdict.chip_failed") || v.Level != verify.NotPossible {
		t.Errorf("after a failed read: %+v", v)
	}
	c.Next()
	if v := c.State().Verdict.Message; v != i18n.T("clerk.verdict.no_chip") {
		t.Errorf("next card: %q", v)
	}
}

// The consent screen writes dates in words, like every other screen.
func TestConsentDatesInWords(t *testing.T) {
	for what, v := range map[string]string{"birth_date": "1990-07-14", "expiry_date": "1990-07-14", "full_birth_date": "19900714"} {
		if got := shownValue(what, v); got != "14 juillet 1990" {
			t.Errorf("%s %q shown as %q", what, v, got)
		}
	}
	if got := shownValue("document_number", "1990-07-14"); got != "1990-07-14" {
		t.Errorf("a non-date changed: %q", got)
	}
}

func TestClerkReadsWithTheMRZ(t *testing.T) {
	app := NewApp(Env{TrustDir: t.TempDir()})
	c := NewClerk(app)
	c.UseDemo(true)
	doc, birth, expiry := app.Demo().DemoMRZ()
	if chk := c.SetMRZ(doc, birth, "341305"); chk.Valid {
		t.Fatal("month 13 accepted")
	}
	if chk := c.SetMRZ(doc, birth, expiry); !chk.Valid || !c.ReadChip() {
		t.Fatalf("%+v", chk)
	}
	st := waitPhase(t, c.Reading, Done, Failed)
	if st.Phase != Done || st.Result.Doc.Access.Password != "MRZ" {
		t.Fatalf("%v %+v", st.Phase, st.Problem)
	}
	c.Next()
}
