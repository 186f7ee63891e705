package pcsc

import (
	"bufio"
	"io"
	"strings"
)

// USBID is a USB vendor and product id.
type USBID struct{ Vendor, Product uint16 }

// Problem is a known trouble with a reader and what the program does
// about it (or tells the user to do), as a code the application renders in
// the reader's language: keys "reader.problem.<code>.what" (the trouble,
// for support staff and curious users) and "reader.problem.<code>.fix"
// (what the program does, or the exact steps for the user).
type Problem struct {
	Code string            `json:"code"`
	Args map[string]string `json:"args,omitempty"` // Slots for ProblemTwoSlots
}

// The known troubles.
const (
	ProblemKernelDriver   = "kernel-driver"    // Linux's NFC driver takes the reader
	ProblemShortAPDUs     = "short-apdus"      // short exchanges only
	ProblemTwoSlots       = "two-slots"        // several PC/SC readers, one contactless
	ProblemNotCCID        = "not-ccid"         // not handled by the CCID driver
	ProblemKeyboardWedge  = "keyboard-wedge"   // types badge numbers instead
	ProblemMakerDriver    = "maker-driver"     // needs REINER SCT's driver
	ProblemVPCDEmptyReply = "vpcd-empty-reply" // vpcd answers empty when the card leaves
)

// ProblemCodes lists every code, for the tests that check each has words.
var ProblemCodes = []string{ProblemKernelDriver, ProblemShortAPDUs, ProblemTwoSlots, ProblemNotCCID,
	ProblemKeyboardWedge, ProblemMakerDriver, ProblemVPCDEmptyReply}

// Quirk is what the program knows about one reader model.
type Quirk struct {
	Name   string   // plain-language name, for the holder
	IDs    []USBID  // USB ids of the model (none for a virtual reader)
	Match  []string // substrings of the PC/SC reader name, case-insensitive
	Driver string   // the PC/SC driver that serves it
	// ExtendedLength: extended-length APDUs pass. When false, send short
	// APDUs only (Lc <= 255, Le <= 256).
	ExtendedLength bool
	// MaxAPDU is the largest APDU, command or response, that passes in one
	// Transmit: 261 for a short-only reader (4 + 1 + 255 + 1).
	MaxAPDU int
	// CCIDMessage is the reader's dwMaxCCIDMessageLength (0: not known).
	// The CCID driver chains extended APDUs beyond it.
	CCIDMessage int
	// KernelModules are Linux modules that claim the reader before pcscd.
	KernelModules []string
	// SkipSlots are substrings of slot names that are not the contactless
	// interface (a SAM or contact slot of the same reader).
	SkipSlots []string
	Problems  []Problem
	Source    string // where the ids and limits come from
}

const (
	// maxShortAPDU is the longest short command: header, Lc, 255 bytes, Le.
	maxShortAPDU = 4 + 1 + 255 + 1
	// maxExtendedAPDU is the longest extended command (header, Lc on 3
	// bytes, 65535 bytes, Le on 2); an extended response is 65536 + 2.
	maxExtendedAPDU = 4 + 3 + 65535 + 2
)

// pn533Modules are the Linux NFC modules that bind PN533-based readers.
var pn533Modules = []string{"pn533_usb", "pn533", "nfc"}

var (
	probKernel = Problem{Code: ProblemKernelDriver}
	probShort  = Problem{Code: ProblemShortAPDUs}
)

func probTwoSlots(names string) Problem {
	return Problem{Code: ProblemTwoSlots, Args: map[string]string{"Slots": names}}
}

