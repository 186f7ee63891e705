package iso7816

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Status words and their meaning: ISO/IEC 7816-4 (status bytes tables);
// 6987/6988 for secure messaging: ICAO 9303-11 §9.8.
func TestStatusErrorKind(t *testing.T) {
	for _, tc := range []struct {
		sw   uint16
		kind chiperr.Kind
	}{
		{0x6982, chiperr.SecurityStatus},
		{0x6A82, chiperr.FileNotFound},
		{0x6700, chiperr.WrongLength},
		{0x6C00, chiperr.WrongLength},
		{0x6C10, chiperr.WrongLength},
		{0x6CFF, chiperr.WrongLength},
		{0x63C0, chiperr.AccessDenied},
		{0x63C2, chiperr.AccessDenied},
		{0x63CF, chiperr.AccessDenied},
		{0x6983, chiperr.AccessDenied},
		{0x6987, chiperr.Integrity},
		{0x6988, chiperr.Integrity},
		// Everything else is an unexpected status.
		{0x6300, chiperr.Status},
		{0x6B00, chiperr.Status},
		{0x6D00, chiperr.Status},
		{0x6F00, chiperr.Status},
		{0x6985, chiperr.Status},
		{0x6110, chiperr.Status},
		{0x6701, chiperr.Status},
	} {
		t.Run(fmt.Sprintf("%04X", tc.sw), func(t *testing.T) {
			e := &StatusError{SW: tc.sw}
			if e.Kind() != tc.kind {
				t.Fatalf("Kind() = %d, want %d", e.Kind(), tc.kind)
			}
			if !errors.Is(e, tc.kind) || chiperr.KindOf(e) != tc.kind {
				t.Error("errors.Is / KindOf disagree with Kind()")
			}
			if tc.kind != chiperr.Status && errors.Is(e, chiperr.Status) {
				t.Error("matched Status too")
			}
			if want := fmt.Sprintf("status %04X", tc.sw); !strings.HasPrefix(e.Error(), want) {
				t.Errorf("Error() = %q", e.Error())
			}
		})
	}
}

func TestStatusErrorThroughWrap(t *testing.T) {
	var err error = &StatusError{SW: SWFileNotFound}
	err = chiperr.Wrap(chiperr.Status, "SELECT file", err)
	if !errors.Is(err, chiperr.FileNotFound) {
		t.Fatalf("errors.Is(%v, FileNotFound) = false", err)
	}
	if errors.Is(err, chiperr.Status) {
		t.Error("the wrapper's default kind replaced the status word's")
	}
	if chiperr.KindOf(err) != chiperr.FileNotFound {
		t.Errorf("KindOf = %d", chiperr.KindOf(err))
	}
	var se *StatusError
	if !errors.As(err, &se) || se.SW != SWFileNotFound {
		t.Error("the status word is no longer reachable")
	}
	// Wrapped twice, the kind still shows.
	err = chiperr.Wrap(chiperr.Transport, "read DG11", err)
	if !errors.Is(err, chiperr.FileNotFound) {
		t.Error("kind lost two levels deep")
	}
}

func TestDescribeSW(t *testing.T) {
	for sw, want := range map[uint16]string{
		0x9000: "normal processing",
		0x6110: "16 more bytes",
		0x63C3: "3 tries left",
		0x6C20: "32 bytes available",
		0x6A82: "not found",
		0x1234: "unknown status",
	} {
		if got := DescribeSW(sw); !strings.Contains(got, want) {
			t.Errorf("DescribeSW(%04X) = %q, want it to contain %q", sw, got, want)
		}
	}
}

// Every status word a chip may send has a name (ISO/IEC 7816-4 §5.6): a
// wrong CAN's 6300 is "authentication failed", never "unknown status".
func TestMeaningOfNamesTheStandardWords(t *testing.T) {
	for sw, want := range map[uint16]Meaning{
		0x9000: {Code: "ok"}, 0x6300: {Code: "auth_failed"}, 0x63C2: {Code: "retries_left", N: 2},
		0x63C0: {Code: "retries_left"}, 0x6110: {Code: "more_data", N: 16}, 0x6C20: {Code: "wrong_le", N: 32},
		0x6281: {Code: "data_corrupted"}, 0x6282: {Code: "end_of_file"}, 0x6283: {Code: "file_deactivated"},
		0x6581: {Code: "memory_failure"}, 0x6700: {Code: "wrong_length"}, 0x6882: {Code: "sm_not_supported"},
		0x6883: {Code: "last_command_expected"}, 0x6982: {Code: "security_status"}, 0x6983: {Code: "auth_blocked"},
		0x6984: {Code: "reference_unusable"}, 0x6985: {Code: "conditions"}, 0x6986: {Code: "no_current_ef"},
		0x6987: {Code: "sm_missing"}, 0x6988: {Code: "sm_incorrect"}, 0x6A80: {Code: "wrong_data"},
		0x6A81: {Code: "func_not_supported"}, 0x6A82: {Code: "file_not_found"}, 0x6A86: {Code: "incorrect_p1p2"},
		0x6A87: {Code: "nc_p1p2"}, 0x6A88: {Code: "data_not_found"}, 0x6B00: {Code: "wrong_p1p2"},
		0x6D00: {Code: "ins_not_supported"}, 0x6E00: {Code: "cla_not_supported"}, 0x6F00: {Code: "no_diagnosis"},
		// A second byte the standard leaves open is named by its first.
		0x6299: {Code: "warning_unchanged"}, 0x6312: {Code: "warning_changed"}, 0x6601: {Code: "security_reserved"},
		0x69F0: {Code: "not_allowed"}, 0x6AF0: {Code: "wrong_parameters"},
		// Outside the standard's table.
		0x6701: {Code: "unknown"}, 0x6B01: {Code: "unknown"}, 0x1234: {Code: "unknown"}, 0x9001: {Code: "unknown"},
	} {
		if got := MeaningOf(sw); got != want {
			t.Errorf("MeaningOf(%04X) = %+v, want %+v", sw, got, want)
		}
	}
	if d := (&StatusError{SW: 0x6300}).Error(); d != "status 6300: authentication failed (no information given, memory changed)" {
		t.Errorf("6300: %q", d)
	}
}

// Each first byte the standard defines names every second byte, and each
// code has one English text.
func TestEveryStandardFirstByteIsNamed(t *testing.T) {
	codes := map[string]bool{}
	for _, c := range SWCodes() {
		codes[c] = true
	}
	for sw := uint16(0x6100); sw <= 0x6AFF; sw++ {
		if sw>>8 == 0x67 {
			continue
		}
		m := MeaningOf(sw)
		if m.Code == "unknown" || strings.Contains(DescribeSW(sw), "unknown") || strings.Contains(DescribeSW(sw), "%!") {
			t.Errorf("%04X: %+v %q", sw, m, DescribeSW(sw))
		}
		if !codes[m.Code] {
			t.Errorf("%04X: code %q not in SWCodes", sw, m.Code)
		}
	}
}
