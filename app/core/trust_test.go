package core

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/sim"
)

// The store is built once per directory, and again when a file of the
// directory appears, changes or goes.
func TestTrustBuiltOnceAndOnChange(t *testing.T) {
	dir := t.TempDir()
	tr, err := TrustFor(dir)
	if err != nil {
		t.Fatal(err)
	}
	first, _, err := tr.Store()
	if err != nil {
		t.Fatal(err)
	}
	again, _, _ := tr.Store()
	if again != first {
		t.Fatal("the store was rebuilt with nothing changed")
	}
	if same, _ := TrustFor(dir); same != tr {
		t.Fatal("two Trusts for one directory")
	}
	// A file appears: rebuilt (a Swiss CSCA kept as test data).
	src, err := filepath.Glob(filepath.Join("..", "..", "reader", "pki", "testdata", "*csca*"))
	if err != nil || len(src) == 0 {
		t.Fatalf("no CSCA test file: %v", err)
	}
	data, err := os.ReadFile(src[0])
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "ch.der")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	withCH, _, _ := tr.Store()
	if withCH == first || withCH.Len() != first.Len()+1 {
		t.Fatalf("after an import: %d anchors (was %d), rebuilt %v", withCH.Len(), first.Len(), withCH != first)
	}
	// A file goes: rebuilt again.
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if gone, _, _ := tr.Store(); gone.Len() != first.Len() {
		t.Errorf("after removal: %d anchors, want %d", gone.Len(), first.Len())
	}
}

// A virtual card's demo anchor goes into a copy, never into the shared store.
func TestDemoAnchorDoesNotLeak(t *testing.T) {
	dir := t.TempDir()
	card, err := sim.NewNamed(sim.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	demo, err := TrustStore(dir, card)
	if err != nil {
		t.Fatal(err)
	}
	shared, err := TrustStore(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if demo.Len() != shared.Len()+1 {
		t.Fatalf("demo store %d anchors, shared %d", demo.Len(), shared.Len())
	}
	for _, a := range shared.Anchors() {
		if a.Cert.IsDemo() {
			t.Fatal("the demo CSCA reached the shared store")
		}
	}
}
