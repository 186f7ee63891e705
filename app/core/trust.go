package core

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/cnie-reader/cnie-reader/internal/demoseal"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader/pki"
	"github.com/cnie-reader/cnie-reader/seal/sealtrust"
)

// Trust is the chip trust store of one user trust directory: the bundled
// anchors (French CSCAs, BSI master list) and what the user imported. It is
// built once — parsing and checking the master list's 588 certificates is
// the costly part — and again only when the directory's files change. The
// store it hands out is shared: never add to it (TrustStore clones it for a
// virtual card's demo anchor).
type Trust struct {
	mu     sync.Mutex
	dir    string
	stamp  string
	store  *pki.Store
	report pki.LoadReport
}

// anchors is the application's one Trust per directory.
var anchors = struct {
	sync.Mutex
	byDir map[string]*Trust
}{byDir: map[string]*Trust{}}

// TrustFor returns the Trust of userDir (the default directory when empty).
func TrustFor(userDir string) (*Trust, error) {
	if userDir == "" {
		d, err := pki.DefaultUserDir()
		if err != nil {
			return nil, err
		}
		userDir = d
	}
	anchors.Lock()
	defer anchors.Unlock()
	t, ok := anchors.byDir[userDir]
	if !ok {
		t = &Trust{dir: userDir}
		anchors.byDir[userDir] = t
	}
	return t, nil
}

// Store returns the store, building it when it was never built or when
// the directory changed since. Concurrent callers wait for one build.
func (t *Trust) Store() (*pki.Store, pki.LoadReport, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	stamp, err := dirStamp(t.dir)
	if err != nil {
		return nil, pki.LoadReport{}, err
	}
	if t.store != nil && stamp == t.stamp {
		return t.store, t.report, nil
	}
	s := pki.NewStore()
	rep, err := s.LoadBundled()
	if err != nil {
		return nil, rep, err
	}
	user, err := s.LoadDir(t.dir)
	if err != nil {
		return nil, rep, err
	}
	rep.Certificates += user.Certificates
	rep.CRLs += user.CRLs
	rep.MasterLists = append(rep.MasterLists, user.MasterLists...)
	rep.DeviationLists = append(rep.DeviationLists, user.DeviationLists...)
	rep.Problems = append(rep.Problems, user.Problems...)
	t.store, t.report, t.stamp = s, rep, stamp
	return s, rep, nil
}

// Warm builds the default directory's store in the background, so that the
// first read does not wait for it.
func Warm() {
	go func() {
		if t, err := TrustFor(""); err == nil {
			_, _, _ = t.Store()
		}
	}()
}

// dirStamp sums up what LoadDir would read: the name, size and modification
// time of every entry. A missing directory is an empty one.
func dirStamp(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("trust directory: %w", err)
	}
	var sb strings.Builder
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			continue // gone since ReadDir: the next call sees the change
		}
		fmt.Fprintf(&sb, "%s\x00%d\x00%d\n", filepath.Base(e.Name()), fi.Size(), fi.ModTime().UnixNano())
	}
	return sb.String(), nil
}

// TrustStore is the store a chip verification uses: the shared store of
// userDir and — only for a virtual card — a copy with its demo CSCA and
// CRL added, which make every result a DEMO.
func TrustStore(userDir string, demoCard sim.Chip) (*pki.Store, error) {
	t, err := TrustFor(userDir)
	if err != nil {
		return nil, err
	}
	base, _, err := t.Store()
	if err != nil {
		return nil, err
	}
	if demoCard == nil {
		return base, nil
	}
	s := base.Clone()
	if err := s.AddDemoCSCA(demoCard.DemoCSCA()); err != nil {
		return nil, err
	}
	if crl, err := pki.ParseCRL(demoCard.DemoCRL()); err == nil {
		if err := s.AddCRL(crl); err != nil {
			return nil, err
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
	csca, err := TrustStore("", nil)
	if err != nil {
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
