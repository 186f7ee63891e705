package core

import (
	"github.com/cnie-reader/cnie-reader/reader/pki"
	"github.com/cnie-reader/cnie-reader/reader/sim"
	"github.com/cnie-reader/cnie-reader/seal/demoseal"
	"github.com/cnie-reader/cnie-reader/seal/sealtrust"
)

// TrustStore builds the store a chip verification uses: the bundled CSCAs,
// what the user imported into userDir (the default directory when empty),
// and — only for a virtual card — its demo CSCA and CRL, which make every
// result a DEMO.
func TrustStore(userDir string, demoCard sim.Chip) (*pki.Store, error) {
	s := pki.NewStore()
	if _, err := s.LoadBundled(); err != nil {
		return nil, err
	}
	if userDir == "" {
		d, err := pki.DefaultUserDir()
		if err != nil {
			return nil, err
		}
		userDir = d
	}
	if _, err := s.LoadDir(userDir); err != nil {
		return nil, err
	}
	if demoCard != nil {
		if err := s.AddDemoCSCA(demoCard.DemoCSCA()); err != nil {
			return nil, err
		}
		if crl, err := pki.ParseCRL(demoCard.DemoCRL()); err == nil {
			if err := s.AddCRL(crl); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

// SealStore is the seal trust store: the ANTS list, the CSCAs, the user's
// signing certificates and, in demo mode only, the demo authority.
func SealStore(demo bool) (*sealtrust.Store, error) {
	store := sealtrust.NewStore()
	if err := store.LoadBundled(); err != nil {
		return nil, err
	}
	csca := pki.NewStore()
	if _, err := csca.LoadBundled(); err != nil {
		return nil, err
	}
	store.CSCA = csca
	if dir, err := pki.DefaultUserDir(); err == nil {
		_ = store.LoadDir(dir + "-seal") // optional: most users have none
	}
	if demo {
		if err := demoseal.Trust(store); err != nil {
			return nil, err
		}
	}
	return store, nil
}
