package demo

import (
	"bytes"
	"cmp"
	"crypto"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"io"
	"math/big"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// Subject names. Real ICAO CSCA certificates use C=FR too; the DEMO label
// lives in CN and O so that every display of the chain shows it.
const (
	DemoOrganization = "DEMO - NOT A REAL AUTHORITY"
	CSCACommonName   = "CNIE Reader DEMO CSCA"
	DSCommonName     = "CNIE Reader DEMO Document Signer"
)

// Validity periods.
const (
	cscaYears = 10
	dsMonths  = 3 // private key usage period of the Document Signer
	crlDays   = 90
	// backdate keeps freshly made material valid for a verifier whose clock
	// is slightly behind.
	backdate = time.Hour
)

// DocumentTypes is the documentTypeList of the DS certificate: "ID", the
// document code that starts a French identity card's MRZ.
var DocumentTypes = []string{"ID"}

// PKI is a demo CSCA with one Document Signer and an empty CRL, all in memory.
type PKI struct {
	alg       KeyAlg
	csca, ds  *keyPair
	cscaName  pkix.Name
	dsName    pkix.Name
	cscaDER   []byte
	dsDER     []byte
	crlDER    []byte
	dsSerial  *big.Int
	notBefore time.Time
}

// NewPKI generates a demo PKI valid from now. rnd may be nil (crypto/rand).
func NewPKI(rnd io.Reader, alg KeyAlg) (*PKI, error) {
	return NewPKIAt(rnd, alg, time.Now())
}

// PKIOptions make a demo PKI faulty on purpose, for the negative tests of
// passive authentication.
type PKIOptions struct {
	// DSExpired ends the Document Signer certificate's validity a day
	// before now (it started two years earlier, under a CSCA valid since
	// three years).
	DSExpired bool
	// RevokeDS lists the Document Signer's serial number in the CRL.
	RevokeDS bool
	// Country is the C= of the CSCA and the Document Signer: "FR" when
	// empty; "UT" for Utopia, the state of ICAO's specimen passports.
	Country string
}

// NewPKIAt generates a demo PKI whose validity starts at now (less one hour):
// a self-signed CSCA (CA, keyCertSign + cRLSign, 10 years), a Document
// Signer issued by it (digitalSignature, private key usage period of 3
// months, certificate valid as long as the CSCA, documentTypeList "ID") and
// an empty CRL. Keys and serial numbers are drawn from rnd in a fixed order,
// so a seeded rnd reproduces them.
func NewPKIAt(rnd io.Reader, alg KeyAlg, now time.Time) (*PKI, error) {
	return NewPKIWith(rnd, alg, now, PKIOptions{})
}

// NewPKIWith is NewPKIAt with faults chosen by opts.
func NewPKIWith(rnd io.Reader, alg KeyAlg, now time.Time, opts PKIOptions) (*PKI, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	start := now.UTC().Truncate(time.Second).Add(-backdate)
	if opts.DSExpired {
		// The CSCA was already there when the expired DS started.
		start = start.AddDate(-3, 0, 0)
	}
	end := start.AddDate(cscaYears, 0, 0)
	country := cmp.Or(opts.Country, "FR")
	p := &PKI{
		alg:       alg,
		notBefore: start,
		cscaName:  pkix.Name{Country: []string{country}, Organization: []string{DemoOrganization}, CommonName: CSCACommonName},
		dsName:    pkix.Name{Country: []string{country}, Organization: []string{DemoOrganization}, CommonName: DSCommonName},
	}
	var err error
	if p.csca, err = newKeyPair(rnd, alg); err != nil {
		return nil, err
	}
	if p.ds, err = newKeyPair(rnd, alg); err != nil {
		return nil, err
	}
	cscaSerial, err := randomSerial(rnd)
	if err != nil {
		return nil, err
	}
	if p.dsSerial, err = randomSerial(rnd); err != nil {
		return nil, err
	}

	cscaExt, err := exts(
		ext{oids.ExtSubjectKeyID, false, keyID(p.csca)},
		ext{oids.ExtAuthorityKeyID, false, authorityKeyID{ID: keyID(p.csca)}},
		ext{oids.ExtBasicConstraints, true, basicConstraints{CA: true, PathLen: 0}},
		// keyCertSign (bit 5) and cRLSign (bit 6): 0b0000011x, 7 bits used.
		ext{oids.ExtKeyUsage, true, asn1.BitString{Bytes: []byte{0x06}, BitLength: 7}},
		ext{oids.ExtPrivKeyUsage, false, privateKeyUsagePeriod{start, end}},
	)
	if err != nil {
		return nil, err
	}
	if p.cscaDER, err = issueCert(rnd, certSpec{
		serial: cscaSerial, subject: p.cscaName, issuer: p.cscaName,
		notBefore: start, notAfter: end,
		subjectKey: p.csca, issuerKey: p.csca, extensions: cscaExt,
	}); err != nil {
		return nil, err
	}

	dsStart, dsEnd := start, end
	if opts.DSExpired {
		// From two years ago to yesterday (start is three years back).
		dsStart, dsEnd = start.AddDate(1, 0, 0), start.AddDate(3, 0, -1)
	}
	dsExt, err := exts(
		ext{oids.ExtAuthorityKeyID, false, authorityKeyID{ID: keyID(p.csca)}},
		ext{oids.ExtSubjectKeyID, false, keyID(p.ds)},
		// digitalSignature (bit 0), 1 bit used.
		ext{oids.ExtKeyUsage, true, asn1.BitString{Bytes: []byte{0x80}, BitLength: 1}},
		ext{oids.ExtPrivKeyUsage, false, privateKeyUsagePeriod{dsStart, dsStart.AddDate(0, dsMonths, 0)}},
		ext{oids.ExtDocumentTypeList, false, documentTypeList{Version: 0, Types: DocumentTypes}},
	)
	if err != nil {
		return nil, err
	}
	if p.dsDER, err = issueCert(rnd, certSpec{
		serial: p.dsSerial, subject: p.dsName, issuer: p.cscaName,
		notBefore: dsStart, notAfter: dsEnd,
		subjectKey: p.ds, issuerKey: p.csca, extensions: dsExt,
	}); err != nil {
		return nil, err
	}

	crlStart := now.UTC().Truncate(time.Second).Add(-backdate)
	var revoked []revokedCert
	if opts.RevokeDS {
		revoked = []revokedCert{{Serial: p.dsSerial, RevocationDate: crlStart}}
	}
	if p.crlDER, err = issueCRL(rnd, p.cscaName, p.csca, crlStart, crlStart.AddDate(0, 0, crlDays), 1, revoked); err != nil {
		return nil, err
	}
	return p, nil
}

type ext struct {
	oid      asn1.ObjectIdentifier
	critical bool
	value    any
}

func exts(list ...ext) ([]pkix.Extension, error) {
	out := make([]pkix.Extension, 0, len(list))
	for _, e := range list {
		x, err := extension(e.oid, e.critical, e.value)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// Alg returns the key algorithm of the CSCA and the Document Signer.
func (p *PKI) Alg() KeyAlg { return p.alg }

// NotBefore returns the start of validity of every certificate and the CRL.
func (p *PKI) NotBefore() time.Time { return p.notBefore }

// CSCACertDER returns the self-signed CSCA certificate (a copy).
func (p *PKI) CSCACertDER() []byte { return bytes.Clone(p.cscaDER) }

// DSCertDER returns the Document Signer certificate (a copy).
func (p *PKI) DSCertDER() []byte { return bytes.Clone(p.dsDER) }

// CRLDER returns the empty CRL signed by the CSCA (a copy).
func (p *PKI) CRLDER() []byte { return bytes.Clone(p.crlDER) }

// CSCAPublicKey returns the CSCA public key: *ecdsa.PublicKey (on a
// brainpool curve for ECDSABrainpoolP256r1) or *rsa.PublicKey.
func (p *PKI) CSCAPublicKey() crypto.PublicKey { return p.csca.public() }

// DSPublicKey returns the Document Signer public key (same types as CSCAPublicKey).
func (p *PKI) DSPublicKey() crypto.PublicKey { return p.ds.public() }
