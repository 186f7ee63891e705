package pki

import (
	"encoding/asn1"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/safefile"
)

// importCases are certificates that Import refuses unless forced, with the
// kind of the refusal.
func importCases(t *testing.T) []struct {
	name string
	der  []byte
	kind Kind
} {
	key := newECKey(t, "P-256")
	now := time.Now()
	self := func(cn string, s tCertSpec) []byte {
		s.serial, s.subject, s.issuer = 1, tName(cn, "ZZ"), tName(cn, "ZZ")
		return issue(t, s, key, key)
	}
	digitalSignature := asn1.BitString{Bytes: []byte{0x80}, BitLength: 1}
	return []struct {
		name string
		der  []byte
		kind Kind
	}{
		{"expired.der", self("Expired CSCA", tCertSpec{ca: true, notBefore: now.AddDate(-3, 0, 0), notAfter: now.AddDate(-1, 0, 0)}), Expired},
		{"future.der", self("Future CSCA", tCertSpec{ca: true, notBefore: now.AddDate(1, 0, 0), notAfter: now.AddDate(5, 0, 0)}), NotYetValid},
		{"leaf.der", self("Leaf", tCertSpec{keyUsage: &digitalSignature}), NotCA},
		{"nocertsign.der", self("CA without keyCertSign", tCertSpec{ca: true, keyUsage: &digitalSignature}), WrongUsage},
	}
}

func TestImportRefusesUntrustworthyCertificates(t *testing.T) {
	src := t.TempDir()
	for _, c := range importCases(t) {
		user := filepath.Join(t.TempDir(), "trust")
		_, err := Import(writeFile(t, src, c.name, c.der), user)
		if !errors.Is(err, c.kind) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.kind)
		}
		if entries, _ := os.ReadDir(user); len(entries) != 0 {
			t.Errorf("%s: refused yet written: %v", c.name, entries)
		}
	}
}

func TestImportForceKeepsTheWarnings(t *testing.T) {
	src := t.TempDir()
	for _, c := range importCases(t) {
		user := filepath.Join(t.TempDir(), "trust")
		p := writeFile(t, src, c.name, c.der)
		_, err := Import(p, user)
		var refused *ImportRefusedError
		if !errors.As(err, &refused) || KindOf(err) != c.kind {
			t.Fatalf("%s: %v", c.name, err)
		}
		// The holder's sentence, in app/problem, names the certificate too.
		if !strings.Contains(refused.Error(), "CN=") {
			t.Errorf("%s: error does not name the certificate: %q", c.name, refused.Error())
		}
		res, err := ImportWith(p, user, ImportOptions{Force: true})
		if err != nil || len(res.Warnings) != 1 || res.Warnings[0].Kind != c.kind {
			t.Fatalf("%s forced: %+v %v", c.name, res, err)
		}
		if entries, _ := os.ReadDir(user); len(entries) != 1 {
			t.Errorf("%s forced: trust directory holds %v", c.name, entries)
		}
	}
	// Validity is judged at opts.Now: the expired CSCA was valid two years ago.
	c := importCases(t)[0]
	if _, err := ImportWith(writeFile(t, src, "then.der", c.der), t.TempDir(), ImportOptions{Now: time.Now().AddDate(-2, 0, 0)}); err != nil {
		t.Errorf("valid then: %v", err)
	}
}

// A folder is refused before it is opened, with the typed safefile error.
func TestImportRefusesNonRegularFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "folder.der")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Import(dir, t.TempDir())
	if !errors.Is(err, safefile.ErrNotRegular) {
		t.Errorf("folder: %v", err)
	}
}
