package lds_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/sim/demo"
	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// ---- helpers ----

func sodFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sod", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func wantKind(t testing.TB, err error, kind chiperr.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", kind)
	}
	if k := chiperr.KindOf(err); k != kind {
		t.Fatalf("error %v has kind %v, want %v", err, k, kind)
	}
}

// split returns the encodings of the elements inside the DER element der
// (decoded with encoding/asn1, independently of the parser under test).
func split(t testing.TB, der []byte) [][]byte {
	t.Helper()
	var outer asn1.RawValue
	if _, err := asn1.Unmarshal(der, &outer); err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for b := outer.Bytes; len(b) > 0; {
		var v asn1.RawValue
		var err error
		if b, err = asn1.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v.FullBytes)
	}
	return out
}

// ind writes a BER element with the indefinite length.
func ind(tag byte, parts ...[]byte) []byte {
	out := []byte{tag, 0x80}
	for _, p := range parts {
		out = append(out, p...)
	}
	return append(out, 0, 0)
}

func derOID(oid asn1.ObjectIdentifier) []byte { return ber.Encode(0x06, ber.OIDContents(oid)) }
func derInt(v int) []byte                     { b, _ := asn1.Marshal(v); return b }
func seq(parts ...[]byte) []byte              { return ber.Encode(0x30, parts...) }
func set(parts ...[]byte) []byte              { return ber.Encode(0x31, parts...) }

var (
	oidSHA256   = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA3_256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 8}
	oidPSS      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
)

// ---- real specimen documents ----

// specimen describes one test document of testdata/sod (see its README).
type specimen struct {
	prefix  string
	listed  []lds.DataGroup
	files   []lds.DataGroup // data groups whose content is in testdata
	dg2Hash string          // as printed in the published test of pymrtd
	digest  string          // messageDigest, idem
	serial  int64
	issuer  string // issuer CN of the DS certificate
}

var specimens = []specimen{
	// BSI TR-03105-5 ReferenceDataSet, EF_SOD.bin: the ERIKA MUSTERMANN
	// specimen signed by the HJP Consulting test PKI.
	{"bsi-tr03105-5", []lds.DataGroup{1, 2, 3, 4, 14}, []lds.DataGroup{1, 14},
		"A9A1B09DFD598087AB3FCE4AE2EC65B1A1525BD258BFC27DF4419F8A65E54745",
		"B46A0D05E280F398EFEEEBFF67E78C736ADD15E75670B1AD4C6C534E8187B9D6", 1387230198055, "HJP PB CS"},
	// ETSI TR 103 200 ePassport prototype platform, ePassport_Data/CFG/DFLT/EACAA/EF_SOD.bin.
	{"etsi-tr103200", []lds.DataGroup{1, 2, 3, 4, 14, 15}, []lds.DataGroup{1, 14, 15},
		"A9A1B09DFD598087AB3FCE4AE2EC65B1A1525BD258BFC27DF4419F8A65E54745",
		"B07B3583840A50F05E0B0AC5C8310629314B377D2F843FC82110A3B072BE5227", 1307891936062, "ETSI CS"},
}

// pssSHA256Params is RSASSA-PSS-params {SHA-256, MGF1 SHA-256, salt 32}
// with NULL hash parameters, as both specimens encode them (RFC 4055 §3.1).
const pssSHA256Params = "3034A00F300D06096086480165030402010500A11C301A06092A864886F70D010108300D06096086480165030402010500A203020120"

