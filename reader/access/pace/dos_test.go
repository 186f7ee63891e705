package pace

import (
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// TestParseDynAuthLimits pins the checks PACE keeps on top of the LDS
// BER-TLV parser.
func TestParseDynAuthLimits(t *testing.T) {
	d, err := parseDynAuth(testhex.MustBytes("7C 0A 80 01 AA 7F49 81 01 BB 86 00"), "test")
	if err != nil || len(d) != 3 || d[0x80][0] != 0xAA || d[0x7F49][0] != 0xBB {
		t.Fatalf("%v %v", d, err)
	}
	for name, in := range map[string]string{
		"tag 00":            "7C 02 00 00",
		"three-byte tag":    "7C 03 5F8001 00",
		"tag twice":         "7C 06 80 01 AA 80 01 BB",
		"trailing byte":     "7C 00 00",
		"child past end":    "7C 03 80 05 AA",
		"length of 4 bytes": "7C 84 00000001 00",
		"child length 84":   "7C 06 80 84 00000000",
		"wrong template":    "7D 00",
	} {
		_, err := parseDynAuth(testhex.MustBytes(in), "test")
		if chiperr.KindOf(err) != chiperr.Malformed {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, in := range map[string]string{
		"tag 00":         "800A04007F00070202040202 830101 00 00",
		"three-byte tag": "800A04007F00070202040202 830101 5F8001 00",
		"OID too long":   "8021 2B" + "0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20" + "830101",
		"non-minimal":    "8003 2B8001 830101",
	} {
		_, err := parseSetAT(testhex.MustBytes(in))
		if chiperr.KindOf(err) != chiperr.Malformed {
			t.Errorf("Set AT %s: %v", name, err)
		}
	}
}
