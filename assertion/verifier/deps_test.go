package verifier

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// terminalPackages are the package trees that talk to a card (access
// protocols, secure messaging, PC/SC, APDU traces, the read itself) or draw
// a window: a service that only verifies assertions must link none of them.
var terminalPackages = []string{
	"github.com/cnie-reader/cnie-reader/reader/access",
	"github.com/cnie-reader/cnie-reader/reader/sm",
	"github.com/cnie-reader/cnie-reader/reader/pcsc",
	"github.com/cnie-reader/cnie-reader/reader/trace",
	"fyne.io",
}

// TestLinksNoTerminalCode lists the verifier's dependencies with the go
// command of the toolchain running the test.
func TestLinksNoTerminalCode(t *testing.T) {
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goCmd); err != nil {
		t.Skipf("no go command beside the toolchain: %v", err)
	}
	cmd := exec.Command(goCmd, "list", "-deps", ".")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/cnie-reader/cnie-reader/reader/document") {
		t.Fatalf("go list -deps does not list the document package: %q", deps)
	}
	for _, dep := range deps {
		for _, banned := range terminalPackages {
			if dep == banned || strings.HasPrefix(dep, banned+"/") {
				t.Errorf("the verifier links %s", dep)
			}
		}
		if dep == "github.com/cnie-reader/cnie-reader/reader" {
			t.Errorf("the verifier links package reader (the read itself)")
		}
	}
}
