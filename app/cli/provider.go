package cli

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/assertion/intake"
	"github.com/cnie-reader/cnie-reader/assertion/store/redisstore"
	"github.com/cnie-reader/cnie-reader/internal/demoservice"
	"github.com/cnie-reader/cnie-reader/provider"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// runProvider serves the OpenID Provider: services log their users in with
// their ordinary OpenID Connect client, the card read by the application.
func runProvider(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("provider")
	configPath := fs.String("config", "", "")
	addr := fs.String("addr", "127.0.0.1:9080", "")
	issuer := fs.String("issuer", "", "")
	storeURL := fs.String("store", "", "")
	demo := fs.Bool("demo", false, "")
	keysPath := fs.String("keys", "", "")
	rotate := fs.Bool("rotate", false, "")
	certPath := fs.String("cert", "", "")
	keyPath := fs.String("key", "", "")
	app := fs.String("app", fmt.Sprintf("http://127.0.0.1:%d/authorize", intake.DefaultPort), "")
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	switch {
	case *configPath == "":
		return missing("provider", "--config")
	case *keysPath == "" && !*demo:
		return missing("provider", "--keys")
	case !*demo && (*certPath == "" || *keyPath == ""):
		return missing("provider", "--cert, --key")
	case *rotate && *keysPath == "":
		return missing("provider", "--keys")
	}
	cfg, err := provider.LoadConfig(*configPath)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer l.Close()
	if *issuer == "" {
		*issuer = fmt.Sprintf("http://localhost:%d", l.Addr().(*net.TCPAddr).Port)
	}
	iss, err := url.Parse(*issuer)
	if err != nil {
		return fmt.Errorf("--issuer: %w", err)
	}
	keys, err := providerKeys(*keysPath, *rotate)
	if err != nil {
		return err
	}
	var id provider.Identity
	var trust *pki.Store
	if *demo {
		// The DEMO services CA signs the provider's certificate, as it does
		// the demo service's: the application labels it DEMO on loopback.
		d, err := demoservice.NewIdentity(time.Now(), iss.Hostname())
		if err != nil {
			return err
		}
		id = provider.Identity{Key: d.Key, Chain: d.Chain}
		trust, err = demoStore()
		if err != nil {
			return err
		}
	} else {
		if id, err = loadIdentity(*certPath, *keyPath); err != nil {
			return err
		}
		if trust, err = core.TrustStore("", nil); err != nil {
			return err
		}
	}
	st, closeStore, err := redisstore.OpenAny(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer closeStore()
	log := slog.New(slog.NewTextHandler(errOut, nil))
	p, err := provider.New(provider.Options{Issuer: *issuer, Config: cfg, Keys: keys, Store: st, Trust: trust, Identity: id,
		AppURL: *app, Log: log})
	if err != nil {
		return err
	}
	if *keysPath != "" {
		// A rotation made by another process reaches this one too.
		go keys.Watch(ctx, *keysPath, func(err error) { log.Error("key file not reloaded", "error", err) })
	}
	if *demo {
		fmt.Fprintln(out, msg("provider.demo"))
	}
	fmt.Fprintln(out, msg("provider.ready", map[string]any{"URL": *issuer, "Addr": l.Addr().String(), "App": *app, "KID": p.CurrentKID()}))
	hs := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: time.Minute, MaxHeaderBytes: 32 << 10}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	if err := hs.Serve(l); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// providerKeys are the signing keys: the operator's key file (made at
// first start), or, for a demo without one, keys of this process alone.
func providerKeys(path string, rotate bool) (*provider.Keys, error) {
	if path == "" {
		return provider.NewKeys()
	}
	return provider.LoadKeys(path, rotate)
}

// loadIdentity reads the provider's certificate chain (PEM, leaf first)
// and its private key (PEM, PKCS #8 or SEC 1).
func loadIdentity(certPath, keyPath string) (provider.Identity, error) {
	var id provider.Identity
	b, err := os.ReadFile(certPath)
	if err != nil {
		return id, err
	}
	for {
		var blk *pem.Block
		if blk, b = pem.Decode(b); blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return id, fmt.Errorf("--cert: %w", err)
		}
		id.Chain = append(id.Chain, c)
	}
	if len(id.Chain) == 0 {
		return id, fmt.Errorf("--cert: no certificate in %s", certPath)
	}
	kb, err := os.ReadFile(keyPath)
	if err != nil {
		return id, err
	}
	blk, _ := pem.Decode(kb)
	if blk == nil {
		return id, fmt.Errorf("--key: no PEM block in %s", keyPath)
	}
	var key any
	if key, err = x509.ParsePKCS8PrivateKey(blk.Bytes); err != nil {
		if key, err = x509.ParseECPrivateKey(blk.Bytes); err != nil {
			return id, fmt.Errorf("--key: %w", err)
		}
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return id, fmt.Errorf("--key: not a signing key")
	}
	id.Key = signer
	return id, nil
}
