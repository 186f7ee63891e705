package ber

import (
	"bytes"
	"encoding/asn1"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

func TestOIDContents(t *testing.T) {
	// id-PACE-ECDH-GM-AES-CBC-CMAC-128 as DO'80' of MSE:Set AT carries it:
	// ICAO Doc 9303-11 Appendix G.1, command 0022C1A40F 800A 04007F00070202040202 830101.
	pace := asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 2, 2}
	want := testhex.Bytes(t, "04007F00070202040202")
	if got := OIDContents(pace); !bytes.Equal(got, want) {
		t.Fatalf("OIDContents = %X, want %X", got, want)
	}
	if oid, ok := ParseOIDContents(want); !ok || !oid.Equal(pace) {
		t.Fatalf("ParseOIDContents = %v %v", oid, ok)
	}
	// Round trips, including arcs of several bytes.
	for _, oid := range []asn1.ObjectIdentifier{oids.CA, oids.AAProtocolObject, oids.RSAEncryption, {2, 999, 1 << 30}} {
		b := OIDContents(oid)
		if got, ok := ParseOIDContents(b); !ok || !got.Equal(oid) {
			t.Errorf("%v: %X -> %v %v", oid, b, got, ok)
		}
	}
	// An OID whose contents need a long-form length still encodes.
	long := make(asn1.ObjectIdentifier, 140)
	long[0], long[1] = 1, 2
	for i := 2; i < len(long); i++ {
		long[i] = i
	}
	der, _ := asn1.Marshal(long)
	if b := OIDContents(long); der[1] != 0x81 || !bytes.Equal(b, der[3:]) {
		t.Errorf("long OID: %X from %X", b, der)
	}
	for _, bad := range []asn1.ObjectIdentifier{nil, {1}, {3, 1}, {1, 40}} {
		if b := OIDContents(bad); b != nil {
			t.Errorf("%v encoded as %X", bad, b)
		}
	}
}

func TestParseOIDContentsRejects(t *testing.T) {
	for _, h := range []string{
		"",                       // empty
		"2B8006",                 // non-minimal arc (leading 80)
		"2B86",                   // arc cut in the middle
		"2BFFFFFFFFFFFFFFFFFF7F", // arc overflowing an int
	} {
		if oid, ok := ParseOIDContents(testhex.Bytes(t, h)); ok {
			t.Errorf("%s accepted as %v", h, oid)
		}
	}
	if _, ok := ParseOIDContents(bytes.Repeat([]byte{0x2B}, maxOIDContents+1)); ok {
		t.Error("contents above the bound accepted")
	}
	if _, ok := ParseOIDContents(bytes.Repeat([]byte{0x2B}, maxOIDContents)); !ok {
		t.Error("contents at the bound refused")
	}
}

// FuzzParseOIDContents: whatever is accepted encodes back to the same bytes.
func FuzzParseOIDContents(f *testing.F) {
	f.Add(testhex.Bytes(f, "04007F00070202040202"))
	f.Add(testhex.Bytes(f, "2B8006"))
	f.Fuzz(func(t *testing.T, b []byte) {
		oid, ok := ParseOIDContents(b)
		if ok && !bytes.Equal(OIDContents(oid), b) {
			t.Fatalf("%X -> %v -> %X", b, oid, OIDContents(oid))
		}
	})
}
