package verifier_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion/verifier"
)

// FuzzVerify feeds the verifier what a service receives from the network:
// any bytes as the vp_token. It must answer with a result or a typed
// refusal, never panic, and never accept a token that lost the chip's
// signature of this request.
func FuzzVerify(f *testing.F) {
	seeds := []*flow{newFlow(f, profile(f, "cnie"), nil), newFlow(f, profile(f, "passport"), nil)}
	for _, s := range seeds {
		b, err := s.token.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"format":"cnie-reader-assertion/1","data_groups":{"DG01":"AA=="}}`))
	f.Add([]byte(`{"format":"cnie-reader-assertion/1","chip_presence":{"provable":false}}`))
	base := seeds[0]
	v := &verifier.Verifier{Store: base.v.Store, Now: func() time.Time { return base.now }}
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := v.Verify(b, base.claims.State, base.expected())
		if err != nil {
			var e *verifier.Error
			if !errors.As(err, &e) || e.Kind == 0 {
				t.Fatalf("untyped refusal: %v", err)
			}
			return
		}
		// Accepted: then it is the chip's own answer to this request.
		if res.ChipPresence != verifier.ChipPresent {
			t.Fatalf("accepted without the chip's signature: %+v", res)
		}
	})
}
