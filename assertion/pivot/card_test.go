package pivot_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/answer"
	"github.com/cnie-reader/cnie-reader/assertion/pivot"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/assertion/verifier"
	"github.com/cnie-reader/cnie-reader/internal/demoservice"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

const host = "provider.example"

// verified is what a provider holds after the card answered its request
// for asks: the virtual card of profile p, read in this process, and the
// answer checked by assertion/verifier with the card's DEMO CSCA trusted.
func verified(t *testing.T, p *sim.Profile, asks []assertion.Ask) *verifier.Result {
	t.Helper()
	now := time.Now()
	service, err := demoservice.NewIdentity(now, host)
	if err != nil {
		t.Fatal(err)
	}
	claims := request.Claims{
		ClientID: request.ClientIDPrefix + host, ResponseType: "vp_token", ResponseMode: "direct_post",
		ResponseURI: "https://" + host + "/cnie/response", Nonce: "n-pivot-0123456789", State: "state-pivot",
		IssuedAt: now.Unix(), Expires: now.Add(5 * time.Minute).Unix(), Purpose: "log in",
		ClientMetadata: request.ClientMetadata{ClientName: "Provider"}, DCQL: request.Ask(asks...),
	}
	jws, err := request.Sign(claims, jose.ES256, service.Key, service.Chain)
	if err != nil {
		t.Fatal(err)
	}
	req, err := (&request.Verifier{}).Verify(jws)
	if err != nil {
		t.Fatal(err)
	}
	scope := assertion.NewScope(req.Asked)
	card, err := sim.New(p)
	if err != nil {
		t.Fatal(err)
	}
	secret := reader.Secret{CAN: p.CAN}
	if p.CAN == "" {
		secret = reader.Secret{MRZ: p.MRZInformation()}
	}
	doc, err := reader.Read(context.Background(), card, secret, reader.Options{ChallengeFor: answer.ChallengeFor(req, scope)})
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Wipe()
	token, err := answer.Build(req, scope, &doc.Document, nil)
	if err != nil {
		t.Fatal(err)
	}
	vp, err := token.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	store := pki.NewStore()
	if err := store.AddDemoCSCA(card.DemoCSCA()); err != nil {
		t.Fatal(err)
	}
	res, err := (&verifier.Verifier{Store: store}).Verify(vp, claims.State,
		verifier.Expected{ClientID: claims.ClientID, Nonce: claims.Nonce, State: claims.State, Expires: time.Unix(claims.Expires, 0)})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func lookup(t *testing.T, name string) *sim.Profile {
	t.Helper()
	p, err := sim.LookupProfile(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func wantBasis(t *testing.T, id pivot.Identity, c pivot.Claim, b pivot.Basis, src pivot.Source) {
	t.Helper()
	if p := id.Provenance[c]; p.Basis != b || p.Source != src || p.Rule == "" {
		t.Errorf("%s: provenance %+v, want %s from %q with its rule", c, p, b, src)
	}
}

// The DEMO card, asked what the scope identite_pivot needs: DG11's full
// names and date, signed as is; its place of birth as text; its country
// left out, since "(99)" says "abroad" and names no country.
func TestVirtualCNIE(t *testing.T) {
	res := verified(t, lookup(t, "cnie"), pivot.Needed())
	id, err := pivot.FromResult(res)
	if err != nil {
		t.Fatal(err)
	}
	if id.FamilyName != "DEMO" || id.GivenName != "CAMILLE MARIE" || !slices.Equal(id.GivenNameArray, []string{"CAMILLE", "MARIE"}) ||
		id.Birthdate != "1990-07-14" || id.Gender != "female" || id.Birthplace != "EXEMPLEVILLE (99)" || id.Birthcountry != "" {
		t.Fatalf("%+v", id)
	}
	for _, c := range []pivot.Claim{pivot.FamilyName, pivot.GivenName, pivot.GivenNameArray, pivot.Birthdate} {
		wantBasis(t, id, c, pivot.Verified, pivot.FromDG11)
	}
	wantBasis(t, id, pivot.Gender, pivot.Verified, pivot.FromMRZ)
	wantBasis(t, id, pivot.Birthplace, pivot.Verified, pivot.FromDG11)
	wantBasis(t, id, pivot.Birthcountry, pivot.Absent, pivot.FromDG11)
	if _, ok := id.OIDC()["birthcountry"]; ok {
		t.Error("an absent birthcountry is sent")
	}
	if got := pivot.ACR(res); got != pivot.ACRDemoPresent || !pivot.ForLogin(got) {
		t.Errorf("acr %q", got)
	}
	if got := pivot.AMR(res); !slices.Equal(got, []string{"sc", "hwk"}) {
		t.Errorf("amr %q", got)
	}
}

// A card whose DG11 writes accents and a French département: DG11's
// names win over the MRZ's transliteration, and the country is France.
func TestCardWithAccentsAndDepartment(t *testing.T) {
	p := lookup(t, "cnie")
	p.Name = "cnie-pivot-accents" // the virtual card caches its files by name
	p.DG11.FullName = "DÉMO-LÉGER<<CAMILLE<MARIE-ÉLODIE"
	p.DG11.PlaceOfBirth = "PARIS<(75)"
	p.MRZ.PrimaryIdentifier, p.MRZ.SecondaryIdentifier = "DÉMO-LÉGER", "CAMILLE MARIE-ÉLODIE"
	res := verified(t, p, pivot.Needed())
	id, err := pivot.FromResult(res)
	if err != nil {
		t.Fatal(err)
	}
	if id.FamilyName != "DÉMO-LÉGER" || !slices.Equal(id.GivenNameArray, []string{"CAMILLE", "MARIE-ÉLODIE"}) ||
		id.Birthplace != "PARIS (75)" || id.Birthcountry != pivot.France {
		t.Fatalf("%+v", id)
	}
	wantBasis(t, id, pivot.Birthcountry, pivot.Derived, pivot.FromDG11)
	// The same holder without DG11 (place of birth not asked): the MRZ's
	// names, without accents, cut to the 30 characters of the TD1 name
	// field, and said to be so.
	mrzOnly := verified(t, p, pivot.Needed()[:4])
	id2, err := pivot.FromResult(mrzOnly)
	if err != nil {
		t.Fatal(err)
	}
	if id2.FamilyName != "DEMO LEGER" || !slices.Equal(id2.GivenNameArray, []string{"CAMILLE", "MARIE", "ELOD"}) || id2.Birthplace != "" {
		t.Fatalf("%+v", id2)
	}
	wantBasis(t, id2, pivot.FamilyName, pivot.Derived, pivot.FromMRZ)
	if !strings.Contains(id2.Provenance[pivot.GivenName].Rule, "truncated") {
		t.Errorf("a full MRZ name field is not said to be truncated: %+v", id2.Provenance[pivot.GivenName])
	}
	wantBasis(t, id2, pivot.Birthdate, pivot.Derived, pivot.FromMRZ)
	wantBasis(t, id2, pivot.Birthplace, pivot.Absent, "")
}

// A passport has no DG11: names and birth date are derived from the MRZ
// (1974, not 2074), nothing is said of the birthplace.
func TestVirtualPassport(t *testing.T) {
	res := verified(t, lookup(t, "passport"), pivot.Needed())
	id, err := pivot.FromResult(res)
	if err != nil {
		t.Fatal(err)
	}
	if id.FamilyName != "ERIKSSON" || id.GivenName != "ANNA MARIA" || id.Birthdate != "1974-08-12" || id.Gender != "female" ||
		id.Birthplace != "" || id.Birthcountry != "" {
		t.Fatalf("%+v", id)
	}
	wantBasis(t, id, pivot.Birthdate, pivot.Derived, pivot.FromMRZ)
	wantBasis(t, id, pivot.Birthplace, pivot.Absent, "")
}

// Without the names or the birth date there is no pivot identity.
func TestMissingPivotData(t *testing.T) {
	res := verified(t, lookup(t, "cnie"), []assertion.Ask{{Datum: assertion.FamilyName, Required: true}, {Datum: assertion.Sex, Required: true}})
	_, err := pivot.FromResult(res)
	if !errors.Is(err, pivot.Missing) {
		t.Fatalf("got %v, want %v", err, pivot.Missing)
	}
	if _, err := pivot.FromResult(nil); !errors.Is(err, pivot.Missing) {
		t.Fatalf("nil result: %v", err)
	}
}

// A renewed card (another number, another expiry date, another chip) of
// the same holder gives the same pairwise subject: the subject is the
// person's, not the document's. Another sector gets another one.
func TestSubjectSurvivesRenewal(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	old := verified(t, lookup(t, "cnie"), pivot.Needed())
	p := lookup(t, "cnie")
	p.Name = "cnie-pivot-renewed"
	p.MRZ.DocumentNumber = "DEMO00002"
	p.MRZ.ExpiryDate.Year = 36
	renewed := verified(t, p, pivot.Needed())
	a, err := pivot.FromResult(old)
	if err != nil {
		t.Fatal(err)
	}
	b, err := pivot.FromResult(renewed)
	if err != nil {
		t.Fatal(err)
	}
	if pivot.PairwiseSub(key, "service.example", a) != pivot.PairwiseSub(key, "service.example", b) {
		t.Error("the subject changed with the document")
	}
	if pivot.PairwiseSub(key, "service.example", a) == pivot.PairwiseSub(key, "other.example", a) {
		t.Error("two sectors share a subject")
	}
}
