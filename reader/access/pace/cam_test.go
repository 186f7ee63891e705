package pace

import (
	"bytes"
	"context"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// ICAO Doc 9303-11 Appendix I.1: PACE-CAM (id-PACE-ECDH-CAM-AES-CBC-CMAC-128,
// brainpoolP256r1) with the MRZ C11T002JM4 / 9608122 / 2310314, the chip's
// static key PK_IC from its ChipAuthenticationPublicKeyInfo and the
// decrypted chip authentication data CA_IC.
func TestCAMAppendixI1(t *testing.T) {
	const (
		chipMap = "04A234236AA9B9621E8EFB73B5245C0E09D2576E5277183C1208BDD55280CAE8B304F365713A356E65A451E165ECC9AC0AC46E3771342C8FE5AEDD092685338E23"
		caIC    = "85DC3FA93D0952BFA82F5FD189EE75BD82F11D1F0B8ED4BF5319AC9B53C426B3"
		pkIC    = "04187270949439 9E7470A6431BE25E83EEE24FEA568C2ED28DB48E05DB3A610DC884D256A40E35EFCB59BF6753D3A489D28C7A4D973C2DA138A6E7A4A08F68E16F"
	)
	pw := MRZ(mrzInfo("C11T002JM", "960812", "231031"))
	p, _ := ProtocolByOID(paceOID(6, 2))
	kpi, _ := passwordKey(p, pw)
	if !bytes.Equal(pw.Key, testhex.MustBytes("894D03F148C6265E89845B218856EA34D00EF8E8")) || !bytes.Equal(kpi, testhex.MustBytes("4E6F6FBF7BE748B932C7B74161BBA9DF")) {
		t.Fatalf("K %X, Kπ %X", pw.Key, kpi)
	}
	tr := []step{
		{"0022C1A40F800A04007F00070202040602830101", "9000"},
		{"10860000027C0000", "7C128010CB60E8E0D85B76A9BD304747C2AD42E29000"},
		{"10860000457C438141047F1D410ADB7DDB3B84BF1030800981A9105D7457B4A3ADE002384F3086C67EDE1AB889104A27DB6D842B019020FBF3CEACB0DC627F7BDCAC29969E19D0E553C100",
			"7C438241" + chipMap + "9000"},
		{"10860000457C43834104446C934084D9DAB863944F219520076C29EE3F7AE6722B11FF319EC1C7728F955483400BFF60BF0C5929270009277DC2A515E12575010AD9BA916CF1BF86FEFC00",
			"7C4384410402AD566F3C6EC7F9324509AD50A51FA52030782A4968FCFEDF737DAEA993333111C3B9B4C2287789BD137E7F8AA882E2A3C633CCD6ECC2C63C57AD401A09C2E19000"},
		{"008600000C7C0A8508E86BD06018A1CD3B00",
			"7C3C86088596CF055C67C1A38A301EEA964DAAE372AC990E3EFDE6333353BFC89A6704D93DA8798CF77F5B7A54BD10CBA372B42BE0B9B5F28AA8DE2F4F929000"},
	}
	rnd := bytes.NewReader(testhex.MustBytes("5D8BB87BD74D985A4B7D4325B9F7B976FE835122773400798914AA22738135CC" +
		"76ECFDAA9841C323A3F5FC5E88B88DB3EFF7E35EBF57A7E6946CB630006C2120"))
	res, err := AuthenticateWithOptions(context.Background(), script(t, tr), p.OID, 13, pw, rnd, Options{OmitParamID: true})
	if err != nil {
		t.Fatal(err)
	}
	sameKeys(t, res.Session, mustSession(t, sm.AES, testhex.MustBytes("0A9DA4DB03BDDE39FC5202BC44B2E89E"), testhex.MustBytes("4B1C06491ED5140CA2B537D344C6C0B1")))
	if !bytes.Equal(res.ChipAuthenticationData, testhex.MustBytes(caIC)) || !bytes.Equal(res.ChipMappingPublic, testhex.MustBytes(chipMap)) {
		t.Fatalf("CA_IC %X", res.ChipAuthenticationData)
	}
	if err := VerifyCAM(res, testhex.MustBytes(pkIC)); err != nil {
		t.Fatal(err)
	}
	c := res.Curve
	wantKind(t, VerifyCAM(res, c.Encode(c.Generator())), chiperr.Integrity)
	wantKind(t, VerifyCAM(res, []byte{4, 1, 2}), chiperr.Malformed)
	wantKind(t, VerifyCAM(&Result{}, testhex.MustBytes(pkIC)), chiperr.BadInput)
}

func TestCAMRoundTrip(t *testing.T) {
	can, _ := CAN("123456")
	for _, c := range ecc.All() {
		for cipher := 2; cipher <= 4; cipher++ {
			static, pub, err := c.GenerateKey(nil, c.Generator())
			if err != nil {
				t.Fatal(err)
			}
			oid := paceOID(6, cipher)
			chip, err := NewChip([]Offer{{OID: oid, ParamID: c.ParamID, CAMKey: static}}, []Password{can}, nil)
			if err != nil {
				t.Fatal(err)
			}
			l := &link{chip: chip}
			res, err := Authenticate(context.Background(), l, oid, c.ParamID, can, nil)
			if err != nil {
				t.Fatal(c.Name, err)
			}
			sameKeys(t, res.Session, l.sess)
			if err := VerifyCAM(res, c.Encode(pub)); err != nil {
				t.Fatal(c.Name, err)
			}
		}
	}
	// Tampered or missing chip authentication data.
	c, _ := ecc.ByParamID(13)
	static, _, _ := c.GenerateKey(nil, c.Generator())
	for _, tc := range []struct {
		name string
		fix  func([]byte) []byte
		kind chiperr.Kind
	}{
		{"no 8A", func(r []byte) []byte { return append(ber.Encode(0x7C, r[2:12]), 0x90, 0) }, chiperr.Malformed},
		{"8A flipped", func(r []byte) []byte { r[len(r)-3] ^= 1; return r }, chiperr.Integrity},
	} {
		chip, _ := NewChip([]Offer{{OID: paceOID(6, 2), ParamID: 13, CAMKey: static}}, []Password{can}, nil)
		l := &link{chip: chip, tamper: func(n int, r []byte) []byte {
			if n == 4 {
				return tc.fix(r)
			}
			return r
		}}
		_, err := Authenticate(context.Background(), l, paceOID(6, 2), 13, can, nil)
		if chiperr.KindOf(err) != tc.kind {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if _, err := NewChip([]Offer{{OID: paceOID(6, 2), ParamID: 13}}, []Password{can}, nil); err == nil {
		t.Error("CAM offer without a key accepted")
	}
}