func TestParseSODSpecimens(t *testing.T) {
	for _, sp := range specimens {
		t.Run(sp.prefix, func(t *testing.T) {
			s, err := lds.ParseSOD(sodFile(t, sp.prefix+"_EF_SOD.bin"))
			if err != nil {
				t.Fatal(err)
			}
			if s.Version != 3 || !s.EContentType.Equal(oids.LDSSecurityObject) || s.LDSObjectVersion != 0 ||
				s.LDSVersion != "" || s.UnicodeVersion != "" || len(s.OtherSigners) != 0 || len(s.CRLs) != 0 {
				t.Errorf("header fields %d %v %d %q %q %d %d", s.Version, s.EContentType, s.LDSObjectVersion,
					s.LDSVersion, s.UnicodeVersion, len(s.OtherSigners), len(s.CRLs))
			}
			if s.HashAlgorithm.Hash != crypto.SHA256 || s.HashAlgorithm.Err != nil || !bytes.Equal(s.HashAlgorithm.Params, []byte{5, 0}) {
				t.Errorf("hash algorithm %+v", s.HashAlgorithm)
			}
			if len(s.DigestAlgorithms) != 1 || s.DigestAlgorithms[0].Hash != crypto.SHA256 {
				t.Errorf("digestAlgorithms %+v", s.DigestAlgorithms)
			}
			if !reflect.DeepEqual(s.DataGroups(), sp.listed) {
				t.Errorf("data groups %v, want %v", s.DataGroups(), sp.listed)
			}
			if got := s.DataGroupHashes[2]; !bytes.Equal(got, testhex.Bytes(t, sp.dg2Hash)) {
				t.Errorf("DG2 hash %X", got)
			}
			for _, dg := range sp.files {
				content := sodFile(t, fmt.Sprintf("%s_EF_DG%d.bin", sp.prefix, dg))
				if err := s.CheckDataGroup(dg, content); err != nil {
					t.Errorf("%v: %v", dg, err)
				}
				content[len(content)-1] ^= 1
				err := s.CheckDataGroup(dg, content)
				if !errors.Is(err, lds.ErrDataGroupHashMismatch) || !errors.Is(err, chiperr.Integrity) {
					t.Errorf("tampered %v: %v", dg, err)
				}
			}
			if err := s.CheckDataGroup(7, []byte{0x67, 0}); !errors.Is(err, lds.ErrDataGroupNotInSOD) || !errors.Is(err, chiperr.Integrity) {
				t.Errorf("DG7: %v", err)
			}

			si := s.Signer
			if si.Version != 1 || si.SubjectKeyID != nil || si.SigningTime != nil || si.SerialNumber.Cmp(big.NewInt(sp.serial)) != 0 {
				t.Errorf("signer %d %x %v %v", si.Version, si.SubjectKeyID, si.SigningTime, si.SerialNumber)
			}
			if !si.ContentType.Equal(oids.LDSSecurityObject) || si.DigestAlgorithm.Hash != crypto.SHA256 {
				t.Errorf("signer content type %v digest %v", si.ContentType, si.DigestAlgorithm.OID)
			}
			if !bytes.Equal(si.MessageDigest, testhex.Bytes(t, sp.digest)) {
				t.Errorf("messageDigest %X", si.MessageDigest)
			}
			if sum := sha256.Sum256(s.EContent); !bytes.Equal(sum[:], si.MessageDigest) {
				t.Error("messageDigest is not SHA-256(EContent): EContent is not the signed content")
			}
			if !si.SignatureAlgorithm.OID.Equal(oidPSS) || !bytes.Equal(si.SignatureAlgorithm.Params, testhex.Bytes(t, pssSHA256Params)) {
				t.Errorf("signature algorithm %v %X", si.SignatureAlgorithm.OID, si.SignatureAlgorithm.Params)
			}

			// The embedded DS certificate must be the signer, and the
			// signature must verify over SignedAttrsRaw: this proves that
			// SignedAttrsRaw is exactly what the issuer signed.
			if len(s.Certificates) != 1 {
				t.Fatalf("%d certificates", len(s.Certificates))
			}
			cert, err := x509.ParseCertificate(s.Certificates[0])
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(cert.RawIssuer, si.IssuerRaw) || cert.SerialNumber.Cmp(si.SerialNumber) != 0 || cert.Issuer.CommonName != sp.issuer {
				t.Errorf("issuerAndSerialNumber does not name the embedded certificate (%v)", cert.Issuer)
			}
			if si.SignedAttrsRaw[0] != 0x31 {
				t.Errorf("SignedAttrsRaw starts with %02X", si.SignedAttrsRaw[0])
			}
			digest := sha256.Sum256(si.SignedAttrsRaw)
			pub := cert.PublicKey.(*rsa.PublicKey)
			if err := rsa.VerifyPSS(pub, crypto.SHA256, digest[:], si.Signature, &rsa.PSSOptions{SaltLength: 32, Hash: crypto.SHA256}); err != nil {
				t.Errorf("specimen signature does not verify over SignedAttrsRaw: %v", err)
			}
		})
	}
}

// TestParseSODDoesNotAlias: clearing the input (as Document.Clear does)
// must not change a parsed SOD.
func TestParseSODDoesNotAlias(t *testing.T) {
	b := sodFile(t, "bsi-tr03105-5_EF_SOD.bin")
	s, err := lds.ParseSOD(b)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := lds.ParseSOD(bytes.Clone(b))
	clear(b)
	if !reflect.DeepEqual(s, want) {
		t.Error("parsed SOD shares memory with its input")
	}
}

