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

// LoadBundled adds the CSCA certificates shipped in assets/trust, with
// SourceBundled and the file name. It returns how many were added.
func (s *Store) LoadBundled() (int, error) {
	return s.loadFS(trust.FS, Source{Kind: SourceBundled})
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

// MasterListReport says what a master list of the trust directory gave.
type MasterListReport struct {
	Path    string
	CSCAs   int // certificates added from certList
	Invalid int // certList entries that did not parse
	// SignerErr is nil when the list's signature verified and its signer
	// chains to an anchor of the store; the CSCAs are added either way,
	// since the user chose to import the list.
	SignerErr error
}

// LoadReport sums up a LoadDir.
type LoadReport struct {
	Certificates int // anchors added from certificate files
	MasterLists  []MasterListReport
	CRLs         int
	Problems     []FileProblem
}

// LoadDir adds what the user imported into dir: certificates (.der, .cer,
// .crt, .pem) as SourceUser, master lists (.ml) as SourceMasterList, then
// CRLs (.crl), each checked against the anchors. A file that fails is
// reported in Problems and skipped. A missing dir is an empty one.
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
	var certs, mls, crls []string
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
		}
	}
	if n := len(certs) + len(mls) + len(crls); n > maxTrustFiles {
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
		r := MasterListReport{Path: p, Invalid: len(ml.Invalid)}
		_, r.SignerErr = ml.VerifySigner(s.anchorCerts())
		for _, c := range ml.CSCAs {
			before := s.Len()
			s.Add(c, Source{Kind: SourceMasterList, Name: filepath.Base(p)})
			r.CSCAs += s.Len() - before
		}
		rep.MasterLists = append(rep.MasterLists, r)
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
