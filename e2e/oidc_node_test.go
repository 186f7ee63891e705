package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/cnie-reader/cnie-reader/assertion/pivot"
)

// nodeRP is the relying party of e2e/node/rp.mjs, written with the npm
// openid-client library, installed with `npm ci` in a directory of its own.
type nodeRP struct {
	node, dir string
}

// nodeSettings are what a Node.js service configures (see rp.mjs).
type nodeSettings struct {
	Issuer         string          `json:"issuer"`
	ClientID       string          `json:"client_id"`
	Auth           string          `json:"auth"`
	ClientSecret   string          `json:"client_secret,omitempty"`
	PrivateJWK     json.RawMessage `json:"private_jwk,omitempty"`
	RedirectURI    string          `json:"redirect_uri"`
	ACRValues      string          `json:"acr_values"`
	SignedUserinfo bool            `json:"signed_userinfo"`
	Tamper         string          `json:"tamper,omitempty"`
}

// nodeResult is what rp.mjs printed once back at the service.
type nodeResult struct {
	OK            bool              `json:"ok"`
	IDTokenHeader map[string]string `json:"id_token_header"`
	IDToken       struct {
		Issuer   string   `json:"iss"`
		Audience any      `json:"aud"`
		Subject  string   `json:"sub"`
		Nonce    string   `json:"nonce"`
		ACR      string   `json:"acr"`
		AMR      []string `json:"amr"`
		AuthTime int64    `json:"auth_time"`
	} `json:"id_token_claims"`
	Userinfo            map[string]any `json:"userinfo"`
	UserinfoContentType string         `json:"userinfo_content_type"`
	Error               *nodeError     `json:"error"`
	// authURL is the authorization URL openid-client built.
	authURL string
}

// nodeError is an error openid-client raised, with its cause.
type nodeError struct {
	Name, Code, Error, Message string
	Cause                      *nodeError
}

// String is the chain "name code [error] (message) <- cause...".
func (e *nodeError) String() string {
	if e == nil {
		return ""
	}
	s := strings.Join(strings.Fields(e.Name+" "+e.Code+" "+e.Error), " ") + " (" + e.Message + ")"
	if e.Cause != nil {
		s += " <- " + e.Cause.String()
	}
	return s
}

// installNodeRP copies e2e/node to a temporary directory and installs the
// locked openid-client there. Without node and npm the test fails: they
// are Debian packages that `make deps` installs.
func installNodeRP(t *testing.T, ctx context.Context) *nodeRP {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is needed (apt-get install nodejs npm, or make deps): %v", err)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Fatalf("npm is needed (apt-get install nodejs npm, or make deps): %v", err)
	}
	dir := t.TempDir()
	for _, f := range []string{"package.json", "package-lock.json", "rp.mjs"} {
		b, err := os.ReadFile(filepath.Join("node", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci: %v\n%s", err, out)
	}
	t.Logf("npm ci: %s", time.Since(start).Round(time.Millisecond))
	return &nodeRP{node: node, dir: dir}
}

// login runs rp.mjs for one login: it builds the authorization URL, a new
// browser follows it through the provider and the application with the
// virtual card, and rp.mjs gets the callback URL and finishes.
func (rp *nodeRP) login(t *testing.T, ctx context.Context, w *oidcWorld, s nodeSettings) nodeResult {
	t.Helper()
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, rp.node, "rp.mjs")
	cmd.Dir, cmd.Stderr = rp.dir, &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A failed step below ends the test: the process must not outlive it.
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	out := bufio.NewReader(stdout)
	readLine := func(v any) []byte {
		t.Helper()
		line, err := out.ReadBytes('\n')
		if err != nil || json.Unmarshal(line, v) != nil {
			t.Fatalf("rp.mjs printed %q (%v); stderr:\n%s", line, err, stderr.String())
		}
		return line
	}
	send := func(line []byte) {
		t.Helper()
		if _, err := stdin.Write(append(line, '\n')); err != nil {
			t.Fatalf("rp.mjs: %v; stderr:\n%s", err, stderr.String())
		}
	}

	settings, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	send(settings)
	var begin struct {
		AuthorizationURL string `json:"authorization_url"`
	}
	if line := readLine(&begin); begin.AuthorizationURL == "" {
		t.Fatalf("rp.mjs did not start a login: %s\nstderr:\n%s", line, stderr.String())
	}

	back := w.login(t, newBrowser(t, w.stopAtService), begin.AuthorizationURL)
	send([]byte(back.String()))
	var res nodeResult
	readLine(&res)
	res.authURL = begin.AuthorizationURL
	if err := cmd.Wait(); err != nil {
		t.Fatalf("rp.mjs: %v\n%s", err, stderr.String())
	}
	t.Logf("login with openid-client (%s, tamper %q): %s", s.Auth, s.Tamper, time.Since(start).Round(time.Millisecond))
	return res
}

// nodeClients are the test provider's two clients as a Node.js service
// would configure them: a secret with signed userinfo, and a private key.
func nodeClients(t *testing.T, w *oidcWorld) (secret, keyed nodeSettings) {
	t.Helper()
	jwk, err := json.Marshal(jose.JSONWebKey{Key: w.jwtKey, KeyID: "client-1", Algorithm: "ES256", Use: "sig"})
	if err != nil {
		t.Fatal(err)
	}
	secret = nodeSettings{Issuer: w.issuer, ClientID: secretClient, Auth: "client_secret_post", ClientSecret: clientSecret,
		RedirectURI: w.redirect, ACRValues: pivot.ACRDemoPresent, SignedUserinfo: true}
	keyed = nodeSettings{Issuer: w.issuer, ClientID: jwtClient, Auth: "private_key_jwt", PrivateJWK: jwk,
		RedirectURI: w.redirect, ACRValues: pivot.ACRDemoPresent}
	return secret, keyed
}

