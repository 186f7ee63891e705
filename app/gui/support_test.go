package gui

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/internal/diag"
)

func TestSupportSelfTestTraceAndReport(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	root := t.TempDir() // no /proc, no pcscd: the diagnosis says so
	u.App.Env.Diagnose = func(ctx context.Context) *diag.Report { return diag.Run(ctx, diag.Options{Root: root}) }

	// A failed read first, so there is a last error and a trace.
	readWithCAN(t, u, "000000")
	onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).support) })
	s := u.supportView()
	if u.Window.Canvas().Focused() != s.diagnose {
		t.Error("focus not on the diagnosis button")
	}
	waitFor(t, "last error shown", func() bool { return s.problem.object.Visible() && s.problem.message.Text != "" })
	// The wrong CAN's exchanges are there, ending on the card's refusal (63xx).
	for _, want := range []string{"APDU trace", "exchanges:", "6300", "redaction:"} {
		if !strings.Contains(s.trace.Text, want) {
			t.Errorf("trace lacks %q: %.400s", want, s.trace.Text)
		}
	}

	onUI(func() { test.Tap(s.selfTest) })
	waitFor(t, "self-test", func() bool { st := u.Support.State(); return !st.Testing && st.SelfTest != nil })
	if st := u.Support.State(); !st.SelfTest.Passed {
		t.Fatalf("self-test: %+v", st.SelfTest)
	}
	waitFor(t, "self-test shown", func() bool { return strings.HasPrefix(s.selfText.Text, "Réussi") })

	onUI(func() { test.Tap(s.diagnose) })
	waitFor(t, "diagnosis", func() bool { st := u.Support.State(); return !st.Diagnosing && st.Diagnosis != nil })
	waitFor(t, "service shown", func() bool { return strings.Contains(s.service.Text, "pcscd") })

	var b bytes.Buffer
	if err := u.Support.WriteReport(&b); err != nil {
		t.Fatal(err)
	}
	report := b.String()
	for _, want := range []string{"Auto-test", "Réussi", "Dernière erreur", s.problem.message.Text, "Trace APDU"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// No personal data: the DEMO holder's names never appear (the failed
	// read got none, and the self-test keeps none).
	for _, secret := range []string{"CAMILLE", "000000", "123456"} {
		if strings.Contains(report, secret) {
			t.Errorf("report holds %q", secret)
		}
	}

	u.App.SetIntake("http://127.0.0.1:24780/authorize")
	waitFor(t, "intake shown", func() bool { return strings.Contains(s.intake.Text, "24780") })
	var b2 bytes.Buffer
	u.Support.WriteReport(&b2)
	if !strings.Contains(b2.String(), "24780") || !strings.Contains(b2.String(), "CNIE Reader ") {
		t.Error("the report does not say where services reach the app, or which build this is")
	}

	onUI(func() { test.Tap(s.export) })
	if u.Window.Canvas().Overlays().Top() == nil {
		t.Error("export did not open a file dialog")
	}
}

// TestSupportCountsReadersAsTheStatusLine: vpcd's slots without a virtual
// card are no readers: the status line says none, and so does the support
// screen, which names the empty slots for what they are.
func TestSupportCountsReadersAsTheStatusLine(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	u.App.Env.Diagnose = func(ctx context.Context) *diag.Report {
		r := &diag.Report{Service: diag.Service{Installed: true, Running: true, Reachable: true},
			Readers: []diag.Reader{{Name: "Virtual PCD 00 00", Card: "absent", Extended: "unknown", Virtual: true},
				{Name: "Virtual PCD 00 01", Card: "absent", Extended: "unknown", Virtual: true}},
			SelfTest: diag.SelfTest{Passed: true, Through: "in-process", APDUs: 19}}
		r.Conclude(diag.Options{})
		return r
	}
	onUI(func() { u.Show(ScreenSupport) })
	s := u.supportView()
	waitFor(t, "diagnosis shown", func() bool { return strings.Contains(s.readers.Text, "Virtual PCD 00 01") })
	lines := strings.Split(s.readers.Text, "\n")
	if lines[0] != u.status.label.Text {
		t.Errorf("the support screen says %q, the status line %q", lines[0], u.status.label.Text)
	}
	for _, l := range lines[1:] {
		if !strings.Contains(l, "emplacement virtuel sans carte virtuelle") {
			t.Errorf("an empty slot shown as a reader: %q", l)
		}
	}
	var findings []string
	onUI(func() {
		for _, o := range s.findings.Objects {
			for _, lo := range test.LaidOutObjects(o) {
				if l, ok := lo.(*widget.Label); ok {
					findings = append(findings, l.Text)
				}
			}
		}
	})
	all := strings.Join(findings, "\n")
	if strings.Contains(all, "prêt, sans carte") || !strings.Contains(all, "Aucun lecteur de cartes n'est détecté") {
		t.Errorf("findings:\n%s", all)
	}
}
