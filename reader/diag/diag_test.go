package diag

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func findings(r *Report) string {
	var b strings.Builder
	for _, f := range r.Findings {
		b.WriteString(string(f.Severity) + ": " + f.What.EN + " -> " + f.Next.EN + "\n")
	}
	return b.String()
}

func TestConclusions(t *testing.T) {
	passed := SelfTest{Passed: true, APDUs: 19, ShortAPDUs: 124}
	cases := []struct {
		name    string
		r       Report
		want    []string // substrings of the findings, in English
		verdict string
	}{
		{"all fine", Report{Service: Service{Installed: true, Running: true, Reachable: true},
			Readers: []Reader{{Name: "R", Card: "present", Extended: "yes"}}, SelfTest: passed},
			[]string{"Self-test passed"}, "Everything is ready"},
		{"no pcscd", Report{Service: Service{Installed: true}, SelfTest: passed},
			[]string{"pcscd is not running", "systemctl start pcscd"}, "not possible yet"},
		{"not installed", Report{SelfTest: passed}, []string{"apt install pcscd"}, "not possible yet"},
		{"no reader", Report{Service: Service{Installed: true, Running: true, Reachable: true}, SelfTest: passed},
			[]string{"No card reader", "libccid"}, "not possible yet"},
		{"pn533 modules", Report{Service: Service{Installed: true, Running: true, Reachable: true}, Conflicts: []string{"pn533_usb", "nfc"},
			ConflictFix: Text{FR: "bloquer : blacklist pn533_usb", EN: "block: blacklist pn533_usb"},
			Readers:     []Reader{{Name: "R", Card: "absent"}}, SelfTest: passed},
			[]string{"pn533_usb nfc", "blacklist pn533_usb"}, "not possible yet"},
		{"short APDUs", Report{Service: Service{Installed: true, Running: true, Reachable: true},
			Readers: []Reader{{Name: "ACR122U", Card: "present", Extended: "no"}}, SelfTest: passed},
			[]string{"about 2 s longer (105 more exchanges)"}, "with a caveat"},
		{"card moved", Report{Service: Service{Installed: true, Running: true, Reachable: true},
			Readers: []Reader{{Name: "R", Card: "present", Extended: "yes", TestRead: &TestRead{Error: "DG14: card removed",
				Message: Text{FR: "La carte a été retirée", EN: "The card was removed during reading. Put it back flat and try again."}}}}, SelfTest: passed},
			[]string{"Test read failed: The card was removed"}, "not possible yet"},
		{"self-test broken", Report{Service: Service{Installed: true, Running: true, Reachable: true},
			Readers: []Reader{{Name: "R", Card: "absent"}}, SelfTest: SelfTest{Error: "boom"}},
			[]string{"self-test on the virtual card failed (boom)"}, "not possible yet"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.r
			r.conclude(Options{})
			got := findings(&r)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("findings lack %q:\n%s", w, got)
				}
			}
			if !strings.Contains(r.Verdict.EN, tc.verdict) || r.Verdict.FR == "" || r.Verdict.FR == r.Verdict.EN {
				t.Errorf("verdict %+v, want %q", r.Verdict, tc.verdict)
			}
			for _, f := range r.Findings {
				if f.What.FR == "" || f.What.EN == "" {
					t.Errorf("finding without both languages: %+v", f)
				}
			}
			var b strings.Builder
			if err := r.WriteText(&b, "fr"); err != nil || !strings.Contains(b.String(), r.Verdict.FR) {
				t.Errorf("text output: %v\n%s", err, b.String())
			}
		})
	}
}

func TestSystemFacts(t *testing.T) {
	root := t.TempDir()
	write := func(p, s string) {
		full := filepath.Join(root, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		os.WriteFile(full, []byte(s), 0o644)
	}
	write("/etc/os-release", "NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n")
	write("/proc/sys/kernel/osrelease", "6.1.0-26-amd64\n")
	write("/proc/modules", "pn533_usb 20480 0 - Live 0x0\npn533 45056 1 pn533_usb, Live 0x0\nnfc 139264 1 pn533, Live 0x0\next4 1 0 - Live 0\n")
	write("/proc/4242/comm", "pcscd\n")
	s := system(root)
	if s.Distribution != "Debian GNU/Linux 12 (bookworm)" || s.Kernel != "6.1.0-26-amd64" {
		t.Errorf("system %+v", s)
	}
	got, fix := moduleConflicts(root)
	if strings.Join(got, ",") != "pn533_usb,pn533,nfc" || !strings.Contains(fix.EN, "blacklist pn533_usb") || fix.FR == "" {
		t.Errorf("conflicts %v, fix %+v", got, fix)
	}
	if !processRunning(root, "pcscd") || processRunning(root, "nothing") {
		t.Error("process detection")
	}
}

func TestSelfTest(t *testing.T) {
	var r Report
	r.selfTest(t.Context())
	if !r.SelfTest.Passed || r.SelfTest.APDUs == 0 || r.SelfTest.ShortAPDUs <= r.SelfTest.APDUs {
		t.Errorf("self-test %+v", r.SelfTest)
	}
}
