package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadRegular(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("12345"), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadRegular(p, 5); err != nil || string(b) != "12345" {
		t.Errorf("at the bound: %q %v", b, err)
	}
	_, err := ReadRegular(p, 4)
	var fe *Error
	if !errors.Is(err, ErrTooLarge) || !errors.As(err, &fe) || fe.Max != 4 {
		t.Errorf("over the bound: %v", err)
	}
	if _, err := ReadRegular(dir, 10); !errors.Is(err, ErrNotRegular) {
		t.Errorf("folder: %v", err)
	}
	if _, err := ReadRegular(filepath.Join(dir, "missing"), 10); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	// A link to a regular file is that file.
	link := filepath.Join(dir, "link")
	if err := os.Symlink(p, link); err == nil {
		if b, err := ReadRegular(link, 5); err != nil || string(b) != "12345" {
			t.Errorf("link: %q %v", b, err)
		}
	}
}

func TestCreateNewAndCheckAbsent(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out")
	if err := CheckAbsent(p); err != nil {
		t.Fatal(err)
	}
	f, err := CreateNew(p, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := CheckAbsent(p); !errors.Is(err, ErrExists) {
		t.Errorf("CheckAbsent: %v", err)
	}
	if _, err := CreateNew(p, 0o600); !errors.Is(err, ErrExists) || !errors.Is(err, os.ErrExist) {
		t.Errorf("CreateNew: %v", err)
	}
}

// Error names the path and what is wrong (app/problem words it for people).
func TestErrorNamesThePath(t *testing.T) {
	for _, e := range []*Error{
		{Path: "x.pem", Err: ErrNotRegular, Mode: os.ModeNamedPipe},
		{Path: "x.pem", Err: ErrTooLarge, Max: 10},
		{Path: "x.pem", Err: ErrExists},
	} {
		if !strings.HasPrefix(e.Error(), "x.pem: "+e.Err.Error()) || !errors.Is(e, e.Err) {
			t.Errorf("%v: %q", e.Err, e.Error())
		}
	}
}
