package sm

import (
	"bytes"
	"errors"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// NIST SP 800-38B Appendix D.1-D.3 (also RFC 4493 §4 for AES-128).
func TestCMACNIST(t *testing.T) {
	msg := testhex.MustBytes(`6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51
		30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710`)
	lens := []int{0, 16, 40, 64}
	for _, c := range []struct {
		key  string
		tags [4]string
	}{
		{"2b7e151628aed2a6abf7158809cf4f3c", [4]string{"bb1d6929e95937287fa37d129b756746",
			"070a16b46b4d4144f79bdd9dd04a287c", "dfa66747de9ae63030ca32611497c827", "51f0bebf7e3b9d92fc49741779363cfe"}},
		{"8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", [4]string{"d17ddf46adaacde531cac483de7a9367",
			"9e99a7bf31e710900662f65e617c5184", "8a1de5be2eb31aad089a82e6ee908b0e", "a1d5df0eed790f794d77589659f39a11"}},
		{"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", [4]string{"028962f61b7bf89efc6b551f4667d983",
			"28a7023f452e8f82bd4bf28d8c37c35c", "aaf3d8f1de5640c232f5b169b9c911e6", "e1992190549f6ed5696a2c056c315410"}},
	} {
		for i, n := range lens {
			if got := CMAC(testhex.MustBytes(c.key), msg[:n]); !bytes.Equal(got, testhex.MustBytes(c.tags[i])) {
				t.Errorf("key %d bytes, msg %d bytes: %x", len(c.key)/2, n, got)
			}
		}
	}
	if CMAC(make([]byte, 15), nil) != nil {
		t.Error("CMAC with a 15-byte key must return nil")
	}
}

// ICAO Doc 9303-11 Appendix D.3: M_IFD = MAC(K_mac, E_IFD) and the chip's
// M_IC = MAC(K_mac, E_IC) (last 8 bytes of its EXTERNAL AUTHENTICATE answer).
func TestRetailMACAppendixD(t *testing.T) {
	kMac := testhex.MustBytes("7962D9ECE03D1ACD4C76089DCE131543")
	eIFD := testhex.MustBytes("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2")
	if got := RetailMAC(kMac, eIFD); !bytes.Equal(got, testhex.MustBytes("5F1448EEA8AD90A7")) {
		t.Errorf("M_IFD = %X", got)
	}
	resp := testhex.MustBytes("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449")
	if got := RetailMAC(kMac, resp[:32]); !bytes.Equal(got, resp[32:]) {
		t.Errorf("M_IC = %X", got)
	}
	if RetailMAC(kMac[:8], eIFD) != nil {
		t.Error("RetailMAC with an 8-byte key must return nil")
	}
}

func TestPadUnpad(t *testing.T) {
	for _, c := range []struct {
		in   string
		bs   int
		want string
	}{
		{"", 8, "8000000000000000"},
		{"01", 8, "0180000000000000"},
		{"01020304050607", 8, "0102030405060780"},
		{"0102030405060708", 8, "01020304050607088000000000000000"},
		{"0C", 16, "0C800000000000000000000000000000"},
	} {
		p := Pad(testhex.MustBytes(c.in), c.bs)
		if !bytes.Equal(p, testhex.MustBytes(c.want)) {
			t.Errorf("Pad(%s) = %X", c.in, p)
		}
		u, err := Unpad(p)
		if err != nil || !bytes.Equal(u, testhex.MustBytes(c.in)) {
			t.Errorf("Unpad(%X) = %X, %v", p, u, err)
		}
	}
	for _, bad := range []string{"", "00", "0000", "0180000001", "01020304",
		"80" + "00000000000000000000000000000000"} { // 16 zeros after 80: longer than a block
		if _, err := Unpad(testhex.MustBytes(bad)); !errors.Is(err, chiperr.Malformed) {
			t.Errorf("Unpad(%s): %v, want Malformed", bad, err)
		}
	}
}
