package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/lds"
)

var msg = []byte("tbsCertificate stand-in")

func digest(h crypto.Hash, m []byte) []byte {
	d := h.New()
	d.Write(m)
	return d.Sum(nil)
}

// alg builds an AlgorithmIdentifier from OID arcs (and parameters).
func alg(params []byte, arcs ...int) AlgorithmIdentifier {
	return AlgorithmIdentifier{OID: asn1.ObjectIdentifier(arcs), Params: params}
}

var null = []byte{5, 0}

func TestRSAPKCS1(t *testing.T) {
	k := newRSAKey(t).rsa
	// RFC 4055 §5 OIDs: sha1 5, sha224 14, sha256 11, sha384 12, sha512 13.
	for _, c := range []struct {
		arc int
		h   crypto.Hash
	}{{5, crypto.SHA1}, {14, crypto.SHA224}, {11, crypto.SHA256}, {12, crypto.SHA384}, {13, crypto.SHA512}} {
		sig, err := rsa.SignPKCS1v15(nil, k, c.h, digest(c.h, msg))
		if err != nil {
			t.Fatal(err)
		}
		for _, params := range [][]byte{null, nil} {
			a := alg(params, 1, 2, 840, 113549, 1, 1, c.arc)
			if err := VerifySignature(&k.PublicKey, a, msg, sig); err != nil {
				t.Errorf("%s: %v", a, err)
			}
			wantKind(t, VerifySignature(&k.PublicKey, a, append([]byte("x"), msg...), sig), BadSignature)
		}
		// Parameters other than NULL are malformed.
		wantKind(t, VerifySignature(&k.PublicKey, alg([]byte{2, 1, 0}, 1, 2, 840, 113549, 1, 1, c.arc), msg, sig), Malformed)
	}
}

// pssParams encodes RSASSA-PSS-params with the given hash OID (nil: field
// absent), salt (-1: absent) and trailer (-1: absent).
func pssParams(t *testing.T, hashOID, mgfHashOID asn1.ObjectIdentifier, salt, trailer int) []byte {
	var fields [][]byte
	if hashOID != nil {
		fields = append(fields, ber.Encode(0xA0, mustDER(t, pkix.AlgorithmIdentifier{Algorithm: hashOID, Parameters: asn1.NullRawValue})))
	}
	if mgfHashOID != nil {
		inner := mustDER(t, pkix.AlgorithmIdentifier{Algorithm: mgfHashOID, Parameters: asn1.NullRawValue})
		fields = append(fields, ber.Encode(0xA1, mustDER(t, pkix.AlgorithmIdentifier{
			Algorithm: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}, Parameters: asn1.RawValue{FullBytes: inner}})))
	}
	if salt != -1 {
		fields = append(fields, ber.Encode(0xA2, mustDER(t, salt)))
	}
	if trailer != -1 {
		fields = append(fields, ber.Encode(0xA3, mustDER(t, trailer)))
	}
	return ber.Encode(0x30, fields...)
}

