package pace

import (
	"bytes"
	"context"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// A PACE run with id-PACE-ECDH-GM-3DES-CBC-CBC on brainpoolP256r1 against a
// New Zealand passport (MRZ LM277954< / 781214 / 271115), as published in the
// test suite of the gmrtd project (TestDoPace_GM_ECDH_TDES_CBC_NZ). No ICAO
// appendix covers 3DES PACE; this real chip's answers check the retail-MAC
// tokens and the two-key 3DES nonce decryption.
func TestTDESTrace(t *testing.T) {
	tr := []step{
		{"0022c1a40f800a04007f00070202040201830101", "9000"},
		{"10860000027c0000", "7c128010b88382812290017af1cc906ff00e7f4d9000"},
		{"10860000457c438141047706b2b6246ab4612229b8a11212ddba7fea0568c9c0975dee22c0e3dd3a3f0321e8afee836e373b570d24000d56fb195104d486e63321ff8c819dd5ee018dcb00",
			"7c43824104780b4edec9b926f9f964fad826d9990a667608d96ba7b397ae8609b6533e0d036d148365ddf4e5ff6611c2b62aa17fc9899f327bc929db543e7abd0ee724e4be9000"},
		{"10860000457c43834104507a0156efae8fb8acc519036c0b2fe0393c878744c7f91878ee4e07a41412ba5c0753d68a44a91e9f57f3f992ab689e6c2065d3b2a27c3658a4fd632931ee3800",
			"7c438441042dbaf62e6fdfb31eb66f206493b9e7721586f0e5c93754d7bd5a884ca251ee4d720ab539a60561bc46812fa289b58ac69f0c6e32adbaf7241049a31211f80f5b9000"},
		{"008600000c7c0a85088d7c617d43efe09e00", "7c0a8608cb57047c809079f69000"},
	}
	rnd := bytes.NewReader(testhex.MustBytes("2808272c0ec20e01a3450030ef32855e9feb5cb17719e985389b1cf47609e69f" +
		"8f89449052df6c7983750c7b042c3cea12b36819174424c7cd28153f7b70b402"))
	res, err := AuthenticateWithOptions(context.Background(), script(t, tr), oidFromHex(t, "04007F00070202040201"), 13,
		MRZ(mrzInfo("LM277954<", "781214", "271115")), rnd, Options{OmitParamID: true})
	if err != nil {
		t.Fatal(err)
	}
	sameKeys(t, res.Session, mustSession(t, sm.TDES, testhex.MustBytes("430e4c8c38dfefaed92067b919a897f8"), testhex.MustBytes("c1bc1f075797b970b5a45e64a764b0cb")))
}