// Quirks is the table of known readers. Sources: the USB ids and CCID
// limits come from the CCID driver (libccid 1.5.2's Info.plist, built from
// its supported_readers.txt, and the descriptor dumps in its readers/
// directory: ACR122U_PICC.txt, ACS_ACR1252_Dual_Reader.txt,
// HID_Global_OMNIKEY_5022_Smart_Card_Reader.txt, HID_OMNIKEY_5427_CK.txt,
// Identiv_uTrust_3700_F_CL_Reader.txt); the PN533 ids from Linux
// drivers/nfc/pn533/usb.c; the cyberJack RFID standard/komfort ids from
// REINER SCT's ifd-cyberjack driver (product 0x500/0x501).
var Quirks = []Quirk{
	{
		Name:           "ACS ACR122U",
		IDs:            []USBID{{0x072F, 0x2200}},
		Match:          []string{"ACR122"},
		Driver:         "libccid",
		ExtendedLength: false,
		MaxAPDU:        maxShortAPDU,
		CCIDMessage:    271,
		KernelModules:  pn533Modules,
		Problems:       []Problem{probKernel, probShort},
		Source:         "ccid readers/ACR122U_PICC.txt (dwFeatures 0x00020040: short APDU level, 271 bytes); Linux drivers/nfc/pn533/usb.c (ACR122U_PRODUCT_ID 0x2200)",
	},
	{
		Name:           "SCM/Identiv SCL3711 or another PN533 reader",
		IDs:            []USBID{{0x04E6, 0x5591}, {0x04CC, 0x2533}, {0x054C, 0x02E1}},
		Match:          []string{"SCL3711", "PN533"},
		Driver:         "not CCID: the maker's PC/SC driver, or libnfc's ifdnfc",
		ExtendedLength: false,
		MaxAPDU:        maxShortAPDU,
		KernelModules:  pn533Modules,
		Problems:       []Problem{probKernel, probShort, {Code: ProblemNotCCID}},
		Source:         "Linux drivers/nfc/pn533/usb.c (SCL3711 04E6:5591, PN533 04CC:2533, Sony PaSoRi 054C:02E1)",
	},
	{
		Name:           "ACS ACR1252U",
		IDs:            []USBID{{0x072F, 0x223B}, {0x072F, 0x223E}},
		Match:          []string{"ACR1252"},
		Driver:         "libccid",
		ExtendedLength: true,
		MaxAPDU:        maxExtendedAPDU,
		CCIDMessage:    522,
		SkipSlots:      []string{"SAM"},
		Problems:       []Problem{probTwoSlots("PICC, SAM")},
		Source:         "ccid readers/ACS_ACR1252_Dual_Reader.txt (PICC interface: extended APDU level, 522 bytes; SAM interface)",
	},
	{
		Name:           "HID OMNIKEY 5022",
		IDs:            []USBID{{0x076B, 0x5022}},
		Match:          []string{"OMNIKEY 5022"},
		Driver:         "libccid",
		ExtendedLength: true,
		MaxAPDU:        maxExtendedAPDU,
		CCIDMessage:    520,
		Source:         "ccid readers/HID_Global_OMNIKEY_5022_Smart_Card_Reader.txt (extended APDU level, 520 bytes)",
	},
	{
		Name:           "HID OMNIKEY 5422",
		IDs:            []USBID{{0x076B, 0x5422}},
		Match:          []string{"OMNIKEY 5422"},
		Driver:         "libccid",
		ExtendedLength: true,
		MaxAPDU:        maxExtendedAPDU,
		Problems:       []Problem{probTwoSlots("contact, contactless")},
		Source:         "libccid Info.plist (076B:5422); extended length as the 5022 family, not measured here",
	},
	{
		Name:           "HID OMNIKEY 5427 CK",
		IDs:            []USBID{{0x076B, 0x5427}, {0x076B, 0x5428}},
		Match:          []string{"OMNIKEY 5427", "5427 CK"},
		Driver:         "libccid",
		ExtendedLength: true,
		MaxAPDU:        maxExtendedAPDU,
		CCIDMessage:    520,
		Problems:       []Problem{{Code: ProblemKeyboardWedge}},
		Source:         "ccid readers/HID_OMNIKEY_5427_CK.txt (extended APDU level, 520 bytes); keyboard-wedge id 076B:5428 and the settings page from coinkite/coinkite-tap-proto pull request 36",
	},
	{
		Name:           "Identiv uTrust 3700 F",
		IDs:            []USBID{{0x04E6, 0x5790}},
		Match:          []string{"uTrust 3700 F"},
		Driver:         "libccid",
		ExtendedLength: true,
		MaxAPDU:        maxExtendedAPDU,
		CCIDMessage:    1034,
		Source:         "ccid readers/Identiv_uTrust_3700_F_CL_Reader.txt (extended APDU level, 1034 bytes)",
	},
	{
		Name:           "Identiv uTrust 4701 F",
		IDs:            []USBID{{0x04E6, 0x5724}},
		Match:          []string{"uTrust 4701 F"},
		Driver:         "libccid",
		ExtendedLength: true,
		MaxAPDU:        maxExtendedAPDU,
		Problems:       []Problem{probTwoSlots("contact, contactless")},
		Source:         "libccid Info.plist (04E6:5724 \"Identiv uTrust 4701 F Dual Interface Reader\"); extended length not measured here",
	},
	{
		Name:           "REINER SCT cyberJack RFID basis",
		IDs:            []USBID{{0x0C4B, 0x9102}},
		Match:          []string{"cyberJack RFID basis"},
		Driver:         "libccid",
		ExtendedLength: true,
		MaxAPDU:        maxExtendedAPDU,
		Source:         "libccid Info.plist (0C4B:9102); a reader certified for the German eID, which needs extended length",
	},
	{
		Name:           "REINER SCT cyberJack RFID standard / komfort",
		IDs:            []USBID{{0x0C4B, 0x0500}, {0x0C4B, 0x0501}},
		Match:          []string{"cyberJack RFID standard", "cyberJack RFID komfort"},
		Driver:         "REINER SCT ifd-cyberjack (Debian: libifd-cyberjack6)",
		ExtendedLength: true,
		MaxAPDU:        maxExtendedAPDU,
		Problems:       []Problem{{Code: ProblemMakerDriver}},
		Source:         "ifd-cyberjack driver (\"REINER SCT cyberJack RFID standard\" 0x500, \"komfort\" 0x501, vendor 0x0C4B)",
	},
	{
		Name:           "Virtual PCD (vsmartcard, the demo card)",
		Match:          []string{"Virtual PCD"},
		Driver:         "vsmartcard vpcd",
		ExtendedLength: true,
		MaxAPDU:        maxExtendedAPDU,
		Problems:       []Problem{{Code: ProblemVPCDEmptyReply}},
		Source:         "vsmartcard vpcd (no USB device; pcscd names its slots \"Virtual PCD 00 00\", \"Virtual PCD 00 01\")",
	},
}

