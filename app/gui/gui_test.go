package gui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/cnie-reader/cnie-reader/app/gui/uiloop"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/viewmodel"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// staticMonitor reports one reader status and nothing more.
type staticMonitor struct{ st core.ReaderStatus }

func (m staticMonitor) Watch(ctx context.Context, report func(core.ReaderStatus)) {
	report(m.st)
	<-ctx.Done()
}

var (
	noReader  = core.ReaderStatus{}
	noService = core.ReaderStatus{Err: chiperr.New(chiperr.NoService, "establish", "pcscd not running")}
	oneReader = core.ReaderStatus{Readers: []pcsc.ReaderState{{Name: "ACS ACR1252 Dual Reader [ACR1252 Dual Reader PICC] 00 00", Empty: true}}}
)

// newTestUI builds the whole window on Fyne's headless test driver.
func newTestUI(t *testing.T, lang, profile string, readers core.ReaderStatus) *UI {
	t.Helper()
	test.NewTempApp(t)
	if err := i18n.Use(i18n.Locale{Lang: lang}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	vm := viewmodel.NewApp(viewmodel.Env{Monitor: staticMonitor{readers}, DemoProfile: profile, TrustDir: t.TempDir()})
	vm.Start(ctx)
	w := test.NewTempWindow(t, nil)
	loop = uiloop.Start(ctx)
	l := loop
	// Before the test app is restored: the loop stops, and what it was
	// drawing is done.
	t.Cleanup(func() { cancel(); l.Wait() })
	var u *UI
	loop.Run(func() {
		w.Resize(fyne.NewSize(1100, 760))
		u = NewWith(w, vm, loop.Do)
	})
	// The monitor reports from its goroutine: wait until the status line shows it.
	_, want := readerStatusText(readers)
	waitFor(t, "reader status "+want, func() bool { return u.status.label.Text == want })
	return u
}

// loop is the UI goroutine of the test's window: clicks, typing and the
// conditions tests wait for run there, between the screens' own updates.
var loop *uiloop.Loop

// onUI runs f on the UI goroutine and waits for it and for the screen
// updates it set off.
func onUI(f func()) {
	loop.Run(f)
	loop.Flush()
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var ok bool
		onUI(func() { ok = cond() })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (u *UI) citizenView() *citizenView { return u.screens[ScreenCitizen].(*citizenView) }
func (u *UI) clerkView() *clerkView     { return u.screens[ScreenClerk].(*clerkView) }
func (u *UI) supportView() *supportView { return u.screens[ScreenSupport].(*supportView) }

func press(c fyne.Canvas, key fyne.KeyName) {
	if f := c.Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: key})
	}
}

// toCANStepWithDemo goes home → citizen → "use the demo card".
func toCANStepWithDemo(t *testing.T, u *UI) *canStep {
	t.Helper()
	onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).citizen) })
	c := u.citizenView()
	rs := c.steps[viewmodel.StepReader].(*readerStep)
	if !rs.next.Disabled() {
		t.Fatal("Continue is enabled with no reader")
	}
	onUI(func() { test.Tap(rs.demo) })
	if got := u.Citizen.Wizard.Current(); got != viewmodel.StepCAN {
		t.Fatalf("step %s, want can", got)
	}
	return c.steps[viewmodel.StepCAN].(*canStep)
}

