package verifier_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/answer"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/assertion/verifier"
	"github.com/cnie-reader/cnie-reader/internal/demoservice"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

const host = "service.example"

// flow is one request, answered by the virtual card, ready to verify.
type flow struct {
	now    time.Time
	id     *demoservice.Identity
	claims request.Claims
	jws    string
	req    *request.Request
	scope  *assertion.Scope
	doc    *reader.Document
	token  *assertion.Token
	card   sim.Chip
	v      *verifier.Verifier
}

func claims(now time.Time, nonce string) request.Claims {
	return request.Claims{
		ClientID: request.ClientIDPrefix + host, ResponseType: "vp_token", ResponseMode: "direct_post",
		ResponseURI: "https://" + host + "/cnie/response", Nonce: nonce, State: "state-" + nonce,
		IssuedAt: now.Unix(), Expires: now.Add(5 * time.Minute).Unix(), Purpose: "Ouvrir un compte / open an account",
		ClientMetadata: request.ClientMetadata{ClientName: "Service Exemple"},
		DCQL: request.Ask(assertion.Ask{Datum: assertion.FamilyName, Required: true}, assertion.Ask{Datum: assertion.BirthDate, Required: true},
			assertion.Ask{Datum: assertion.Photo}, assertion.Ask{Datum: assertion.Address}),
	}
}

func newFlow(t testing.TB, profile *sim.Profile, tweak func(f *flow)) *flow {
	t.Helper()
	f := &flow{now: time.Now()}
	var err error
	if f.id, err = demoservice.NewIdentity(f.now, host); err != nil {
		t.Fatal(err)
	}
	f.claims = claims(f.now, "n-0123456789")
	if f.card, err = sim.New(profile); err != nil {
		t.Fatal(err)
	}
	store := pki.NewStore()
	if err := store.AddDemoCSCA(f.card.DemoCSCA()); err != nil {
		t.Fatal(err)
	}
	f.v = &verifier.Verifier{Store: store, Seen: &request.StoreReplay{}}
	if tweak != nil {
		tweak(f)
	}
	if f.jws, err = request.Sign(f.claims, jose.ES256, f.id.Key, f.id.Chain); err != nil {
		t.Fatal(err)
	}
	rv := &request.Verifier{Seen: &request.StoreReplay{}}
	if f.req, err = rv.Verify(f.jws); err != nil {
		t.Fatal(err)
	}
	if f.scope == nil {
		f.scope = assertion.NewScope(f.req.Asked)
	}
	secret := reader.Secret{CAN: profile.CAN}
	if profile.CAN == "" {
		secret = reader.Secret{MRZ: profile.MRZInformation()}
	}
	f.doc, err = reader.Read(context.Background(), f.card, secret,
		reader.Options{ChallengeFor: answer.ChallengeFor(f.req, f.scope)})
	if err != nil {
		t.Fatal(err)
	}
	if f.token, err = answer.Build(f.req, f.scope, &f.doc.Document, nil); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *flow) expected() verifier.Expected {
	return verifier.Expected{ClientID: f.claims.ClientID, Nonce: f.claims.Nonce, State: f.claims.State, Expires: time.Unix(f.claims.Expires, 0)}
}

func (f *flow) verify(t testing.TB) (*verifier.Result, error) {
	t.Helper()
	b, err := f.token.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return f.v.Verify(b, f.claims.State, f.expected())
}

func profile(t testing.TB, name string) *sim.Profile {
	p, err := sim.LookupProfile(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func wantKind(t *testing.T, err error, kind assertion.Kind) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("got %v, want %v", err, kind)
	}
	var e *assertion.Error
	if errors.As(err, &e) && e.Kind == 0 {
		t.Errorf("no kind for %v", kind)
	}
}

func TestHonestPath(t *testing.T) {
	f := newFlow(t, profile(t, "cnie"), nil)
	res, err := f.verify(t)
	if err != nil {
		t.Fatal(err)
	}
	if res.ChipPresence != verifier.ChipPresent || !res.Demo {
		t.Errorf("presence %s, demo %v", res.ChipPresence, res.Demo)
	}
	if res.Data[assertion.FamilyName] == "" || res.Data[assertion.BirthDate] == "" || res.Data[assertion.Address] == "" || len(res.Photo) == 0 {
		t.Errorf("data %v, photo %d bytes", res.Data, len(res.Photo))
	}
	if _, ok := res.Data[assertion.DocumentNumber]; ok {
		t.Error("a datum not released is returned")
	}
	// What travelled: DG1, DG2, DG11 and the AA evidence, nothing else.
	if got := f.token.GroupNumbers(); len(got) != 5 || got[0] != 1 || got[1] != 2 || got[2] != 11 || got[3] != 14 || got[4] != 15 {
		t.Errorf("groups sent %v", got)
	}
}

