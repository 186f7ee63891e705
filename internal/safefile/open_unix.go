//go:build unix

package safefile

import "syscall"

// openFlags: O_NONBLOCK makes open() of a FIFO return at once; it changes
// nothing for the regular files read afterwards.
const openFlags = syscall.O_NONBLOCK
