package cms_test

import (
	"bytes"
	"crypto"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/cnie-reader/cnie-reader/assets/trust"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/cms"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

var (
	sodRules  = cms.Options{Rules: ber.BER, Op: "parse EF.SOD", MaxCertificates: 32, MaxSigners: 32, MaxDigestAlgorithms: 32}
	listRules = cms.Options{Rules: ber.DER, Op: "parse SignedData", MaxCertificates: 4096, MaxSigners: 8, MaxDigestAlgorithms: 8}
)

// sodContentInfo returns the ContentInfo of a real EF.SOD from the BSI
// TR-03105-5 and ETSI TR 103 200 test documents (reader/lds/testdata/sod).
func sodContentInfo(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "lds", "testdata", "sod", name))
	if err != nil {
		t.Fatal(err)
	}
	e, _, err := ber.ParseTLV(b)
	if err != nil || e.Tag != 0x77 {
		t.Fatalf("%s: not EF.SOD: %v", name, err)
	}
	return e.Value
}

var sodFiles = []string{"bsi-tr03105-5_EF_SOD.bin", "etsi-tr103200_EF_SOD.bin"}

func TestParseRealSOD(t *testing.T) {
	for _, name := range sodFiles {
		sd, err := cms.Parse(sodContentInfo(t, name), sodRules)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		si := &sd.Signer
		switch {
		case !sd.EContentType.Equal(oids.LDSSecurityObject):
			t.Errorf("%s: eContentType %v", name, sd.EContentType)
		case len(sd.Certificates) != 1 || len(sd.OtherSigners) != 0:
			t.Errorf("%s: %d certificates, %d other signers", name, len(sd.Certificates), len(sd.OtherSigners))
		case si.DigestAlgorithm.Err != nil || si.SignedAttrsRaw == nil || si.SignedAttrsRaw[0] != 0x31:
			t.Errorf("%s: signer %+v", name, si)
		}
		signed, err := sd.SignedBytes(si, si.DigestAlgorithm.Hash)
		if err != nil || !bytes.Equal(signed, si.SignedAttrsRaw) {
			t.Errorf("%s: SignedBytes: %v", name, err)
		}
		// The same SignedData is DER: the strict rules read it alike.
		if _, err := cms.Parse(sodContentInfo(t, name), listRules); err != nil {
			t.Errorf("%s under DER: %v", name, err)
		}
	}
}

func TestParseBSIMasterList(t *testing.T) {
	sd, err := cms.Parse(trust.BSIMasterList, listRules)
	if err != nil {
		t.Fatal(err)
	}
	if !sd.EContentType.Equal(oids.CSCAMasterList) || len(sd.Certificates) == 0 || sd.Signer.SigningTime == nil {
		t.Fatalf("eContentType %v, %d certificates, signingTime %v", sd.EContentType, len(sd.Certificates), sd.Signer.SigningTime)
	}
	if _, err := sd.SignedBytes(&sd.Signer, sd.Signer.DigestAlgorithm.Hash); err != nil {
		t.Errorf("SignedBytes: %v", err)
	}
	if oid, ok := cms.PeekEContentType(trust.BSIMasterList, ber.DER); !ok || !oid.Equal(oids.CSCAMasterList) {
		t.Errorf("PeekEContentType = %v %v", oid, ok)
	}
	// One certificate more than the bound allows is TooLarge.
	tight := listRules
	tight.MaxCertificates = len(sd.Certificates) - 1
	if _, err := cms.Parse(trust.BSIMasterList, tight); !errors.Is(err, chiperr.TooLarge) {
		t.Errorf("above the certificate bound: %v, want TooLarge", err)
	}
}

// streamed re-encodes the outer ContentInfo of ci with the indefinite
// length, as streaming encoders write it.
func streamed(t *testing.T, ci []byte) []byte {
	t.Helper()
	e, _, err := ber.ParseTLV(ci)
	if err != nil {
		t.Fatal(err)
	}
	return append(append([]byte{0x30, 0x80}, e.Value...), 0, 0)
}

