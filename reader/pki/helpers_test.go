package pki

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"io/fs"
	"math/big"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/assets/trust"
	"github.com/cnie-reader/cnie-reader/internal/sim/demo"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/lds"
)

// The builders below are independent of the package: their OIDs are
// written out here (RFC 5280, RFC 4055, RFC 5652, ICAO 9303-12) so that a
// wrong constant in the package is not mirrored by the tests.

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var (
	tOIDSHA256WithRSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	tOIDRSAEncryption = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	tOIDECDSASHA256   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	tOIDECDSASHA384   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	tOIDSHA256        = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	tOIDSKI           = asn1.ObjectIdentifier{2, 5, 29, 14}
	tOIDKeyUsage      = asn1.ObjectIdentifier{2, 5, 29, 15}
	tOIDBC            = asn1.ObjectIdentifier{2, 5, 29, 19}
	tOIDCRLNumber     = asn1.ObjectIdentifier{2, 5, 29, 20}
	tOIDAKI           = asn1.ObjectIdentifier{2, 5, 29, 35}
	tOIDEKU           = asn1.ObjectIdentifier{2, 5, 29, 37}
	tOIDIDP           = asn1.ObjectIdentifier{2, 5, 29, 28}
	tOIDMLSigning     = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 3}
	tOIDMasterList    = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 2}
	tOIDDeviationList = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7}
	tOIDDLSigning     = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 8}
	tOIDSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	tOIDContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	tOIDMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	tOIDSigningTime   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
)

// tKey is a private key the builders sign with.
type tKey struct {
	ec   *ecdsa.PrivateKey
	rsa  *rsa.PrivateKey
	spki []byte
	bits []byte // subjectPublicKey contents, for key identifiers
}

func (k *tKey) keyID() []byte {
	s := sha1.Sum(k.bits)
	return s[:]
}

// sigAlg is the AlgorithmIdentifier this key signs certificates with.
func (k *tKey) sigAlg() pkix.AlgorithmIdentifier {
	if k.rsa != nil {
		return pkix.AlgorithmIdentifier{Algorithm: tOIDSHA256WithRSA, Parameters: asn1.NullRawValue}
	}
	if k.ec.Curve.Params().BitSize > 256 {
		return pkix.AlgorithmIdentifier{Algorithm: tOIDECDSASHA384}
	}
	return pkix.AlgorithmIdentifier{Algorithm: tOIDECDSASHA256}
}

func (k *tKey) hash() crypto.Hash {
	if k.ec != nil && k.ec.Curve.Params().BitSize > 256 {
		return crypto.SHA384
	}
	return crypto.SHA256
}

