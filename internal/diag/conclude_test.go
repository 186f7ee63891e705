package diag_test

import (
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/app/explain"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/internal/diag"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
)

var (
	fr = i18n.Locale{Lang: "fr"}
	en = i18n.Locale{Lang: "en"}
)

// findings words the findings in English, as the diagnosis shows them.
func findings(r *diag.Report) string {
	var b strings.Builder
	for _, f := range r.Findings {
		what, next := explain.FindingIn(en, f)
		b.WriteString(string(f.Severity) + ": " + what + " -> " + next + "\n")
	}
	return b.String()
}

func TestConclusions(t *testing.T) {
	passed := diag.SelfTest{Passed: true, APDUs: 19, ShortAPDUs: 124}
	ready := diag.Service{Installed: true, Running: true, Reachable: true}
	cases := []struct {
		name    string
		r       diag.Report
		want    []string // substrings of the findings, in English
		verdict string
	}{
		{"all fine", diag.Report{Service: ready,
			Readers: []diag.Reader{{Name: "R", Card: "present", Extended: "yes"}}, SelfTest: passed},
			[]string{"Self-test passed"}, "Everything is ready"},
		{"no pcscd", diag.Report{Service: diag.Service{Installed: true}, SelfTest: passed},
			[]string{"pcscd is not running", "systemctl start pcscd"}, "not possible yet"},
		{"not installed", diag.Report{SelfTest: passed}, []string{"apt install pcscd"}, "not possible yet"},
		{"no reader", diag.Report{Service: ready, SelfTest: passed},
			[]string{"No card reader", "libccid"}, "not possible yet"},
		{"pn533 modules", diag.Report{Service: ready, Conflicts: []string{"pn533_usb", "nfc"},
			ConflictFix: pcsc.KernelFix{Modules: "pn533_usb nfc", Blacklist: "block: blacklist pn533_usb", Unload: "sudo modprobe -r pn533_usb nfc"},
			Readers:     []diag.Reader{{Name: "R", Card: "absent"}}, SelfTest: passed},
			[]string{"pn533_usb nfc", "blacklist pn533_usb"}, "not possible yet"},
		{"short APDUs", diag.Report{Service: ready,
			Readers: []diag.Reader{{Name: "ACR122U", Card: "present", Extended: "no"}}, SelfTest: passed},
			[]string{"about 2 s longer (105 more exchanges)"}, "with a caveat"},
		{"card moved", diag.Report{Service: ready,
			Readers: []diag.Reader{{Name: "R", Card: "present", Extended: "yes", TestRead: &diag.TestRead{Error: "DG14: card removed",
				Err: chiperr.New(chiperr.CardRemoved, "DG14", "")}}}, SelfTest: passed},
			[]string{"Test read failed: The card was removed"}, "not possible yet"},
		{"self-test broken", diag.Report{Service: ready,
			Readers: []diag.Reader{{Name: "R", Card: "absent"}}, SelfTest: diag.SelfTest{Error: "boom"}},
			// Go's English error is no part of the sentence (it would stand
			// in a French one): WriteDiagnosis gives it on a technical line.
			[]string{"self-test on the virtual card failed: the application"}, "not possible yet"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.r
			r.Conclude(diag.Options{})
			got := findings(&r)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("findings lack %q:\n%s", w, got)
				}
			}
			vFR, vEN := explain.DiagnosisIn(fr, &r), explain.DiagnosisIn(en, &r)
			if !strings.Contains(vEN, tc.verdict) || vFR == "" || vFR == vEN {
				t.Errorf("verdict %q / %q, want %q", vFR, vEN, tc.verdict)
			}
			for _, f := range r.Findings {
				if w, _ := explain.FindingIn(fr, f); w == "" || w == "diag.what."+f.What || strings.Contains(w, "<no value>") {
					t.Errorf("finding without French words: %+v: %q", f, w)
				}
				if w, _ := explain.FindingIn(en, f); w == "" || w == "diag.what."+f.What || strings.Contains(w, "<no value>") {
					t.Errorf("finding without English words: %+v: %q", f, w)
				}
			}
			var b strings.Builder
			if err := explain.WriteDiagnosisIn(fr, &b, &r); err != nil || !strings.Contains(b.String(), vFR) {
				t.Errorf("text output: %v\n%s", err, b.String())
			}
		})
	}
}

// TestEmptyVirtualSlotsAreNoReaders: vpcd's slots without a virtual card
// are not counted as readers (the status line leaves them out too): with
// only those, the diagnosis says no reader is there and explains the slots.
func TestEmptyVirtualSlotsAreNoReaders(t *testing.T) {
	r := diag.Report{Service: diag.Service{Installed: true, Running: true, Reachable: true},
		Readers: []diag.Reader{
			{Name: "Virtual PCD 00 00", Card: "absent", Extended: "unknown", Virtual: true},
			{Name: "Virtual PCD 00 01", Card: "absent", Extended: "unknown", Virtual: true}},
		SelfTest: diag.SelfTest{Passed: true, APDUs: 19}}
	r.Conclude(diag.Options{})
	if n := r.CountedReaders(); n != 0 {
		t.Errorf("%d readers counted", n)
	}
	got := findings(&r)
	if !strings.Contains(got, "No card reader") || strings.Contains(got, "ready, no card") {
		t.Errorf("findings:\n%s", got)
	}
	if strings.Count(got, "Virtual slot \"Virtual PCD 00 0") != 2 || !strings.Contains(got, "not counted") {
		t.Errorf("the empty slots are not explained:\n%s", got)
	}
	var b strings.Builder
	explain.WriteDiagnosisIn(fr, &b, &r)
	if !strings.Contains(b.String(), "Lecteurs: 0") {
		t.Errorf("French report counts the empty slots:\n%s", b.String())
	}
	// A virtual card on slot 1: one reader, the other slot explained.
	r.Readers[1].Card = "present"
	r.Conclude(diag.Options{})
	if n := r.CountedReaders(); n != 1 {
		t.Errorf("%d readers counted with a virtual card", n)
	}
	if got := findings(&r); strings.Contains(got, "No card reader") {
		t.Errorf("findings:\n%s", got)
	}
}
