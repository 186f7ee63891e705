package pki

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/safefile"
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
	// ImportDeviationList: an ICAO deviation list (9303-12 §10).
	ImportDeviationList
)

// ImportResult describes a file that Import copied into the trust directory.
type ImportResult struct {
	Kind         ImportKind
	Dest         string         // path of the copy
	Certificates []*Certificate // ImportCertificates
	MasterList   *MasterList    // ImportMasterList
	CRL          *CRL           // ImportCRL
	// DeviationList and DeviationInfo (who vouches for it) for
	// ImportDeviationList.
	DeviationList *DeviationList
	DeviationInfo DeviationListInfo
	// Warnings are the problems ImportOptions.Force overrode.
	Warnings []Warning
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

// ImportOptions change what ImportWith accepts.
type ImportOptions struct {
	// Force imports certificates despite their Warnings.
	Force bool
	// Now is when validity is judged (time.Now when zero).
	Now time.Time
	// Trusted is what a master list's signer may chain to, besides the
	// pinned list signers, and a deviation list's signer; when nil, the
	// bundled anchors and those already in userDir.
	Trusted *Store
}

// Import is ImportWith without options: a certificate with a Warning is refused.
func Import(path, userDir string) (ImportResult, error) {
	return ImportWith(path, userDir, ImportOptions{})
}

// ImportWith validates the file at path and copies it into userDir (the
// default directory when empty), where LoadDir finds it. By extension:
// .der/.cer/.crt/.pem must hold certificates (the demonstration CSCA and
// unhandled critical extensions are refused; a certificate that is not a
// valid CA today has Warnings, and is refused with an *ImportRefusedError
// unless opts.Force); .ml must be a master list with at least one CSCA
// whose signature verifies to a pinned or trusted CSCA (UntrustedList
// otherwise, even with Force: nobody can vouch for its content);
// .crl must be a CRL; .dvl, or a .der/.cer/.crt/.bin/.ml file whose
// content is one, must be a deviation list whose signature verifies to a
// trusted CSCA (VerifyDeviationList; UntrustedDeviationList otherwise,
// even with Force), copied under a .dvl name. A file whose bytes, or a
// certificate whose fingerprint, is already in userDir is refused as
// Duplicate. A path that is not a regular file is refused with a
// *safefile.Error before it is opened (a FIFO would block).
func ImportWith(path, userDir string, opts ImportOptions) (ImportResult, error) {
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
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	data, err := readInput(path)
	if err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	name := filepath.Base(path)
	switch {
	case hasExt(path, dvlExts) || hasExt(path, dvlSniffExts) && IsDeviationList(data):
		res.Kind = ImportDeviationList
		if res.DeviationList, err = ParseDeviationList(data); err != nil {
			return ImportResult{}, err
		}
		trusted, err := opts.trusted(userDir)
		if err != nil {
			return ImportResult{}, err
		}
		if res.DeviationInfo, err = trusted.VerifyDeviationList(res.DeviationList, opts.Now); err != nil {
			return ImportResult{}, err
		}
		// LoadDir finds deviation lists by their extension.
		name = strings.TrimSuffix(name, filepath.Ext(name)) + dvlExts[0]
	case hasExt(path, certExts):
		res.Kind = ImportCertificates
		if res.Certificates, err = ParseCertificates(data); err != nil {
			return ImportResult{}, wrap(Malformed, op, err)
		}
		for _, c := range res.Certificates {
			switch {
			case c.IsDemo():
				return ImportResult{}, newErrf(DemoAnchor, op, "%s", c.Subject)
			case len(c.UnhandledCritical) > 0:
				return ImportResult{}, newErrf(UnhandledCritical, op, "%s: %v", c.Subject, c.UnhandledCritical)
			}
			res.Warnings = append(res.Warnings, warnings(c, opts.Now)...)
		}
		if len(res.Warnings) > 0 && !opts.Force {
			return ImportResult{}, &ImportRefusedError{Path: path, Warnings: res.Warnings}
		}
	case hasExt(path, mlExts):
		res.Kind = ImportMasterList
		if res.MasterList, err = ParseMasterList(data); err != nil {
			return ImportResult{}, err
		}
		if len(res.MasterList.CSCAs) == 0 {
			return ImportResult{}, newErr(Malformed, op, "master list without a usable CSCA certificate")
		}
		trusted, err := opts.trusted(userDir)
		if err != nil {
			return ImportResult{}, err
		}
		if _, err := trusted.VerifyMasterList(res.MasterList, opts.Now); err != nil {
			return ImportResult{}, err
		}
	case hasExt(path, crlExts):
		res.Kind = ImportCRL
		if res.CRL, err = parseCRLFile(data); err != nil {
			return ImportResult{}, err
		}
	default:
		return ImportResult{}, newErrf(BadInput, op, "unknown file type %q (want .der, .cer, .crt, .pem, .ml, .crl or .dvl)", filepath.Ext(path))
	}
	if err := checkDuplicate(userDir, data, res.Certificates); err != nil {
		return ImportResult{}, err
	}
	if res.Dest, err = writeUnique(userDir, name, data); err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// trusted is what a list's signer may chain to: opts.Trusted, or the
// bundled anchors and those already in userDir.
func (opts ImportOptions) trusted(userDir string) (*Store, error) {
	if opts.Trusted != nil {
		return opts.Trusted, nil
	}
	s := NewStore()
	if _, err := s.LoadBundled(); err != nil {
		return nil, err
	}
	if _, err := s.LoadDir(userDir); err != nil {
		return nil, err
	}
	return s, nil
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

// readInput reads the file to import. A path that is not a regular file
// keeps its own error, which names the path for the user; the others are
// the pki kinds they always were.
func readInput(path string) ([]byte, error) {
	const op = "read trust file"
	data, err := safefile.ReadRegular(path, MaxMasterListSize)
	switch {
	case err == nil:
		return data, nil
	case errors.Is(err, safefile.ErrNotRegular):
		return nil, err
	case errors.Is(err, safefile.ErrTooLarge):
		return nil, &Error{Kind: TooLarge, Op: op, Detail: fmt.Sprintf("%s is larger than %d bytes", filepath.Base(path), MaxMasterListSize), Err: err}
	}
	return nil, wrap(Storage, op, err)
}

// Warning is a reason not to trust an imported certificate that the user
// may override: it is Expired, NotYetValid, NotCA or WrongUsage (its
// keyUsage lacks keyCertSign).
type Warning struct {
	Kind    Kind
	Subject string
	Date    time.Time // NotAfter when Expired, NotBefore when NotYetValid
}

// warnings lists what makes c a doubtful trust anchor at now.
func warnings(c *Certificate, now time.Time) []Warning {
	var out []Warning
	if err := c.CheckValidity(now); err != nil {
		w := Warning{Kind: KindOf(err), Subject: c.Subject, Date: c.NotAfter}
		if w.Kind == NotYetValid {
			w.Date = c.NotBefore
		}
		out = append(out, w)
	}
	if err := c.checkIssuer(x509.KeyUsageCertSign, ""); err != nil {
		out = append(out, Warning{Kind: KindOf(err), Subject: c.Subject})
	}
	return out
}

// String names the warning for logs: "expired: CN=… (2020-01-01)".
func (w Warning) String() string {
	s := w.Kind.Error() + ": " + w.Subject
	if !w.Date.IsZero() {
		s += " (" + w.Date.UTC().Format(time.DateOnly) + ")"
	}
	return s
}

// ImportRefusedError is an import refused only for Warnings: with
// ImportOptions.Force the same file is imported. errors.Is matches the
// Kind of each warning, and KindOf gives the first one's.
type ImportRefusedError struct {
	Path     string
	Warnings []Warning
}

func (e *ImportRefusedError) Error() string {
	msgs := make([]string, len(e.Warnings))
	for i, w := range e.Warnings {
		msgs[i] = w.String()
	}
	return "import trust file: refused: " + strings.Join(msgs, "; ")
}

// Is matches the Kind of any warning.
func (e *ImportRefusedError) Is(target error) bool {
	k, ok := target.(Kind)
	return ok && slices.ContainsFunc(e.Warnings, func(w Warning) bool { return w.Kind == k })
}
