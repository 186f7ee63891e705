package pace

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// ICAO Doc 9303-11 (8th ed.) Appendix G.1: PACE ECDH Generic Mapping,
// brainpoolP256r1 (parameter id 13), id-PACE-ECDH-GM-AES-CBC-CMAC-128, MRZ
// password of document T22000129 (as in ../shared/vectors,
// pace_ecdh_gm_appendix_G1). The chip's ephemeral public key and the APDU
// trace, which the JSON lacks, come from the same appendix; the key is also
// recomputed below from the chip's private key.
var g1 = struct {
	oid                                     string
	k, kpi, z, s                            string
	mapTPriv, mapTPub, mapCPriv, mapCPub    string
	hX, hY, gen                             string
	ephTPriv, ephTPub, ephCPriv, ephCPub    string
	secret, ksEnc, ksMac, tIFD, tIC, mseSet string
}{
	oid:      "04007F00070202040202",
	k:        "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD",
	kpi:      "89DED1B26624EC1E634C1989302849DD",
	z:        "95A3A016522EE98D01E76CB6B98B42C3",
	s:        "3F00C4D39D153F2B2A214A078D899B22",
	mapTPriv: "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99",
	mapTPub:  "047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D",
	mapCPriv: "498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560",
	mapCPub:  "04824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F5730D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54",
	hX:       "60332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5",
	hY:       "0840CA7415BAF3E43BD414D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181",
	gen:      "048CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E28C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522",
	ephTPriv: "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595",
	ephTPub:  "042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462",
	ephCPriv: "107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A",
	ephCPub:  "049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094",
	secret:   "28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925",
	ksEnc:    "F5F0E35C0D7161EE6724EE513A0D9A7F",
	ksMac:    "FE251C7858B356B24514B3BD5F4297D1",
	tIFD:     "C2B0BD78D94BA866",
	tIC:      "3ABB9674BCE93C08",
	mseSet:   "0022C1A40F800A04007F00070202040202830101",
}

func g1Trace() []step {
	return []step{
		{g1.mseSet, "9000"},
		{"10860000027C0000", "7C1280" + "10" + g1.z + "9000"},
		{"1086000045 7C43 8141" + g1.mapTPub + "00", "7C43 8241" + g1.mapCPub + "9000"},
		{"1086000045 7C43 8341" + g1.ephTPub + "00", "7C43 8441" + g1.ephCPub + "9000"},
		{"008600000C 7C0A 8508" + g1.tIFD + "00", "7C0A 8608" + g1.tIC + "9000"},
	}
}

func g1Protocol(t *testing.T) (Protocol, ecGroup) {
	t.Helper()
	p, ok := ProtocolByOID(oidFromHex(t, g1.oid))
	if !ok {
		t.Fatal("G.1 protocol unknown")
	}
	c, _ := ecc.ByParamID(13)
	return p, ecGroup{c}
}

