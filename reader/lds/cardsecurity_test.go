package lds_test

import (
	"bytes"
	"crypto"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/sim/demo"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// EF.CardSecurity as the virtual card signs it parses back to its infos;
// an EF.SOD is not taken for one, nor the other way round.
func TestParseCardSecurity(t *testing.T) {
	p, err := demo.NewPKI(demo.SeededReader("card security"), demo.ECDSAP256)
	if err != nil {
		t.Fatal(err)
	}
	id := 13
	want := &lds.SecurityInfos{PACE: []lds.PACEInfo{{Protocol: lds.ProtocolOID(oids.PACE, 2, 2), Version: 2, ParameterID: &id}}}
	infos, err := want.Build()
	if err != nil {
		t.Fatal(err)
	}
	b, err := demo.BuildCardSecurity(p, crypto.SHA256, infos, nil, demo.SODOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := lds.ParseCardSecurity(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs.Infos.PACE) != 1 || !cs.Infos.PACE[0].Protocol.Equal(want.PACE[0].Protocol) || !bytes.Equal(cs.Signed.EContent, infos) {
		t.Errorf("infos %+v", cs.Infos)
	}
	if len(cs.Signed.Certificates) != 1 {
		t.Errorf("%d certificates, want the DS", len(cs.Signed.Certificates))
	}
	if _, err := lds.ParseSOD(b); err == nil {
		t.Error("EF.CardSecurity parsed as EF.SOD")
	}
	sod, err := demo.BuildSOD(p, crypto.SHA256, map[int][]byte{1: ber.Encode(0x61, []byte{1})}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lds.ParseCardSecurity(sod[2:]); err == nil {
		t.Error("EF.SOD's ContentInfo parsed as EF.CardSecurity")
	}
}