func (k *tKey) sign(t testing.TB, msg []byte) []byte {
	t.Helper()
	h := k.hash().New()
	h.Write(msg)
	var sig []byte
	var err error
	if k.rsa != nil {
		sig, err = rsa.SignPKCS1v15(nil, k.rsa, k.hash(), h.Sum(nil))
	} else {
		sig, err = ecdsa.SignASN1(rand.Reader, k.ec, h.Sum(nil))
	}
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// newECKey makes a key on any supported curve; brainpool keys are built by
// hand because ecdsa.GenerateKey only knows NIST curves.
func newECKey(t testing.TB, curve string) *tKey {
	t.Helper()
	c, ok := ecc.ByName(curve)
	if !ok {
		t.Fatalf("curve %s", curve)
	}
	d, pub, err := c.GenerateKey(rand.Reader, c.Generator())
	if err != nil {
		t.Fatal(err)
	}
	var priv *ecdsa.PrivateKey
	switch c.Elliptic() {
	case elliptic.P256(), elliptic.P384(), elliptic.P521():
		if priv, err = ecdsa.ParseRawPrivateKey(c.Elliptic(), d); err != nil {
			t.Fatal(err)
		}
	default:
		priv = &ecdsa.PrivateKey{PublicKey: ecdsa.PublicKey{Curve: c.Elliptic(), X: pub.X, Y: pub.Y}, D: new(big.Int).SetBytes(d)}
	}
	spki, err := lds.MarshalECPublicKey(c, pub, false)
	if err != nil {
		t.Fatal(err)
	}
	return &tKey{ec: priv, spki: spki, bits: c.Encode(pub)}
}

var (
	rsaOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

// newRSAKey returns one RSA-2048 key for the whole test binary.
func newRSAKey(t testing.TB) *tKey {
	t.Helper()
	rsaOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	spki, err := lds.MarshalPublicKey(&rsaKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		Alg pkix.AlgorithmIdentifier
		Key asn1.BitString
	}
	if _, err := asn1.Unmarshal(spki, &info); err != nil {
		t.Fatal(err)
	}
	return &tKey{rsa: rsaKey, spki: spki, bits: info.Key.Bytes}
}

// tCertSpec describes a certificate for issue.
type tCertSpec struct {
	serial    int64
	subject   pkix.Name
	issuer    pkix.Name
	notBefore time.Time
	notAfter  time.Time
	ca        bool
	keyUsage  *asn1.BitString
	eku       []asn1.ObjectIdentifier
	noAKI     bool
	extra     []pkix.Extension
}

func mustDER(t testing.TB, v any) []byte {
	t.Helper()
	b, err := asn1.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func tName(cn, country string) pkix.Name {
	return pkix.Name{Country: []string{country}, Organization: []string{"Test"}, CommonName: cn}
}

func nameDER(t testing.TB, n pkix.Name) []byte { return mustDER(t, n.ToRDNSequence()) }

// issue builds a v3 certificate for subject signed with issuer.
func issue(t testing.TB, s tCertSpec, subject, issuer *tKey) []byte {
	t.Helper()
	if s.notBefore.IsZero() {
		s.notBefore = testNow.AddDate(-1, 0, 0)
	}
	if s.notAfter.IsZero() {
		s.notAfter = testNow.AddDate(5, 0, 0)
	}
	var exts []pkix.Extension
	exts = append(exts, pkix.Extension{Id: tOIDSKI, Value: mustDER(t, subject.keyID())})
	if !s.noAKI {
		type aki struct {
			ID []byte `asn1:"optional,tag:0"`
		}
		exts = append(exts, pkix.Extension{Id: tOIDAKI, Value: mustDER(t, aki{issuer.keyID()})})
	}
	if s.ca {
		type bc struct {
			CA      bool
			PathLen int
		}
		exts = append(exts, pkix.Extension{Id: tOIDBC, Critical: true, Value: mustDER(t, bc{true, 0})})
		if s.keyUsage == nil {
			s.keyUsage = &asn1.BitString{Bytes: []byte{0x06}, BitLength: 7}
		}
	}
	if s.keyUsage != nil {
		exts = append(exts, pkix.Extension{Id: tOIDKeyUsage, Critical: true, Value: mustDER(t, *s.keyUsage)})
	}
	if s.eku != nil {
		exts = append(exts, pkix.Extension{Id: tOIDEKU, Critical: true, Value: mustDER(t, s.eku)})
	}
	exts = append(exts, s.extra...)
	tbs := struct {
		Version  int `asn1:"explicit,tag:0"`
		Serial   *big.Int
		SigAlg   pkix.AlgorithmIdentifier
		Issuer   asn1.RawValue
		Validity struct{ NotBefore, NotAfter time.Time }
		Subject  asn1.RawValue
		SPKI     asn1.RawValue
		Exts     []pkix.Extension `asn1:"explicit,tag:3"`
	}{
		Version: 2, Serial: big.NewInt(s.serial), SigAlg: issuer.sigAlg(),
		Issuer:   asn1.RawValue{FullBytes: nameDER(t, s.issuer)},
		Validity: struct{ NotBefore, NotAfter time.Time }{s.notBefore.UTC(), s.notAfter.UTC()},
		Subject:  asn1.RawValue{FullBytes: nameDER(t, s.subject)},
		SPKI:     asn1.RawValue{FullBytes: subject.spki},
		Exts:     exts,
	}
	return signObject(t, mustDER(t, tbs), issuer)
}

// signObject wraps a TBS into SEQUENCE { tbs, algorithm, BIT STRING sig }.
func signObject(t testing.TB, tbs []byte, key *tKey) []byte {
	t.Helper()
	sig := key.sign(t, tbs)
	return mustDER(t, struct {
		TBS asn1.RawValue
		Alg pkix.AlgorithmIdentifier
		Sig asn1.BitString
	}{asn1.RawValue{FullBytes: tbs}, key.sigAlg(), asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}})
}

// tRevoked is one CRL entry.
type tRevoked struct {
	Serial *big.Int
	Date   time.Time
}

// issueCRL builds a v2 CRL of issuerName signed with key.
func issueCRL(t testing.TB, issuerName pkix.Name, key *tKey, thisUpdate time.Time, revoked []tRevoked, extra ...pkix.Extension) []byte {
	t.Helper()
	type aki struct {
		ID []byte `asn1:"optional,tag:0"`
	}
	exts := append([]pkix.Extension{
		{Id: tOIDAKI, Value: mustDER(t, aki{key.keyID()})},
		{Id: tOIDCRLNumber, Value: mustDER(t, big.NewInt(7))},
	}, extra...)
	tbs := struct {
		Version    int
		SigAlg     pkix.AlgorithmIdentifier
		Issuer     asn1.RawValue
		ThisUpdate time.Time
		NextUpdate time.Time
		Revoked    []tRevoked       `asn1:"optional"`
		Exts       []pkix.Extension `asn1:"explicit,tag:0"`
	}{1, key.sigAlg(), asn1.RawValue{FullBytes: nameDER(t, issuerName)}, thisUpdate.UTC(), thisUpdate.AddDate(0, 3, 0).UTC(), revoked, exts}
	return signObject(t, mustDER(t, tbs), key)
}

// tMLOptions shape a test master list.
type tMLOptions struct {
	rsaEncryptionOID bool // signatureAlgorithm rsaEncryption instead of sha256WithRSAEncryption
	ski              bool // identify the signer by subjectKeyIdentifier
	noSignedAttrs    bool
	wrongContentType bool
	corruptDigest    bool
	version          int
	signingTime      time.Time // testNow when zero
	noSigningTime    bool      // leave the signingTime attribute out
}

// buildMasterList signs a CscaMasterList over entries with signer (whose
// certificate is signerDER) and carries extraCerts next to it.
func buildMasterList(t testing.TB, entries [][]byte, signerDER []byte, signer *tKey, o tMLOptions, extraCerts ...[]byte) []byte {
	t.Helper()
	set := ber.Encode(0x31, entries...)
	content := mustDER(t, struct {
		Version  int
		CertList asn1.RawValue
	}{o.version, asn1.RawValue{FullBytes: set}})
	return buildSignedContent(t, tOIDMasterList, content, signerDER, signer, o, extraCerts...)
}

// buildSignedContent wraps content of type eContentType in a CMS
// SignedData signed with signer (whose certificate is signerDER), shaped
// by o, and carries extraCerts next to the signer certificate.
func buildSignedContent(t testing.TB, eContentType asn1.ObjectIdentifier, content, signerDER []byte, signer *tKey, o tMLOptions, extraCerts ...[]byte) []byte {
	t.Helper()
	digest := crypto.SHA256.New()
	digest.Write(content)
	md := digest.Sum(nil)
	if o.corruptDigest {
		md[0] ^= 1
	}
	ct := eContentType
	if o.wrongContentType {
		ct = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 1}
	}
	attr := func(oid asn1.ObjectIdentifier, v any) []byte {
		return mustDER(t, struct {
			Type   asn1.ObjectIdentifier
			Values asn1.RawValue
		}{oid, asn1.RawValue{FullBytes: ber.Encode(0x31, mustDER(t, v))}})
	}
	signedAt := o.signingTime
	if signedAt.IsZero() {
		signedAt = testNow
	}
	attrs := [][]byte{attr(tOIDContentType, ct), attr(tOIDMessageDigest, md)}
	if !o.noSigningTime {
		attrs = append(attrs, attr(tOIDSigningTime, signedAt))
	}
	sort.Slice(attrs, func(i, j int) bool { return bytes.Compare(attrs[i], attrs[j]) < 0 })
	attrSet := ber.Encode(0x31, attrs...)

	var signed []byte
	if o.noSignedAttrs {
		signed = content
	} else {
		signed = attrSet
	}
	h := crypto.SHA256.New()
	h.Write(signed)
	var sig []byte
	var err error
	sigAlg := pkix.AlgorithmIdentifier{Algorithm: tOIDECDSASHA256}
	if signer.rsa != nil {
		sig, err = rsa.SignPKCS1v15(nil, signer.rsa, crypto.SHA256, h.Sum(nil))
		sigAlg = pkix.AlgorithmIdentifier{Algorithm: tOIDSHA256WithRSA, Parameters: asn1.NullRawValue}
		if o.rsaEncryptionOID {
			sigAlg.Algorithm = tOIDRSAEncryption
		}
	} else {
		sig, err = ecdsa.SignASN1(rand.Reader, signer.ec, h.Sum(nil))
	}
	if err != nil {
		t.Fatal(err)
	}
	signerCert, err := ParseCertificate(signerDER)
	if err != nil {
		t.Fatal(err)
	}
	sidVersion, sid := 1, mustDER(t, struct {
		Issuer asn1.RawValue
		Serial *big.Int
	}{asn1.RawValue{FullBytes: signerCert.RawIssuer}, signerCert.SerialNumber})
	if o.ski {
		sidVersion, sid = 3, ber.Encode(0x80, signerCert.SubjectKeyID)
	}
	siFields := [][]byte{
		mustDER(t, sidVersion), sid,
		mustDER(t, pkix.AlgorithmIdentifier{Algorithm: tOIDSHA256}),
	}
	if !o.noSignedAttrs {
		implicit := bytes.Clone(attrSet)
		implicit[0] = 0xA0
		siFields = append(siFields, implicit)
	}
	siFields = append(siFields, mustDER(t, sigAlg), mustDER(t, sig))
	si := ber.Encode(0x30, siFields...)

	certs := append([][]byte{signerDER}, extraCerts...)
	sd := ber.Encode(0x30,
		mustDER(t, 3),
		ber.Encode(0x31, mustDER(t, pkix.AlgorithmIdentifier{Algorithm: tOIDSHA256})),
		ber.Encode(0x30, mustDER(t, eContentType), ber.Encode(0xA0, mustDER(t, content))),
		ber.Encode(0xA0, certs...),
		ber.Encode(0x31, si),
	)
	return ber.Encode(0x30, mustDER(t, tOIDSignedData), ber.Encode(0xA0, sd))
}

// testCA is a country CSCA with a master list signer, for the master list tests.
type testCA struct {
	key, mlsKey *tKey
	der, mlsDER []byte
	cert        *Certificate
}

func newTestCA(t testing.TB, curve string) *testCA {
	t.Helper()
	ca := &testCA{}
	if curve == "RSA" {
		// An EC CSCA over an RSA signer: the list signature is RSA.
		ca.key, ca.mlsKey = newECKey(t, "P-256"), newRSAKey(t)
	} else {
		ca.key, ca.mlsKey = newECKey(t, curve), newECKey(t, curve)
	}
	name := tName("Test CSCA "+curve, "ZZ")
	ca.der = issue(t, tCertSpec{serial: 1, subject: name, issuer: name, ca: true}, ca.key, ca.key)
	ku := asn1.BitString{Bytes: []byte{0x80}, BitLength: 1}
	ca.mlsDER = issue(t, tCertSpec{serial: 2, subject: tName("Test ML Signer", "ZZ"), issuer: name,
		keyUsage: &ku, eku: []asn1.ObjectIdentifier{tOIDMLSigning}}, ca.mlsKey, ca.key)
	var err error
	if ca.cert, err = ParseCertificate(ca.der); err != nil {
		t.Fatal(err)
	}
	return ca
}

var (
	pkiMu    sync.Mutex
	pkiCache = map[demo.KeyAlg]*demo.PKI{}
)

// demoPKI returns one demo PKI per algorithm for the test binary (RSA key
// generation is slow).
func demoPKI(t testing.TB, alg demo.KeyAlg) *demo.PKI {
	t.Helper()
	pkiMu.Lock()
	defer pkiMu.Unlock()
	if p, ok := pkiCache[alg]; ok {
		return p
	}
	p, err := demo.NewPKIAt(demo.SeededReader("pki test "+alg.String()), alg, testNow)
	if err != nil {
		t.Fatal(err)
	}
	pkiCache[alg] = p
	return p
}

func mustParse(t testing.TB, der []byte) *Certificate {
	t.Helper()
	c, err := ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// bundled returns the bundled certificates by file name.
func bundled(t testing.TB) map[string]*Certificate {
	t.Helper()
	out := map[string]*Certificate{}
	names, err := fs.Glob(trust.FS, "*.pem")
	if err != nil || len(names) == 0 {
		t.Fatalf("no bundled anchors: %v", err)
	}
	for _, n := range names {
		data, _ := fs.ReadFile(trust.FS, n)
		cs, err := ParseCertificates(data)
		if err != nil || len(cs) != 1 {
			t.Fatalf("%s: %v", n, err)
		}
		out[n] = cs[0]
	}
	return out
}

// readPEMFile returns the DER of the single CERTIFICATE block of a testdata file.
func readPEMFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(data)
	if b == nil {
		t.Fatalf("%s: no PEM block", path)
	}
	return b.Bytes
}

// wantKind fails unless err is a pki error of kind k.
func wantKind(t testing.TB, err error, k Kind) {
	t.Helper()
	if !errors.Is(err, k) {
		t.Fatalf("got %v, want kind %v", err, k)
	}
}
