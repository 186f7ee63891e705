package pace

import (
	"encoding/asn1"
	"testing"
)

func oidFromHex(t *testing.T, h string) asn1.ObjectIdentifier {
	t.Helper()
	var oid asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(encodeTLV(0x06, hx(h)), &oid); err != nil {
		t.Fatal(err)
	}
	return oid
}
