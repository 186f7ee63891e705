package cli

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion/demoservice"
	"github.com/cnie-reader/cnie-reader/assertion/request"
)

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

func TestReadSimPassportText(t *testing.T) {
	for lang, words := range map[string][]string{
		"fr_FR.UTF-8": {"Accès:", "Nom:", "octets envoyés", "ajoutez --verify"},
		"en_GB.UTF-8": {"Access:", "Surname:", "bytes sent", "add --verify"},
	} {
		t.Setenv("LC_ALL", "")
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", lang)
		code, out, errOut := run("read", "--sim", "--profile", "passport")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range append([]string{"BAC", "ERIKSSON", "L898902C3", "12 APDU"}, words...) {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %q:\n%s", lang, want, out)
			}
		}
	}
}

func TestReadErrorsAreBilingual(t *testing.T) {
	code, _, errOut := run("read", "--sim", "--can", "000000")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(errOut, "Erreur :") || !strings.Contains(errOut, "Error:") || !strings.Contains(errOut, "CAN") {
		t.Errorf("error output:\n%s", errOut)
	}
}

func TestUsage(t *testing.T) {
	if code, out, _ := run(); code != 0 || !strings.Contains(out, "123456") {
		t.Errorf("help: exit %d\n%s", code, out)
	}
	if code, _, _ := run("frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d", code)
	}
	if code, _, errOut := run("read", "--sim", "--profile", "nope"); code != 1 || !strings.Contains(errOut, "nope") {
		t.Errorf("unknown profile: exit %d: %s", code, errOut)
	}
	if code, out, _ := run("sim", "--list"); code != 0 || !strings.Contains(out, "cnie") || !strings.Contains(out, "fault-stall") {
		t.Errorf("sim --list: exit %d\n%s", code, out)
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

func TestReadVerifyFailure(t *testing.T) {
	code, out, errOut := run("read", "--sim", "--profile", "trust-tampered-dg", "--verify", "--trust-dir", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "[FAIL] dg-hash DG11") {
		t.Errorf("tampered DG11 not shown as failed:\n%s", out)
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

func TestTrustImportAndList(t *testing.T) {
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

// The virtual CNIE's back, drawn with its seal, is read back from the
// picture: valid with the demo authority, never valid without it.
func TestSealDemoCard(t *testing.T) {
	path := filepath.Join(t.TempDir(), "back.png")
	if code, _, errOut := run("seal", "--demo-card", path); code != 0 {
		t.Fatalf("demo card: exit %d: %s", code, errOut)
	}
	code, out, errOut := run("seal", path, "--demo", "--json")
	if code != 0 {
		t.Fatalf("seal: exit %d: %s", code, errOut)
	}
	var o struct {
		Symbol string
		Seal   struct {
			Kind      string
			Signature string
		}
	}
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatal(err)
	}
	if o.Symbol != "DataMatrix" || o.Seal.Kind != "2D-Doc" || o.Seal.Signature != "valid" {
		t.Errorf("with the demo authority: %+v", o)
	}
	if _, out, _ := run("seal", path); !strings.Contains(out, "not verifiable") {
		t.Errorf("without the demo authority:\n%s", out)
	}
	// A picture without any code says so, in both languages.
	blank := filepath.Join(t.TempDir(), "blank.png")
	f, _ := os.Create(blank)
	png.Encode(f, image.NewGray(image.Rect(0, 0, 320, 240)))
	f.Close()
	if code, _, errOut := run("seal", blank); code != 1 || !strings.Contains(errOut, "Erreur") {
		t.Errorf("blank picture: exit %d\n%s", code, errOut)
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

func TestVersion(t *testing.T) {
	code, out, _ := run("--version")
	if code != 0 || !strings.HasPrefix(out, "CNIE Reader ") || !strings.Contains(out, "go1.") {
		t.Fatalf("%d %q", code, out)
	}
}

func TestTrustImportService(t *testing.T) {
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
