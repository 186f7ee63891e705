package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/demoservice"
	"github.com/cnie-reader/cnie-reader/assertion/intake"
	"github.com/cnie-reader/cnie-reader/assertion/verifier"
	"github.com/cnie-reader/cnie-reader/reader/pki"
	"github.com/cnie-reader/cnie-reader/reader/sim"
)

// demoStore is what the demo service trusts: the bundled CSCAs and the
// virtual card's demo CSCA (its results are always marked DEMO).
func demoStore() (*pki.Store, error) {
	card, err := sim.NewNamed(sim.DefaultProfile)
	if err != nil {
		return nil, err
	}
	return core.TrustStore("", card)
}

// runDemoService serves the reference service on loopback.
func runDemoService(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("demo-service", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (loopback)")
	app := fs.String("app", fmt.Sprintf("http://127.0.0.1:%d/authorize", intake.DefaultPort), "the app's intake address")
	fs.SetOutput(out)
	if err := fs.Parse(args); err != nil {
		return err
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := fmt.Sprintf("http://localhost:%d", l.Addr().(*net.TCPAddr).Port)
	store, err := demoStore()
	if err != nil {
		return err
	}
	svc, err := demoservice.New("localhost", base, *app, store)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "DEMO service: %s (sends browsers to %s; the app must accept http on loopback: `cnie-reader serve --allow-loopback-http`, or the GUI)\n", base, *app)
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

// runVerifyAssertion checks a saved assertion as a service would.
func runVerifyAssertion(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("verify-assertion", flag.ContinueOnError)
	clientID := fs.String("client-id", "", "the service's client_id the assertion must be for")
	nonce := fs.String("nonce", "", "the nonce of the service's request")
	state := fs.String("state", "", "the state of the request (checked when given)")
	expires := fs.String("expires", "", "the request's expiry (RFC 3339); default: now + 1 minute")
	demo := fs.Bool("demo", false, "also trust the virtual card's demo CSCA")
	fs.SetOutput(out)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 || *clientID == "" || *nonce == "" {
		return fmt.Errorf("usage: cnie-reader verify-assertion FILE --client-id ID --nonce N [--state S] [--demo]")
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		return err
	}
	exp := verifier.Expected{ClientID: *clientID, Nonce: *nonce, State: *state, Expires: time.Now().Add(time.Minute)}
	if *expires != "" {
		if exp.Expires, err = time.Parse(time.RFC3339, *expires); err != nil {
			return err
		}
	}
	var store *pki.Store
	if *demo {
		store, err = demoStore()
	} else {
		store, err = core.TrustStore("", nil)
	}
	if err != nil {
		return err
	}
	v := &verifier.Verifier{Store: store, MaxAge: 24 * time.Hour}
	res, err := v.Verify(b, *state, exp)
	if err != nil {
		return err
	}
	l := lang()
	if res.Demo {
		fmt.Fprintln(out, map[string]string{"fr": "DÉMO : signé par l'autorité de démonstration, pas un vrai document.", "en": "DEMO: signed by the demo authority, not a real document."}[l])
	}
	var keys []string
	for d := range res.Data {
		keys = append(keys, string(d))
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(out, "%-24s %s\n", assertion.Datum(k).Label(l)+":", res.Data[assertion.Datum(k)])
	}
	if len(res.Photo) > 0 {
		fmt.Fprintf(out, "%-24s %d bytes (%s)\n", assertion.Photo.Label(l)+":", len(res.Photo), res.PhotoFormat)
	}
	fmt.Fprintf(out, "%-24s %s\n", map[string]string{"fr": "Présence de la puce :", "en": "Chip presence:"}[l], res.ChipPresence)
	for _, n := range res.NotProven {
		fmt.Fprintln(out, "NOT PROVEN: "+n)
	}
	return nil
}
