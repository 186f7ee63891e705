package lds

import (
	"bytes"
	"crypto"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/ber"
)

// Seeds are the vectors and documents of the other tests; every target
// checks that hostile bytes only ever produce chip errors with a kind, and
// that what parses builds back to something that parses the same.

func FuzzParseCOM(f *testing.F) {
	f.Add(testhex.Bytes(f, "60145F0104303130365F36063034303030305C026175"))
	f.Add(testhex.Bytes(f, "60065C046161996E"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCOM(b)
		checkKind(t, err)
		if err != nil {
			return
		}
		out, err := c.Build()
		if err != nil {
			t.Fatalf("build of a parsed EF.COM: %v", err)
		}
		c2, err := ParseCOM(out)
		if err != nil {
			t.Fatal(err)
		}
		if out2, _ := c2.Build(); !bytes.Equal(out, out2) {
			t.Fatal("EF.COM does not round-trip")
		}
	})
}

func FuzzParseSecurityInfos(f *testing.F) {
	for _, s := range []string{"31143012060A04007F0007020204020202010202010D", deDG14, deCardSecurity,
		"3110300E0606678108010105020101040100"} {
		f.Add(testhex.Bytes(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseSecurityInfos(b)
		checkKind(t, err)
		if err != nil {
			return
		}
		for _, k := range s.ChipAuthenticationPublicKeys {
			checkKind(t, k.KeyErr)
		}
		out, err := s.Build()
		if err != nil {
			t.Fatalf("build of parsed SecurityInfos: %v", err)
		}
		s2, err := ParseSecurityInfos(out)
		if err != nil {
			t.Fatal(err)
		}
		if out2, _ := s2.Build(); !bytes.Equal(out, out2) {
			t.Fatal("SecurityInfos do not round-trip")
		}
	})
}

func FuzzParsePublicKey(f *testing.F) {
	s, _ := ParseSecurityInfos(testhex.Bytes(f, deDG14))
	f.Add(s.ChipAuthenticationPublicKeys[0].PublicKeyInfo)
	s, _ = ParseSecurityInfos(testhex.Bytes(f, deCardSecurity))
	f.Add(s.ChipAuthenticationPublicKeys[0].PublicKeyInfo)
	p, g, q := testDHGroup()
	dh, _ := MarshalPublicKey(&DHPublicKey{P: p, G: g, Q: q, Y: g})
	f.Add(dh)
	f.Add(testhex.Bytes(f, "3036301006072A8648CE3D020106052B8104000A032200020000000000000000000000000000000000000000000000000000000000000001"))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParsePublicKey(b)
		checkKind(t, err)
		if err != nil {
			return
		}
		roundTripKey(t, k)
	})
}

func roundTripKey(t *testing.T, k crypto.PublicKey) {
	out, err := MarshalPublicKey(k)
	if err != nil {
		t.Fatalf("marshal of a parsed key: %v", err)
	}
	k2, err := ParsePublicKey(out)
	if err != nil {
		t.Fatal(err)
	}
	if out2, _ := MarshalPublicKey(k2); !bytes.Equal(out, out2) {
		t.Fatal("key does not round-trip")
	}
}

func FuzzParseDG1(f *testing.F) {
	b, _ := BuildDG1(td1...)
	f.Add(b)
	b, _ = BuildDG1("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseDG1(b)
		checkKind(t, err)
		if m == nil {
			return
		}
		out, err := BuildDG1(m.Lines...)
		if err != nil {
			t.Fatalf("build of a parsed DG1: %v", err)
		}
		if m2, _ := ParseDG1(out); m2 == nil || m2.DocumentNumber != m.DocumentNumber {
			t.Fatal("DG1 does not round-trip")
		}
	})
}

func FuzzParseDG11(f *testing.F) {
	d := &DG11{FullName: "MARTIN<<ÉLODIE", OtherNames: []string{"A<<B"}, FullDateOfBirth: "19740812", Address: "X<Y"}
	b, _ := d.Build()
	f.Add(b)
	f.Add(testhex.Bytes(f, "6B0A5F2B0419740812 5F0E00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDG11(b)
		checkKind(t, err)
		if err != nil {
			return
		}
		out, err := d.Build()
		if err != nil {
			t.Fatalf("build of a parsed DG11: %v", err)
		}
		d2, err := ParseDG11(out)
		if err != nil {
			t.Fatal(err)
		}
		if out2, _ := d2.Build(); !bytes.Equal(out, out2) {
			t.Fatal("DG11 does not round-trip")
		}
	})
}

func FuzzParseDG14(f *testing.F) {
	f.Add(ber.Encode(0x6E, testhex.Bytes(f, deDG14)))
	f.Add(ber.Encode(0x6E, testhex.Bytes(f, "31143012060A04007F0007020204020202010202010D")))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseDG14(b)
		checkKind(t, err)
		if err != nil {
			return
		}
		if _, err := BuildDG14(s); err != nil {
			t.Fatalf("build of a parsed DG14: %v", err)
		}
	})
}

func FuzzParseDG15(f *testing.F) {
	s, _ := ParseSecurityInfos(testhex.Bytes(f, deDG14))
	f.Add(ber.Encode(0x6F, s.ChipAuthenticationPublicKeys[0].PublicKeyInfo))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParseDG15(b)
		checkKind(t, err)
		if err != nil {
			return
		}
		roundTripKey(t, k)
	})
}
