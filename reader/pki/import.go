package pki

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ImportKind is what an imported file holds.
type ImportKind int

const (
	_ ImportKind = iota
	// ImportCertificates: one or more CSCA certificates.
	ImportCertificates
	// ImportMasterList: a CSCA master list.
	ImportMasterList
	// ImportCRL: a certificate revocation list.
	ImportCRL
)

// ImportResult describes a file that Import copied into the trust directory.
type ImportResult struct {
	Kind         ImportKind
	Dest         string         // path of the copy
	Certificates []*Certificate // ImportCertificates
	MasterList   *MasterList    // ImportMasterList
	CRL          *CRL           // ImportCRL
}

// DefaultUserDir is where imported trust files live:
// os.UserConfigDir()/cnie-reader/trust.
func DefaultUserDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", wrap(Storage, "user trust directory", err)
	}
	return filepath.Join(d, "cnie-reader", "trust"), nil
}

// Import validates the file at path and copies it into userDir (the
// default directory when empty), where LoadDir finds it. By extension:
// .der/.cer/.crt/.pem must hold certificates that are all CAs (the
// demonstration CSCA is refused); .ml must be a master list with at least
// one CSCA; .crl must be a CRL. A file whose bytes, or a certificate whose
// fingerprint, is already in userDir is refused as Duplicate.
func Import(path, userDir string) (ImportResult, error) {
	const op = "import trust file"
	if path == "" {
		return ImportResult{}, newErr(BadInput, op, "no file")
	}
	if userDir == "" {
		d, err := DefaultUserDir()
		if err != nil {
			return ImportResult{}, err
		}
		userDir = d
	}
	data, err := readBounded(path, MaxMasterListSize)
	if err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	switch {
	case hasExt(path, certExts):
		res.Kind = ImportCertificates
		if res.Certificates, err = ParseCertificates(data); err != nil {
			return ImportResult{}, wrap(Malformed, op, err)
		}
		for _, c := range res.Certificates {
			switch {
			case c.IsDemo():
				return ImportResult{}, newErrf(DemoAnchor, op, "%s", c.Subject)
			case !c.BasicConstraintsValid || !c.IsCA:
				return ImportResult{}, newErrf(NotCA, op, "%s is not a CA certificate", c.Subject)
			case len(c.UnhandledCritical) > 0:
				return ImportResult{}, newErrf(UnhandledCritical, op, "%s: %v", c.Subject, c.UnhandledCritical)
			}
		}
	case hasExt(path, mlExts):
		res.Kind = ImportMasterList
		if res.MasterList, err = ParseMasterList(data); err != nil {
			return ImportResult{}, err
		}
		if len(res.MasterList.CSCAs) == 0 {
			return ImportResult{}, newErr(Malformed, op, "master list without a usable CSCA certificate")
		}
	case hasExt(path, crlExts):
		res.Kind = ImportCRL
		if res.CRL, err = parseCRLFile(data); err != nil {
			return ImportResult{}, err
		}
	default:
		return ImportResult{}, newErrf(BadInput, op, "unknown file type %q (want .der, .cer, .crt, .pem, .ml or .crl)", filepath.Ext(path))
	}
	if err := checkDuplicate(userDir, data, res.Certificates); err != nil {
		return ImportResult{}, err
	}
	if res.Dest, err = writeUnique(userDir, filepath.Base(path), data); err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// checkDuplicate refuses data already present in dir, byte for byte or, for
// certificates, by fingerprint in any certificate file of dir.
func checkDuplicate(dir string, data []byte, certs []*Certificate) error {
	const op = "import trust file"
	names, err := sortedNames(dir)
	if err != nil {
		return wrap(Storage, op, err)
	}
	sum := sha256.Sum256(data)
	fps := map[[32]byte]bool{}
	for _, c := range certs {
		fps[c.Fingerprint] = true
	}
	for _, n := range names {
		p := filepath.Join(dir, n)
		old, err := readBounded(p, MaxMasterListSize)
		if err != nil {
			continue // an unreadable file cannot be a duplicate we could load
		}
		if sha256.Sum256(old) == sum {
			return newErrf(Duplicate, op, "same file as %s", n)
		}
		if len(fps) == 0 || !hasExt(p, certExts) {
			continue
		}
		oldCerts, err := ParseCertificates(old)
		if err != nil {
			continue
		}
		for _, c := range oldCerts {
			if fps[c.Fingerprint] {
				return newErrf(Duplicate, op, "%s already in %s", c.Subject, n)
			}
		}
	}
	return nil
}

// writeUnique writes data into dir under name (made safe), adding -2, -3...
// when the name is taken, through a temporary file and a rename.
func writeUnique(dir, name string, data []byte) (string, error) {
	const op = "import trust file"
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", wrap(Storage, op, err)
	}
	name = safeName(name)
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	tmp, err := os.CreateTemp(dir, ".import-*")
	if err != nil {
		return "", wrap(Storage, op, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful link
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", wrap(Storage, op, err)
	}
	if err := tmp.Close(); err != nil {
		return "", wrap(Storage, op, err)
	}
	for i := 1; i < 1000; i++ {
		dest := filepath.Join(dir, name)
		if i > 1 {
			dest = filepath.Join(dir, fmt.Sprintf("%s-%d%s", stem, i, ext))
		}
		// Link fails when dest exists, so a concurrent import cannot be
		// overwritten; fall back to rename where links are unsupported.
		err := os.Link(tmp.Name(), dest)
		if err == nil {
			return dest, nil
		}
		if os.IsExist(err) {
			continue
		}
		if _, statErr := os.Lstat(dest); statErr == nil {
			continue
		}
		if err := os.Rename(tmp.Name(), dest); err != nil {
			return "", wrap(Storage, op, err)
		}
		return dest, nil
	}
	return "", newErr(Storage, op, "no free file name")
}

// safeName keeps a file name readable and harmless: letters, digits, '-'
// and '_' in the stem (at most 100 of them), then the lower-case extension.
func safeName(name string) string {
	ext := strings.ToLower(filepath.Ext(name))
	var b bytes.Buffer
	for _, r := range strings.TrimSuffix(name, filepath.Ext(name)) {
		if b.Len() == 100 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		b.WriteString("imported")
	}
	return b.String() + ext
}
