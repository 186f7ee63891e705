package pcsc

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// Reader names as pcscd shows them: the ACR122U, ACR1252, OMNIKEY 5022,
// uTrust 3700 F and cyberJack RFID basis ones as given in the project's
// brief, the 5427 CK one from LudovicRousseau/PCSC issue 82, Virtual PCD
// from pcscd_test.go; the 4701 F, komfort and SCL3711 names are
// illustrative (the model name within them is what matters).
func TestLookupQuirksByName(t *testing.T) {
	cases := []struct {
		reader   string
		want     string
		extended bool
	}{
		{"ACS ACR122U PICC Interface 00 00", "ACS ACR122U", false},
		{"ACS ACR1252 1S CL Reader [ACR1252 Dual Reader PICC] 00 00", "ACS ACR1252U", true},
		{"HID Global OMNIKEY 5022 Smart Card Reader 00 00", "HID OMNIKEY 5022", true},
		{"HID OMNIKEY 5427 CK (010100534E5634303104531E20192530) 00 00", "HID OMNIKEY 5427 CK", true},
		{"Identiv uTrust 3700 F CL Reader 00 00", "Identiv uTrust 3700 F", true},
		{"Identiv uTrust 4701 F Dual Interface Reader(2) 01 00", "Identiv uTrust 4701 F", true},
		{"REINER SCT cyberJack RFID basis 00 00", "REINER SCT cyberJack RFID basis", true},
		{"REINER SCT cyberJack RFID komfort 00 00", "REINER SCT cyberJack RFID standard / komfort", true},
		{"SCM Micro SCL3711-NFC&RW 00 00", "SCM/Identiv SCL3711 or another PN533 reader", false},
		{"Virtual PCD 00 01", "Virtual PCD (vsmartcard, the demo card)", true},
	}
	for _, c := range cases {
		q, ok := LookupQuirks(c.reader, 0, 0)
		if !ok || q.Name != c.want || q.ExtendedLength != c.extended {
			t.Errorf("%q: %q (found %v, extended %v), want %q", c.reader, q.Name, ok, q.ExtendedLength, c.want)
		}
	}
	if _, ok := LookupQuirks("Gemalto PC Twin Reader 00 00", 0, 0); ok {
		t.Error("an unknown reader was found")
	}
}

func TestLookupQuirksByUSBID(t *testing.T) {
	cases := []struct {
		vid, pid uint16
		want     string
	}{
		{0x072F, 0x2200, "ACS ACR122U"},
		{0x04E6, 0x5591, "SCM/Identiv SCL3711 or another PN533 reader"},
		{0x072F, 0x223B, "ACS ACR1252U"},
		{0x076B, 0x5422, "HID OMNIKEY 5422"},
		{0x076B, 0x5428, "HID OMNIKEY 5427 CK"},
		{0x04E6, 0x5724, "Identiv uTrust 4701 F"},
		{0x0C4B, 0x0500, "REINER SCT cyberJack RFID standard / komfort"},
		{0x0C4B, 0x9102, "REINER SCT cyberJack RFID basis"},
	}
	for _, c := range cases {
		// The id wins over a misleading name.
		q, ok := LookupQuirks("Virtual PCD 00 00", c.vid, c.pid)
		if !ok || q.Name != c.want {
			t.Errorf("%04X:%04X: %q, want %q", c.vid, c.pid, q.Name, c.want)
		}
	}
	// An unknown id falls back to the name.
	if q, ok := LookupQuirks("ACS ACR122U PICC Interface 00 00", 0x1234, 0x5678); !ok || q.Name != "ACS ACR122U" {
		t.Errorf("fallback to the name: %q %v", q.Name, ok)
	}
}

