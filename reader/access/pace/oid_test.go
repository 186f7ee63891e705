package pace

import (
	"encoding/asn1"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/ber"
)

func oidFromHex(t *testing.T, h string) asn1.ObjectIdentifier {
	t.Helper()
	oid, ok := ber.ParseOIDContents(testhex.MustBytes(h))
	if !ok {
		t.Fatalf("%s is not an OID", h)
	}
	return oid
}
