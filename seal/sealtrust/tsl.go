// Package sealtrust knows who may sign a seal: the 2D-Doc certification
// authorities of the ANTS trust service list (FR01, FR03…), the French
// CSCA for seals of identity documents, and the signing certificates the
// user imported or that were fetched (with the user's leave) and cached.
// A seal whose signing certificate is not here is "not verifiable offline",
// with the certificate named and where to get it — never silently valid.
package sealtrust

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// Authority is one 2D-Doc certification authority of the trust list.
type Authority struct {
	ID      string   // FR01, FR03...
	Name    string   // IDnow SAS, Dhimyotis...
	InfoURI []string // where the authority publishes its certificates
	CAs     []*pki.Certificate
	// Status is the trust list's status of the service (granted, withdrawn...).
	Status string
	Since  time.Time
}

// maxTSL bounds the trust list file.
const maxTSL = 4 << 20

// tsl mirrors the parts of an ETSI TS 102 231 trust service status list
// that say who the 2D-Doc authorities are.
type tsl struct {
	Providers []struct {
		Names      []string `xml:"TSPInformation>TSPName>Name"`
		TradeNames []string `xml:"TSPInformation>TSPTradeName>Name"`
		InfoURIs   []string `xml:"TSPInformation>TSPInformationURI>URI"`
		Services   []struct {
			Type   string   `xml:"ServiceInformation>ServiceTypeIdentifier"`
			Certs  []string `xml:"ServiceInformation>ServiceDigitalIdentity>DigitalId>X509Certificate"`
			Status string   `xml:"ServiceInformation>ServiceStatus"`
			Since  string   `xml:"ServiceInformation>StatusStartingTime"`
		} `xml:"TSPServices>TSPService"`
	} `xml:"TrustServiceProviderList>TrustServiceProvider"`
}

// ParseTSL reads the ANTS 2D-Doc trust service list. Its own XML signature
// is not checked (the file is bundled with the application, or imported by
// the user); every certificate in it is parsed and kept per authority.
func ParseTSL(b []byte) ([]Authority, error) {
	if len(b) > maxTSL {
		return nil, fmt.Errorf("sealtrust: trust list of %d bytes is too large", len(b))
	}
	var doc tsl
	if err := xml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("sealtrust: trust list unreadable: %w", err)
	}
	var out []Authority
	for _, p := range doc.Providers {
		a := Authority{InfoURI: dedupe(p.InfoURIs)}
		if len(p.TradeNames) > 0 {
			a.ID = strings.TrimSpace(p.TradeNames[0])
		}
		if len(p.Names) > 0 {
			a.Name = strings.TrimSpace(p.Names[0])
		}
		for _, s := range p.Services {
			a.Status = s.Status[strings.LastIndex(s.Status, "/")+1:]
			a.Since, _ = time.Parse(time.RFC3339, strings.TrimSpace(s.Since))
			for _, c := range s.Certs {
				der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(c), ""))
				if err != nil {
					return nil, fmt.Errorf("sealtrust: %s: certificate is not base64: %w", a.ID, err)
				}
				cert, err := pki.ParseCertificate(der)
				if err != nil {
					return nil, fmt.Errorf("sealtrust: %s: %w", a.ID, err)
				}
				a.CAs = append(a.CAs, cert)
			}
		}
		if a.ID != "" {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sealtrust: the trust list names no authority")
	}
	return out, nil
}

func dedupe(ss []string) []string {
	var out []string
	for _, s := range ss {
		s = strings.TrimSpace(s)
		if s != "" && !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
