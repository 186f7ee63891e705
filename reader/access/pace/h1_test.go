package pace

import (
	"bytes"
	"context"
	"math/big"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// ICAO Doc 9303-11 Appendix H.1: PACE ECDH Integrated Mapping,
// brainpoolP256r1, id-PACE-ECDH-IM-AES-CBC-CMAC-128, CAN 123456. The shared
// JSON has s, t, Kπ, K, the session keys and T_IFD; R(s,t), R_p(s,t), the
// mapped generator, the ephemeral keys, z and T_IC are the appendix's (from
// a public transcription of Doc 9303-11). The appendix says it reuses the
// MRZ-derived K of G.1, but its Kπ is KDFπ of the CAN "123456".
var h1 = struct {
	oid, z, s, tn, kpi, r, rp, gen  string
	ephTPriv, ephTPub, ephCPub      string
	secret, ksEnc, ksMac, tIFD, tIC string
}{
	oid:      "04007F00070202040402",
	z:        "143DC40C08C8E891FBED7DEDB92B64AD",
	s:        "2923BE84E16CD6AE529049F1F1BBE9EB",
	tn:       "5DD4CBFC96F5453B130D890A1CDBAE32",
	kpi:      "591468CDA83D65219CCCB8560233600F",
	r:        "E4447E2DFB3586BAC05DDB00156B57FBB2179A3949294C97254189800C517BAA8DA0FF397ED8C445D3E421E4FEB57322",
	rp:       "A2F8FF2DF50E52C6599F386ADCB595D229F6A167ADE2BE5F2C3296ADD5B7430E",
	gen:      "048E82D31559ED0FDE92A4D0498ADD3C23BABA94FB77691E31E90AEA77FB17D4274C1AE14BD0C3DBAC0C871B7F3608169364437CA30AC243A089D3F266C1E60FAD",
	ephTPriv: "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595",
	ephTPub:  "0489CBA23FFE96AA18D824627C3E934E54A9FD0B87A95D1471DC1C0ABFDCD640D46755DE9B7B778280B6BEBD57439ADFEB0E21FD4ED6DF42578C13418A59B34C37",
	ephCPub:  "0467F78E5F7F7686082B293E8D087E056916D0F74BC01A5F8957D0DE45691E51E8932B69A962B52A0985AD2C0A271EE6A13A8ADDDCD1A3A994B9DED257F4D22753",
	secret:   "4F150FDE1D4F0E38E95017B891BAE17133A0DF45B0D3E18B60BA7BEAFDC2C713",
	ksEnc:    "0D3FEB33251A6370893D62AE8DAAF51B",
	ksMac:    "B01E89E3D9E8719E586B50B4A7506E0B",
	tIFD:     "450F02B86F6A0909",
	tIC:      "75D4D96E8D5B0308",
}

func TestH1KnownAnswers(t *testing.T) {
	p, _ := ProtocolByOID(oidFromHex(t, h1.oid))
	c, _ := ecc.ByParamID(13)
	g := ecGroup{c}
	pw, err := CAN("123456")
	if err != nil {
		t.Fatal(err)
	}
	kpi, _ := passwordKey(p, pw)
	if !bytes.Equal(kpi, testhex.MustBytes(h1.kpi)) {
		t.Fatalf("Kπ = %X", kpi)
	}
	s, _ := cbc(p.Cipher, kpi, testhex.MustBytes(h1.z), false)
	if !bytes.Equal(s, testhex.MustBytes(h1.s)) {
		t.Fatalf("s = %X", s)
	}
	r, err := pseudoRandom(p, s, testhex.MustBytes(h1.tn), c.Params().P.BitLen())
	if err != nil || !bytes.Equal(r, testhex.MustBytes(h1.r)) {
		t.Fatalf("R(s,t) = %X, %v", r, err)
	}
	gen, err := g.mapIntegrated(p, s, testhex.MustBytes(h1.tn))
	if err != nil || !bytes.Equal(gen, testhex.MustBytes(h1.gen)) {
		t.Fatalf("G~ = %X, %v", gen, err)
	}
	pub, _ := g.mul(testhex.MustBytes(h1.ephTPriv), gen)
	if !bytes.Equal(pub, testhex.MustBytes(h1.ephTPub)) {
		t.Fatalf("terminal ephemeral key %X", pub)
	}
	k, err := g.secret(testhex.MustBytes(h1.ephTPriv), testhex.MustBytes(h1.ephCPub))
	if err != nil || !bytes.Equal(k, testhex.MustBytes(h1.secret)) {
		t.Fatalf("K = %X, %v", k, err)
	}
	ksMac := sm.KDF(k, sm.CounterMAC, p.Cipher, 16)
	if !bytes.Equal(sm.KDF(k, sm.CounterEnc, p.Cipher, 16), testhex.MustBytes(h1.ksEnc)) || !bytes.Equal(ksMac, testhex.MustBytes(h1.ksMac)) {
		t.Fatal("session keys")
	}
	if tok, _ := tokenFor(p, g, ksMac, testhex.MustBytes(h1.ephCPub)); !bytes.Equal(tok, testhex.MustBytes(h1.tIFD)) {
		t.Fatalf("T_IFD %X", tok)
	}
	if tok, _ := tokenFor(p, g, ksMac, testhex.MustBytes(h1.ephTPub)); !bytes.Equal(tok, testhex.MustBytes(h1.tIC)) {
		t.Fatalf("T_IC %X", tok)
	}
}

// TestH1Terminal replays the H.1 exchange; this chip answers the mapping
// step with a bare 9000, which the terminal must accept.
func TestH1Terminal(t *testing.T) {
	p, _ := ProtocolByOID(oidFromHex(t, h1.oid))
	pw, _ := CAN("123456")
	tr := []step{
		{"0022C1A412800A04007F00070202040402830102 84010D", "9000"},
		{"10860000027C0000", "7C128010" + h1.z + "9000"},
		{"1086000014 7C12 8110" + h1.tn + "00", "9000"},
		{"1086000045 7C43 8341" + h1.ephTPub + "00", "7C43 8441" + h1.ephCPub + "9000"},
		{"008600000C 7C0A 8508" + h1.tIFD + "00", "7C0A 8608" + h1.tIC + "9000"},
	}
	res, err := Authenticate(context.Background(), script(t, tr), p.OID, 13, pw, bytes.NewReader(testhex.MustBytes(h1.tn+h1.ephTPriv)))
	if err != nil {
		t.Fatal(err)
	}
	sameKeys(t, res.Session, mustSession(t, sm.AES, testhex.MustBytes(h1.ksEnc), testhex.MustBytes(h1.ksMac)))
}

// TestPointEncoding maps field elements on every curve: the result must be
// on the curve (pointEncode checks it) for any input.
func TestPointEncoding(t *testing.T) {
	for _, c := range ecc.All() {
		p := c.Params().P
		for i := int64(1); i < 20; i++ {
			u := new(big.Int).Exp(big.NewInt(i+1), big.NewInt(77), p)
			if _, err := pointEncode(c, u); err != nil {
				t.Errorf("%s: u=%d: %v", c.Name, i, err)
			}
		}
		if _, err := pointEncode(c, big.NewInt(0)); err == nil {
			t.Errorf("%s: u = 0 mapped", c.Name)
		}
	}
}

// TestH1Chip runs terminal and chip with the H.1 randomness (the appendix's
// chip private key SK_IC is the one of G.1).
func TestH1Chip(t *testing.T) {
	p, _ := ProtocolByOID(oidFromHex(t, h1.oid))
	pw, _ := CAN("123456")
	chip, err := NewChip([]Offer{{OID: p.OID, ParamID: 13}}, []Password{pw}, bytes.NewReader(testhex.MustBytes(h1.s+g1.ephCPriv)))
	if err != nil {
		t.Fatal(err)
	}
	l := &link{chip: chip}
	res, err := Authenticate(context.Background(), l, p.OID, 13, pw, bytes.NewReader(testhex.MustBytes(h1.tn+h1.ephTPriv)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res.ChipEphemeralPublic, testhex.MustBytes(h1.ephCPub)) {
		t.Fatalf("chip key %X", res.ChipEphemeralPublic)
	}
	if !bytes.Equal(l.trace[4], testhex.MustBytes("008600000C7C0A8508"+h1.tIFD+"00")) {
		t.Fatalf("T_IFD APDU %X", l.trace[4])
	}
	sameKeys(t, res.Session, mustSession(t, sm.AES, testhex.MustBytes(h1.ksEnc), testhex.MustBytes(h1.ksMac)))
	sameKeys(t, l.sess, mustSession(t, sm.AES, testhex.MustBytes(h1.ksEnc), testhex.MustBytes(h1.ksMac)))
}