func TestCitizenJourneyToResult(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	cs := toCANStepWithDemo(t, u)
	canvas := u.Window.Canvas()
	if canvas.Focused() != cs.entry {
		t.Fatal("focus does not start in the CAN field")
	}
	if !strings.Contains(cs.demo.Text, "123456") {
		t.Errorf("demo hint %q", cs.demo.Text)
	}
	// Checked as it is typed.
	onUI(func() { test.Type(cs.entry, "12a") })
	if !cs.next.Disabled() || cs.check.Text != i18n.T("can.only_digits") {
		t.Errorf("after 12a: %q, next enabled %v", cs.check.Text, !cs.next.Disabled())
	}
	onUI(func() { cs.entry.SetText("") })
	onUI(func() { test.Type(cs.entry, "1234") })
	if !strings.Contains(cs.check.Text, "2") || !cs.next.Disabled() {
		t.Errorf("after 1234: %q", cs.check.Text)
	}
	onUI(func() { test.Type(cs.entry, "56") })
	if cs.next.Disabled() {
		t.Fatalf("six digits not accepted: %q", cs.check.Text)
	}
	onUI(func() { press(canvas, fyne.KeyReturn) }) // Enter in the field goes on
	waitFor(t, "place step", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepPlace })
	ps := u.citizenView().steps[viewmodel.StepPlace].(*placeStep)
	if canvas.Focused() != ps.lay {
		t.Error("the demo card button does not have the focus")
	}
	onUI(func() { test.Tap(ps.lay) })
	waitFor(t, "result", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepResult })

	rs := u.citizenView().steps[viewmodel.StepResult].(*resultStep)
	p := rs.panel
	// The screen is drawn from the read's goroutine: wait for it too.
	waitFor(t, "claims on screen", func() bool { return len(p.claims.Objects) == 4 })
	if !p.demo.Visible() {
		t.Error("DEMO banner not shown")
	}
	// DG11's full names: given names, then the surname.
	if name := p.name.String(); name != "CAMILLE MARIE DEMO" {
		t.Errorf("name heading %q", name)
	}
	id, res, ok := u.Citizen.Identity()
	if !ok || res.Face == nil {
		t.Fatalf("no identity or photo: %v", ok)
	}
	if id.Verdict != verify.Demo || len(id.Claims) != 4 {
		t.Fatalf("verdict %s, %d claims", id.Verdict, len(id.Claims))
	}
	for _, c := range id.Claims {
		if c.Status != verify.Passed {
			t.Errorf("claim %s: %s", c.Key, c.Status)
		}
	}
	if len(p.claims.Objects) != 4 || len(p.fields.Objects) < 10 {
		t.Errorf("%d claims, %d field cells on screen", len(p.claims.Objects), len(p.fields.Objects))
	}
	for _, key := range []string{"field.document_number", "field.birth_date", "field.expiry_date"} {
		if id.Value(key) == "" {
			t.Errorf("%s missing", key)
		}
	}
	// Finish forgets the holder.
	onUI(func() { test.Tap(rs.done) })
	if u.Current() != ScreenHome {
		t.Errorf("after finish: %s", u.Current())
	}
	if _, _, ok := u.Citizen.Identity(); ok || res.Doc != nil {
		t.Error("result kept after finish")
	}
}

// readWithCAN types can on the CAN step and lays the demo card.
func readWithCAN(t *testing.T, u *UI, can string) *readingStep {
	t.Helper()
	cs := toCANStepWithDemo(t, u)
	onUI(func() { test.Type(cs.entry, can) })
	onUI(func() { test.Tap(cs.next) })
	ps := u.citizenView().steps[viewmodel.StepPlace].(*placeStep)
	onUI(func() { test.Tap(ps.lay) })
	waitFor(t, "read over", func() bool {
		ph := u.Citizen.Reading.State().Phase
		return ph == viewmodel.Done || ph == viewmodel.Failed
	})
	return u.citizenView().steps[viewmodel.StepReading].(*readingStep)
}

func TestCitizenWrongCAN(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	s := readWithCAN(t, u, "654321")
	st := u.Citizen.Reading.State()
	if st.Phase != viewmodel.Failed || st.Problem.Kind != chiperr.AccessDenied {
		t.Fatalf("phase %v, problem %+v", st.Phase, st.Problem)
	}
	waitFor(t, "problem on screen", func() bool { return s.failed.Visible() && s.problem.message.Text != "" })
	if u.Citizen.Wizard.Current() != viewmodel.StepReading || !s.retry.Visible() || s.cancel.Visible() {
		t.Fatal("failure not shown on the reading step with a retry")
	}
	if want := i18n.T("problem.chip.access_denied.message"); s.problem.message.Text != want {
		t.Errorf("message %q, want %q", s.problem.message.Text, want)
	}
	if s.problem.hint.Text == "" {
		t.Error("no hint on what to do")
	}
	// Retry goes back to the CAN, empty, with the focus in it.
	onUI(func() { test.Tap(s.retry) })
	if got := u.Citizen.Wizard.Current(); got != viewmodel.StepCAN {
		t.Fatalf("retry went to %s", got)
	}
	cs := u.citizenView().steps[viewmodel.StepCAN].(*canStep)
	waitFor(t, "CAN emptied", func() bool { return cs.entry.Text == "" && u.Window.Canvas().Focused() == cs.entry })
	// The support screen knows the last problem.
	if p := u.App.LastProblem(); p == nil || p.Kind != chiperr.AccessDenied {
		t.Errorf("last problem %+v", p)
	}
	// A right CAN then reads.
	onUI(func() { test.Type(cs.entry, "123456") })
	onUI(func() { press(u.Window.Canvas(), fyne.KeyReturn) })
	onUI(func() { test.Tap(u.citizenView().steps[viewmodel.StepPlace].(*placeStep).lay) })
	waitFor(t, "result", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepResult })
}

