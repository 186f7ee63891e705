package lds

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"math/big"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// Public SecurityInfos of a German passport (DG14 and EF.CardSecurity),
// published as test data by the gmrtd project (document/securityinfos_test.go,
// found with the search tool). They hold only public keys.
const (
	deDG14         = "31820196300D060804007F00070202020201013012060A04007F0007020204020202010202010D3012060A04007F0007020204060202010202010D3013060A04007F00070202030202020101020200C330820146060904007F000702020102308201333081EC06072A8648CE3D02013081E0020101302C06072A8648CE3D0101022100A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377304404207D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9042026DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B60441048BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997022100A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7020101034200047036BC5D0BCF31913B59103BB6F2C0C98C99EF4C19B9517340B76BFE4EE2194C76C3F3314E021D4B092DB5A32AB7D6E297F2FBEAE45AA28DEFC4DA750FEAD54E020200C3"
	deCardSecurity = "31820131300d060804007f00070202020201023012060a04007f000702020302020201020201483012060a04007f0007020204020202010202010d3012060a04007f0007020204060202010202010d301c060904007f000702020302300c060704007f0007010202010d0201483062060904007f0007020201023052300c060704007f0007010202010d03420004614cd88b00821a887869d0060b44a9d18789353e8cf7dfbc3f29f79327de30b97b1b2dda0be77f24ad415c327c7b7ab2e9c10b0258f5bcbf90c01825fbdfdef702010d3062060904007f0007020201023052300c060704007f0007010202010d034200048488a2dc34b6b36d6c01a8dfbd70a874610c53b32893a1de3b1c4bbf477eef3761aa51dfd6b52da43587e95386fc34ffe178d90086a7d646047c82bebc27da3e020148"
)

func TestCardAccessVector(t *testing.T) {
	// Doc 9303 Part 11 Appendix G.1 (vectors JSON pace_ecdh_gm_appendix_G1.ef_card_access):
	// one PACEInfo, id-PACE-ECDH-GM-AES-CBC-CMAC-128, version 2, brainpoolP256r1 (13).
	raw := vector(t, "pace_ecdh_gm_appendix_G1", "ef_card_access")
	s, err := ParseSecurityInfos(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.PACE) != 1 || len(s.Unknown) != 0 {
		t.Fatalf("%+v", s)
	}
	p := s.PACE[0]
	if !p.Protocol.Equal(ProtocolOID(oids.PACE, PACEECDHGM, CipherAES128)) || p.Protocol.String() != "0.4.0.127.0.7.2.2.4.2.2" ||
		p.Version != 2 || p.ParameterID == nil || *p.ParameterID != 13 {
		t.Errorf("%+v", p)
	}
	b, err := s.Build()
	if err != nil || !bytes.Equal(b, raw) {
		t.Errorf("Build = %X, %v", b, err)
	}
}

func TestGermanDG14(t *testing.T) {
	raw := testhex.Bytes(t, deDG14)
	s, err := ParseSecurityInfos(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.PACE) != 2 || len(s.ChipAuthentication) != 1 || len(s.ChipAuthenticationPublicKeys) != 1 ||
		len(s.TerminalAuthentication) != 1 || len(s.Unknown) != 0 {
		t.Fatalf("%+v", s)
	}
	if !s.PACE[1].Protocol.Equal(ProtocolOID(oids.PACE, PACEECDHCAM, CipherAES128)) {
		t.Errorf("PACE-CAM: %v", s.PACE[1].Protocol)
	}
	ca := s.ChipAuthentication[0]
	if !ca.Protocol.Equal(ProtocolOID(oids.CA, CAECDH, CipherAES128)) || ca.Version != 1 || ca.KeyID.Int64() != 0xC3 {
		t.Errorf("CA %+v", ca)
	}
	pk := s.ChipAuthenticationPublicKeys[0]
	ec, ok := pk.PublicKey.(*ECPublicKey)
	if pk.KeyErr != nil || !ok || ec.Curve.Name != "brainpoolP256r1" || !ec.Explicit || pk.KeyID.Int64() != 0xC3 || !pk.Protocol.Equal(oids.PKECDH) {
		t.Fatalf("CA key %+v", pk)
	}
	if s.TerminalAuthentication[0].Version != 1 {
		t.Errorf("TA %+v", s.TerminalAuthentication[0])
	}
	// Our explicit encoding of brainpool is the one this document uses.
	spki, err := MarshalPublicKey(ec)
	if err != nil || !bytes.Equal(spki, pk.PublicKeyInfo) {
		t.Errorf("MarshalPublicKey differs from the document's encoding: %v", err)
	}
	// The document's SET is in DER order, so building gives it back.
	if b, err := s.Build(); err != nil || !bytes.Equal(b, raw) {
		t.Errorf("Build differs: %v", err)
	}
	// Through DG14 as well.
	dg14, err := BuildDG14(s)
	if err != nil {
		t.Fatal(err)
	}
	if s2, err := ParseDG14(dg14); err != nil || len(s2.ChipAuthenticationPublicKeys) != 1 {
		t.Errorf("DG14 round trip: %v", err)
	}
}

