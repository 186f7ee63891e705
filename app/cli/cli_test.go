package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
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
	code, out, errOut := run("read", "--sim", "--profile", "passport")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"BAC", "ERIKSSON", "L898902C3", "APDUs"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
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