func TestCitizenCardRemovedMidRead(t *testing.T) {
	u := newTestUI(t, "en", "fault-removed", noReader)
	s := readWithCAN(t, u, "123456")
	st := u.Citizen.Reading.State()
	if st.Phase != viewmodel.Failed || st.Problem.Kind != chiperr.CardRemoved {
		t.Fatalf("phase %v, problem %+v", st.Phase, st.Problem)
	}
	waitFor(t, "problem on screen", func() bool { return s.problem.message.Text != "" })
	if want := i18n.T("problem.chip.card_removed.message"); s.problem.message.Text != want {
		t.Errorf("message %q, want %q", s.problem.message.Text, want)
	}
	// Nothing of a partial read is kept.
	if st.Result != nil {
		t.Error("a result after a failed read")
	}
	// Retry starts a new read at once (the card just needs laying again).
	onUI(func() { test.Tap(s.retry) })
	if got := u.Citizen.Wizard.Current(); got != viewmodel.StepPlace {
		t.Fatalf("retry went to %s", got)
	}
}

func TestCitizenCancel(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	cs := toCANStepWithDemo(t, u)
	onUI(func() { test.Type(cs.entry, "123456") })
	onUI(func() { test.Tap(cs.next) })
	ps := u.citizenView().steps[viewmodel.StepPlace].(*placeStep)
	// The card is never laid: Cancel ends the wait.
	// Issue 17: a cancel is the holder's choice, not a red failure: back,
	// quietly, to the CAN step, the counter with it.
	onUI(func() { test.Tap(ps.cancel) })
	waitFor(t, "back to the CAN", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepCAN })
	if st := u.Citizen.Reading.State(); st.Phase != viewmodel.Idle || st.Problem != nil {
		t.Fatalf("after cancel: %v %+v", st.Phase, st.Problem)
	}
	if h := u.citizenView().header.Text; !strings.Contains(h, "2 sur 5") {
		t.Errorf("counter %q after cancel", h)
	}
}

func TestReaderStepFollowsTheReaders(t *testing.T) {
	u := newTestUI(t, "fr", "", oneReader)
	onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).citizen) })
	rs := u.citizenView().steps[viewmodel.StepReader].(*readerStep)
	waitFor(t, "reader shown", func() bool { return strings.Contains(rs.explain.Text, "ACR1252") })
	if rs.next.Disabled() || u.Window.Canvas().Focused() != rs.next {
		t.Error("with a reader, Continue must be enabled and focused")
	}
	if !strings.Contains(u.status.label.Text, "ACR1252") {
		t.Errorf("status line %q", u.status.label.Text)
	}

	u2 := newTestUI(t, "en", "", noService)
	onUI(func() { test.Tap(u2.screens[ScreenHome].(*homeView).citizen) })
	rs2 := u2.citizenView().steps[viewmodel.StepReader].(*readerStep)
	waitFor(t, "no service shown", func() bool { return strings.Contains(rs2.explain.Text, "pcscd") })
	if !rs2.next.Disabled() {
		t.Error("Continue enabled without pcscd")
	}
	if !strings.Contains(u2.status.label.Text, "pcscd") {
		t.Errorf("status line %q", u2.status.label.Text)
	}
}

// TestKeyboardOnly walks the citizen journey with Tab and Enter alone.
func TestKeyboardOnly(t *testing.T) {
	u := newTestUI(t, "en", "", noReader)
	c := u.Window.Canvas()
	if c.Focused() != u.screens[ScreenHome].(*homeView).citizen {
		t.Fatal("home: focus not on the citizen path")
	}
	onUI(func() { press(c, fyne.KeyReturn) })
	rs := u.citizenView().steps[viewmodel.StepReader].(*readerStep)
	if c.Focused() != rs.demo {
		t.Fatalf("reader step: focus on %T", c.Focused())
	}
	onUI(func() { press(c, fyne.KeyReturn) })
	cs := u.citizenView().steps[viewmodel.StepCAN].(*canStep)
	if c.Focused() != cs.entry {
		t.Fatal("CAN step: focus not in the field")
	}
	for _, r := range "123456" {
		onUI(func() { c.Focused().TypedRune(r) })
	}
	// Tab reaches the Continue button.
	for i := 0; i < 10 && c.Focused() != cs.next; i++ {
		onUI(func() { test.FocusNext(c) })
	}
	if c.Focused() != cs.next {
		t.Fatal("Tab never reaches Continue")
	}
	onUI(func() { press(c, fyne.KeyEnter) })
	ps := u.citizenView().steps[viewmodel.StepPlace].(*placeStep)
	waitFor(t, "place step focus", func() bool { return c.Focused() == ps.lay })
	onUI(func() { press(c, fyne.KeyReturn) })
	waitFor(t, "result", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepResult })
	res := u.citizenView().steps[viewmodel.StepResult].(*resultStep)
	waitFor(t, "finish focused", func() bool { return c.Focused() == res.done })
	onUI(func() { press(c, fyne.KeyReturn) })
	if u.Current() != ScreenHome {
		t.Fatalf("Enter on Finish: screen %s", u.Current())
	}
}

