package cli

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestProviderDemoServes: `provider --demo` publishes its discovery
// document and its JWKS (the kid it prints), with a key file made at
// first start, mode 600.
func TestProviderDemoServes(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "clients.json")
	os.WriteFile(cfg, []byte(`{"clients": [{"client_id": "a", "redirect_uris": ["http://localhost:1/cb"], "client_secret": "0123456789abcdef0123456789abcdef"}]}`), 0o600)
	keys := filepath.Join(dir, "keys.json")
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	var out, errOut lockedBuffer
	go MainIO([]string{"provider", "--demo", "--config", cfg, "--keys", keys, "--addr", fmt.Sprintf("127.0.0.1:%d", port)}, strings.NewReader(""), &out, &errOut)
	issuer := fmt.Sprintf("http://localhost:%d", port)
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), issuer) {
		if time.Now().After(deadline) {
			t.Fatalf("provider did not start:\n%s\n%s", out.String(), errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	var doc struct {
		Issuer  string   `json:"issuer"`
		JWKS    string   `json:"jwks_uri"`
		EndSess string   `json:"end_session_endpoint"`
		Methods []string `json:"token_endpoint_auth_methods_supported"`
	}
	get(t, issuer+"/.well-known/openid-configuration", &doc)
	if doc.Issuer != issuer || doc.EndSess != issuer+"/logout" || strings.Join(doc.Methods, " ") != "client_secret_post private_key_jwt" {
		t.Errorf("discovery: %+v", doc)
	}
	var set struct {
		Keys []struct {
			KID string `json:"kid"`
			D   string `json:"d"`
		} `json:"keys"`
	}
	get(t, doc.JWKS, &set)
	if len(set.Keys) != 1 || set.Keys[0].D != "" || !strings.Contains(out.String(), set.Keys[0].KID) {
		t.Errorf("JWKS %+v, printed %s", set, out.String())
	}
	if fi, err := os.Stat(keys); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v", fi, err)
	}
	if !strings.Contains(out.String(), "DÉMO") {
		t.Errorf("the DEMO mode is not said: %s", out.String())
	}
}

func get(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", u, err)
	}
}
