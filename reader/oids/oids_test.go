package oids

import (
	"crypto"
	"encoding/asn1"
	"fmt"
	"strings"
	"testing"
)

func TestHash(t *testing.T) {
	// OIDs from RFC 3279 §2.2.1 (SHA-1) and RFC 5754 §2 / NIST CSOR.
	for oid, want := range map[string]crypto.Hash{
		"1.3.14.3.2.26":          crypto.SHA1,
		"2.16.840.1.101.3.4.2.4": crypto.SHA224,
		"2.16.840.1.101.3.4.2.1": crypto.SHA256,
		"2.16.840.1.101.3.4.2.2": crypto.SHA384,
		"2.16.840.1.101.3.4.2.3": crypto.SHA512,
		"2.16.840.1.101.3.4.2.5": crypto.SHA512_224,
		"2.16.840.1.101.3.4.2.6": crypto.SHA512_256,
		"2.16.840.1.101.3.4.2.8": 0, // SHA3-256: not an ICAO hash
		"1.2.840.113549.1.1.11":  0, // sha256WithRSAEncryption is not a digest
	} {
		var o asn1.ObjectIdentifier
		for _, a := range strings.Split(oid, ".") {
			var n int
			fmt.Sscan(a, &n)
			o = append(o, n)
		}
		got, ok := Hash(o)
		if got != want || ok != (want != 0) {
			t.Errorf("%s: %v %v, want %v", oid, got, ok, want)
		}
		if ok && !got.Available() {
			t.Errorf("%v not linked in", got)
		}
	}
}
