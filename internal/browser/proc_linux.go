//go:build linux

package browser

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// setProcAttr has the kernel kill Chromium if the test binary dies
// without calling Close.
func setProcAttr(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = new(syscall.SysProcAttr)
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}

// killLeftovers kills every process whose command line mentions dir, until
// none shows up for a few passes. Chromium's helpers can outlive the main
// process and keep writing into the profile, and its crashpad handlers
// start their own sessions, so neither the parent nor a process group
// reaches them all; but each names our temporary directory (the helpers in
// --user-data-dir, crashpad in --database under XDG_CONFIG_HOME).
func killLeftovers(dir string) {
	const quietPasses = 3
	needle := []byte(dir + string(filepath.Separator))
	deadline := time.Now().Add(2 * time.Second)
	for quiet := 0; quiet < quietPasses && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		found := false
		procs, _ := os.ReadDir("/proc")
		for _, p := range procs {
			pid, err := strconv.Atoi(p.Name())
			if err != nil || pid == os.Getpid() {
				continue
			}
			cmdline, err := os.ReadFile(filepath.Join("/proc", p.Name(), "cmdline"))
			if err != nil || !bytes.Contains(cmdline, needle) {
				continue
			}
			found = true
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		if found {
			quiet = 0
		} else {
			quiet++
		}
	}
}
