package demoservice

import (
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion/request"
)

// The key derived from the public seed is the shipped DEMO CA's, and the
// identities it issues chain to that CA.
func TestDemoCAKeyMatchesTheShippedCA(t *testing.T) {
	key, err := DemoCAKey()
	if err != nil {
		t.Fatal(err)
	}
	if !key.PublicKey.Equal(request.DemoCA().PublicKey) {
		t.Fatal("the seed's key is not the key of assertion/request/demo-services-ca.pem")
	}
	id, err := NewIdentity(time.Now(), "localhost")
	if err != nil {
		t.Fatal(err)
	}
	if err := id.Chain[0].CheckSignatureFrom(request.DemoCA()); err != nil {
		t.Errorf("leaf not issued by the DEMO CA: %v", err)
	}
}