func TestRSAPSS(t *testing.T) {
	k := newRSAKey(t).rsa
	sha256OID := asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	sha512OID := asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	pss := func(params []byte) AlgorithmIdentifier { return alg(params, 1, 2, 840, 113549, 1, 1, 10) }

	sig256, err := rsa.SignPSS(rand.Reader, k, crypto.SHA256, digest(crypto.SHA256, msg), &rsa.PSSOptions{SaltLength: 32})
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifySignature(&k.PublicKey, pss(pssParams(t, sha256OID, sha256OID, 32, -1)), msg, sig256); err != nil {
		t.Errorf("PSS SHA-256 salt 32: %v", err)
	}
	// The declared salt length is enforced.
	wantKind(t, VerifySignature(&k.PublicKey, pss(pssParams(t, sha256OID, sha256OID, 20, -1)), msg, sig256), BadSignature)

	// RFC 4055 defaults: an empty RSASSA-PSS-params is SHA-1, MGF1-SHA-1, salt 20.
	sig1, err := rsa.SignPSS(rand.Reader, k, crypto.SHA1, digest(crypto.SHA1, msg), &rsa.PSSOptions{SaltLength: 20})
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifySignature(&k.PublicKey, pss([]byte{0x30, 0x00}), msg, sig1); err != nil {
		t.Errorf("PSS defaults: %v", err)
	}
	wantKind(t, VerifySignature(&k.PublicKey, pss([]byte{0x30, 0x00}), msg, sig256), BadSignature)

	wantKind(t, VerifySignature(&k.PublicKey, pss(pssParams(t, sha256OID, sha512OID, 32, -1)), msg, sig256), UnsupportedAlgorithm)
	wantKind(t, VerifySignature(&k.PublicKey, pss(pssParams(t, sha256OID, sha256OID, 32, 2)), msg, sig256), UnsupportedAlgorithm)
	wantKind(t, VerifySignature(&k.PublicKey, pss(nil), msg, sig256), Malformed)
	wantKind(t, VerifySignature(&k.PublicKey, pss(null), msg, sig256), Malformed)
	wantKind(t, VerifySignature(&k.PublicKey, pss(pssParams(t, sha256OID, sha256OID, -5, -1)), msg, sig256), Malformed)
}

func TestECDSA(t *testing.T) {
	hashes := []struct {
		h     crypto.Hash
		der   asn1.ObjectIdentifier
		plain int
	}{
		{crypto.SHA1, asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 1}, 1},
		{crypto.SHA224, asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 1}, 2},
		{crypto.SHA256, asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}, 3},
		{crypto.SHA384, asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}, 4},
		{crypto.SHA512, asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}, 5},
	}
	for _, curve := range []string{"P-256", "P-384", "P-521", "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1"} {
		key := newECKey(t, curve)
		c, _ := ecc.ByName(curve)
		// Both public key forms: crypto/ecdsa and lds (as ParseCertificate gives them).
		ldsKey := &lds.ECPublicKey{Curve: c, Point: ecc.Point{X: key.ec.X, Y: key.ec.Y}}
		n := c.ScalarLen()
		for _, h := range hashes {
			d := digest(h.h, msg)
			sig, err := ecdsa.SignASN1(rand.Reader, key.ec, d)
			if err != nil {
				t.Fatal(err)
			}
			a := AlgorithmIdentifier{OID: h.der}
			for _, pub := range []crypto.PublicKey{&key.ec.PublicKey, ldsKey} {
				if err := VerifySignature(pub, a, msg, sig); err != nil {
					t.Errorf("%s %s: %v", curve, a, err)
				}
			}
			wantKind(t, VerifySignature(ldsKey, a, msg[1:], sig), BadSignature)

			// Plain r || s (BSI TR-03111 §5.2.1).
			var rs struct{ R, S *big.Int }
			if _, err := asn1.Unmarshal(sig, &rs); err != nil {
				t.Fatal(err)
			}
			plain := append(rs.R.FillBytes(make([]byte, n)), rs.S.FillBytes(make([]byte, n))...)
			pa := alg(nil, 0, 4, 0, 127, 0, 7, 1, 1, 4, 1, h.plain)
			if err := VerifySignature(ldsKey, pa, msg, plain); err != nil {
				t.Errorf("%s %s: %v", curve, pa, err)
			}
			wantKind(t, VerifySignature(ldsKey, pa, msg, plain[1:]), BadSignature)
			wantKind(t, VerifySignature(ldsKey, pa, msg, sig), BadSignature)
		}
	}
}