func TestQuirksTable(t *testing.T) {
	ids := map[USBID]string{}
	for _, q := range Quirks {
		if q.Name == "" || q.Source == "" || q.Driver == "" || len(q.Match) == 0 {
			t.Errorf("%q: name, source, driver or name match missing", q.Name)
		}
		switch {
		case q.ExtendedLength && q.MaxAPDU < 4+3+65535:
			t.Errorf("%q: extended but MaxAPDU %d", q.Name, q.MaxAPDU)
		case !q.ExtendedLength && q.MaxAPDU != 261:
			t.Errorf("%q: short only but MaxAPDU %d", q.Name, q.MaxAPDU)
		}
		if q.CCIDMessage != 0 && !q.ExtendedLength && q.CCIDMessage-10 < q.MaxAPDU {
			t.Errorf("%q: a %d-byte APDU does not fit a %d-byte CCID message", q.Name, q.MaxAPDU, q.CCIDMessage)
		}
		for _, id := range q.IDs {
			if other, dup := ids[id]; dup {
				t.Errorf("%04X:%04X in %q and %q", id.Vendor, id.Product, other, q.Name)
			}
			ids[id] = q.Name
		}
		// app/explain's tests check that every code has words in both languages.
		for _, p := range q.Problems {
			if !slices.Contains(ProblemCodes, p.Code) {
				t.Errorf("%q: problem code %q is not listed", q.Name, p.Code)
			}
		}
	}
	acr, _ := LookupQuirks("ACS ACR122U PICC Interface 00 00", 0, 0)
	if acr.CCIDMessage != 271 || acr.MaxAPDU != 261 || len(acr.KernelModules) == 0 {
		t.Errorf("ACR122U: %+v", acr)
	}
}

func TestSkipSlot(t *testing.T) {
	q, _ := LookupQuirks("ACS ACR1252 1S CL Reader [ACR1252 Dual Reader PICC] 00 00", 0, 0)
	if q.SkipSlot("ACS ACR1252 1S CL Reader [ACR1252 Dual Reader PICC] 00 00") {
		t.Error("the contactless slot is skipped")
	}
	if !q.SkipSlot("ACS ACR1252 1S CL Reader [ACR1252 Dual Reader SAM] 00 01") {
		t.Error("the SAM slot is not skipped")
	}
}

// /proc/modules lines: name, size, users, dependents, state, address.
const procModulesPN533 = `nfc_digital 36864 0 - Live 0x0000000000000000
pn533_usb 20480 0 - Live 0x0000000000000000
pn533 45056 1 pn533_usb, Live 0x0000000000000000
nfc 135168 2 pn533,nfc_digital, Live 0x0000000000000000
ext4 1007616 1 - Live 0x0000000000000000
`

func TestKernelModuleConflicts(t *testing.T) {
	mods, fix := KernelModuleConflicts(strings.NewReader(procModulesPN533))
	if strings.Join(mods, " ") != "pn533_usb pn533 nfc_digital nfc" || fix.Modules != "pn533_usb pn533 nfc_digital nfc" {
		t.Fatalf("modules %v, fix %+v", mods, fix)
	}
	// app/explain's tests check that both languages show both commands.
	if !strings.Contains(fix.Blacklist, "sudo tee /etc/modprobe.d/blacklist-nfc-pcsc.conf") {
		t.Errorf("blacklist command %q", fix.Blacklist)
	}
	if fix.Unload != "sudo modprobe -r pn533_usb pn533 nfc_digital nfc" {
		t.Errorf("unload command %q", fix.Unload)
	}
	// The printf part of the command writes one blacklist line per module.
	start := strings.Index(fix.Blacklist, "printf ")
	end := strings.Index(fix.Blacklist, " | sudo tee")
	if start < 0 || end < start {
		t.Fatalf("no printf command in %q", fix.Blacklist)
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	out, err := exec.Command(sh, "-c", fix.Blacklist[start:end]).Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out), "blacklist pn533_usb\nblacklist pn533\nblacklist nfc_digital\nblacklist nfc\n"; got != want {
		t.Errorf("printf writes %q, want %q", got, want)
	}
}

func TestKernelModuleConflictsNone(t *testing.T) {
	if mods, fix := KernelModuleConflicts(strings.NewReader("ext4 1007616 1 - Live 0x0\nsnd 1 0 - Live 0x0\n")); mods != nil || fix != (KernelFix{}) {
		t.Errorf("no NFC module: %v %+v", mods, fix)
	}
	if mods, _ := KernelModuleConflicts(nil); mods != nil {
		t.Errorf("nil reader: %v", mods)
	}
	// A Sony RC-S380 (port100) after an absurdly long line: reading stops
	// at the long line, quietly.
	long := strings.Repeat("x", 8<<10) + "\nport100 1 0 - Live 0x0\n"
	if mods, _ := KernelModuleConflicts(strings.NewReader(long)); mods != nil {
		t.Errorf("long line: %v", mods)
	}
	if mods, _ := KernelModuleConflicts(strings.NewReader("port100 24576 0 - Live 0x0\nnfc 1 1 port100, Live 0x0\n")); strings.Join(mods, " ") != "port100 nfc" {
		t.Errorf("port100: %v", mods)
	}
}
