//go:build !unix

package safefile

// openFlags: no FIFO can be swapped in by path here.
const openFlags = 0