func TestUnsupportedAndMismatched(t *testing.T) {
	rsaKey := newRSAKey(t).rsa
	ecKey := newECKey(t, "brainpoolP256r1")
	sig, _ := rsa.SignPKCS1v15(nil, rsaKey, crypto.SHA256, digest(crypto.SHA256, msg))

	// md5WithRSAEncryption, ecdsa-plain-RIPEMD160, DSA with SHA-256: known
	// but not implemented. Distinct from a bad signature.
	for _, a := range []AlgorithmIdentifier{
		alg(null, 1, 2, 840, 113549, 1, 1, 4),
		alg(nil, 0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 6),
		alg(nil, 2, 16, 840, 1, 101, 3, 4, 3, 2),
	} {
		err := VerifySignature(&rsaKey.PublicKey, a, msg, sig)
		wantKind(t, err, UnsupportedAlgorithm)
		if errors.Is(err, BadSignature) || !errors.Is(err, chiperr.Unsupported) {
			t.Errorf("%s: %v", a, err)
		}
	}
	sha256RSA := alg(null, 1, 2, 840, 113549, 1, 1, 11)
	ecdsa256 := alg(nil, 1, 2, 840, 10045, 4, 3, 2)
	wantKind(t, VerifySignature(&ecKey.ec.PublicKey, sha256RSA, msg, sig), BadSignature)
	wantKind(t, VerifySignature(&rsaKey.PublicKey, ecdsa256, msg, sig), BadSignature)
	wantKind(t, VerifySignature(nil, ecdsa256, msg, sig), BadSignature)
	wantKind(t, VerifySignature(&lds.DHPublicKey{}, ecdsa256, msg, sig), BadSignature)

	// RSA keys below 1024 bits are refused before any arithmetic.
	small := &rsa.PublicKey{N: new(big.Int).Lsh(big.NewInt(1), 511), E: 65537}
	small.N.SetBit(small.N, 0, 1)
	wantKind(t, VerifySignature(small, sha256RSA, msg, sig), UnsupportedAlgorithm)
	big := &rsa.PublicKey{N: new(big.Int).Lsh(big.NewInt(1), 9000), E: 65537}
	wantKind(t, VerifySignature(big, sha256RSA, msg, sig), TooLarge)
}

// TestCMSSignature covers the bare key OIDs that CMS signers use as
// signatureAlgorithm, with the hash from digestAlgorithm.
func TestCMSSignature(t *testing.T) {
	k := newRSAKey(t).rsa
	sig, _ := rsa.SignPKCS1v15(nil, k, crypto.SHA384, digest(crypto.SHA384, msg))
	sha384 := alg(nil, 2, 16, 840, 1, 101, 3, 4, 2, 2)
	rsaEnc := alg(null, 1, 2, 840, 113549, 1, 1, 1)
	if err := VerifyCMSSignature(&k.PublicKey, rsaEnc, sha384, msg, sig); err != nil {
		t.Error(err)
	}
	// Without a digest algorithm the bare OID is not a signature algorithm.
	wantKind(t, VerifySignature(&k.PublicKey, rsaEnc, msg, sig), UnsupportedAlgorithm)

	ec := newECKey(t, "brainpoolP384r1")
	esig, _ := ecdsa.SignASN1(rand.Reader, ec.ec, digest(crypto.SHA384, msg))
	if err := VerifyCMSSignature(&ec.ec.PublicKey, alg(nil, 1, 2, 840, 10045, 2, 1), sha384, msg, esig); err != nil {
		t.Error(err)
	}
	wantKind(t, VerifyCMSSignature(&k.PublicKey, rsaEnc, alg(nil, 1, 2, 3), msg, sig), UnsupportedAlgorithm)
}

func TestAlgorithmNames(t *testing.T) {
	for a, want := range map[string]AlgorithmIdentifier{
		"ecdsa-with-SHA384":       alg(nil, 1, 2, 840, 10045, 4, 3, 3),
		"RSASSA-PSS":              alg(nil, 1, 2, 840, 113549, 1, 1, 10),
		"ecdsa-plain-SHA256":      alg(nil, 0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 3),
		"sha256WithRSAEncryption": alg(null, 1, 2, 840, 113549, 1, 1, 11),
		"1.2.3":                   alg(nil, 1, 2, 3),
	} {
		if want.String() != a {
			t.Errorf("%v named %q, want %q", want.OID, want.String(), a)
		}
	}
}
