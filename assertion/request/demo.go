package request

import (
	"bytes"
	"crypto/x509"
	_ "embed"
	"encoding/pem"
)

// demoCAPEM is the certification authority of the DEMO services this
// application ships (its key is public on purpose: assertion/demoservice
// derives it from a published seed). It is the only authority whose
// services are labelled DEMO.
//
//go:embed demo-services-ca.pem
var demoCAPEM []byte

// DemoCA is the DEMO services' authority.
func DemoCA() *x509.Certificate {
	b, _ := pem.Decode(demoCAPEM)
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		panic("request: the embedded DEMO CA does not parse: " + err.Error())
	}
	return c
}

// isDemo tells whether a verified chain is one of the shipped DEMO
// services: it ends at exactly the DEMO CA and names a loopback host.
// Anything else keeps its real trust level and warning, whatever its
// certificate calls itself. The host matters because the DEMO key is
// public: with it anyone can issue a certificate, but only an answer to
// this computer can carry the label.
func isDemo(chain []*x509.Certificate, host string) bool {
	root := chain[len(chain)-1]
	return len(chain) >= 2 && bytes.Equal(root.Raw, DemoCA().Raw) && isLoopback(host)
}
