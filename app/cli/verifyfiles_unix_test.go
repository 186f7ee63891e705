//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO among the files of `verify` is refused at once, and so is one
// named as the folder of `read --dump`.
func TestVerifyFilesRefusesFIFO(t *testing.T) {
	english(t) // the words checked are the English ones
	tmp := t.TempDir()
	fifo := filepath.Join(tmp, "EF.SOD.bin")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	t.Cleanup(func() { // let a blocked reader go, should the test fail
		if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
	})
	args := []string{"verify", "--trust-dir", t.TempDir(), fifo}
	code, _, errOut := mainWithin(t, 10*time.Second, args...)
	wantNotRegular(t, args, code, errOut, fifo)

	code, _, errOut = mainWithin(t, 10*time.Second, "read", "--sim", "--dump", fifo)
	if code == 0 || !contains(errOut, "is not a folder", fifo) || strings.Contains(errOut, "n'est pas un dossier") {
		t.Errorf("read --dump onto a FIFO: exit %d:\n%s", code, errOut)
	}
}

func contains(s string, words ...string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}
