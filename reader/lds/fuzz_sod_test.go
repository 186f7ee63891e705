package lds_test

import (
	"crypto"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/sim/demo"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// FuzzParseSOD: hostile bytes only ever give chip errors with a kind, and
// what parses is consistent, parses again identically and can be checked
// against any data group content without panicking.
func FuzzParseSOD(f *testing.F) {
	for _, name := range []string{"bsi-tr03105-5_EF_SOD.bin", "etsi-tr103200_EF_SOD.bin"} {
		b := sodFile(f, name)
		f.Add(b)
		f.Add(berVariant(f, b, berOpts{}))
	}
	f.Add(sodSpec{lsoVersion: 1, versionInfo: seq(ber.Encode(0x13, []byte("0108")), ber.Encode(0x13, []byte("040000")))}.build(f))
	f.Add(sodSpec{siVersion: 3, sid: ber.Encode(0x80, []byte{1, 2, 3}), noCerts: true, unsigned: true}.build(f))
	f.Add(sodSpec{hashOID: oidSHA3_256, crls: [][]byte{seq()}}.build(f))
	p := sodTestPKI(f, demo.ECDSAP256)
	b, err := demo.BuildSODWith(p, crypto.SHA256, demoDataGroups(f), nil, demo.SODOptions{SigningTime: time.Unix(1.8e9, 0)})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)

	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := lds.ParseSOD(b)
		if err != nil {
			if chiperr.KindOf(err) == 0 {
				t.Fatalf("error without a chip error kind: %v", err)
			}
			return
		}
		if len(s.EContent) == 0 || len(s.Signer.SignedAttrsRaw) == 0 || s.Signer.SignedAttrsRaw[0] != 0x31 {
			t.Fatal("EContent or SignedAttrsRaw missing")
		}
		if !s.Signer.ContentType.Equal(s.EContentType) || len(s.Signer.MessageDigest) == 0 || len(s.Signer.Signature) == 0 {
			t.Fatal("signer fields missing")
		}
		if (s.HashAlgorithm.Err == nil) != (s.HashAlgorithm.Hash != 0) {
			t.Fatal("hash algorithm neither known nor reported unsupported")
		}
		dgs := s.DataGroups()
		if len(dgs) == 0 || len(dgs) != len(s.DataGroupHashes) || !slices.IsSorted(dgs) {
			t.Fatalf("data groups %v", dgs)
		}
		for _, dg := range dgs {
			if !dg.Valid() {
				t.Fatalf("invalid %v", dg)
			}
			err := s.CheckDataGroup(dg, b)
			if err != nil && !errors.Is(err, lds.ErrDataGroupHashMismatch) && !errors.Is(err, chiperr.Unsupported) {
				t.Fatalf("CheckDataGroup: %v", err)
			}
		}
		again, err := lds.ParseSOD(b)
		if err != nil || !reflect.DeepEqual(s, again) {
			t.Fatal("second parse differs")
		}
	})
}

// FuzzParseCardSecurity: hostile EF.CardSecurity bytes give chip errors
// with a kind; what parses has its SecurityInfos and no data group hashes.
func FuzzParseCardSecurity(f *testing.F) {
	p := sodTestPKI(f, demo.ECDSAP256)
	id := 13
	infos, err := (&lds.SecurityInfos{PACE: []lds.PACEInfo{{Protocol: lds.ProtocolOID(oids.PACE, 2, 2), Version: 2, ParameterID: &id}}}).Build()
	if err != nil {
		f.Fatal(err)
	}
	b, err := demo.BuildCardSecurity(p, crypto.SHA256, infos, nil, demo.SODOptions{SigningTime: time.Unix(1.8e9, 0)})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(append(slices.Clone(b), 0, 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		cs, err := lds.ParseCardSecurity(b)
		if err != nil {
			if chiperr.KindOf(err) == 0 {
				t.Fatalf("error without a chip error kind: %v", err)
			}
			return
		}
		if cs.Infos == nil || cs.Signed == nil || len(cs.Signed.DataGroupHashes) != 0 {
			t.Fatalf("parsed EF.CardSecurity %+v", cs)
		}
	})
}
