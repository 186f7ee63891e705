package demo

import (
	"bytes"
	"crypto"
	_ "crypto/sha256"
	_ "crypto/sha512"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// Decoding structures written from RFC 5652 §5 and ICAO 9303-10 §4.6.2.3,
// independent of the builder's.
type tContentInfo struct {
	Type    asn1.ObjectIdentifier
	Content asn1.RawValue `asn1:"explicit,tag:0"`
}

type tSignedData struct {
	Version      int
	DigestAlgs   []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContent struct {
		Type    asn1.ObjectIdentifier
		Content []byte `asn1:"explicit,tag:0"`
	}
	Certificates asn1.RawValue `asn1:"optional,tag:0"`
	SignerInfos  []tSignerInfo `asn1:"set"`
}

type tSignerInfo struct {
	Version int
	SID     struct {
		Issuer asn1.RawValue
		Serial *big.Int
	}
	DigestAlg   pkix.AlgorithmIdentifier
	SignedAttrs asn1.RawValue `asn1:"tag:0"`
	SigAlg      pkix.AlgorithmIdentifier
	Signature   []byte
}

type tAttribute struct {
	Type   asn1.ObjectIdentifier
	Values []asn1.RawValue `asn1:"set"`
}

type tLDSSecurityObject struct {
	Version int
	HashAlg pkix.AlgorithmIdentifier
	Hashes  []struct {
		Number int
		Value  []byte
	}
}

// decodedSOD is what a verifier would extract.
type decodedSOD struct {
	sd       tSignedData
	lso      tLDSSecurityObject
	eContent []byte
	attrs    map[string][]asn1.RawValue
	attrSet  []byte // the signed SET (tag 31)
}

func decodeSOD(t *testing.T, sod []byte) *decodedSOD {
	t.Helper()
	tlv, rest, err := ber.ParseTLV(sod)
	if err != nil || len(rest) != 0 || tlv.Tag != 0x77 {
		t.Fatalf("EF.SOD TLV: tag %X, %d trailing, %v", tlv.Tag, len(rest), err)
	}
	var ci tContentInfo
	if rest, err := asn1.Unmarshal(tlv.Value, &ci); err != nil || len(rest) != 0 {
		t.Fatalf("ContentInfo: %v", err)
	}
	if ci.Type.String() != "1.2.840.113549.1.7.2" {
		t.Fatalf("contentType %v, want id-signedData", ci.Type)
	}
	d := &decodedSOD{attrs: map[string][]asn1.RawValue{}}
	if rest, err := asn1.Unmarshal(ci.Content.Bytes, &d.sd); err != nil || len(rest) != 0 {
		t.Fatalf("SignedData: %v", err)
	}
	if d.sd.EncapContent.Type.String() != "2.23.136.1.1.1" {
		t.Fatalf("eContentType %v", d.sd.EncapContent.Type)
	}
	d.eContent = d.sd.EncapContent.Content
	if rest, err := asn1.Unmarshal(d.eContent, &d.lso); err != nil || len(rest) != 0 {
		t.Fatalf("LDSSecurityObject: %v", err)
	}
	if len(d.sd.SignerInfos) != 1 {
		t.Fatalf("%d SignerInfos", len(d.sd.SignerInfos))
	}
	si := d.sd.SignerInfos[0]
	d.attrSet = bytes.Clone(si.SignedAttrs.FullBytes)
	d.attrSet[0] = 0x31 // the signature covers the SET OF, not the [0]
	var attrs []tAttribute
	if _, err := asn1.UnmarshalWithParams(d.attrSet, &attrs, "set"); err != nil {
		t.Fatalf("signed attributes: %v", err)
	}
	for _, a := range attrs {
		d.attrs[a.Type.String()] = a.Values
	}
	return d
}

func testDataGroups() map[int][]byte {
	return map[int][]byte{
		1:  ber.Encode(0x61, ber.Encode(0x5F1F, []byte("IDFRADEMO<<<<<<<<<<<<<<<<<<<<"))),
		2:  BuildDG2([]byte{0xFF, 0xD8, 0xFF, 0xD9}, 1, 1),
		14: ber.Encode(0x6E, []byte{0x31, 0x00}),
	}
}

// checkSOD verifies everything a passive-authentication verifier checks and
// reports, per DG, whether the stored hash matches, and whether the
// signature verifies.
func checkSOD(t *testing.T, p *PKI, h crypto.Hash, dgs map[int][]byte, sod []byte) (hashOK map[int]bool, sigOK bool) {
	t.Helper()
	d := decodeSOD(t, sod)
	sd := d.sd
	si := sd.SignerInfos[0]
	hashOID := map[crypto.Hash]string{
		crypto.SHA1:   "1.3.14.3.2.26",
		crypto.SHA224: "2.16.840.1.101.3.4.2.4", crypto.SHA256: "2.16.840.1.101.3.4.2.1",
		crypto.SHA384: "2.16.840.1.101.3.4.2.2", crypto.SHA512: "2.16.840.1.101.3.4.2.3",
	}[h]
	if sd.Version != 3 || si.Version != 1 || d.lso.Version != 0 {
		t.Errorf("versions SignedData %d SignerInfo %d LDSSecurityObject %d, want 3 1 0", sd.Version, si.Version, d.lso.Version)
	}
	if len(sd.DigestAlgs) != 1 || sd.DigestAlgs[0].Algorithm.String() != hashOID ||
		si.DigestAlg.Algorithm.String() != hashOID || d.lso.HashAlg.Algorithm.String() != hashOID {
		t.Errorf("hash algorithms %v %v %v, want %s", sd.DigestAlgs, si.DigestAlg.Algorithm, d.lso.HashAlg.Algorithm, hashOID)
	}
	// certificates [0] holds exactly the DS certificate.
	if !bytes.Equal(sd.Certificates.Bytes, p.DSCertDER()) {
		t.Error("certificates [0] is not the DS certificate")
	}
	ds, err := parseCert(sd.Certificates.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(si.SID.Issuer.FullBytes, ds.TBS.Issuer.FullBytes) || si.SID.Serial.Cmp(ds.TBS.Serial) != 0 {
		t.Error("issuerAndSerialNumber does not name the DS certificate")
	}
	// Signed attributes: contentType = ldsSecurityObject, messageDigest = H(eContent).
	ct := d.attrs["1.2.840.113549.1.9.3"]
	var ctOID asn1.ObjectIdentifier
	if len(ct) != 1 {
		t.Fatal("contentType attribute missing")
	}
	asn1.Unmarshal(ct[0].FullBytes, &ctOID)
	if ctOID.String() != "2.23.136.1.1.1" {
		t.Errorf("contentType attribute %v", ctOID)
	}
	md := d.attrs["1.2.840.113549.1.9.4"]
	if len(md) != 1 {
		t.Fatal("messageDigest attribute missing")
	}
	var digest []byte
	asn1.Unmarshal(md[0].FullBytes, &digest)
	hh := h.New()
	hh.Write(d.eContent)
	if !bytes.Equal(digest, hh.Sum(nil)) {
		t.Error("messageDigest is not the hash of the LDSSecurityObject")
	}
	// Data group hashes, in ascending order, one per DG.
	hashOK = map[int]bool{}
	prev := 0
	for _, e := range d.lso.Hashes {
		if e.Number <= prev {
			t.Errorf("DG %d listed after DG %d", e.Number, prev)
		}
		prev = e.Number
		hh := h.New()
		hh.Write(dgs[e.Number])
		hashOK[e.Number] = bytes.Equal(e.Value, hh.Sum(nil))
	}
	if len(hashOK) != len(dgs) {
		t.Errorf("%d hashes for %d data groups", len(hashOK), len(dgs))
	}
	dsKey, err := parseSPKI(ds.TBS.SPKI.FullBytes)
	if err != nil {
		t.Fatal(err)
	}
	return hashOK, verify(dsKey, si.SigAlg, d.attrSet, si.Signature) == nil
}

func TestBuildSODVerifies(t *testing.T) {
	type tc struct {
		alg KeyAlg
		h   crypto.Hash
	}
	cases := []tc{{ECDSAP256, crypto.SHA1}, {ECDSAP256, crypto.SHA224}, {ECDSAP256, crypto.SHA384}, {ECDSAP256, crypto.SHA512},
		{RSA2048, crypto.SHA1}, {RSA2048, crypto.SHA512}}
	for _, alg := range KeyAlgs {
		cases = append(cases, tc{alg, crypto.SHA256})
	}
	dgs := testDataGroups()
	for _, c := range cases {
		t.Run(fmt.Sprintf("%v-%v", c.alg, c.h), func(t *testing.T) {
			p := testPKI(t, c.alg)
			sod, err := BuildSOD(p, c.h, dgs, SeededReader("sod"))
			if err != nil {
				t.Fatal(err)
			}
			hashOK, sigOK := checkSOD(t, p, c.h, dgs, sod)
			if !sigOK {
				t.Error("SOD signature does not verify with the DS key")
			}
			for n, ok := range hashOK {
				if !ok {
					t.Errorf("DG%d hash mismatch", n)
				}
			}
			if d := decodeSOD(t, sod); d.attrs["1.2.840.113549.1.9.5"] != nil {
				t.Error("signingTime present without being asked for")
			}
		})
	}
}

// TestSODHashKnownAnswer: DG content "abc" must be stored with the FIPS
// 180-2 Appendix B.1 SHA-256 value.
func TestSODHashKnownAnswer(t *testing.T) {
	p := testPKI(t, ECDSAP256)
	sod, err := BuildSOD(p, crypto.SHA256, map[int][]byte{1: []byte("abc")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := decodeSOD(t, sod)
	want := "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if len(d.lso.Hashes) != 1 || d.lso.Hashes[0].Number != 1 || hex.EncodeToString(d.lso.Hashes[0].Value) != want {
		t.Errorf("hashes %+v, want DG1 %s", d.lso.Hashes, want)
	}
	// LDSSecurityObject DER, assembled by hand: SEQUENCE(57) { INTEGER 0,
	// SEQUENCE(11) { OID sha256 }, SEQUENCE(39) { SEQUENCE(37) { INTEGER 1,
	// OCTET STRING(32) } } }.
	wantDER := "3039" + "020100" + "300b" + "0609608648016503040201" +
		"3027" + "3025" + "020101" + "0420" + want
	if hex.EncodeToString(d.eContent) != wantDER {
		t.Errorf("LDSSecurityObject\n got %x\nwant %s", d.eContent, wantDER)
	}
}

// TestSignedAttributesKnownAnswer checks the DER SET OF the signed
// attributes against a hand-assembled encoding (RFC 5652 §5.3, §11.1, §11.2).
func TestSignedAttributesKnownAnswer(t *testing.T) {
	digest := bytes.Repeat([]byte{0xAB}, 32)
	got, err := signedAttributes(oids.LDSSecurityObject, digest, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := "3148" +
		"3015" + "06092a864886f70d010903" + "3108" + "0606678108010101" + // contentType
		"302f" + "06092a864886f70d010904" + "3122" + "0420" + hex.EncodeToString(digest) // messageDigest
	if hex.EncodeToString(got) != want {
		t.Errorf("signed attributes\n got %x\nwant %s", got, want)
	}
	// With signingTime (…9.5), DER order sorts by encoding: the 15-byte
	// UTCTime attribute (30 1c) comes between contentType (30 15) and
	// messageDigest (30 2f).
	st := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	got, err = signedAttributes(oids.LDSSecurityObject, digest, st)
	if err != nil {
		t.Fatal(err)
	}
	stAttr := "301c" + "06092a864886f70d010905" + "310f" + "170d" + hex.EncodeToString([]byte("260301120000Z"))
	if !bytes.Contains(got, testhex.Bytes(t, stAttr)) || bytes.Index(got, testhex.Bytes(t, stAttr)) != 2+23 {
		t.Errorf("signingTime attribute missing or misplaced in %x", got)
	}
}

func TestBuildSODDefects(t *testing.T) {
	dgs := testDataGroups()
	for _, alg := range KeyAlgs {
		t.Run(alg.String(), func(t *testing.T) {
			p := testPKI(t, alg)
			sod, err := BuildSODWith(p, crypto.SHA256, dgs, nil, SODOptions{WrongHashForDG: 2})
			if err != nil {
				t.Fatal(err)
			}
			hashOK, sigOK := checkSOD(t, p, crypto.SHA256, dgs, sod)
			if !sigOK || hashOK[2] || !hashOK[1] || !hashOK[14] {
				t.Errorf("WrongHashForDG 2: sig %v, hashes %v", sigOK, hashOK)
			}
			sod, err = BuildSODWith(p, crypto.SHA256, dgs, nil, SODOptions{CorruptSignature: true})
			if err != nil {
				t.Fatal(err)
			}
			hashOK, sigOK = checkSOD(t, p, crypto.SHA256, dgs, sod)
			if sigOK || !hashOK[1] || !hashOK[2] || !hashOK[14] {
				t.Errorf("CorruptSignature: sig %v, hashes %v", sigOK, hashOK)
			}
		})
	}
}

func TestBuildSODSigningTime(t *testing.T) {
	p := testPKI(t, ECDSABrainpoolP256r1)
	dgs := testDataGroups()
	st := time.Date(2026, 3, 1, 12, 30, 0, 0, time.UTC)
	sod, err := BuildSODWith(p, crypto.SHA256, dgs, nil, SODOptions{SigningTime: st})
	if err != nil {
		t.Fatal(err)
	}
	if _, sigOK := checkSOD(t, p, crypto.SHA256, dgs, sod); !sigOK {
		t.Error("signature with signingTime does not verify")
	}
	v := decodeSOD(t, sod).attrs["1.2.840.113549.1.9.5"]
	var got time.Time
	if len(v) != 1 {
		t.Fatal("signingTime missing")
	}
	if _, err := asn1.Unmarshal(v[0].FullBytes, &got); err != nil || !got.Equal(st) {
		t.Errorf("signingTime %v (%v), want %v", got, err, st)
	}
}

func TestBuildSODErrors(t *testing.T) {
	p := testPKI(t, ECDSAP256)
	dgs := testDataGroups()
	cases := []struct {
		name string
		p    *PKI
		h    crypto.Hash
		dgs  map[int][]byte
		opts SODOptions
		kind chiperr.Kind
	}{
		{"nil PKI", nil, crypto.SHA256, dgs, SODOptions{}, chiperr.BadInput},
		{"MD5", p, crypto.MD5, dgs, SODOptions{}, chiperr.Unsupported},
		{"no DG", p, crypto.SHA256, nil, SODOptions{}, chiperr.BadInput},
		{"DG0", p, crypto.SHA256, map[int][]byte{0: {1}}, SODOptions{}, chiperr.BadInput},
		{"DG17", p, crypto.SHA256, map[int][]byte{17: {1}}, SODOptions{}, chiperr.BadInput},
		{"wrong DG absent", p, crypto.SHA256, dgs, SODOptions{WrongHashForDG: 3}, chiperr.BadInput},
	}
	for _, c := range cases {
		if _, err := BuildSODWith(c.p, c.h, c.dgs, nil, c.opts); !errors.Is(err, c.kind) {
			t.Errorf("%s: %v, want kind %v", c.name, err, c.kind)
		}
	}
}

func BenchmarkBuildSOD(b *testing.B) {
	dg2, err := DemoDG2(1)
	if err != nil {
		b.Fatal(err)
	}
	dgs := testDataGroups()
	dgs[2] = dg2
	for _, alg := range KeyAlgs {
		p := testPKI(b, alg)
		b.Run(alg.String(), func(b *testing.B) {
			for b.Loop() {
				if _, err := BuildSOD(p, crypto.SHA256, dgs, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
