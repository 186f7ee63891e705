package provider

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/luikyv/go-oidc/pkg/goidc"
)

// TestKeyFileRotation: made at first start (mode 600), the same at the
// next; --rotate publishes a new key first, which signs only after
// PublishBeforeSigning, the old one meanwhile; another process reloading
// the file publishes both before the new one signs.
func TestKeyFileRotation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	k1, err := LoadKeys(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	other, err := LoadKeys(path, false) // another process
	if err != nil || other.CurrentKID() != k1.CurrentKID() || string(other.SubKey()) != string(k1.SubKey()) {
		t.Fatalf("reloaded keys differ: %v", err)
	}
	time.Sleep(10 * time.Millisecond) // a distinct modification time
	k3, err := LoadKeys(path, true)
	if err != nil {
		t.Fatal(err)
	}
	set, _ := k3.JWKS(context.Background())
	if len(set.Keys) != 2 || set.Keys[0].KeyID == k1.CurrentKID() || set.Keys[1].KeyID != k1.CurrentKID() {
		t.Fatalf("after rotation: %v", set.Keys)
	}
	newKID := set.Keys[0].KeyID
	for _, k := range set.Keys {
		if !k.IsPublic() {
			t.Error("the JWKS publishes private material")
		}
	}
	if k3.CurrentKID() != k1.CurrentKID() {
		t.Error("the new key signs before it was published everywhere")
	}
	k3.now = func() time.Time { return time.Now().Add(PublishBeforeSigning + time.Second) }
	if k3.CurrentKID() != newKID {
		t.Error("the new key does not sign after its delay")
	}
	if string(k3.SubKey()) != string(k1.SubKey()) {
		t.Error("rotation changed the sub key: every pairwise sub would change")
	}

	// The other process picks the rotation up.
	if err := other.reload(path); err != nil {
		t.Fatal(err)
	}
	if set, _ := other.JWKS(context.Background()); len(set.Keys) != 2 || set.Keys[0].KeyID != newKID || other.CurrentKID() != k1.CurrentKID() {
		t.Errorf("the other process after reload: %v signing %s", set.Keys, other.CurrentKID())
	}

	k4, _ := LoadKeys(path, true)
	if set, _ := k4.JWKS(context.Background()); len(set.Keys) != 2 || set.Keys[1].KeyID != newKID {
		t.Errorf("second rotation: %v", set.Keys)
	}
	os.WriteFile(path, []byte(`{"keys": [], "sub_key": "AA=="}`), 0o600)
	if _, err := LoadKeys(path, false); err == nil {
		t.Error("an empty key file was accepted")
	}
}

// TestSignerIsJWSShaped: the signature is r‖s (64 bytes), verifiable with
// the published key; another algorithm is refused.
func TestSignerIsJWSShaped(t *testing.T) {
	k, err := NewKeys()
	if err != nil {
		t.Fatal(err)
	}
	kid, s, err := k.Signer(context.Background(), goidc.ES256)
	if err != nil || kid != k.CurrentKID() {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("payload"))
	sig, err := s.Sign(nil, digest[:], nil)
	if err != nil || len(sig) != 64 {
		t.Fatalf("%d bytes, %v", len(sig), err)
	}
	pub := s.Public().(*ecdsa.PublicKey)
	if !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		t.Error("the signature does not verify")
	}
	if _, _, err := k.Signer(context.Background(), goidc.RS256); err == nil {
		t.Error("RS256 was offered without an RSA key")
	}
}

// TestKeyFileFirstStartRace: processes starting at once on a new path all
// end up with the one key file's keys.
func TestKeyFileFirstStartRace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	kids := make(chan string, 8)
	for i := 0; i < 8; i++ {
		go func() {
			k, err := LoadKeys(path, false)
			if err != nil {
				kids <- "error: " + err.Error()
				return
			}
			kids <- k.CurrentKID()
		}()
	}
	first := <-kids
	for i := 1; i < 8; i++ {
		if k := <-kids; k != first {
			t.Fatalf("%q and %q", first, k)
		}
	}
}
