package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
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

// verifyAssertionHelp says exactly what the command checks, and what it
// cannot: it has no record of the request but the flags, and no memory.
const verifyAssertionHelp = `usage: cnie-reader verify-assertion FILE --client-id ID --nonce N [--state S] [--expires TIME] [--demo]

Checks an assertion as a service does: the State's signature (EF.SOD) with
the trusted CSCAs, every data group sent, and the chip's signature over the
challenge of this client_id and nonce (refused when the chip can sign and
did not). FILE is the vp_token (JSON) or the whole posted form
(state=…&vp_token=…).

  --client-id and --nonce are required and checked.
  --state is checked against the form's state; FILE must then be the form.
  --expires (RFC 3339) is the request's expiry, checked; without it the
    request's expiry is NOT checked (only the assertion's age: 24 hours).
  This command keeps no memory: it cannot see a replay. A service does,
  with the library's verifier.Verifier.Seen.
`

// runVerifyAssertion checks a saved assertion as a service would.
func runVerifyAssertion(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("verify-assertion", flag.ContinueOnError)
	clientID := fs.String("client-id", "", "the service's client_id the assertion must be for (required)")
	nonce := fs.String("nonce", "", "the nonce of the service's request (required)")
	state := fs.String("state", "", "the state of the request, checked against the posted form's")
	expires := fs.String("expires", "", "the request's expiry (RFC 3339), checked; without it, not checked")
	demo := fs.Bool("demo", false, "also trust the virtual card's demo CSCA")
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprint(out, verifyAssertionHelp)
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 || *clientID == "" || *nonce == "" {
		fs.Usage()
		return flag.ErrHelp
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		return err
	}
	token, posted, isForm := postedForm(b)
	if *state != "" && !isForm {
		return fmt.Errorf("--state: %s holds only the vp_token, not the state it was posted with: give the whole posted form (state=…&vp_token=…)", files[0])
	}
	if !isForm {
		posted = *state // nothing to compare: the state is not checked
	}
	// Without --expires the request's expiry is not known here: checked
	// as "not yet passed", which always holds.
	exp := verifier.Expected{ClientID: *clientID, Nonce: *nonce, State: *state, Expires: time.Now().Add(time.Hour)}
	if *expires != "" {
		if exp.Expires, err = time.Parse(time.RFC3339, *expires); err != nil {
			return fmt.Errorf("--expires: %w", err)
		}
	}
	if *state == "" {
		exp.State = posted // not asked: the form's own
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
	res, err := v.Verify(token, posted, exp)
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

// postedForm reads FILE as the form a service received (state and
// vp_token), or else as the vp_token alone.
func postedForm(b []byte) (token []byte, state string, isForm bool) {
	t := strings.TrimSpace(string(b))
	if strings.HasPrefix(t, "{") {
		return b, "", false
	}
	form, err := url.ParseQuery(t)
	if err != nil || len(form["vp_token"]) != 1 || len(form["state"]) != 1 {
		return b, "", false
	}
	return []byte(form.Get("vp_token")), form.Get("state"), true
}