// LookupQuirks finds what is known of a reader: by USB id first (when vid
// or pid is not zero), then by the longest table substring found in the
// PC/SC reader name, ignoring case.
func LookupQuirks(readerName string, vid, pid uint16) (Quirk, bool) {
	if vid != 0 || pid != 0 {
		for _, q := range Quirks {
			for _, id := range q.IDs {
				if id.Vendor == vid && id.Product == pid {
					return q, true
				}
			}
		}
	}
	name := strings.ToLower(readerName)
	best, bestLen := -1, 0
	for i, q := range Quirks {
		for _, m := range q.Match {
			if len(m) > bestLen && strings.Contains(name, strings.ToLower(m)) {
				best, bestLen = i, len(m)
			}
		}
	}
	if best < 0 {
		return Quirk{}, false
	}
	return Quirks[best], true
}

// SkipSlot reports whether a PC/SC reader name is a slot of this reader
// that is not its contactless interface.
func (q Quirk) SkipSlot(readerName string) bool {
	name := strings.ToLower(readerName)
	for _, s := range q.SkipSlots {
		if strings.Contains(name, strings.ToLower(s)) {
			return true
		}
	}
	return false
}

// conflictModules are the kernel NFC modules that take contactless readers
// away from pcscd, in the order they can be unloaded (users first).
var conflictModules = []string{"pn533_usb", "port100", "pn533", "nfc_digital", "nfc"}

const (
	maxModuleLines = 10000   // a kernel has a few hundred modules loaded
	maxModuleLine  = 4 << 10 // one line of /proc/modules is ~100 bytes
)

// KernelFix is the way to keep the kernel's NFC modules away from the
// readers: shell commands, the same in every language (the application
// words them, key "diag.next.kernel-modules").
type KernelFix struct {
	Modules   string `json:"modules"`   // the loaded modules, space separated
	Blacklist string `json:"blacklist"` // writes a modprobe blacklist file, for good
	Unload    string `json:"unload"`    // unloads them now
}

// KernelModuleConflicts reads /proc/modules and returns the loaded NFC
// modules that keep pcscd from a PN533 or Sony reader (pn533_usb, pn533,
// nfc, port100...), with the exact fix. It returns nil and a zero
// KernelFix when none is loaded. Reading stops quietly at an error or an
// unreasonably long line: this is a hint, not a verdict.
func KernelModuleConflicts(procModules io.Reader) ([]string, KernelFix) {
	if procModules == nil {
		return nil, KernelFix{}
	}
	loaded := map[string]bool{}
	sc := bufio.NewScanner(io.LimitReader(procModules, maxModuleLines*maxModuleLine))
	sc.Buffer(make([]byte, 0, 512), maxModuleLine)
	for n := 0; n < maxModuleLines && sc.Scan(); n++ {
		if f := strings.Fields(sc.Text()); len(f) > 0 {
			loaded[f[0]] = true
		}
	}
	var found []string
	for _, m := range conflictModules {
		if loaded[m] {
			found = append(found, m)
		}
	}
	if len(found) == 0 {
		return nil, KernelFix{}
	}
	list := strings.Join(found, " ")
	var lines strings.Builder
	for _, m := range found {
		lines.WriteString("blacklist " + m + `\n`)
	}
	return found, KernelFix{
		Modules:   list,
		Blacklist: `printf '` + lines.String() + `' | sudo tee /etc/modprobe.d/blacklist-nfc-pcsc.conf`,
		Unload:    "sudo modprobe -r " + list,
	}
}
