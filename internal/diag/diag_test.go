package diag

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
	// The words around the commands are app/explain's to test.
	if strings.Join(got, ",") != "pn533_usb,pn533,nfc" || !strings.Contains(fix.Blacklist, "blacklist pn533_usb") || fix.Unload == "" {
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
