package link

import (
	"context"
	"testing"

	"github.com/cnie-reader/cnie-reader/assertion/intake"
	"github.com/cnie-reader/cnie-reader/assertion/request"
)

// The window and `serve` share NewIntake, hence one policy: http answers
// on loopback only (the DEMO service), a replay memory, the holder given.
func TestNewIntakeIsTheOnePolicy(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	holder := intake.HolderFunc(func(context.Context, *request.Request) (string, error) { return "", nil })
	var heard []error
	srv := NewIntake(holder, "en", func(err error) { heard = append(heard, err) })
	v := srv.Verifier
	if !v.AllowLoopbackHTTP || v.Seen == nil || v.Services == nil || srv.Lang != "en" || srv.Holder == nil || srv.OnError == nil || srv.Describe == nil || srv.Done == nil {
		t.Fatalf("intake %+v, verifier %+v", srv, v)
	}
	if len(heard) != 0 {
		t.Errorf("an empty trust list reported as a problem: %v", heard)
	}
}
