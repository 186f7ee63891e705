package demoservice

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion/request"
)

// Identity is a service's signing key and certificate chain (leaf first).
type Identity struct {
	Key   *ecdsa.PrivateKey
	Chain []*x509.Certificate
}

// DemoCASeed is the public seed of the key of [request.DemoCA]: the key is
// public on purpose (anyone may run a DEMO service), so it is derived from
// this sentence rather than kept as a private key file. The application
// labels DEMO only the services it signs that name this computer's
// loopback names.
const DemoCASeed = "CNIE Reader DEMO services CA - public on purpose, never a real authority"

// DemoCAKey returns the key of [request.DemoCA]: the P-256 scalar
// SHA-256(DemoCASeed).
func DemoCAKey() (*ecdsa.PrivateKey, error) {
	d := sha256.Sum256([]byte(DemoCASeed))
	return ecdsa.ParseRawPrivateKey(elliptic.P256(), d[:])
}

// NewIdentity makes, under the shipped DEMO services CA, a certificate for
// hosts: a stand-in for the certificate a real service gets from its trust
// framework. Applications show it as a demonstration (for loopback hosts)
// or as an unknown service (any other host), never as a real one.
func NewIdentity(now time.Time, hosts ...string) (*Identity, error) {
	caKey, err := DemoCAKey()
	if err != nil {
		return nil, err
	}
	caCert := request.DemoCA()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, err
	}
	leaf := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: hosts[0], Organization: []string{"DEMO service - not a real service"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(30 * 24 * time.Hour), DNSNames: hosts,
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	leafCert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Identity{Key: key, Chain: []*x509.Certificate{leafCert, caCert}}, nil
}
