//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A FIFO given as input is refused at once: opening it for reading would
// wait for a writer forever.
func TestFIFOsAreRefusedAsInput(t *testing.T) {
	english(t) // wantNotRegular checks the English words
	tmp := t.TempDir()
	fifo := filepath.Join(tmp, "pipe.der")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	// Whatever happens, a reader blocked on the FIFO is let go at the end.
	t.Cleanup(func() {
		if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
	})
	for _, args := range [][]string{
		{"seal", fifo},
		{"trust", "import", "--dir", filepath.Join(tmp, "trust"), fifo},
		{"trust", "import-service", "--dir", filepath.Join(tmp, "trust"), fifo},
		{"read", "--sim", "--seal", fifo},
	} {
		code, _, errOut := mainWithin(t, 10*time.Second, args...)
		wantNotRegular(t, args, code, errOut, fifo)
	}
}