func TestGermanCardSecurity(t *testing.T) {
	raw := testhex.Bytes(t, deCardSecurity)
	s, err := ParseSecurityInfos(raw)
	if err != nil {
		t.Fatal(err)
	}
	// The ChipAuthenticationDomainParameterInfo (id-CA-ECDH) is not used
	// by this reader and stays in Unknown.
	if len(s.PACE) != 2 || len(s.ChipAuthentication) != 1 || len(s.ChipAuthenticationPublicKeys) != 2 ||
		len(s.TerminalAuthentication) != 1 || len(s.Unknown) != 1 || !s.Unknown[0].Protocol.Equal(asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 3, 2}) {
		t.Fatalf("%+v", s)
	}
	for i, id := range []int64{0x0D, 0x48} {
		pk := s.ChipAuthenticationPublicKeys[i]
		ec, ok := pk.PublicKey.(*ECPublicKey)
		if pk.KeyErr != nil || !ok || ec.Curve.ParamID != 13 || pk.KeyID.Int64() != id {
			t.Errorf("key %d: %+v", i, pk)
		}
	}
	if b, err := s.Build(); err != nil || !bytes.Equal(b, raw) {
		t.Errorf("Build differs: %v", err)
	}
}

func TestSecurityInfosRoundTrip(t *testing.T) {
	c, _ := ecc.ByName("brainpoolP384r1")
	_, pt, err := c.GenerateKey(nil, c.Generator())
	if err != nil {
		t.Fatal(err)
	}
	id := 16
	s := &SecurityInfos{
		PACE: []PACEInfo{{Protocol: ProtocolOID(oids.PACE, PACEECDHIM, CipherAES256), Version: 2, ParameterID: &id},
			{Protocol: ProtocolOID(oids.PACE, PACEDHGM, CipherAES128), Version: 2}},
		PACEDomainParameters: []PACEDomainParameterInfo{{Protocol: append(asn1.ObjectIdentifier{}, 0, 4, 0, 127, 0, 7, 2, 2, 4, 2),
			DomainParameter: testhex.Bytes(t, "300C060704007F0007010202010D"), ParameterID: big.NewInt(5)}},
		ChipAuthentication:           []ChipAuthenticationInfo{{Protocol: ProtocolOID(oids.CA, CAECDH, CipherAES256), Version: 1, KeyID: big.NewInt(7)}},
		ChipAuthenticationPublicKeys: []ChipAuthenticationPublicKeyInfo{{Protocol: oids.PKECDH, PublicKey: &ECPublicKey{Curve: c, Point: pt}, KeyID: big.NewInt(7)}},
		ActiveAuthentication:         []ActiveAuthenticationInfo{{Version: 1, SignatureAlgorithm: asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 3}}},
		TerminalAuthentication:       []TerminalAuthenticationInfo{{Version: 2}},
		Unknown:                      []UnknownSecurityInfo{{Protocol: asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 8}, Raw: testhex.Bytes(t, "300D060804007F0007020208020101")}},
	}
	b, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	s2, err := ParseSecurityInfos(b)
	if err != nil {
		t.Fatal(err)
	}
	// DER sorting puts id-PACE-DH-GM (4.1) ahead of id-PACE-ECDH-IM (4.4).
	if len(s2.PACE) != 2 || s2.PACE[0].ParameterID != nil || s2.PACE[1].ParameterID == nil || *s2.PACE[1].ParameterID != 16 ||
		!s2.PACE[1].Protocol.Equal(s.PACE[0].Protocol) {
		t.Errorf("PACE %+v", s2.PACE)
	}
	if len(s2.PACEDomainParameters) != 1 || s2.PACEDomainParameters[0].ParameterID.Int64() != 5 ||
		!bytes.Equal(s2.PACEDomainParameters[0].DomainParameter, s.PACEDomainParameters[0].DomainParameter) {
		t.Errorf("domain parameters %+v", s2.PACEDomainParameters)
	}
	k := s2.ChipAuthenticationPublicKeys[0].PublicKey.(*ECPublicKey)
	if k.Curve != c || k.Point.X.Cmp(pt.X) != 0 || !k.Explicit {
		t.Errorf("CA key %+v", k)
	}
	if aa := s2.ActiveAuthentication[0]; aa.Version != 1 || !aa.SignatureAlgorithm.Equal(s.ActiveAuthentication[0].SignatureAlgorithm) {
		t.Errorf("AA %+v", aa)
	}
	if len(s2.Unknown) != 1 || s2.TerminalAuthentication[0].Version != 2 || s2.ChipAuthentication[0].KeyID.Int64() != 7 {
		t.Errorf("%+v", s2)
	}
	if b2, _ := s2.Build(); !bytes.Equal(b, b2) {
		t.Error("second build differs")
	}
}