// ---- the virtual card's SOD ----

var (
	pkiMu    sync.Mutex
	pkiCache = map[demo.KeyAlg]*demo.PKI{}
)

func sodTestPKI(t testing.TB, alg demo.KeyAlg) *demo.PKI {
	t.Helper()
	pkiMu.Lock()
	defer pkiMu.Unlock()
	if p, ok := pkiCache[alg]; ok {
		return p
	}
	p, err := demo.NewPKIAt(demo.SeededReader("lds sod test "+alg.String()), alg, time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	pkiCache[alg] = p
	return p
}

func demoDataGroups(t testing.TB) map[int][]byte {
	t.Helper()
	mrz := "IDUTOD23145890<<<<<<<<<<<<<<<<" + "7408122F1204159UTO<<<<<<<<<<<6" + "SPECIMEN<<DEMO<<<<<<<<<<<<<<<<"
	return map[int][]byte{
		1:  ber.Encode(0x61, ber.Encode(0x5F1F, []byte(mrz))),
		2:  ber.Encode(0x75, bytes.Repeat([]byte{0xA5}, 700)),
		11: ber.Encode(0x6B, ber.Encode(0x5C, []byte{0x5F, 0x0E})),
		14: ber.Encode(0x6E, set()),
	}
}

var demoHashes = []crypto.Hash{crypto.SHA1, crypto.SHA224, crypto.SHA256, crypto.SHA384, crypto.SHA512}

// verifyDemo checks a demo signature with the DS public key.
func verifyDemo(alg demo.KeyAlg, pub crypto.PublicKey, h crypto.Hash, msg, sig []byte) bool {
	hh := h.New()
	hh.Write(msg)
	d := hh.Sum(nil)
	switch alg {
	case demo.ECDSAP256, demo.ECDSABrainpoolP256r1:
		return ecdsa.VerifyASN1(pub.(*ecdsa.PublicKey), d, sig)
	case demo.RSA2048:
		return rsa.VerifyPKCS1v15(pub.(*rsa.PublicKey), h, d, sig) == nil
	case demo.RSAPSS2048:
		return rsa.VerifyPSS(pub.(*rsa.PublicKey), h, d, sig, &rsa.PSSOptions{SaltLength: h.Size(), Hash: h}) == nil
	}
	return false
}

// dsHeader reads the serial and issuer of a certificate (RFC 5280 §4.1)
// without crypto/x509, which refuses brainpool keys.
type dsHeader struct {
	TBS struct {
		Version int `asn1:"optional,explicit,default:0,tag:0"`
		Serial  *big.Int
		SigAlg  asn1.RawValue
		Issuer  asn1.RawValue
	}
}

func TestParseSODDemo(t *testing.T) {
	dgs := demoDataGroups(t)
	for _, alg := range demo.KeyAlgs {
		p := sodTestPKI(t, alg)
		var ds dsHeader
		if _, err := asn1.Unmarshal(p.DSCertDER(), &ds); err != nil {
			t.Fatal(err)
		}
		for _, h := range demoHashes {
			t.Run(fmt.Sprintf("%v-%v", alg, h), func(t *testing.T) {
				b, err := demo.BuildSOD(p, h, dgs, demo.SeededReader("sod"))
				if err != nil {
					t.Fatal(err)
				}
				s, err := lds.ParseSOD(b)
				if err != nil {
					t.Fatal(err)
				}
				if s.HashAlgorithm.Hash != h || s.Signer.DigestAlgorithm.Hash != h || s.HashAlgorithm.Params != nil {
					t.Errorf("hash %v / %v, params %X", s.HashAlgorithm.Hash, s.Signer.DigestAlgorithm.Hash, s.HashAlgorithm.Params)
				}
				if !reflect.DeepEqual(s.DataGroups(), []lds.DataGroup{1, 2, 11, 14}) {
					t.Errorf("data groups %v", s.DataGroups())
				}
				for n, content := range dgs {
					if err := s.CheckDataGroup(lds.DataGroup(n), content); err != nil {
						t.Errorf("DG%d: %v", n, err)
					}
				}
				hh := h.New()
				hh.Write(s.EContent)
				if !bytes.Equal(hh.Sum(nil), s.Signer.MessageDigest) {
					t.Error("messageDigest does not cover EContent")
				}
				if len(s.Certificates) != 1 || !bytes.Equal(s.Certificates[0], p.DSCertDER()) {
					t.Error("DS certificate not returned as built")
				}
				si := s.Signer
				if !bytes.Equal(si.IssuerRaw, ds.TBS.Issuer.FullBytes) || si.SerialNumber.Cmp(ds.TBS.Serial) != 0 || si.SigningTime != nil {
					t.Error("issuerAndSerialNumber does not name the DS certificate")
				}
				if !verifyDemo(alg, p.DSPublicKey(), h, si.SignedAttrsRaw, si.Signature) {
					t.Error("signature does not verify over SignedAttrsRaw")
				}
			})
		}
	}
}

// TestParseSODDemoWrongHash: SODOptions.WrongHashForDG must fail
// CheckDataGroup for that data group only, for every key and hash.
func TestParseSODDemoWrongHash(t *testing.T) {
	dgs := demoDataGroups(t)
	for _, alg := range demo.KeyAlgs {
		p := sodTestPKI(t, alg)
		for i, h := range demoHashes {
			wrong := []int{1, 2, 11, 14}[i%4]
			b, err := demo.BuildSODWith(p, h, dgs, nil, demo.SODOptions{WrongHashForDG: wrong})
			if err != nil {
				t.Fatal(err)
			}
			s, err := lds.ParseSOD(b)
			if err != nil {
				t.Fatalf("%v %v: %v", alg, h, err)
			}
			for n, content := range dgs {
				err := s.CheckDataGroup(lds.DataGroup(n), content)
				if n == wrong {
					if !errors.Is(err, lds.ErrDataGroupHashMismatch) || !errors.Is(err, chiperr.Integrity) {
						t.Errorf("%v %v DG%d (wrong): %v", alg, h, n, err)
					}
				} else if err != nil {
					t.Errorf("%v %v DG%d: %v", alg, h, n, err)
				}
			}
		}
	}
}

func TestParseSODDemoOptions(t *testing.T) {
	p := sodTestPKI(t, demo.ECDSAP256)
	dgs := demoDataGroups(t)
	when := time.Date(2026, 7, 14, 9, 30, 5, 0, time.UTC)
	b, err := demo.BuildSODWith(p, crypto.SHA256, dgs, nil, demo.SODOptions{SigningTime: when, CorruptSignature: true})
	if err != nil {
		t.Fatal(err)
	}
	s, err := lds.ParseSOD(b)
	if err != nil {
		t.Fatal(err) // parsing does not verify the signature
	}
	if s.Signer.SigningTime == nil || !s.Signer.SigningTime.Equal(when) {
		t.Errorf("signingTime %v, want %v", s.Signer.SigningTime, when)
	}
	if verifyDemo(demo.ECDSAP256, p.DSPublicKey(), crypto.SHA256, s.Signer.SignedAttrsRaw, s.Signer.Signature) {
		t.Error("corrupted signature verifies")
	}
}

// ---- BER envelopes ----

// berOpts changes parts of berVariant's output (nil: unchanged).
type berOpts struct {
	signer, cert, eContent func([]byte) []byte
}

func (o berOpts) apply(f func([]byte) []byte, b []byte) []byte {
	if f == nil {
		return b
	}
	return f(b)
}

// berVariant re-encodes the envelope of a DER SOD with indefinite lengths
// everywhere BER is tolerated and the eContent as a constructed OCTET
// STRING of nested segments, as a streaming CMS encoder would.
func berVariant(t testing.TB, der []byte, o berOpts) []byte {
	t.Helper()
	ci := split(t, der)[0]
	ciParts := split(t, ci)
	sd := split(t, ciParts[1])[0]
	sdParts := split(t, sd)
	encap := split(t, sdParts[2])
	var oct asn1.RawValue
	if _, err := asn1.Unmarshal(split(t, encap[1])[0], &oct); err != nil {
		t.Fatal(err)
	}
	v := o.apply(o.eContent, oct.Bytes)
	segs := [][]byte{ber.Encode(0x04, v[:100]), ind(0x24, ber.Encode(0x04, v[100:150]), ber.Encode(0x04, nil)), ber.Encode(0x04, v[150:])}
	body := [][]byte{sdParts[0], sdParts[1], ind(0x30, encap[0], ind(0xA0, ind(0x24, segs...)))}
	for _, f := range sdParts[3:] {
		var members [][]byte
		for _, m := range split(t, f) {
			if f[0] == 0xA0 {
				m = o.apply(o.cert, m)
			} else {
				m = o.apply(o.signer, m)
			}
			members = append(members, m)
		}
		body = append(body, ind(f[0], members...))
	}
	return ind(0x77, ind(0x30, ciParts[0], ind(0xA0, ind(0x30, body...))))
}

func TestParseSODBER(t *testing.T) {
	der := sodFile(t, "bsi-tr03105-5_EF_SOD.bin")
	want, err := lds.ParseSOD(der)
	if err != nil {
		t.Fatal(err)
	}
	streamed := berVariant(t, der, berOpts{})
	ci := split(t, der)[0]
	variants := map[string][]byte{
		"indefinite everywhere allowed": streamed,
		// proxmark3: "77 80" read as "rest of file", without end-of-contents.
		"77 80 to end of file":     append([]byte{0x77, 0x80}, ci...),
		"77 80 with EOC + padding": append(append([]byte{0x77, 0x80}, ci...), 0, 0, 0xFF, 0xFF),
		"non-minimal 77 length":    append([]byte{0x77, 0x83, 0x00, 0x07, 0x8A}, ci...),
		"padding after 77":         append(bytes.Clone(der), 0, 0, 0xFF),
	}
	for name, b := range variants {
		got, err := lds.ParseSOD(b)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: parsed differently from the DER original", name)
		}
	}

	// Where DER is required, BER forms are refused, each for its own reason.
	indefinite := func(b []byte) []byte { return ind(b[0], split(t, b)...) }
	signerField := func(i int, f func([]byte) []byte) func([]byte) []byte {
		return func(si []byte) []byte {
			p := split(t, si)
			p[i] = f(p[i])
			return seq(p...)
		}
	}
	nonMinimal := func(b []byte) []byte { // 04 82 01 00 → 04 83 00 01 00
		return append([]byte{b[0], 0x83, 0x00}, b[2:]...)
	}
	bad := map[string]struct {
		b    []byte
		want string
	}{
		"data after ContentInfo in 77 80":  {append(append([]byte{0x77, 0x80}, ci...), 0, 1), "data after the ContentInfo"},
		"data after ContentInfo in 77":     {ber.Encode(0x77, ci, []byte{0}), "data after the ContentInfo"},
		"77 80 without ContentInfo":        {[]byte{0x77, 0x80, 0, 0}, "ContentInfo is not a SEQUENCE"},
		"missing EOC":                      {streamed[:len(streamed)-4], "truncated"},
		"indefinite SignerInfo":            {berVariant(t, der, berOpts{signer: indefinite}), "where DER is required"},
		"indefinite signed attributes":     {berVariant(t, der, berOpts{signer: signerField(3, indefinite)}), "where DER is required"},
		"non-minimal length in SignerInfo": {berVariant(t, der, berOpts{signer: signerField(5, nonMinimal)}), "not minimally encoded"},
		"indefinite LDSSecurityObject":     {berVariant(t, der, berOpts{eContent: indefinite}), "where DER is required"},
		"indefinite certificate":           {berVariant(t, der, berOpts{cert: indefinite}), "not DER"},
		"indefinite primitive":             {[]byte{0x77, 0x80, 0x04, 0x80, 0, 0}, "primitive"},
	}
	for name, c := range bad {
		_, err := lds.ParseSOD(c.b)
		if chiperr.KindOf(err) != chiperr.Malformed || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want Malformed with %q", name, err, c.want)
		}
	}
	// The mutations above only break the DER rule: the same shapes in DER parse.
	if _, err := lds.ParseSOD(berVariant(t, der, berOpts{signer: signerField(3, func(b []byte) []byte { return b })})); err != nil {
		t.Errorf("re-assembled SignerInfo: %v", err)
	}

	deep := []byte{0x77, 0x80}
	for range 40 {
		deep = append(deep, 0x30, 0x80)
	}
	deep = append(deep, bytes.Repeat([]byte{0}, 82)...)
	_, err = lds.ParseSOD(deep)
	wantKind(t, err, chiperr.TooLarge)
}

