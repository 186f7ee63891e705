package demoservice

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	_ "embed"
	"encoding/pem"
	"math/big"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion/request"
)

// Identity is a service's signing key and certificate chain (leaf first).
type Identity struct {
	Key   *ecdsa.PrivateKey
	Chain []*x509.Certificate
}

// demoCAKey is the key of [request.DemoCA], published on purpose: it
// makes DEMO services, which the application labels DEMO only on this
// computer's loopback names.
//
//go:embed demo-services-ca-key.pem
var demoCAKey []byte

// NewIdentity makes, under the shipped DEMO services CA, a certificate for
// hosts: a stand-in for the certificate a real service gets from its trust
// framework. Applications show it as a demonstration (for loopback hosts)
// or as an unknown service (any other host), never as a real one.
func NewIdentity(now time.Time, hosts ...string) (*Identity, error) {
	b, _ := pem.Decode(demoCAKey)
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, err
	}
	caKey, caCert := k.(crypto.Signer), request.DemoCA()
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
