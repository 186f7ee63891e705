package pace

import (
	"encoding/asn1"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/lds"
)

func oidFromHex(t *testing.T, h string) asn1.ObjectIdentifier {
	t.Helper()
	oid, ok := lds.ParseOIDContents(hx(h))
	if !ok {
		t.Fatalf("%s is not an OID", h)
	}
	return oid
}