func TestSecurityInfosUnsupportedKeyKept(t *testing.T) {
	// A CA key on an unknown curve (secp256k1) does not stop PACE from being read.
	spki := testhex.Bytes(t, "3036301006072A8648CE3D020106052B8104000A032200020000000000000000000000000000000000000000000000000000000000000001")
	s := &SecurityInfos{
		PACE:                         []PACEInfo{{Protocol: ProtocolOID(oids.PACE, PACEECDHGM, CipherAES128), Version: 2}},
		ChipAuthenticationPublicKeys: []ChipAuthenticationPublicKeyInfo{{Protocol: oids.PKECDH, PublicKeyInfo: spki}},
	}
	b, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	s2, err := ParseSecurityInfos(b)
	if err != nil || len(s2.PACE) != 1 || !errors.Is(s2.ChipAuthenticationPublicKeys[0].KeyErr, chiperr.Unsupported) {
		t.Errorf("%+v %v", s2, err)
	}
}

func TestSecurityInfosMalformed(t *testing.T) {
	for name, in := range map[string]string{
		"empty":                "",
		"not a set":            "30143012060A04007F0007020204020202010202010D",
		"truncated":            "31143012060A04007F0007020204020202010202010D"[:40],
		"entry not sequence":   "3103020102",
		"PACE version string":  "31143012060A04007F0007020204020204010202010D",
		"PACE param string":    "31143012060A04007F0007020204020202010204010D",
		"PACE missing version": "310E300C060A04007F00070202040202",
		"CA keyId negative":    "31143012060A04007F000702020302020201010201FF",
		"CAPK not SPKI":        "3111300F060904007F0007020201020402AABB",
		"AA alg not OID":       "3110 300E 0606678108010105 020101 040100",
		"AA version missing":   "310A 3008 0606678108010105",
		"OID not first":        "310530030201 01",
		"non-minimal integer":  "31153013060A04007F000702020402020202000202010D",
	} {
		_, err := ParseSecurityInfos(testhex.Bytes(t, in))
		if !errors.Is(err, chiperr.Malformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestSecurityInfosBuildErrors(t *testing.T) {
	for name, s := range map[string]*SecurityInfos{
		"PACE under CA":     {PACE: []PACEInfo{{Protocol: ProtocolOID(oids.CA, 2, 2)}}},
		"CA under PACE":     {ChipAuthentication: []ChipAuthenticationInfo{{Protocol: ProtocolOID(oids.PACE, 2, 2)}}},
		"negative key id":   {ChipAuthentication: []ChipAuthenticationInfo{{Protocol: ProtocolOID(oids.CA, 2, 2), KeyID: big.NewInt(-1)}}},
		"CAPK no key":       {ChipAuthenticationPublicKeys: []ChipAuthenticationPublicKeyInfo{{Protocol: oids.PKECDH}}},
		"CAPK bad protocol": {ChipAuthenticationPublicKeys: []ChipAuthenticationPublicKeyInfo{{Protocol: oids.AAProtocolObject, PublicKeyInfo: []byte{0x30, 0}}}},
		"domain params":     {PACEDomainParameters: []PACEDomainParameterInfo{{Protocol: oids.PACE}}},
	} {
		if _, err := s.Build(); !errors.Is(err, chiperr.BadInput) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
