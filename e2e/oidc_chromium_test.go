package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/assertion/pivot"
	"github.com/cnie-reader/cnie-reader/internal/demoservice"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/provider"
)

// demoClientSecret is the demo service's secret at the test provider.
const demoClientSecret = "the-demo-service-secret-for-the-chromium-test"

// startDemoProvider runs the provider as `cnie-reader provider --demo`
// does (its certificate from the DEMO services CA, trusting the virtual
// card's DEMO CSCA), with one client: the demo service at redirect.
func startDemoProvider(t *testing.T, appURL, redirect string, logs io.Writer) (issuer string) {
	t.Helper()
	card, err := sim.NewNamed(sim.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	trust, err := core.TrustStore(t.TempDir(), card)
	if err != nil {
		t.Fatal(err)
	}
	pl := listen(t)
	issuer = fmt.Sprintf("http://localhost:%d", pl.Addr().(*net.TCPAddr).Port)
	id, err := demoservice.NewIdentity(time.Now(), "localhost")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := provider.ParseConfig([]byte(fmt.Sprintf(`{"name": "CNIE Reader (DEMO)", "clients": [
		{"client_id": "demo-service", "client_name": "DEMO service", "redirect_uris": [%q],
		 "client_secret": %q, "userinfo_signed_response_alg": "ES256"}]}`, redirect, demoClientSecret)))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := provider.LoadKeys(filepath.Join(t.TempDir(), "keys.json"), false)
	if err != nil {
		t.Fatal(err)
	}
	p, err := provider.New(provider.Options{Issuer: issuer, Config: cfg, Keys: keys, Trust: trust,
		Identity: provider.Identity{Key: id.Key, Chain: id.Chain}, AppURL: appURL, Log: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: p}
	go hs.Serve(pl)
	t.Cleanup(func() { hs.Close() })
	return issuer
}

// TestBrowserOIDCDemoService is the OpenID Connect journey end to end in
// a real browser: the demo service in OIDC mode (an ordinary relying
// party) → its button → the provider's card page → the application's
// intake (serve --sim, consent on its terminal) → back to the provider →
// back at the service, logged in with the DEMO identity and its acr.
func TestBrowserOIDCDemoService(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the browser test runs in `make test`")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	began := time.Now()

	// The service first: its address is the client's redirect_uri.
	sl := listen(t)
	base := fmt.Sprintf("http://localhost:%d", sl.Addr().(*net.TCPAddr).Port)
	appPort := freePort(t)
	appURL := fmt.Sprintf("http://127.0.0.1:%d/authorize", appPort)
	logs := &syncBuffer{}
	issuer := startDemoProvider(t, appURL, base+demoservice.CallbackPath, logs)
	svcLogs := &syncBuffer{}
	svc, err := demoservice.NewOIDC(demoservice.OIDCConfig{Issuer: issuer, ClientID: "demo-service", ClientSecret: demoClientSecret,
		Base: base, ACRValues: []string{pivot.ACRChipPresent, pivot.ACRDemoPresent}, Log: slog.New(slog.NewTextHandler(svcLogs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: svc}
	go hs.Serve(sl)
	defer hs.Close()

	// The application, headless, asking consent on its terminal.
	app := startHeadlessApp(t, appPort)
	b := openBrowser(ctx, t, base+"/")
	if _, err := b.WaitText(ctx, "#login", "Se connecter avec la carte d'identité"); err != nil {
		t.Fatal(err)
	}
	if err := b.Click(ctx, "#login"); err != nil {
		t.Fatal(err)
	}
	// The provider's page names the service and itself, then links to the application.
	who, err := b.WaitText(ctx, "#who", "DEMO service")
	if err != nil {
		t.Fatalf("%v\nprovider logs:\n%s", err, logs.String())
	}
	if !strings.Contains(who, "CNIE Reader (DEMO)") {
		t.Errorf("the provider's page: %q", who)
	}
	if err := b.Click(ctx, "#open-app"); err != nil {
		t.Fatal(err)
	}
	// The holder sees both: the service logged in to, and the provider asking.
	screen := app.consent(t)
	for _, want := range []string{"DEMO service", "CNIE Reader (DEMO)", "localhost"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the terminal does not show %q:\n%s", want, screen)
		}
	}

	if _, err := b.WaitText(ctx, "#outcome", "Connecté"); err != nil {
		t.Fatalf("%v\nterminal:\n%s\nprovider logs:\n%s\nservice logs:\n%s", err, app.term.String(), logs.String(), svcLogs.String())
	}
	if u, _ := b.URL(ctx); !strings.HasPrefix(u, base+demoservice.CallbackPath) {
		t.Errorf("the browser is at %q, not the service", u)
	}
	identity, err := b.Text(ctx, "#identity")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CAMILLE MARIE", "DEMO", "1990-07-14", "female"} {
		if !strings.Contains(identity, want) {
			t.Errorf("the service page does not show %q: %s", want, identity)
		}
	}
	if acr, _ := b.Text(ctx, "#acr"); acr != pivot.ACRDemoPresent {
		t.Errorf("acr %q, want %q", acr, pivot.ACRDemoPresent)
	}
	if amr, _ := b.Text(ctx, "#amr"); amr != "sc hwk" {
		t.Errorf("amr %q", amr)
	}
	if iss, _ := b.Text(ctx, "#issuer"); iss != issuer {
		t.Errorf("issuer %q", iss)
	}
	if path := os.Getenv("E2E_SCREENSHOT"); path != "" {
		if err := b.Screenshot(ctx, path); err != nil {
			t.Error(err)
		}
	}
	checkNoPersonalData(t, logs.String())
	if l := strings.ToUpper(svcLogs.String()); strings.Contains(l, "CAMILLE") || strings.Contains(l, "1990") {
		t.Errorf("the service's log holds personal data:\n%s", svcLogs.String())
	}
	app.waitDone(t)
	t.Logf("the whole journey took %s", time.Since(began).Round(time.Millisecond))
}