// TestG1JSON checks the values above against the worked-examples file in
// reader/testdata (a copy of the team's shared vectors).
func TestG1JSON(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/icao-9303-p11-worked-examples.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		G1 map[string]any `json:"pace_ecdh_gm_appendix_G1"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"k_pi": g1.kpi, "encrypted_nonce_z": g1.z, "nonce_s": g1.s,
		"terminal_mapping_private": g1.mapTPriv, "terminal_mapping_public": g1.mapTPub,
		"chip_mapping_private": g1.mapCPriv, "chip_mapping_public": g1.mapCPub,
		"mapped_generator": g1.gen, "terminal_ephemeral_private": g1.ephTPriv,
		"terminal_ephemeral_public": g1.ephTPub, "chip_ephemeral_private": g1.ephCPriv,
		"ks_enc": g1.ksEnc, "ks_mac": g1.ksMac, "shared_secret_x": g1.secret,
		"token_t_ifd": g1.tIFD, "token_t_ic": g1.tIC, "mse_set_at_in_trace": g1.mseSet,
		"k_sha1_of_mrz_information": g1.k,
	} {
		if got, _ := v.G1[key].(string); got != want {
			t.Errorf("%s: JSON %q, test %q", key, got, want)
		}
	}
}

func TestG1KnownAnswers(t *testing.T) {
	p, g := g1Protocol(t)
	pw := MRZ(mrzInfo("T22000129", "640812", "101031"))
	if !bytes.Equal(pw.Key, testhex.MustBytes(g1.k)) || pw.Kind != RefMRZ {
		t.Fatalf("K = %X", pw.Key)
	}
	kpi, err := passwordKey(p, pw)
	if err != nil || !bytes.Equal(kpi, testhex.MustBytes(g1.kpi)) {
		t.Fatalf("Kπ = %X, %v", kpi, err)
	}
	s, err := cbc(p.Cipher, kpi, testhex.MustBytes(g1.z), false)
	if err != nil || !bytes.Equal(s, testhex.MustBytes(g1.s)) {
		t.Fatalf("s = %X, %v", s, err)
	}
	if z, _ := cbc(p.Cipher, kpi, s, true); !bytes.Equal(z, testhex.MustBytes(g1.z)) {
		t.Fatalf("z = %X", z)
	}
	// Mapping: both sides reach H and the mapped generator.
	pub, err := g.mul(testhex.MustBytes(g1.mapTPriv), g.generator())
	if err != nil || !bytes.Equal(pub, testhex.MustBytes(g1.mapTPub)) {
		t.Fatalf("terminal mapping key %X, %v", pub, err)
	}
	if pub, _ = g.mul(testhex.MustBytes(g1.mapCPriv), g.generator()); !bytes.Equal(pub, testhex.MustBytes(g1.mapCPub)) {
		t.Fatalf("chip mapping key %X", pub)
	}
	h, err := g.mul(testhex.MustBytes(g1.mapTPriv), testhex.MustBytes(g1.mapCPub))
	if err != nil || !bytes.Equal(h, testhex.MustBytes("04"+g1.hX+g1.hY)) {
		t.Fatalf("H = %X, %v", h, err)
	}
	if h2, _ := g.mul(testhex.MustBytes(g1.mapCPriv), testhex.MustBytes(g1.mapTPub)); !bytes.Equal(h2, h) {
		t.Fatal("chip computes another H")
	}
	gen, err := g.mapGeneric(s, h)
	if err != nil || !bytes.Equal(gen, testhex.MustBytes(g1.gen)) {
		t.Fatalf("G~ = %X, %v", gen, err)
	}
	// Key agreement.
	if pub, _ = g.mul(testhex.MustBytes(g1.ephTPriv), gen); !bytes.Equal(pub, testhex.MustBytes(g1.ephTPub)) {
		t.Fatalf("terminal ephemeral key %X", pub)
	}
	if pub, _ = g.mul(testhex.MustBytes(g1.ephCPriv), gen); !bytes.Equal(pub, testhex.MustBytes(g1.ephCPub)) {
		t.Fatalf("chip ephemeral key %X", pub)
	}
	k, err := g.secret(testhex.MustBytes(g1.ephTPriv), testhex.MustBytes(g1.ephCPub))
	if err != nil || !bytes.Equal(k, testhex.MustBytes(g1.secret)) {
		t.Fatalf("K = %X, %v", k, err)
	}
	if k2, _ := g.secret(testhex.MustBytes(g1.ephCPriv), testhex.MustBytes(g1.ephTPub)); !bytes.Equal(k2, k) {
		t.Fatal("chip computes another K")
	}
	ksEnc := sm.KDF(k, sm.CounterEnc, p.Cipher, p.KeyBytes)
	ksMac := sm.KDF(k, sm.CounterMAC, p.Cipher, p.KeyBytes)
	if !bytes.Equal(ksEnc, testhex.MustBytes(g1.ksEnc)) || !bytes.Equal(ksMac, testhex.MustBytes(g1.ksMac)) {
		t.Fatalf("KSenc %X KSmac %X", ksEnc, ksMac)
	}
	do, _ := publicKeyDO(p.OID, g.tokenTag(), testhex.MustBytes(g1.ephCPub))
	if !bytes.HasPrefix(do, testhex.MustBytes("7F494F060A04007F000702020402028641")) {
		t.Fatalf("token input %X", do)
	}
	if tok, _ := tokenFor(p, g, ksMac, testhex.MustBytes(g1.ephCPub)); !bytes.Equal(tok, testhex.MustBytes(g1.tIFD)) {
		t.Fatalf("T_IFD %X", tok)
	}
	if tok, _ := tokenFor(p, g, ksMac, testhex.MustBytes(g1.ephTPub)); !bytes.Equal(tok, testhex.MustBytes(g1.tIC)) {
		t.Fatalf("T_IC %X", tok)
	}
	// MSE:Set AT as traced (without DO 84) and with DO 84.
	cmd, _ := SetATCommand(p.OID, RefMRZ, -1)
	if b, _ := cmd.Bytes(); !bytes.Equal(b, testhex.MustBytes(g1.mseSet)) {
		t.Fatalf("MSE:Set AT %X", b)
	}
	cmd, _ = SetATCommand(p.OID, RefCAN, 13)
	if b, _ := cmd.Bytes(); !bytes.Equal(b, testhex.MustBytes("0022C1A412800A04007F00070202040202830102 84010D")) {
		t.Fatalf("MSE:Set AT with DO 84 %X", b)
	}
}

// TestG1Terminal runs the terminal against the scripted G.1 exchange.
func TestG1Terminal(t *testing.T) {
	p, _ := g1Protocol(t)
	rnd := bytes.NewReader(testhex.MustBytes(g1.mapTPriv + g1.ephTPriv))
	res, err := AuthenticateWithOptions(context.Background(), script(t, g1Trace()), p.OID, 13,
		MRZ(mrzInfo("T22000129", "640812", "101031")), rnd, Options{OmitParamID: true})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res.ChipEphemeralPublic, testhex.MustBytes(g1.ephCPub)) || !bytes.Equal(res.TerminalEphemeralPublic, testhex.MustBytes(g1.ephTPub)) {
		t.Error("ephemeral keys not reported")
	}
	if res.Curve == nil || res.Curve.ParamID != 13 || res.Protocol.Name != "id-PACE-ECDH-GM-AES-CBC-CMAC-128" {
		t.Errorf("result %+v", res)
	}
	sameKeys(t, res.Session, mustSession(t, sm.AES, testhex.MustBytes(g1.ksEnc), testhex.MustBytes(g1.ksMac)))
}

// TestG1Chip drives the Chip with the G.1 commands and checks its answers.
func TestG1Chip(t *testing.T) {
	p, _ := g1Protocol(t)
	chip, err := NewChip([]Offer{{OID: p.OID, ParamID: 13}}, []Password{MRZ(mrzInfo("T22000129", "640812", "101031"))},
		bytes.NewReader(testhex.MustBytes(g1.s+g1.mapCPriv+g1.ephCPriv)))
	if err != nil {
		t.Fatal(err)
	}
	var sess *sm.Session
	for i, s := range g1Trace() {
		cmd, err := iso7816.ParseCommand(testhex.MustBytes(s.cmd))
		if err != nil {
			t.Fatal(err)
		}
		resp, done := chip.Handle(cmd)
		if !bytes.Equal(resp.Bytes(), testhex.MustBytes(s.resp)) {
			t.Fatalf("step %d: chip answered %X, want %s", i, resp.Bytes(), s.resp)
		}
		if done != nil {
			sess = done
		}
	}
	if sess == nil {
		t.Fatal("no session")
	}
	sameKeys(t, sess, mustSession(t, sm.AES, testhex.MustBytes(g1.ksEnc), testhex.MustBytes(g1.ksMac)))
	if !bytes.Equal(chip.EphemeralPublic(), testhex.MustBytes(g1.ephCPub)) || !bytes.Equal(chip.TerminalEphemeralPublic(), testhex.MustBytes(g1.ephTPub)) {
		t.Error("chip does not expose the ephemeral keys")
	}
	if pr, id := chip.Protocol(); !pr.OID.Equal(p.OID) || id != 13 || chip.PasswordUsed() != RefMRZ {
		t.Error("chip does not report the protocol")
	}
}

// TestG1RoundTrip runs terminal and chip together with the G.1 randomness:
// the APDUs on the link must be those of the appendix.
func TestG1RoundTrip(t *testing.T) {
	p, _ := g1Protocol(t)
	pw := MRZ(mrzInfo("T22000129", "640812", "101031"))
	chip, _ := NewChip([]Offer{{OID: p.OID, ParamID: 13}}, []Password{pw}, bytes.NewReader(testhex.MustBytes(g1.s+g1.mapCPriv+g1.ephCPriv)))
	l := &link{chip: chip}
	res, err := AuthenticateWithOptions(context.Background(), l, p.OID, 13, pw,
		bytes.NewReader(testhex.MustBytes(g1.mapTPriv+g1.ephTPriv)), Options{OmitParamID: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range g1Trace() {
		if !bytes.Equal(l.trace[i], testhex.MustBytes(s.cmd)) {
			t.Errorf("APDU %d: %X", i, l.trace[i])
		}
	}
	sameKeys(t, res.Session, l.sess)
}
