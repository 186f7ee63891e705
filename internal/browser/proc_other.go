//go:build !linux

package browser

import "os/exec"

// setProcAttr does nothing here: the process handling is Linux-only, and
// the end-to-end tests run on Debian.
func setProcAttr(*exec.Cmd) {}

// killLeftovers does nothing here; see setProcAttr.
func killLeftovers(string) {}
