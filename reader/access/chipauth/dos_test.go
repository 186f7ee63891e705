package chipauth

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// TestParseDOs pins the limits CA puts on top of the LDS BER-TLV parser.
func TestParseDOs(t *testing.T) {
	dos, err := parseDOs(testhex.Bytes(t, "80 02 0102 84 81 01 07 91 00"), "test")
	if err != nil || len(dos) != 3 || dos[0].Tag != 0x80 || dos[1].Tag != 0x84 || !bytes.Equal(dos[1].Value, []byte{7}) || dos[2].Tag != 0x91 {
		t.Fatalf("%+v %v", dos, err)
	}
	for name, in := range map[string]string{
		"tag 00":              "00 00",
		"tag FF":              "FF 00",
		"two-byte tag":        "5F20 00",
		"truncated":           "80",
		"value past the end":  "80 03 0102",
		"trailing byte":       "80 01 01 84",
		"indefinite length":   "7C 80 0000",
		"length of 4 bytes":   "7C 84 00000001 00",
		"length above 1 MiB":  "7C 83 FFFFFF",
		"17 data objects":     strings.Repeat("80 00 ", 17),
		"tag 00 after a good": "80 00 00 00",
	} {
		_, err := parseDOs(testhex.Bytes(t, in), "test")
		if chiperr.KindOf(err) != chiperr.Malformed {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := parseDOs(testhex.Bytes(t, strings.Repeat("80 00 ", 16)), "test"); err != nil {
		t.Errorf("16 data objects: %v", err)
	}
}
