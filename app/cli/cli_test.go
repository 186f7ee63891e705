package cli

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/internal/demoservice"
)

// The command line's words, usage errors, exit codes and the reads and
// seals checked by their text are in the scripts of testdata/ (see
// script_test.go); the tests here parse JSON or files, or need Go.

// run is Main with its output captured.
func run(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = Main(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestReadSimJSON(t *testing.T) {
	code, out, errOut := run("read", "--sim", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var s struct {
		Access struct{ Protocol, Password string }
		MRZ    struct {
			DocumentNumber string `json:"document_number"`
			ChecksValid    bool   `json:"check_digits_valid"`
		}
		Files []struct{ Name string }
		Stats struct {
			APDUs int `json:"apdus"`
		}
		ChipAuth struct{ Outcome string } `json:"chip_authentication"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if s.Access.Protocol != "PACE" || s.Access.Password != "CAN" || s.MRZ.DocumentNumber != "DEMO00001" ||
		!s.MRZ.ChecksValid || s.Stats.APDUs == 0 || len(s.Files) < 5 || s.ChipAuth.Outcome != "passed" {
		t.Errorf("unexpected summary: %s", out)
	}
}

// An error is said in the user's language only (printing both was a
// bug): the sentence, the hint for support with the status word named,
// the next step; no English under French, no French under English.
func TestReadErrorsSpeakOneLanguage(t *testing.T) {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANGUAGE"} {
		t.Setenv(k, "")
	}
	for _, tc := range []struct {
		lang  string
		want  []string
		never []string
	}{
		{"fr_FR.UTF-8", []string{"Erreur : La carte a refusé le code.", "Pour l'assistance : ", "Mot d'état 6300 — authentification échouée",
			"Étape suivante : Vérifiez le numéro"}, []string{"Error", "Next step", "Support", "unknown status", "refused"}},
		{"en_GB.UTF-8", []string{"Error: The card refused the access code.", "For support: ", "SW 6300 — authentication failed",
			"Next step: Check the 6-digit"}, []string{"Erreur", "Étape", "Vérifiez", "unknown status"}},
	} {
		t.Setenv("LANG", tc.lang)
		code, _, errOut := run("read", "--sim", "--can", "000000")
		if code != 1 {
			t.Fatalf("%s: exit %d, want 1", tc.lang, code)
		}
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		if len(lines) != 3 {
			t.Errorf("%s: %d lines, want the sentence, the hint and the next step:\n%s", tc.lang, len(lines), errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%s: no %q in:\n%s", tc.lang, w, errOut)
			}
		}
		for _, w := range tc.never {
			if strings.Contains(errOut, w) {
				t.Errorf("%s: %q in:\n%s", tc.lang, w, errOut)
			}
		}
	}
}

// --reader N beyond the readers plugged in says how many there are (it
// used to say that none was plugged in).
func TestReaderNumberBeyondThePluggedIn(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LANG", "en_GB.UTF-8")
	_ = i18n.Use(i18n.FromEnvironment())
	defer i18n.Use(i18n.Locale{Lang: "fr"})
	two := []string{"ACS ACR1252 00 00", "Virtual PCD 00 00"}
	if name, err := readerNumbered("read", two, 1); err != nil || name != two[1] {
		t.Errorf("reader 1: %q %v", name, err)
	}
	for _, tc := range []struct {
		names []string
		n     int
		want  string
	}{
		{two, 7, "cnie-reader read: no reader number 7: 2 readers are plugged in, numbered 0 to 1 (list: cnie-reader readers)."},
		{two[:1], 1, "cnie-reader read: no reader number 1: one reader is plugged in, number 0 (list: cnie-reader readers)."},
	} {
		_, err := readerNumbered("read", tc.names, tc.n)
		var usage *usageError
		if !errors.As(err, &usage) {
			t.Fatalf("reader %d: %v, want a usage error (exit 2)", tc.n, err)
		}
		if got := usage.line(); got != tc.want {
			t.Errorf("reader %d: %q", tc.n, got)
		}
	}
}

func TestReadVerifyJSON(t *testing.T) {
	code, out, errOut := run("read", "--sim", "--verify", "--json", "--trust-dir", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var s struct {
		Verification struct {
			Verdict string
			DemoPKI bool `json:"demo_pki"`
			Checks  []struct{ ID, Status string }
		}
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if s.Verification.Verdict != "demo" || !s.Verification.DemoPKI || len(s.Verification.Checks) < 10 {
		t.Errorf("verification %+v", s.Verification)
	}
}

// The face is written only on request, decoded from JPEG or JPEG 2000, and
// an existing file is never overwritten.
func TestPhoto(t *testing.T) {
	for _, profile := range []string{"cnie", "cnie-jp2"} {
		path := filepath.Join(t.TempDir(), "face.png")
		if code, _, errOut := run("read", "--sim", "--profile", profile, "--photo", path); code != 0 {
			t.Fatalf("%s: exit %d: %s", profile, code, errOut)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() != 413 || img.Bounds().Dy() != 531 {
			t.Errorf("%s: photo %v, %v", profile, err, img)
		}
		if code, _, _ := run("read", "--sim", "--profile", profile, "--photo", path); code == 0 {
			t.Errorf("%s: an existing photo was overwritten", profile)
		}
	}
}

// english makes the command line speak English for one test.
func english(t *testing.T) {
	t.Helper()
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANGUAGE"} {
		t.Setenv(k, "")
	}
	t.Setenv("LANG", "en_GB.UTF-8")
}

func TestTrustImportAndList(t *testing.T) {
	english(t) // the words checked below are the English ones
	dir := t.TempDir()
	code, out, _ := run("trust", "list", "--dir", dir)
	if code != 0 || !strings.Contains(out, "CSCA-FRANCE") || !strings.Contains(out, "588") || !strings.Contains(out, "BSI") {
		t.Errorf("list: exit %d\n%s", code, out)
	}
	// Import the Swiss CSCA kept as PKI test data (a real, public certificate).
	src := filepath.Join("..", "..", "reader", "pki", "testdata")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	var csca string
	for _, e := range entries {
		if strings.Contains(e.Name(), "csca") {
			csca = filepath.Join(src, e.Name())
		}
	}
	if csca == "" {
		t.Fatalf("no CSCA in %s", src)
	}
	// It expired in 2024: refused unless the user insists, and then still
	// named as expired.
	if code, out, errOut := run("trust", "import", "--dir", dir, csca); code == 0 || !strings.Contains(errOut, "expired on 2024-04-29") || !strings.Contains(errOut, "--force") {
		t.Fatalf("import of an expired CSCA: exit %d: %s%s", code, out, errOut)
	}
	if code, out, errOut := run("trust", "import", "--dir", dir, "--force", csca); code != 0 || !strings.Contains(out, "Imported") || !strings.Contains(out, "Warning:") {
		t.Fatalf("import --force: exit %d: %s%s", code, out, errOut)
	}
	if code, _, _ := run("trust", "import", "--dir", dir, "--force", csca); code == 0 {
		t.Error("a duplicate import was accepted")
	}
	code, out, _ = run("trust", "list", "--dir", dir)
	swiss := regexp.MustCompile(`(?m)^CH (importé|imported) .*csca-switzerland`)
	if code != 0 || !swiss.MatchString(out) {
		t.Errorf("list after import: exit %d, no imported Swiss CSCA\n%s", code, out)
	}
}

func TestReadWithSeal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "back.png")
	if code, _, errOut := run("seal", "--demo-card", path); code != 0 {
		t.Fatalf("demo card: exit %d: %s", code, errOut)
	}
	code, out, errOut := run("read", "--sim", "--seal", path, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var s struct {
		SealCheck struct {
			Seal    struct{ Signature string }
			Compare struct {
				Compared    []string
				Differences []any
			}
		} `json:"seal_check"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	c := s.SealCheck
	if c.Seal.Signature != "valid" || len(c.Compare.Compared) < 5 || len(c.Compare.Differences) != 0 {
		t.Errorf("seal check %+v", c)
	}
	// The passport's chip is another person: every compared field differs.
	_, out, _ = run("read", "--sim", "--profile", "passport", "--seal", path)
	if !strings.Contains(out, "DIFF") {
		t.Errorf("a different holder was not flagged:\n%s", out)
	}
}

func TestTrustImportService(t *testing.T) {
	english(t)
	id, err := demoservice.NewIdentity(time.Now(), "service.example")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(f, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: id.Chain[1].Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run("trust", "import-service", "--dir", filepath.Join(dir, "trust"), f)
	if code != 0 || !strings.Contains(out, "Trusted service") {
		t.Fatalf("%d %s %s", code, out, errOut)
	}
	s, err := request.LoadServices(request.DefaultServicesDir(filepath.Join(dir, "trust")))
	if err != nil || !s.Lists(id.Chain) {
		t.Fatalf("not listed: %v", err)
	}
	if code, _, _ := run("trust", "import-service", "--dir", dir, filepath.Join(dir, "missing.pem")); code == 0 {
		t.Fatal("a missing file was accepted")
	}
}

// A card that keeps the reader waiting in PACE gets one line on stderr
// saying why (stdout stays the read's JSON).
func TestReadSlowCardSaysWhy(t *testing.T) {
	if testing.Short() {
		t.Skip("the virtual card waits 6 s, as a real one does after wrong attempts")
	}
	t.Setenv("LANGUAGE", "en")
	code, out, errOut := run("read", "--sim", "--profile", "fault-slow-pace", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Count(errOut, "keep it still") != 1 || strings.Contains(out, "keep it still") {
		t.Errorf("stderr %q, stdout %d bytes", errOut, len(out))
	}
}
