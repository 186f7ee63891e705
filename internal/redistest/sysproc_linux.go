package redistest

import "syscall"

// sysProcAttr kills redis-server when the test process dies without
// cleaning up (a panic, a timeout): no server outlives its test.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
