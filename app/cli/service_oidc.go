package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion/pivot"
	"github.com/cnie-reader/cnie-reader/internal/demoservice"
)

// oidcFlags are demo-service's OpenID Connect mode: the settings an
// ordinary relying party has, nothing of cards.
type oidcFlags struct {
	issuer, clientID, clientSecret, acrValues, scope string
}

func (f *oidcFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.issuer, "oidc-issuer", "", "")
	fs.StringVar(&f.clientID, "client-id", "", "")
	fs.StringVar(&f.clientSecret, "client-secret", "", "")
	// The demo accepts the virtual card's level as well as a real card's.
	fs.StringVar(&f.acrValues, "acr-values", pivot.ACRChipPresent+" "+pivot.ACRDemoPresent, "")
	fs.StringVar(&f.scope, "scope", "openid "+demoservice.ScopeIdentitePivot, "")
}

// check refuses a client without its credentials, or credentials without
// the OIDC mode.
func (f *oidcFlags) check() error {
	switch {
	case f.issuer == "" && (f.clientID != "" || f.clientSecret != ""):
		return missing("demo-service", "--oidc-issuer")
	case f.issuer == "":
		return nil
	case f.clientID == "":
		return missing("demo-service", "--client-id")
	case f.clientSecret == "":
		return missing("demo-service", "--client-secret")
	case len(strings.Fields(f.acrValues)) == 0:
		return missing("demo-service", "--acr-values")
	}
	return nil
}

// serveOIDCDemo serves the demo service in OIDC mode on l until ctx ends.
func serveOIDCDemo(ctx context.Context, l net.Listener, base string, f oidcFlags, out io.Writer) error {
	svc, err := demoservice.NewOIDC(demoservice.OIDCConfig{Issuer: f.issuer, ClientID: f.clientID, ClientSecret: f.clientSecret,
		Base: base, Scopes: strings.Fields(f.scope), ACRValues: strings.Fields(f.acrValues),
		HTTPClient: &http.Client{Timeout: 30 * time.Second}, Log: slog.New(slog.NewTextHandler(out, nil))})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, msg("cli.demo_service.ready_oidc", map[string]any{"URL": base, "Issuer": f.issuer, "ClientID": f.clientID, "Redirect": svc.RedirectURL()}))
	hs := &http.Server{Handler: svc, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	if err := hs.Serve(l); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
