package ber

import (
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// checkKind fails unless err is a chip error with a kind (hostile input
// must never produce a bare error).
func checkKind(t testing.TB, err error) {
	t.Helper()
	if err != nil && chiperr.KindOf(err) == 0 {
		t.Fatalf("error without a chip error kind: %v", err)
	}
}
