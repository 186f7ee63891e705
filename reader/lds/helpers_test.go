package lds

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// vector reads a hex value from the ICAO Doc 9303 Part 11 worked examples
// kept in reader/testdata (a copy of the team's shared vectors).
func vector(t *testing.T, group, key string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "icao-9303-p11-worked-examples.json"))
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]json.RawMessage
	var g map[string]any
	if err := json.Unmarshal(raw, &all); err != nil || json.Unmarshal(all[group], &g) != nil {
		t.Fatalf("vector group %s unreadable", group)
	}
	s, ok := g[key].(string)
	if !ok {
		t.Fatalf("vector %s.%s missing", group, key)
	}
	return testhex.Bytes(t, s)
}

// checkKind fails unless err is a chip error with a kind (hostile input
// must never produce a bare error).
func checkKind(t testing.TB, err error) {
	t.Helper()
	if err != nil && chiperr.KindOf(err) == 0 {
		t.Fatalf("error without a chip error kind: %v", err)
	}
}