func TestRulesOfTheEnvelope(t *testing.T) {
	ci := sodContentInfo(t, sodFiles[0])
	der, err := cms.Parse(ci, sodRules)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cms.Parse(streamed(t, ci), sodRules)
	if err != nil || !bytes.Equal(got.EContent, der.EContent) || !bytes.Equal(got.Signer.SignedAttrsRaw, der.Signer.SignedAttrsRaw) {
		t.Fatalf("BER envelope: %v", err)
	}
	if _, err := cms.Parse(streamed(t, ci), listRules); !errors.Is(err, chiperr.Malformed) {
		t.Errorf("BER envelope under DER rules: %v", err)
	}
	if _, err := cms.Parse(append(bytes.Clone(ci), 0), sodRules); !errors.Is(err, chiperr.Malformed) {
		t.Errorf("trailing byte: %v", err)
	}
}

func TestSignedBytesRefuses(t *testing.T) {
	sd, err := cms.Parse(sodContentInfo(t, sodFiles[1]), sodRules)
	if err != nil {
		t.Fatal(err)
	}
	h := sd.Signer.DigestAlgorithm.Hash
	tampered := *sd
	tampered.EContent = append(bytes.Clone(sd.EContent), 0)
	if _, err := tampered.SignedBytes(&tampered.Signer, h); !errors.Is(err, cms.ErrMessageDigest) {
		t.Errorf("tampered content: %v", err)
	}
	other := *sd
	other.EContentType = oids.Data
	if _, err := other.SignedBytes(&other.Signer, h); !errors.Is(err, cms.ErrContentType) {
		t.Errorf("other content type: %v", err)
	}
	bare := *sd
	bare.Signer.SignedAttrsRaw = nil
	if b, err := bare.SignedBytes(&bare.Signer, h); err != nil || !bytes.Equal(b, sd.EContent) {
		t.Errorf("without signed attributes the signature covers the content: %v", err)
	}
}

func TestIdentifies(t *testing.T) {
	same := func(a, b []byte) bool { return bytes.Equal(a, b) }
	byKey := cms.SignerInfo{SubjectKeyID: []byte{1, 2}}
	if !byKey.Identifies([]byte{1, 2}, nil, nil, same) || byKey.Identifies([]byte{1, 3}, big.NewInt(1), nil, same) {
		t.Error("subjectKeyIdentifier")
	}
	byName := cms.SignerInfo{SerialNumber: big.NewInt(7), IssuerRaw: []byte{0x30, 0}}
	if !byName.Identifies(nil, big.NewInt(7), []byte{0x30, 0}, same) ||
		byName.Identifies(nil, big.NewInt(8), []byte{0x30, 0}, same) ||
		byName.Identifies(nil, big.NewInt(7), []byte{0x30, 1}, same) ||
		byName.Identifies(nil, nil, []byte{0x30, 0}, same) {
		t.Error("issuerAndSerialNumber")
	}
}

// FuzzParse: hostile input never panics, every error has a chip error
// kind, and what parses is bounded and self-consistent.
func FuzzParse(f *testing.F) {
	for _, name := range sodFiles {
		ci := sodContentInfo(f, name)
		f.Add(ci, true)
		f.Add(ci, false)
		f.Add(ci[:len(ci)/2], true)
	}
	f.Fuzz(func(t *testing.T, b []byte, streamedRules bool) {
		o := listRules
		if streamedRules {
			o = sodRules
		}
		sd, err := cms.Parse(b, o)
		if err != nil {
			if chiperr.KindOf(err) == 0 {
				t.Fatalf("error without a kind: %v", err)
			}
			return
		}
		if len(sd.EContent) > ber.MaxLength || len(sd.Certificates) > o.MaxCertificates {
			t.Fatal("bounds not kept")
		}
		for _, c := range append(sd.Certificates, sd.CRLs...) {
			if !ber.IsDER(c) {
				t.Fatal("a member that is not DER")
			}
		}
		for _, si := range sd.SignerInfos() {
			if si.SignedAttrsRaw != nil && (si.ContentType == nil || si.MessageDigest == nil || !ber.IsDER(si.SignedAttrsRaw)) {
				t.Fatal("signed attributes without contentType or messageDigest, or not DER")
			}
			_, _ = sd.SignedBytes(si, crypto.SHA256)
		}
		if oid, ok := cms.PeekEContentType(b, o.Rules); !ok || !oid.Equal(sd.EContentType) {
			t.Fatalf("PeekEContentType %v %v, Parse %v", oid, ok, sd.EContentType)
		}
	})
}
