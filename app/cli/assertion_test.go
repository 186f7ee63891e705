package cli

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/answer"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/internal/demoservice"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
)

// answered is an assertion the virtual card made for one request.
type answered struct {
	req   *request.Request
	token *assertion.Token
}

func answerRequest(t *testing.T, profileName string) answered {
	t.Helper()
	now := time.Now()
	id, err := demoservice.NewIdentity(now, "service.example")
	if err != nil {
		t.Fatal(err)
	}
	c := request.Claims{ClientID: "x509_san_dns:service.example", ResponseType: "vp_token", ResponseMode: "direct_post",
		ResponseURI: "https://service.example/cb", Nonce: "nonce-cli", State: "state-cli", IssuedAt: now.Unix(),
		Expires: now.Add(5 * time.Minute).Unix(), Purpose: "test",
		DCQL: request.Ask(assertion.Ask{Datum: assertion.FamilyName, Required: true})}
	jws, err := request.Sign(c, jose.ES256, id.Key, id.Chain)
	if err != nil {
		t.Fatal(err)
	}
	req, err := (&request.Verifier{}).Verify(jws)
	if err != nil {
		t.Fatal(err)
	}
	card, err := sim.NewNamed(profileName)
	if err != nil {
		t.Fatal(err)
	}
	scope := assertion.NewScope(req.Asked)
	doc, err := reader.Read(context.Background(), card, reader.Secret{CAN: sim.DefaultCAN},
		reader.Options{ChallengeFor: answer.ChallengeFor(req, scope)})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := answer.Build(req, scope, &doc.Document, nil)
	if err != nil {
		t.Fatal(err)
	}
	return answered{req, tok}
}

func (a answered) file(t *testing.T, form bool) string {
	t.Helper()
	b, err := a.token.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if form {
		b = []byte(url.Values{"state": {a.req.State}, "vp_token": {string(b)}}.Encode())
	}
	p := filepath.Join(t.TempDir(), "answer")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVerifyAssertion(t *testing.T) {
	english(t) // refusals are checked by their English words
	a := answerRequest(t, sim.DefaultProfile)
	base := []string{"verify-assertion", "--demo", "--client-id", a.req.ClientID, "--nonce", a.req.Nonce}
	t.Run("honest", func(t *testing.T) {
		code, out, errOut := run(append(base, a.file(t, false))...)
		if code != 0 || !strings.Contains(out, "proven") {
			t.Fatalf("%d %s %s", code, out, errOut)
		}
	})
	t.Run("state checked", func(t *testing.T) {
		f := a.file(t, true)
		if code, _, errOut := run(append(base, "--state", a.req.State, f)...); code != 0 {
			t.Fatalf("the right state: %s", errOut)
		}
		code, _, errOut := run(append(base, "--state", "another-state", f)...)
		if code != 1 || !strings.Contains(errOut, "answers another request") {
			t.Fatalf("another state: %d %s", code, errOut)
		}
		// A token alone holds no state: --state cannot be checked on it.
		if code, _, errOut := run(append(base, "--state", a.req.State, a.file(t, false))...); code == 0 || !strings.Contains(errOut, "posted form") {
			t.Fatalf("--state on a bare token: %d %s", code, errOut)
		}
	})
	t.Run("expires checked", func(t *testing.T) {
		past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
		code, _, errOut := run(append(base, "--expires", past, a.file(t, false))...)
		if code != 1 || !strings.Contains(errOut, "expired") {
			t.Fatalf("%d %s", code, errOut)
		}
	})
	t.Run("other nonce", func(t *testing.T) {
		code, _, errOut := run("verify-assertion", "--demo", "--client-id", a.req.ClientID, "--nonce", "other", a.file(t, false))
		if code != 1 || !strings.Contains(errOut, "answers another request") {
			t.Fatalf("%d %s", code, errOut)
		}
	})
	t.Run("presence stripped", func(t *testing.T) {
		b := a
		tok := *a.token
		tok.ChipPresence = assertion.Presence{Method: "none"}
		b.token = &tok
		code, _, errOut := run(append(base, b.file(t, false))...)
		if code != 1 || !strings.Contains(errOut, "proof of presence was stripped") || strings.Contains(errOut, "preuve de présence") {
			t.Fatalf("%d %s", code, errOut)
		}
		t.Setenv("LANG", "fr_FR.UTF-8") // and in French only, in French
		if code, _, errOut := run(append(base, b.file(t, false))...); code != 1 || !strings.Contains(errOut, "preuve de présence") ||
			strings.Contains(errOut, "stripped") {
			t.Fatalf("in French: %d %s", code, errOut)
		}
		// Words for the service: nothing about the holder's reader.
		if strings.Contains(errOut, "cnie-reader diag") {
			t.Errorf("a refused assertion sends the service to the card diagnosis:\n%s", errOut)
		}
	})
	// Its --help (exit 0, "keeps no memory", "NOT checked") is in
	// testdata/help.txtar.
	t.Run("usage", func(t *testing.T) {
		if code, _, _ := run("verify-assertion", a.file(t, false)); code != 2 {
			t.Errorf("missing --client-id and --nonce: exit %d", code)
		}
	})
}
