package sm

import (
	"errors"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

func wantKind(t *testing.T, err error, kinds ...chiperr.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one of %v", kinds)
	}
	for _, k := range kinds {
		if errors.Is(err, k) {
			return
		}
	}
	t.Fatalf("error %q (kind %d) is none of %v", err, chiperr.KindOf(err), kinds)
}

func mustSession(t testing.TB, alg Algorithm, kEnc, kMac, ssc []byte) *Session {
	t.Helper()
	s, err := NewSession(alg, kEnc, kMac, ssc)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
