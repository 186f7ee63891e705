// Package safefile opens the files a user names on the command line or in
// a file dialog. Only regular files are read: opening a FIFO for reading
// waits for a writer forever, and a device or a folder is never what was
// meant. Reads are bounded, and files written for the user are always new.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Sentinels for errors.Is; the errors returned are *Error.
var (
	// ErrNotRegular: the path is a pipe, a folder, a device or a socket.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge: the file is larger than the caller accepts.
	ErrTooLarge = errors.New("file too large")
	// ErrExists: a file that would be created already exists.
	ErrExists = errors.New("file already exists")
)

// Error is a refused file; app/problem words it for the user.
type Error struct {
	Path string
	Err  error       // ErrNotRegular, ErrTooLarge or ErrExists
	Mode fs.FileMode // ErrNotRegular: what the path is
	Max  int64       // ErrTooLarge: the bound in bytes
	// Cause is the system error behind ErrExists at creation, if any.
	Cause error
}

func (e *Error) Error() string {
	s := e.Path + ": " + e.Err.Error()
	switch {
	case e.Err == ErrNotRegular:
		s += " (" + e.Mode.Type().String() + ")"
	case e.Err == ErrTooLarge:
		s += fmt.Sprintf(" (more than %d bytes)", e.Max)
	}
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

// Unwrap gives the sentinel and the system cause.
func (e *Error) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Err, e.Cause}
	}
	return []error{e.Err}
}

// Open opens path for reading if, and only if, it is a regular file. It
// checks before opening, so a FIFO never blocks, and again on the open
// file, so a path swapped in between is caught too.
func Open(path string) (*os.File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &Error{Path: path, Err: ErrNotRegular, Mode: fi.Mode()}
	}
	// openFlags keeps open() from waiting should a FIFO be swapped in.
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err != nil {
			return nil, err
		}
		return nil, &Error{Path: path, Err: ErrNotRegular, Mode: fi.Mode()}
	}
	return f, nil
}

// ReadRegular reads the regular file at path, refusing it beyond max bytes
// (it reads at most max+1 bytes to tell).
func ReadRegular(path string, max int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, &Error{Path: path, Err: ErrTooLarge, Max: max}
	}
	return data, nil
}

// CheckAbsent refuses a path that already exists (even as a dangling
// link), so a command can fail before its work rather than after it.
func CheckAbsent(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return &Error{Path: path, Err: ErrExists}
	}
	return nil
}

// CreateNew creates path for writing, never overwriting what exists.
func CreateNew(path string, perm fs.FileMode) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if errors.Is(err, fs.ErrExist) {
		return nil, &Error{Path: path, Err: ErrExists, Cause: err}
	}
	return f, err
}
