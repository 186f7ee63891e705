package sealtrust

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/cnie-reader/cnie-reader/assets/trust"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// Store holds the 2D-Doc authorities and the signing certificates known.
type Store struct {
	mu     sync.RWMutex
	auths  map[string]Authority
	leaves []*pki.Certificate
	// CSCA is the country trust store that VDS signing certificates (and
	// the seal of the French identity card) chain to; nil means none.
	CSCA *pki.Store
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{auths: map[string]Authority{}} }

// LoadBundled loads the ANTS trust list bundled with the application.
func (s *Store) LoadBundled() error {
	auths, err := ParseTSL(trust.TwoDDocTSL)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range auths {
		s.auths[a.ID] = a
	}
	return nil
}

// Authority returns an authority of the trust list by its id (FR05...).
func (s *Store) Authority(id string) (Authority, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.auths[id]
	return a, ok
}

// AddSigner adds a signing certificate (imported by the user, or fetched
// and cached with the user's leave).
func (s *Store) AddSigner(c *pki.Certificate) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.leaves = append(s.leaves, c)
}

// LoadDir adds the signing certificates (.der, .cer, .crt, .pem) of a
// directory; a missing directory is an empty one.
func (s *Store) LoadDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".der", ".cer", ".crt", ".pem":
		default:
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		certs, err := pki.ParseCertificates(b)
		if err != nil {
			return fmt.Errorf("sealtrust: %s: %w", e.Name(), err)
		}
		for _, c := range certs {
			s.AddSigner(c)
		}
	}
	return nil
}

// Missing says which signing certificate a seal needs and where the
// authority publishes its certificates.
type Missing struct {
	Authority     string
	CertificateID string
	Where         []string
	// UnknownAuthority: the authority itself is not in the trust list (a
	// foreign or a made-up issuer): nothing about the seal can be proven.
	UnknownAuthority bool
}

func (m *Missing) Error() string {
	if m.UnknownAuthority {
		return fmt.Sprintf("authority %s is not in the 2D-Doc trust list", m.Authority)
	}
	return fmt.Sprintf("signing certificate %s/%s is not available offline (published at %s)",
		m.Authority, m.CertificateID, strings.Join(m.Where, ", "))
}

// Signer2DDoc finds the certificate that signed a 2D-Doc of the given
// authority and certificate id, checks that a CA of that authority issued
// it and that it is valid at `at`. A *Missing error means "not verifiable
// offline"; any other error means the certificate is there but wrong.
func (s *Store) Signer2DDoc(authority, certID string, at time.Time) (*pki.Certificate, error) {
	s.mu.RLock()
	a, known := s.auths[authority]
	leaves := append([]*pki.Certificate(nil), s.leaves...)
	s.mu.RUnlock()
	if !known {
		return nil, &Missing{Authority: authority, CertificateID: certID, UnknownAuthority: true}
	}
	var lastErr error
	for _, c := range leaves {
		if !namesCertificate(c, certID) {
			continue
		}
		for _, ca := range a.CAs {
			if err := c.CheckSignatureFrom(ca); err != nil {
				lastErr = err
				continue
			}
			if err := c.CheckValidity(at); err != nil {
				return nil, err
			}
			return c, nil
		}
	}
	if lastErr != nil {
		return nil, fmt.Errorf("sealtrust: certificate %s is not issued by %s: %w", certID, authority, lastErr)
	}
	return nil, &Missing{Authority: authority, CertificateID: certID, Where: a.InfoURI}
}

// namesCertificate tells whether a signing certificate is the one a 2D-Doc
// header names: its subject common name is the 4-character certificate id.
func namesCertificate(c *pki.Certificate, certID string) bool {
	for _, part := range strings.Split(c.Subject, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "CN="); ok && strings.EqualFold(v, certID) {
			return true
		}
	}
	return false
}

// AddAuthority adds an authority outside the trust list: the demo
// authority of the virtual card (FR00, the test authority of the 2D-Doc
// specification), or one the user imports.
func (s *Store) AddAuthority(a Authority) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auths[a.ID] = a
}

// SignerVDS finds the certificate that signed an ICAO VDS: issued in
// country, subject common name signerID, serial number (hex) ref — the
// way ICAO 9303-13 identifies it — among the imported signing certificates.
func (s *Store) SignerVDS(country, signerID, ref string, at time.Time) (*pki.Certificate, error) {
	s.mu.RLock()
	leaves := append([]*pki.Certificate(nil), s.leaves...)
	s.mu.RUnlock()
	for _, c := range leaves {
		if !namesCertificate(c, signerID) {
			continue
		}
		if ref != "" && !strings.EqualFold(strings.TrimLeft(c.SerialNumber.Text(16), "0"), strings.TrimLeft(ref, "0")) {
			continue
		}
		if s.CSCA == nil {
			return nil, fmt.Errorf("sealtrust: no CSCA to check %s against", c.Subject)
		}
		// Chain, validity of both certificates and the CRL, as for a chip's DS.
		if _, err := s.CSCA.Verify(c, at); err != nil {
			return nil, err
		}
		return c, nil
	}
	return nil, &Missing{Authority: strings.TrimRight(country, "<") + " " + signerID, CertificateID: ref}
}
