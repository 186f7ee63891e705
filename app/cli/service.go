package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/app/claimtext"
	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/problem"
	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/intake"
	"github.com/cnie-reader/cnie-reader/assertion/verifier"
	"github.com/cnie-reader/cnie-reader/internal/demoservice"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader/pki"
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
	fs := newFlags("demo-service")
	addr := fs.String("addr", "127.0.0.1:8080", "")
	app := fs.String("app", fmt.Sprintf("http://127.0.0.1:%d/authorize", intake.DefaultPort), "")
	var rp oidcFlags
	rp.register(fs)
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	if err := rp.check(); err != nil {
		return err
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := fmt.Sprintf("http://localhost:%d", l.Addr().(*net.TCPAddr).Port)
	if rp.issuer != "" {
		return serveOIDCDemo(ctx, l, base, rp, out)
	}
	store, err := demoStore()
	if err != nil {
		return err
	}
	svc, err := demoservice.New("localhost", base, *app, store)
	if err != nil {
		return err
	}
	svc.Label = func(d assertion.Datum) string { // the DEMO page speaks both languages
		return claimtext.DatumIn(i18n.Locale{Lang: "fr"}, d) + " / " + claimtext.DatumIn(i18n.Locale{Lang: "en"}, d)
	}
	svc.Describe = func(err error) string { // and so does a refusal
		return problem.In(i18n.Locale{Lang: "fr"}, err).Message + " / " + problem.In(i18n.Locale{Lang: "en"}, err).Message
	}
	fmt.Fprintln(out, msg("cli.demo_service.ready", map[string]any{"URL": base, "App": *app}))
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
	fs := newFlags("verify-assertion")
	clientID := fs.String("client-id", "", "")
	nonce := fs.String("nonce", "", "")
	state := fs.String("state", "", "")
	expires := fs.String("expires", "", "")
	demo := fs.Bool("demo", false, "")
	files, err := parseArgs(fs, args, 1)
	if err != nil {
		return err
	}
	switch {
	case len(files) != 1:
		return missing("verify-assertion", "FILE")
	case *clientID == "":
		return missing("verify-assertion", "--client-id")
	case *nonce == "":
		return missing("verify-assertion", "--nonce")
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
	if res.Demo {
		fmt.Fprintln(out, msg("cli.verify_assertion.demo"))
	}
	var keys []string
	for d := range res.Data {
		keys = append(keys, string(d))
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(out, "%-24s %s\n", claimtext.Datum(assertion.Datum(k))+":", res.Data[assertion.Datum(k)])
	}
	if len(res.Photo) > 0 {
		fmt.Fprintf(out, "%-24s %s\n", claimtext.Datum(assertion.Photo)+":", msg("cli.verify_assertion.photo", map[string]any{"Size": len(res.Photo), "Format": res.PhotoFormat}))
	}
	fmt.Fprintf(out, "%-24s %s\n", msg("cli.verify_assertion.presence"), res.ChipPresence)
	for _, n := range res.NotProven {
		fmt.Fprintln(out, msg("cli.verify_assertion.not_proven", map[string]any{"What": n}))
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
