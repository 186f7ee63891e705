package demo

import (
	"crypto/x509"
	"testing"
	"time"
)

func TestPKIOptions(t *testing.T) {
	now := time.Now()
	p, err := NewPKIWith(SeededReader("options"), ECDSAP256, now, PKIOptions{DSExpired: true, RevokeDS: true})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := x509.ParseCertificate(p.DSCertDER())
	if err != nil {
		t.Fatal(err)
	}
	if !ds.NotAfter.Before(now) {
		t.Errorf("DS valid until %v, want expired before %v", ds.NotAfter, now)
	}
	crl, err := x509.ParseRevocationList(p.CRLDER())
	if err != nil {
		t.Fatal(err)
	}
	if len(crl.RevokedCertificateEntries) != 1 || crl.RevokedCertificateEntries[0].SerialNumber.Cmp(ds.SerialNumber) != 0 {
		t.Errorf("CRL entries %+v, want the DS serial %v", crl.RevokedCertificateEntries, ds.SerialNumber)
	}
	csca, _ := x509.ParseCertificate(p.CSCACertDER())
	if err := crl.CheckSignatureFrom(csca); err != nil {
		t.Errorf("CRL signature: %v", err)
	}
	// Without options the CRL stays empty (no revokedCertificates field at all).
	q, _ := NewPKIWith(SeededReader("options"), ECDSAP256, now, PKIOptions{})
	if crl, err := x509.ParseRevocationList(q.CRLDER()); err != nil || len(crl.RevokedCertificateEntries) != 0 {
		t.Errorf("plain CRL: %v, %d entries", err, len(crl.RevokedCertificateEntries))
	}
}