// ---- hand-built SODs for the structural rules ----

// sodSpec describes a SOD to assemble; zero values give a valid one.
type sodSpec struct {
	ciType      asn1.ObjectIdentifier
	sdVersion   int
	eType       asn1.ObjectIdentifier
	lsoVersion  int
	hashOID     asn1.ObjectIdentifier
	dgs         [][2]any // {number, hash}
	versionInfo []byte   // LDSVersionInfo element
	noCerts     bool
	crls        [][]byte
	signers     [][]byte // replaces the default SignerInfo
	attrs       [][]byte // replaces the default signed attributes
	noAttrs     bool
	sid         []byte // replaces issuerAndSerialNumber
	siVersion   int
	unsigned    bool
}

func attr(oid asn1.ObjectIdentifier, values ...[]byte) []byte {
	return seq(derOID(oid), set(values...))
}

func (o sodSpec) build(t testing.TB) []byte {
	t.Helper()
	or := func(oid, def asn1.ObjectIdentifier) asn1.ObjectIdentifier {
		if oid == nil {
			return def
		}
		return oid
	}
	hashID := seq(derOID(or(o.hashOID, oidSHA256)))
	dgs := o.dgs
	if dgs == nil {
		dgs = [][2]any{{1, bytes.Repeat([]byte{1}, 32)}, {2, bytes.Repeat([]byte{2}, 32)}}
	}
	var list [][]byte
	for _, d := range dgs {
		list = append(list, seq(derInt(d[0].(int)), ber.Encode(0x04, d[1].([]byte))))
	}
	lsoParts := [][]byte{derInt(o.lsoVersion), hashID, seq(list...)}
	if o.versionInfo != nil {
		lsoParts = append(lsoParts, o.versionInfo)
	}
	lso := seq(lsoParts...)
	eType := or(o.eType, oids.LDSSecurityObject)
	attrs := o.attrs
	if attrs == nil {
		sum := sha256.Sum256(lso)
		attrs = [][]byte{attr(oids.AttrContentType, derOID(eType)), attr(oids.AttrMessageDigest, ber.Encode(0x04, sum[:]))}
	}
	signers := o.signers
	if signers == nil {
		sid := o.sid
		if sid == nil {
			sid = seq(seq(set(seq(derOID(asn1.ObjectIdentifier{2, 5, 4, 3}), ber.Encode(0x0C, []byte("CSCA"))))), derInt(77))
		}
		v := o.siVersion
		if v == 0 {
			v = 1
		}
		parts := [][]byte{derInt(v), sid, hashID}
		if !o.noAttrs {
			parts = append(parts, ber.Encode(0xA0, attrs...))
		}
		parts = append(parts, seq(derOID(asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2})), ber.Encode(0x04, []byte{0x30, 0x00}))
		if o.unsigned {
			parts = append(parts, ber.Encode(0xA1, attr(asn1.ObjectIdentifier{1, 2, 3}, []byte{5, 0})))
		}
		signers = [][]byte{seq(parts...)}
	}
	v := o.sdVersion
	if v == 0 {
		v = 3
	}
	sd := [][]byte{derInt(v), set(hashID), seq(derOID(eType), ber.Encode(0xA0, ber.Encode(0x04, lso)))}
	if !o.noCerts {
		sd = append(sd, ber.Encode(0xA0, seq(seq(derInt(1)), seq(), seq())))
	}
	if o.crls != nil {
		sd = append(sd, ber.Encode(0xA1, o.crls...))
	}
	sd = append(sd, set(signers...))
	return ber.Encode(0x77, seq(derOID(or(o.ciType, oids.SignedData)), ber.Encode(0xA0, seq(sd...))))
}

