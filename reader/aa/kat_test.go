package aa

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// An Active Authentication answer to INTERNAL AUTHENTICATE with an all-zero
// challenge, 1024-bit RSA, ISO/IEC 9796-2 scheme 1 with SHA-1 ('BC'), from
// Bouncy Castle's ISO9796Test.doTest13 (bcgit/bc-java,
// core/src/test/java/org/bouncycastle/crypto/test/ISO9796Test.java).
const (
	bcAAModulus = "CDCBDABBF93BE8E8294E32B055256BBD0397735189BF75816341BB0D488D05D627991221DF7D59835C76A4BB4808ADEEB7" +
		"79E7794504E956ADC2A661B46904CDC71337DD29DDDD454124EF79CFDD7BC2C21952573CEFBA485CC38C6BD2428809B5A31A89" +
		"8A6B5648CAA4ED678D9743B589134B7187478996300EDBA16271A861"
	bcAASignature = "482E20D1EDDED34359C38F5E7C01203F9D6B2641CDCA5C404D49ADAEDE034C7481D781D043722587761C90468DE69C65" +
		"85A1E8B9C322F90E1B580EEDAB3F6007D0C366CF92B4DB8B41C8314929DCE2BE889C0129123484D2FD3D12763D2EBFD12AC8E5" +
		"1D7061AFCA1A53DEDEC7B9A617472A78C952CCC72467AE008E5F132994"
)

func bcAAKey(t testing.TB) *rsa.PublicKey {
	return &rsa.PublicKey{N: testhex.Int(t, bcAAModulus), E: 65537}
}

func TestKnownAnswerRSA(t *testing.T) {
	key := bcAAKey(t)
	sig := testhex.Bytes(t, bcAASignature)
	challenge := make([]byte, 8)
	res, err := Verify(key, nil, challenge, sig)
	if err != nil {
		t.Fatal(err)
	}
	if res.Algorithm != "RSA-1024 ISO/IEC 9796-2 scheme 1 with SHA-1" {
		t.Errorf("algorithm %q", res.Algorithm)
	}
	// The other representative, n - s, is the same signature (ICAO 9303-11 §6.1).
	alt := new(big.Int).Sub(key.N, new(big.Int).SetBytes(sig)).FillBytes(make([]byte, 128))
	if _, err := Verify(key, nil, challenge, alt); err != nil {
		t.Errorf("n - s: %v", err)
	}
	// A leading zero byte (signed-integer encoding) is tolerated.
	if _, err := Verify(key, nil, challenge, append([]byte{0}, sig...)); err != nil {
		t.Errorf("leading zero: %v", err)
	}
	wrong := []byte{0, 0, 0, 0, 0, 0, 0, 1}
	if _, err := Verify(key, nil, wrong, sig); !errors.Is(err, chiperr.Integrity) {
		t.Errorf("wrong challenge: %v", err)
	}
	for _, i := range []int{0, 1, 64, 127} {
		bad := append([]byte(nil), sig...)
		bad[i] ^= 0x04
		if _, err := Verify(key, nil, challenge, bad); !errors.Is(err, chiperr.Integrity) {
			t.Errorf("tampered byte %d: %v", i, err)
		}
	}
}

// RFC 6979 Appendix A.2.5: P-256 key and the deterministic signatures of the
// message "sample" with SHA-1 and SHA-256. The messages are not 8 bytes, so
// the verifier is called below the challenge-length check of Verify.
func TestKnownAnswerECDSA(t *testing.T) {
	key := &ecdsa.PublicKey{
		Curve: elliptic.P256(),
		X:     testhex.Int(t, "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"),
		Y:     testhex.Int(t, "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299"),
	}
	cases := []struct {
		alg  []int
		r, s string
	}{
		{oids.ECDSAPlainSHA1, "61340C88C3AAEBEB4F6D667F672CA9759A6CCAA9FA8811313039EE4A35471D32",
			"6D7F147DAC089441BB2E2FE8F7A3FA264B9C475098FDCF6E00D7C996E1B8B7EB"},
		{oids.ECDSAPlainSHA256, "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
			"F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"},
		{oids.ECDSAWithSHA256, "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
			"F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"},
	}
	for _, c := range cases {
		v, err := newECVerifier(key, c.alg)
		if err != nil {
			t.Fatal(err)
		}
		sig := testhex.Bytes(t, c.r+c.s)
		res, err := v.verify([]byte("sample"), sig)
		if err != nil {
			t.Fatalf("%v: %v", c.alg, err)
		}
		if !strings.HasPrefix(res.Algorithm, "ECDSA P-256 with SHA-") {
			t.Errorf("algorithm %q", res.Algorithm)
		}
		if _, err := v.verify([]byte("sampLe"), sig); !errors.Is(err, chiperr.Integrity) {
			t.Errorf("%v other message: %v", c.alg, err)
		}
		// The same signature DER-encoded, as some chips send it.
		der := derSig(testhex.Int(t, c.r), testhex.Int(t, c.s))
		if res, err := v.verify([]byte("sample"), der); err != nil || !strings.HasSuffix(res.Algorithm, "(DER signature)") {
			t.Errorf("%v DER: %v", c.alg, err)
		}
	}
}
