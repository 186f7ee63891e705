package testhex

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// notVectors are test files that decode hex for another purpose than a
// test vector (reader/trace: finding personal data in a trace's output).
var notVectors = map[string]bool{
	"reader/trace/read_test.go": true,
}

// TestOneHexHelper keeps this package the only hex decoder of the tests:
// a test that needs a vector calls Bytes or Int instead of its own helper.
func TestOneHexHelper(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || rel == "internal/testhex" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, "_test.go") || notVectors[rel] {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		if strings.Contains(string(b), "hex.DecodeString(") {
			t.Errorf("%s decodes hex itself: use internal/testhex", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Fatalf("only %d test files found under %s", checked, root)
	}
}