func TestParseSODBuilt(t *testing.T) {
	s, err := lds.ParseSOD(sodSpec{}.build(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Certificates) != 1 || s.CRLs != nil || s.Signer.SerialNumber.Int64() != 77 {
		t.Errorf("baseline: %d certs, %d CRLs, serial %v", len(s.Certificates), len(s.CRLs), s.Signer.SerialNumber)
	}

	v1 := sodSpec{lsoVersion: 1, versionInfo: seq(ber.Encode(0x13, []byte("0108")), ber.Encode(0x13, []byte("040000")))}
	if s, err := lds.ParseSOD(v1.build(t)); err != nil || s.LDSObjectVersion != 1 || s.LDSVersion != "0108" || s.UnicodeVersion != "040000" {
		t.Errorf("LDS v1: %v %+v", err, s)
	}
	if s, err := lds.ParseSOD(sodSpec{noCerts: true, crls: [][]byte{seq(derInt(1))}}.build(t)); err != nil || s.Certificates != nil || len(s.CRLs) != 1 {
		t.Errorf("no certificates, one CRL: %v", err)
	}
	ski := []byte{1, 2, 3, 4}
	if s, err := lds.ParseSOD(sodSpec{siVersion: 3, sid: ber.Encode(0x80, ski)}.build(t)); err != nil ||
		s.Signer.Version != 3 || !bytes.Equal(s.Signer.SubjectKeyID, ski) || s.Signer.IssuerRaw != nil {
		t.Errorf("subjectKeyIdentifier: %v", err)
	}
	if s, err := lds.ParseSOD(sodSpec{eType: oids.Data}.build(t)); err != nil || !s.EContentType.Equal(oids.Data) {
		t.Errorf("id-data eContentType: %v", err)
	}
	if _, err := lds.ParseSOD(sodSpec{unsigned: true}.build(t)); err != nil {
		t.Errorf("unsigned attributes: %v", err)
	}
	one := sodSpec{}.build(t)
	si := split(t, split(t, split(t, split(t, split(t, one)[0])[1])[0])[4])[0]
	if s, err := lds.ParseSOD(sodSpec{signers: [][]byte{si, si}}.build(t)); err != nil || len(s.OtherSigners) != 1 {
		t.Errorf("two signers: %v", err)
	}

	sum := sha256.Sum256(nil)
	md := attr(oids.AttrMessageDigest, ber.Encode(0x04, sum[:]))
	ct := attr(oids.AttrContentType, derOID(oids.LDSSecurityObject))
	for name, o := range map[string]sodSpec{
		"UTCTime":         {attrs: [][]byte{ct, md, attr(oids.AttrSigningTime, ber.Encode(0x17, []byte("260714093005Z")))}},
		"GeneralizedTime": {attrs: [][]byte{ct, md, attr(oids.AttrSigningTime, ber.Encode(0x18, []byte("20260714093005Z")))}},
	} {
		s, err := lds.ParseSOD(o.build(t))
		if err != nil || s.Signer.SigningTime == nil || !s.Signer.SigningTime.Equal(time.Date(2026, 7, 14, 9, 30, 5, 0, time.UTC)) {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(s.Signer.SignedAttrsRaw, set(o.attrs...)) {
			t.Errorf("%s: SignedAttrsRaw is not the attributes under SET", name)
		}
	}

	unknown, err := lds.ParseSOD(sodSpec{hashOID: oidSHA3_256}.build(t))
	if err != nil {
		t.Fatal(err)
	}
	if unknown.HashAlgorithm.Hash != 0 || !unknown.HashAlgorithm.OID.Equal(oidSHA3_256) {
		t.Errorf("unknown hash %+v", unknown.HashAlgorithm)
	}
	wantKind(t, unknown.HashAlgorithm.Err, chiperr.Unsupported)
	wantKind(t, unknown.CheckDataGroup(1, []byte{0x61, 0}), chiperr.Unsupported)
}

func TestParseSODRejects(t *testing.T) {
	h32 := bytes.Repeat([]byte{7}, 32)
	sum := sha256.Sum256(nil)
	md := attr(oids.AttrMessageDigest, ber.Encode(0x04, sum[:]))
	ct := attr(oids.AttrContentType, derOID(oids.LDSSecurityObject))
	var seventeen [][2]any
	for n := 1; n <= 17; n++ {
		seventeen = append(seventeen, [2]any{n, h32})
	}
	cases := map[string]struct {
		o    sodSpec
		kind chiperr.Kind
	}{
		"ContentInfo not signedData":    {sodSpec{ciType: oids.Data}, chiperr.Malformed},
		"SignedData version 6":          {sodSpec{sdVersion: 6}, chiperr.Malformed},
		"unknown eContentType":          {sodSpec{eType: asn1.ObjectIdentifier{1, 2, 3}}, chiperr.Malformed},
		"DG 0":                          {sodSpec{dgs: [][2]any{{0, h32}}}, chiperr.Malformed},
		"DG 17":                         {sodSpec{dgs: [][2]any{{17, h32}}}, chiperr.Malformed},
		"DG twice":                      {sodSpec{dgs: [][2]any{{3, h32}, {3, h32}}}, chiperr.Malformed},
		"17 hashes":                     {sodSpec{dgs: seventeen}, chiperr.TooLarge},
		"no hash":                       {sodSpec{dgs: [][2]any{}}, chiperr.Malformed},
		"hash of wrong size":            {sodSpec{dgs: [][2]any{{1, h32[:20]}}}, chiperr.Malformed},
		"empty hash":                    {sodSpec{hashOID: oidSHA3_256, dgs: [][2]any{{1, []byte{}}}}, chiperr.Malformed},
		"LDS v1 without version info":   {sodSpec{lsoVersion: 1}, chiperr.Malformed},
		"LDS v0 with version info":      {sodSpec{versionInfo: seq(ber.Encode(0x13, []byte("0108")), ber.Encode(0x13, []byte("040000")))}, chiperr.Malformed},
		"LDS v1 with bad version info":  {sodSpec{lsoVersion: 1, versionInfo: seq(ber.Encode(0x13, []byte("1.8")), ber.Encode(0x13, []byte("040000")))}, chiperr.Malformed},
		"LDS v2":                        {sodSpec{lsoVersion: 2, versionInfo: seq(), dgs: [][2]any{{1, h32}}}, chiperr.Unsupported},
		"no signed attributes":          {sodSpec{noAttrs: true}, chiperr.Malformed},
		"no messageDigest":              {sodSpec{attrs: [][]byte{ct}}, chiperr.Malformed},
		"no contentType":                {sodSpec{attrs: [][]byte{md}}, chiperr.Malformed},
		"contentType twice":             {sodSpec{attrs: [][]byte{ct, ct, md}}, chiperr.Malformed},
		"messageDigest with two values": {sodSpec{attrs: [][]byte{ct, attr(oids.AttrMessageDigest, ber.Encode(0x04, h32), ber.Encode(0x04, h32))}}, chiperr.Malformed},
		"messageDigest not OCTETS":      {sodSpec{attrs: [][]byte{ct, attr(oids.AttrMessageDigest, derInt(1))}}, chiperr.Malformed},
		"contentType mismatch":          {sodSpec{attrs: [][]byte{attr(oids.AttrContentType, derOID(oids.Data)), md}}, chiperr.Malformed},
		"bad signingTime":               {sodSpec{attrs: [][]byte{ct, md, attr(oids.AttrSigningTime, ber.Encode(0x17, []byte("yesterday")))}}, chiperr.Malformed},
		"v3 with issuerAndSerial":       {sodSpec{siVersion: 3}, chiperr.Malformed},
		"v1 with subjectKeyIdentifier":  {sodSpec{sid: ber.Encode(0x80, []byte{1})}, chiperr.Malformed},
		"no SignerInfo":                 {sodSpec{signers: [][]byte{}}, chiperr.Malformed},
	}
	for name, c := range cases {
		_, err := lds.ParseSOD(c.o.build(t))
		if err == nil || chiperr.KindOf(err) != c.kind {
			t.Errorf("%s: got %v, want kind %v", name, err, c.kind)
		}
	}

	si := split(t, split(t, split(t, split(t, split(t, sodSpec{}.build(t))[0])[1])[0])[4])[0]
	many := make([][]byte, 33)
	for i := range many {
		many[i] = si
	}
	_, err := lds.ParseSOD(sodSpec{signers: many}.build(t))
	wantKind(t, err, chiperr.TooLarge)

	for name, b := range map[string][]byte{
		"empty":         nil,
		"one byte":      {0x77},
		"wrong tag":     {0x76, 0x00},
		"empty 77":      {0x77, 0x00},
		"huge length":   {0x77, 0x84, 0x01, 0, 0, 0, 0x30},
		"above bound":   {0x77, 0x83, 0x10, 0x00, 0x01, 0x30},
		"long tag":      {0x77, 0x05, 0x1F, 0x81, 0x81, 0x81, 0x01},
		"short content": {0x77, 0x05, 0x30, 0x10},
	} {
		_, err := lds.ParseSOD(b)
		if err == nil || chiperr.KindOf(err) == 0 {
			t.Errorf("%s: got %v", name, err)
		}
	}

	// Every truncation of a real SOD fails cleanly.
	full := sodFile(t, "etsi-tr103200_EF_SOD.bin")
	for n := range len(full) {
		if _, err := lds.ParseSOD(full[:n]); err == nil || chiperr.KindOf(err) == 0 {
			t.Fatalf("prefix of %d bytes: %v", n, err)
		}
	}
}

func TestCheckDataGroupNil(t *testing.T) {
	var s *lds.SOD
	if err := s.CheckDataGroup(1, nil); !errors.Is(err, lds.ErrDataGroupNotInSOD) {
		t.Errorf("nil SOD: %v", err)
	}
	if s.DataGroups() != nil {
		t.Error("nil SOD lists data groups")
	}
}