func TestWizardTakesNewSteps(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	const consent viewmodel.StepID = "consent"
	onUI(func() { u.Citizen.Wizard.Insert(viewmodel.StepResult, consent) })
	if got := u.Citizen.Wizard.Steps(); strings.Join(stepStrings(got), ",") != "reader,can,place,reading,consent,result" {
		t.Fatalf("steps %v", got)
	}
	_, total := u.Citizen.Wizard.Position()
	if total != 6 {
		t.Fatalf("total %d", total)
	}
	// A successful read now leads to the inserted step, not past it.
	u.citizenView().Register(consent, &placeholderStep{obj: text("consent")})
	cs := u.citizenView().steps[viewmodel.StepCAN].(*canStep)
	onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).citizen) })
	onUI(func() { test.Tap(u.citizenView().steps[viewmodel.StepReader].(*readerStep).demo) })
	onUI(func() { test.Type(cs.entry, "123456") })
	onUI(func() { test.Tap(cs.next) })
	onUI(func() { test.Tap(u.citizenView().steps[viewmodel.StepPlace].(*placeStep).lay) })
	waitFor(t, "consent step", func() bool { return u.Citizen.Wizard.Current() == consent })
	if n, _ := u.Citizen.Wizard.Position(); n != 5 {
		t.Errorf("position %d", n)
	}
}

type placeholderStep struct{ obj fyne.CanvasObject }

func (p *placeholderStep) object() fyne.CanvasObject { return p.obj }
func (p *placeholderStep) refresh(bool)              {}

func stepStrings(ids []viewmodel.StepID) []string {
	var out []string
	for _, id := range ids {
		out = append(out, string(id))
	}
	return out
}

// TestMRZInsteadOfCAN: a document without a CAN opens with the MRZ.
func TestMRZInsteadOfCAN(t *testing.T) {
	u := newTestUI(t, "en", "", noReader)
	cs := toCANStepWithDemo(t, u)
	onUI(func() { test.Tap(cs.toggle) })
	if !cs.mrzBox.Visible() || cs.canBox.Visible() || u.Window.Canvas().Focused() != cs.doc {
		t.Fatal("MRZ fields not shown with the focus")
	}
	if !strings.Contains(cs.demo.Text, "DEMO00001") {
		t.Errorf("demo hint %q", cs.demo.Text)
	}
	onUI(func() { test.Type(cs.doc, "demo00001"); test.Type(cs.birth, "901314") })
	if !cs.next.Disabled() || !strings.Contains(cs.mrzCheck.Text, "birth") {
		t.Fatalf("month 13 accepted: %q", cs.mrzCheck.Text)
	}
	onUI(func() { cs.birth.SetText(""); test.Type(cs.birth, "900714"); test.Type(cs.expiry, "340305") })
	if cs.next.Disabled() {
		t.Fatalf("complete MRZ refused: %q", cs.mrzCheck.Text)
	}
	onUI(func() { press(u.Window.Canvas(), fyne.KeyReturn) })
	onUI(func() { test.Tap(u.citizenView().steps[viewmodel.StepPlace].(*placeStep).lay) })
	waitFor(t, "result", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepResult })
	if st := u.Citizen.Reading.State(); st.Result.Doc.Access.Password != "MRZ" {
		t.Errorf("opened with %q", st.Result.Doc.Access.Password)
	}
}

// A chip that makes the reader wait during PACE (as after wrong CAN
// attempts) gets the holder told why, and the read then ends normally.
func TestCitizenSlowCardIsExplained(t *testing.T) {
	if testing.Short() {
		t.Skip("the virtual card waits 6 s, as a real one does after wrong attempts")
	}
	u := newTestUI(t, "fr", "fault-slow-pace", noReader)
	cs := toCANStepWithDemo(t, u)
	onUI(func() { test.Type(cs.entry, "123456") })
	onUI(func() { test.Tap(cs.next) })
	onUI(func() { test.Tap(u.citizenView().steps[viewmodel.StepPlace].(*placeStep).lay) })
	s := u.citizenView().steps[viewmodel.StepReading].(*readingStep)
	waitFor(t, "the slow-card notice", func() bool { return s.slow.Visible() })
	// Laid out below the line before it, not drawn over the heading.
	var above, at float32
	onUI(func() {
		prev := s.running.Objects[1]
		above, at = prev.Position().Y+prev.Size().Height, s.slow.Position().Y
	})
	if at < above {
		t.Errorf("the notice at y=%v overlaps the line above it (ends at y=%v)", at, above)
	}
	if want := i18n.T("reading.slow_card"); s.slow.Text != want || !strings.Contains(want, "immobile") {
		t.Errorf("notice %q, want %q", s.slow.Text, want)
	}
	waitFor(t, "result", func() bool { return u.Citizen.Wizard.Current() == viewmodel.StepResult })
	if s.slow.Visible() && u.Citizen.Reading.State().Slow {
		t.Error("the notice outlived the wait")
	}
}