func TestOptionalSwitchedOffStaysHome(t *testing.T) {
	f2 := newFlow(t, profile(t, "cnie"), func(g *flow) {
		g.scope = assertion.NewScope([]assertion.Ask{{Datum: assertion.FamilyName, Required: true}, {Datum: assertion.BirthDate, Required: true},
			{Datum: assertion.Photo}, {Datum: assertion.Address}})
		g.scope.Switch(assertion.Photo, false)
		g.scope.Switch(assertion.Address, false)
	})
	if f2.scope.Switch(assertion.FamilyName, false) {
		t.Error("a required datum was switched off")
	}
	for _, n := range f2.token.GroupNumbers() {
		if n == 2 || n == 11 {
			t.Errorf("DG%d sent although switched off", n)
		}
	}
	res, err := f2.verify(t)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Photo) != 0 || res.Data[assertion.Address] != "" {
		t.Error("switched-off data reached the service")
	}
}

func TestNoActiveAuthentication(t *testing.T) {
	p := *profile(t, "cnie")
	p.AA = sim.AAConfig{}
	p.Name = "cnie-no-aa" // the virtual card's keys are cached by profile name
	f := newFlow(t, &p, nil)
	if f.token.ChipPresence.Provable || !strings.HasPrefix(f.token.ChipPresence.Statement, "NOT PROVABLE") {
		t.Fatalf("presence %+v", f.token.ChipPresence)
	}
	res, err := f.verify(t)
	if err != nil {
		t.Fatal(err)
	}
	if res.ChipPresence != verifier.ChipNotProvable || len(res.NotProven) == 0 {
		t.Errorf("presence %s, not proven %v", res.ChipPresence, res.NotProven)
	}
}

func TestRejections(t *testing.T) {
	t.Run("replayed assertion", func(t *testing.T) {
		f := newFlow(t, profile(t, "cnie"), nil)
		if _, err := f.verify(t); err != nil {
			t.Fatal(err)
		}
		_, err := f.verify(t)
		wantKind(t, err, assertion.Replayed)
	})
	t.Run("sent to another service", func(t *testing.T) {
		f := newFlow(t, profile(t, "cnie"), nil)
		exp := f.expected()
		exp.ClientID = request.ClientIDPrefix + "other.example"
		b, _ := f.token.Marshal()
		_, err := f.v.Verify(b, f.claims.State, exp)
		wantKind(t, err, assertion.WrongAudience)
	})
	t.Run("authority of another country", func(t *testing.T) {
		// A French card signed under a German CSCA: the chain holds, the
		// countries do not.
		f := newFlow(t, profile(t, "trust-wrong-country"), nil)
		_, err := f.verify(t)
		wantKind(t, err, assertion.Untrusted)
	})
	t.Run("other state", func(t *testing.T) {
		f := newFlow(t, profile(t, "cnie"), nil)
		b, _ := f.token.Marshal()
		_, err := f.v.Verify(b, "another", f.expected())
		wantKind(t, err, assertion.WrongAudience)
	})
	t.Run("data group altered after signing", func(t *testing.T) {
		f := newFlow(t, profile(t, "cnie"), nil)
		dg := f.token.DataGroups["DG1"]
		dg[len(dg)-3] ^= 1
		_, err := f.verify(t)
		wantKind(t, err, assertion.Altered)
	})
	t.Run("chip signature over another nonce", func(t *testing.T) {
		// A genuine assertion for one request, presented for another.
		f := newFlow(t, profile(t, "cnie"), nil)
		f.token.Nonce = "n-another-request"
		f.claims.Nonce = "n-another-request"
		_, err := f.verify(t)
		wantKind(t, err, assertion.ChipSignature)
	})
	t.Run("untrusted document signer", func(t *testing.T) {
		f := newFlow(t, profile(t, "cnie"), nil)
		f.v.Store = pki.NewStore()
		_, err := f.verify(t)
		wantKind(t, err, assertion.Untrusted)
	})
	t.Run("request expired", func(t *testing.T) {
		f := newFlow(t, profile(t, "cnie"), nil)
		f.v.Now = func() time.Time { return f.now.Add(time.Hour) }
		_, err := f.verify(t)
		wantKind(t, err, assertion.Expired)
	})
	t.Run("oversize", func(t *testing.T) {
		f := newFlow(t, profile(t, "cnie"), nil)
		_, err := f.v.Verify([]byte(strings.Repeat(" ", assertion.MaxTokenSize+1)), f.claims.State, f.expected())
		wantKind(t, err, assertion.TooLarge)
	})
	t.Run("released without its group", func(t *testing.T) {
		f := newFlow(t, profile(t, "cnie"), nil)
		delete(f.token.DataGroups, "DG11")
		_, err := f.verify(t)
		wantKind(t, err, assertion.Malformed)
	})
}