// TestOIDCLoginWithNodeClient: a Node.js service using openid-client logs
// the holder of the virtual card in, with client_secret_post and with
// private_key_jwt; openid-client verifies the ID token and the signed
// userinfo with the provider's JWKS, and refuses a wrong PKCE verifier and
// tampered signatures.
func TestOIDCLoginWithNodeClient(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the Node.js client test runs in `make test`")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rp := installNodeRP(t, ctx)
	w := newOIDCWorld(t, 0)
	secret, keyed := nodeClients(t, w)

	first := rp.login(t, ctx, w, secret)
	checkNodeAuthURL(t, first.authURL, secret)
	checkNodeLogin(t, w, first, secret, "application/jwt")
	again := rp.login(t, ctx, w, secret)
	checkNodeLogin(t, w, again, secret, "application/jwt")
	if again.IDToken.Subject != first.IDToken.Subject {
		t.Errorf("the pairwise sub changed between two logins: %q, %q", first.IDToken.Subject, again.IDToken.Subject)
	}
	other := rp.login(t, ctx, w, keyed)
	checkNodeLogin(t, w, other, keyed, "application/json")
	if other.IDToken.Subject == first.IDToken.Subject {
		t.Errorf("two sectors see the same sub %q", first.IDToken.Subject)
	}

	const (
		invalidGrant = "ResponseBodyError OAUTH_RESPONSE_BODY_ERROR invalid_grant (server responded with an error in the response body)"
		badSignature = "ClientError OAUTH_INVALID_RESPONSE (invalid response encountered) <- OperationProcessingError OAUTH_INVALID_RESPONSE (JWT signature verification failed)"
	)
	for _, c := range []struct {
		client nodeSettings
		tamper string
		want   string
	}{
		{secret, "code_verifier", invalidGrant},
		{keyed, "code_verifier", invalidGrant},
		{secret, "id_token_signature", badSignature},
		{secret, "userinfo_signature", badSignature},
	} {
		s := c.client
		s.Tamper = c.tamper
		res := rp.login(t, ctx, w, s)
		if res.OK || res.Error.String() != c.want {
			t.Errorf("%s with %s: openid-client said %q (ok %v), want %q", c.tamper, s.Auth, res.Error, res.OK, c.want)
		}
	}
	checkNoPersonalData(t, w.logs.String())
}

// checkNodeAuthURL: what openid-client asked for is a FranceConnect-shaped
// authorization request.
func checkNodeAuthURL(t *testing.T, raw string, s nodeSettings) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for k, want := range map[string]string{"response_type": "code", "client_id": s.ClientID, "redirect_uri": s.RedirectURI,
		"scope": "openid identite_pivot", "code_challenge_method": "S256", "acr_values": s.ACRValues} {
		if got := q.Get(k); got != want {
			t.Errorf("authorization URL: %s = %q, want %q (%s)", k, got, want, raw)
		}
	}
	if len(q.Get("nonce")) < 22 || q.Get("state") == "" || len(q.Get("code_challenge")) != 43 {
		t.Errorf("authorization URL without nonce, state or PKCE: %s", raw)
	}
}

// checkNodeLogin: openid-client accepted the tokens; their claims are the
// DEMO identity's, as the provider says the chip proved them.
func checkNodeLogin(t *testing.T, w *oidcWorld, res nodeResult, s nodeSettings, userinfoType string) {
	t.Helper()
	if !res.OK {
		t.Fatalf("openid-client (%s) refused the login: %s\nprovider logs:\n%s", s.Auth, res.Error, w.logs.String())
	}
	if h := res.IDTokenHeader; h["alg"] != "ES256" || h["kid"] == "" || h["kid"] != w.provider.CurrentKID() {
		t.Errorf("ID token header %v", h)
	}
	id := res.IDToken
	if id.Issuer != w.issuer || !audienceIs(id.Audience, s.ClientID) || len(id.Nonce) < 22 {
		t.Errorf("ID token iss %q aud %v nonce %q", id.Issuer, id.Audience, id.Nonce)
	}
	if id.ACR != pivot.ACRDemoPresent || !slices.Equal(id.AMR, []string{"sc", "hwk"}) ||
		time.Since(time.Unix(id.AuthTime, 0)) > time.Minute {
		t.Errorf("ID token acr %q amr %v auth_time %d", id.ACR, id.AMR, id.AuthTime)
	}
	if id.Subject == "" || strings.Contains(id.Subject, "DEMO0") || res.Userinfo["sub"] != id.Subject {
		t.Errorf("sub: ID token %q, userinfo %v", id.Subject, res.Userinfo["sub"])
	}
	if !strings.HasPrefix(res.UserinfoContentType, userinfoType) {
		t.Errorf("userinfo came as %q, want %s", res.UserinfoContentType, userinfoType)
	}
	for k, want := range map[string]string{"family_name": "DEMO", "given_name": "CAMILLE MARIE", "birthdate": "1990-07-14", "gender": "female"} {
		if got, _ := res.Userinfo[k].(string); got != want {
			t.Errorf("userinfo %s = %q, want %q (all: %v)", k, got, want, res.Userinfo)
		}
	}
}

// audienceIs: aud is the client, alone (a string or a one-element list).
func audienceIs(aud any, clientID string) bool {
	switch a := aud.(type) {
	case string:
		return a == clientID
	case []any:
		return len(a) == 1 && a[0] == clientID
	}
	return false
}
