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
