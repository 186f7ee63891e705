package pki

import (
	"bytes"
	"encoding/pem"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/assets/trust"
)

// Bounds on the files of a trust directory.
const (
	maxTrustFiles = 1000
	maxPEMBlocks  = 4096
)

// File types by extension.
var (
	certExts = []string{".der", ".cer", ".crt", ".pem"}
	mlExts   = []string{".ml"}
	crlExts  = []string{".crl"}
	dvlExts  = []string{".dvl"}
	// dvlSniffExts are extensions under which deviation lists are
	// published (Italy's is a .der) and recognised by their content.
	dvlSniffExts = []string{".der", ".cer", ".crt", ".bin", ".ml"}
)

func hasExt(path string, exts []string) bool {
	e := strings.ToLower(filepath.Ext(path))
	for _, x := range exts {
		if e == x {
			return true
		}
	}
	return false
}

// ParseCertificates reads one DER certificate, or every CERTIFICATE block of
// a PEM text (text around the blocks is ignored).
func ParseCertificates(data []byte) ([]*Certificate, error) {
	const op = "parse certificates"
	if !bytes.Contains(data, []byte("-----BEGIN")) {
		c, err := ParseCertificate(data)
		if err != nil {
			return nil, err
		}
		return []*Certificate{c}, nil
	}
	var out []*Certificate
	rest := data
	for n := 0; ; n++ {
		if n == maxPEMBlocks {
			return nil, newErrf(TooLarge, op, "more than %d PEM blocks", maxPEMBlocks)
		}
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, newErr(Malformed, op, "no CERTIFICATE block")
	}
	return out, nil
}

// parseCRLFile reads a DER CRL or the first X509 CRL block of a PEM text.
func parseCRLFile(data []byte) (*CRL, error) {
	if bytes.Contains(data, []byte("-----BEGIN")) {
		for rest := data; ; {
			var b *pem.Block
			if b, rest = pem.Decode(rest); b == nil {
				break
			}
			if b.Type == "X509 CRL" {
				return ParseCRL(b.Bytes)
			}
		}
		return nil, newErr(Malformed, "parse CRL", "no X509 CRL block")
	}
	return ParseCRL(data)
}

// LoadBundled adds the anchors shipped in assets/trust: the French CSCA
// certificates (SourceBundled, named by file) and the CSCAs of the BSI
// master list (SourceBundledMasterList), once its bytes, signature and
// pinned signer are checked. A bundled file that fails is an error: the
// build is broken, and saying so beats trusting half of it.
func (s *Store) LoadBundled() (LoadReport, error) {
	var rep LoadReport
	n, err := s.loadFS(trust.FS, Source{Kind: SourceBundled})
	rep.Certificates = n
	if err != nil {
		return rep, err
	}
	ml, err := bundledMasterList()
	if err != nil {
		return rep, err
	}
	r := s.addMasterList(ml, Source{Kind: SourceBundledMasterList, Name: trust.BSIMasterListName}, time.Now())
	r.Path = trust.BSIMasterListName
	rep.MasterLists = append(rep.MasterLists, r)
	if r.Refused != nil {
		return rep, r.Refused
	}
	return rep, nil
}

// addMasterList verifies ml (VerifyMasterList) and adds its CSCAs under src.
// Of two trusted lists whose signers were issued in the same country, the
// one signed later is kept: a user's newer BSI list replaces the bundled
// one, an older one is not used.
func (s *Store) addMasterList(ml *MasterList, src Source, now time.Time) MasterListReport {
	r := MasterListReport{Source: src, Present: len(ml.CSCAs) + countInvalid(ml.Invalid, "certList"),
		Invalid: ml.Invalid, SigningTime: ml.SigningTime}
	signer, err := s.VerifyMasterList(ml, now)
	if err != nil {
		r.Refused = err
		return r
	}
	r.Signer = signer
	publisher := signer.IssuerCountry
	if publisher == "" {
		publisher = signer.issuer.canon
	}
	s.mu.RLock()
	var older []Source
	for _, l := range s.lists {
		if l.publisher != publisher {
			continue
		}
		if !ml.SigningTime.After(l.signedAt) {
			r.SupersededBy = l.source.Name
		} else {
			older = append(older, l.source)
		}
	}
	s.mu.RUnlock()
	if r.SupersededBy != "" {
		return r
	}
	for _, o := range older {
		s.removeSource(o)
		r.Replaced = append(r.Replaced, o.Name)
	}
	for _, c := range ml.CSCAs {
		before := s.Len()
		s.Add(c, src)
		r.CSCAs += s.Len() - before
	}
	s.mu.Lock()
	s.lists = append(s.lists, loadedList{publisher: publisher, signedAt: ml.SigningTime, source: src})
	s.mu.Unlock()
	return r
}

func countInvalid(entries []InvalidEntry, field string) int {
	n := 0
	for _, e := range entries {
		if e.Field == field {
			n++
		}
	}
	return n
}

func (s *Store) loadFS(fsys fs.FS, src Source) (int, error) {
	const op = "load bundled anchors"
	names, err := fs.Glob(fsys, "*.pem")
	if err != nil {
		return 0, wrap(Storage, op, err)
	}
	n := 0
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return n, wrap(Storage, op+" "+name, err)
		}
		certs, err := ParseCertificates(data)
		if err != nil {
			return n, wrap(Malformed, op+" "+name, err)
		}
		for _, c := range certs {
			before := s.Len()
			s.Add(c, Source{Kind: src.Kind, Name: name})
			n += s.Len() - before
		}
	}
	return n, nil
}

// FileProblem is a file of a trust directory that could not be used.
type FileProblem struct {
	Path string
	Err  error
}

