package viewmodel

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/internal/diag"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
)

// virtualCardDiagnosis is what the diagnosis finds on a machine with pcscd
// and vsmartcard: the DEMO card on the first vpcd slot, the second empty.
func virtualCardDiagnosis() *diag.Report {
	q, _ := pcsc.LookupQuirks("Virtual PCD 00 00", 0, 0)
	r := &diag.Report{At: time.Now(),
		System:  diag.System{OS: "linux", Arch: "amd64", Distribution: "Debian GNU/Linux 12", Kernel: "6.1.0", App: "CNIE Reader dev", Go: "go1.26"},
		Service: diag.Service{Installed: true, Running: true, Reachable: true, Version: "2.0.3"},
		Readers: []diag.Reader{
			{Name: "Virtual PCD 00 00", Card: "present", Extended: "yes", Model: q.Name, Notes: q.Problems,
				CardNote: pcsc.NoteCNIEDemo, Kind: "CNIE", Virtual: true},
			{Name: "Virtual PCD 00 01", Card: "absent", Extended: "unknown", Model: q.Name, Notes: q.Problems, Virtual: true}},
		SelfTest: diag.SelfTest{Passed: true, Through: "in-process", APDUs: 7, Millis: 48.5, Verdict: "demo", ShortAPDUs: 124}}
	r.Conclude(diag.Options{})
	return r
}

func waitSupport(t *testing.T, s *Support, what string, cond func(SupportState) bool) SupportState {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		st := s.State()
		if cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %+v", what, st)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// englishWords are words of the program's English that once stood in the
// French report: Go's booleans, labels, a function's name, a model's name.
var englishWords = regexp.MustCompile(`\b(true|false|installed|running|reachable|Transmit|the demo card|in-process|passed|failed)\b`)

// TestFrenchSupportReportIsFrench: in French, the report of a virtual card
// diagnosis and of an error holds no English outside the lines labelled
// as technical detail, and Go's error text is there, labelled.
func TestFrenchSupportReportIsFrench(t *testing.T) {
	if err := i18n.Use(i18n.Locale{Lang: "fr", Region: "FR"}); err != nil {
		t.Fatal(err)
	}
	app := NewApp(Env{TrustDir: t.TempDir(), Diagnose: func(context.Context) *diag.Report { return virtualCardDiagnosis() }})
	s := NewSupport(app)
	app.ReportProblem(chiperr.New(chiperr.Transport, "Card.Transmit", "short response from the reader"))
	p := app.LastProblem()
	if strings.Contains(p.Hint, "Transmit") || strings.Contains(p.Hint, "short response") || strings.Contains(p.Detail, "short response") {
		t.Errorf("the window would show English: hint %q, detail %q", p.Hint, p.Detail)
	}
	s.Diagnose()
	waitSupport(t, s, "diagnosis", func(st SupportState) bool { return st.Diagnosis != nil && !st.Diagnosing })
	var b bytes.Buffer
	if err := s.WriteReport(&b); err != nil {
		t.Fatal(err)
	}
	report := b.String()
	technical := 0
	for _, line := range strings.Split(report, "\n") {
		if strings.Contains(line, "Détail technique (anglais) :") {
			technical++
			continue
		}
		if strings.HasPrefix(line, "CNIE Reader ") || strings.HasPrefix(line, "Application:") {
			continue // the build's own name (version, commit, Go)
		}
		if w := englishWords.FindString(line); w != "" {
			t.Errorf("English %q in the French report: %q", w, line)
		}
	}
	if technical == 0 || !strings.Contains(report, "Détail technique (anglais) : Card.Transmit: reader transport failure (short response from the reader)") {
		t.Errorf("Go's error is not in the report as a technical detail:\n%s", report)
	}
	for _, want := range []string{"installé : oui", "Lecteur virtuel vsmartcard (carte de démonstration)", "Lecteurs: 1",
		"Emplacement virtuel « Virtual PCD 00 01 »"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
}

// TestSelfTestHasOneAnswer: the diagnosis runs the self-test; the Auto-test
// section then says what the diagnosis's finding says, and a self-test run
// later is what both say.
func TestSelfTestHasOneAnswer(t *testing.T) {
	if err := i18n.Use(i18n.Locale{Lang: "fr", Region: "FR"}); err != nil {
		t.Fatal(err)
	}
	app := NewApp(Env{TrustDir: t.TempDir(), Diagnose: func(context.Context) *diag.Report { return virtualCardDiagnosis() }})
	s := NewSupport(app)
	s.Diagnose()
	st := waitSupport(t, s, "diagnosis", func(st SupportState) bool { return st.Diagnosis != nil && !st.Diagnosing })
	if st.SelfTest == nil || !st.SelfTest.Passed || st.SelfTest.APDUs != 7 {
		t.Fatalf("the Auto-test section does not follow the diagnosis: %+v", st.SelfTest)
	}
	var b bytes.Buffer
	s.WriteReport(&b)
	if strings.Contains(b.String(), i18n.T("support.selftest_not_run")) || !strings.Contains(b.String(), "Autotest réussi") {
		t.Errorf("the report disagrees with itself:\n%s", b.String())
	}

	s.RunSelfTest()
	st = waitSupport(t, s, "self-test", func(st SupportState) bool { return !st.Testing && st.SelfTest != nil && st.SelfTest.APDUs != 7 })
	if !st.SelfTest.Passed {
		t.Fatalf("self-test: %+v", st.SelfTest)
	}
	if d := st.Diagnosis.SelfTest; d.APDUs != st.SelfTest.APDUs || !d.Passed || d.ShortAPDUs != 124 {
		t.Errorf("the diagnosis keeps the older self-test: %+v, the section says %+v", d, st.SelfTest)
	}
	found := false
	for _, f := range st.Diagnosis.Findings {
		if f.What == diag.WhatSelfTestPassed {
			found = f.Args["APDUs"] == strconv.Itoa(st.SelfTest.APDUs)
		}
	}
	if !found {
		t.Errorf("the diagnosis's finding does not name the new self-test: %+v", st.Diagnosis.Findings)
	}
}
