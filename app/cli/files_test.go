package cli

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"image"
	"image/jpeg"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// mainWithin runs the command line on its own goroutine and fails the test
// when it does not return within d (a hang is the defect looked for).
func mainWithin(t *testing.T, d time.Duration, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	type result struct {
		code     int
		out, err string
	}
	done := make(chan result, 1)
	go func() {
		var out, errOut bytes.Buffer
		c := Main(args, &out, &errOut)
		done <- result{c, out.String(), errOut.String()}
	}()
	select {
	case r := <-done:
		return r.code, r.out, r.err
	case <-time.After(d):
		t.Fatalf("%v did not return within %v", args, d)
		return 0, "", ""
	}
}

// wantNotRegular checks a refusal that names the path in both languages.
func wantNotRegular(t *testing.T, args []string, code int, stderr, path string) {
	t.Helper()
	if code == 0 {
		t.Errorf("%v: exit 0", args)
	}
	for _, w := range []string{"is not a regular file", path} {
		if !strings.Contains(stderr, w) {
			t.Errorf("%v: stderr lacks %q:\n%s", args, w, stderr)
		}
	}
	if strings.Contains(stderr, "n'est pas") {
		t.Errorf("%v: French under English:\n%s", args, stderr)
	}
}

func TestDirectoriesAreRefusedAsInput(t *testing.T) {
	english(t) // wantNotRegular checks the English words
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "folder.der")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"seal", dir},
		{"trust", "import", "--dir", filepath.Join(tmp, "trust"), dir},
		{"trust", "import-service", "--dir", filepath.Join(tmp, "trust"), dir},
	} {
		code, _, errOut := mainWithin(t, 10*time.Second, args...)
		wantNotRegular(t, args, code, errOut, dir)
	}
	if _, err := os.Stat(filepath.Join(tmp, "trust")); err == nil {
		t.Error("the trust directory was created for a refused import")
	}
}

// hugeJPEG is a small gray JPEG whose header announces width x height: the
// header is all a size check may read.
func hugeJPEG(t *testing.T, width, height int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 16, 16)), nil); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	i := bytes.Index(data, []byte{0xFF, 0xC0}) // SOF0: FF C0, length(2), precision(1), height(2), width(2)
	if i < 0 {
		t.Fatal("no SOF0 marker")
	}
	data[i+5], data[i+6] = byte(height>>8), byte(height)
	data[i+7], data[i+8] = byte(width>>8), byte(width)
	return data
}

func TestSealRefusesHugeImageFromItsHeader(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.jpg")
	if err := os.WriteFile(p, hugeJPEG(t, 6400, 6400), 0o600); err != nil {
		t.Fatal(err)
	}
	english(t)
	code, _, errOut := mainWithin(t, 10*time.Second, "seal", p)
	if code == 0 || !strings.Contains(errOut, "The image is too large") || strings.Contains(errOut, "L'image est trop grande") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
}

// selfSigned writes a self-signed P-256 certificate made from tmpl.
func selfSigned(t *testing.T, dir, name string, tmpl *x509.Certificate) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl.SerialNumber = big.NewInt(7)
	tmpl.Subject = pkix.Name{Country: []string{"ZZ"}, Organization: []string{"Test"}, CommonName: name}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name+".der")
	if err := os.WriteFile(p, der, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTrustImportRefusesUnlessForced(t *testing.T) {
	english(t) // "Imported" is the English line; warnings and errors too, in English only
	src := t.TempDir()
	now := time.Now()
	expired := selfSigned(t, src, "Expired CSCA", &x509.Certificate{
		NotBefore: now.AddDate(-3, 0, 0), NotAfter: now.AddDate(-1, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	})
	leaf := selfSigned(t, src, "Leaf", &x509.Certificate{
		NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature,
	})
	noCertSign := selfSigned(t, src, "CA without keyCertSign", &x509.Certificate{
		NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(1, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageDigitalSignature,
	})
	for _, c := range []struct {
		path    string
		problem []string // words naming the problem, in English
	}{
		{expired, []string{"expired"}},
		{leaf, []string{"is not a certification authority"}},
		{noCertSign, []string{"keyCertSign"}},
	} {
		dir := filepath.Join(t.TempDir(), "trust")
		code, out, errOut := mainWithin(t, 10*time.Second, "trust", "import", "--dir", dir, c.path)
		if code == 0 {
			t.Errorf("%s: imported without --force:\n%s", c.path, out)
		}
		for _, w := range append(c.problem, "--force") {
			if !strings.Contains(errOut, w) {
				t.Errorf("%s: refusal lacks %q:\n%s", c.path, w, errOut)
			}
		}
		if strings.Contains(errOut, "Erreur") || strings.Contains(out+errOut, "n'est pas") {
			t.Errorf("%s: French under English:\n%s%s", c.path, out, errOut)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%s: refused yet written: %v", c.path, entries)
		}

		code, out, errOut = mainWithin(t, 10*time.Second, "trust", "import", "--force", "--dir", dir, c.path)
		if code != 0 || !strings.Contains(out, "Imported") {
			t.Errorf("%s: --force: exit %d\n%s%s", c.path, code, out, errOut)
		}
		for _, w := range c.problem {
			if !strings.Contains(out, w) {
				t.Errorf("%s: --force without the warning %q:\n%s", c.path, w, out)
			}
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("%s: --force: trust directory holds %v", c.path, entries)
		}
	}
}

func TestReadTraceNeverOverwritesAndFails(t *testing.T) {
	english(t)
	existing := filepath.Join(t.TempDir(), "trace.txt")
	if err := os.WriteFile(existing, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := mainWithin(t, time.Minute, "read", "--sim", "--trace", existing)
	if code == 0 || !strings.Contains(errOut, "already exists") || strings.Contains(errOut, "existe déjà") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep" {
		t.Errorf("the existing file became %q", b)
	}
	// Checked before the card: an unknown profile is never reached.
	code, _, errOut = mainWithin(t, time.Minute, "read", "--sim", "--profile", "no-such-profile", "--trace", existing)
	if code == 0 || !strings.Contains(errOut, "already exists") {
		t.Errorf("not checked first: exit %d:\n%s", code, errOut)
	}
	// A trace that cannot be written after a good read fails the command.
	missing := filepath.Join(t.TempDir(), "no-such-dir", "trace.txt")
	if code, _, errOut := mainWithin(t, time.Minute, "read", "--sim", "--trace", missing); code == 0 {
		t.Errorf("unwritable trace: exit 0:\n%s", errOut)
	}
}