// MasterListReport says what a master list gave.
type MasterListReport struct {
	Path    string
	Source  Source
	Present int // certificates in its certList
	CSCAs   int // anchors added from it (a CSCA already held is not counted)
	// Invalid are the entries that did not parse, each with its reason.
	Invalid []InvalidEntry
	Signer  *Certificate // set once the list verified
	// SigningTime is the list's signingTime, zero when it has none.
	SigningTime time.Time
	// Refused is non-nil (an UntrustedList error) when the list's
	// signature or signer did not verify: none of its CSCAs was added.
	Refused error
	// SupersededBy names a list of the same publisher, signed later or at
	// the same time, already in the store: this one was not used.
	SupersededBy string
	// Replaced names the older lists of the same publisher it replaced.
	Replaced []string
}

// LoadReport sums up a LoadDir.
type LoadReport struct {
	Certificates int // anchors added from certificate files
	MasterLists  []MasterListReport
	CRLs         int
	Problems     []FileProblem
	// DeviationLists are the deviation lists (.dvl) and what became of them.
	DeviationLists []DeviationListReport
}

// LoadDir adds what the user imported into dir: certificates (.der, .cer,
// .crt, .pem) as SourceUser, master lists (.ml) as SourceMasterList once
// they verify (VerifyMasterList: a list that does not is reported with
// Refused and adds nothing), then CRLs (.crl), each checked against the
// anchors, and deviation lists (.dvl), kept once they verify against the
// anchors (VerifyDeviationList: one that does not is reported with Refused
// and adds nothing). A file that fails is reported in Problems and
// skipped. A missing dir is an empty one.
func (s *Store) LoadDir(dir string) (LoadReport, error) {
	const op = "load trust directory"
	var rep LoadReport
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return rep, nil
	}
	if err != nil {
		return rep, wrap(Storage, op, err)
	}
	var certs, mls, crls, dvls []string
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		p := filepath.Join(dir, e.Name())
		switch {
		case hasExt(p, certExts):
			certs = append(certs, p)
		case hasExt(p, mlExts):
			mls = append(mls, p)
		case hasExt(p, crlExts):
			crls = append(crls, p)
		case hasExt(p, dvlExts):
			dvls = append(dvls, p)
		}
	}
	if n := len(certs) + len(mls) + len(crls) + len(dvls); n > maxTrustFiles {
		return rep, newErrf(TooLarge, op, "%d files", n)
	}
	problem := func(p string, err error) { rep.Problems = append(rep.Problems, FileProblem{Path: p, Err: err}) }
	for _, p := range certs {
		cs, err := readCertFile(p)
		if err != nil {
			problem(p, err)
			continue
		}
		for _, c := range cs {
			before := s.Len()
			s.Add(c, Source{Kind: SourceUser, Name: filepath.Base(p)})
			rep.Certificates += s.Len() - before
		}
	}
	type pendingList struct {
		path string
		ml   *MasterList
	}
	var pending []pendingList
	for _, p := range mls {
		data, err := readBounded(p, MaxMasterListSize)
		if err != nil {
			problem(p, err)
			continue
		}
		ml, err := ParseMasterList(data)
		if err != nil {
			problem(p, err)
			continue
		}
		pending = append(pending, pendingList{p, ml})
	}
	// A list may be signed under a CSCA that another list brings: try
	// again while a pass adds something.
	reports := map[string]MasterListReport{}
	for progress := true; progress && len(pending) > 0; {
		progress = false
		var next []pendingList
		for _, l := range pending {
			r := s.addMasterList(l.ml, Source{Kind: SourceMasterList, Name: filepath.Base(l.path)}, time.Now())
			r.Path = l.path
			reports[l.path] = r
			if r.Refused != nil {
				next = append(next, l)
			} else {
				progress = true
			}
		}
		pending = next
	}
	for _, p := range mls {
		if r, ok := reports[p]; ok {
			rep.MasterLists = append(rep.MasterLists, r)
		}
	}
	for _, p := range dvls {
		data, err := readBounded(p, MaxDeviationListSize)
		if err != nil {
			problem(p, err)
			continue
		}
		dl, err := ParseDeviationList(data)
		if err != nil {
			problem(p, err)
			continue
		}
		r := s.AddDeviationList(dl, Source{Kind: SourceUser, Name: filepath.Base(p)}, time.Now())
		r.Path = p
		rep.DeviationLists = append(rep.DeviationLists, r)
	}
	for _, p := range crls {
		data, err := readBounded(p, MaxCRLSize)
		if err != nil {
			problem(p, err)
			continue
		}
		crl, err := parseCRLFile(data)
		if err == nil {
			err = s.AddCRL(crl)
		}
		if err != nil {
			problem(p, err)
			continue
		}
		rep.CRLs++
	}
	return rep, nil
}

func (s *Store) anchorCerts() []*Certificate {
	as := s.Anchors()
	out := make([]*Certificate, 0, len(as))
	for _, a := range as {
		if a.Source.Kind != SourceDemo {
			out = append(out, a.Cert)
		}
	}
	return out
}

func readCertFile(p string) ([]*Certificate, error) {
	data, err := readBounded(p, MaxMasterListSize)
	if err != nil {
		return nil, err
	}
	return ParseCertificates(data)
}

// readBounded reads a regular file of at most max bytes.
func readBounded(p string, max int64) ([]byte, error) {
	const op = "read trust file"
	f, err := os.Open(p)
	if err != nil {
		return nil, wrap(Storage, op, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, wrap(Storage, op, err)
	}
	if int64(len(data)) > max {
		return nil, newErrf(TooLarge, op, "%s is larger than %d bytes", filepath.Base(p), max)
	}
	return data, nil
}

// sortedNames lists the regular files of dir, sorted; nil when dir is missing.
func sortedNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}
