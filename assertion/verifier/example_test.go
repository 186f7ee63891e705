package verifier_test

import (
	"context"
	"fmt"
	"log"
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

// Example is a service's side of an identity request: it signs a request,
// records what it expects back, and verifies the answer it receives. Here
// the answer comes from the virtual card, read in this process as the
// holder's application reads a card.
func Example() {
	now := time.Now()
	service, err := demoservice.NewIdentity(now, "service.example")
	if err != nil {
		log.Fatal(err)
	}
	claims := request.Claims{
		ClientID: request.ClientIDPrefix + "service.example", ResponseType: "vp_token", ResponseMode: "direct_post",
		ResponseURI: "https://service.example/cnie/response", Nonce: "n-0123456789", State: "state-1",
		IssuedAt: now.Unix(), Expires: now.Add(5 * time.Minute).Unix(), Purpose: "open an account",
		ClientMetadata: request.ClientMetadata{ClientName: "Example service"},
		DCQL: request.Ask(assertion.Ask{Datum: assertion.FamilyName, Required: true},
			assertion.Ask{Datum: assertion.BirthDate, Required: true}),
	}
	jws, err := request.Sign(claims, jose.ES256, service.Key, service.Chain)
	if err != nil {
		log.Fatal(err)
	}
	// What the service records when it sends the request.
	expected := verifier.Expected{ClientID: claims.ClientID, Nonce: claims.Nonce, State: claims.State,
		Expires: time.Unix(claims.Expires, 0)}

	vpToken, demoCSCA := answerWithVirtualCard(jws)

	// The service trusts the virtual card's DEMO CSCA; a real service
	// trusts the CSCAs of a master list.
	store := pki.NewStore()
	if err := store.AddDemoCSCA(demoCSCA); err != nil {
		log.Fatal(err)
	}
	v := &verifier.Verifier{Store: store, Seen: &request.StoreReplay{}}
	res, err := v.Verify(vpToken, claims.State, expected)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("chip present:", res.ChipPresence)
	fmt.Println("demo document:", res.Demo)
	fmt.Println("issuer:", res.Issuer)
	fmt.Println("family name:", res.Data[assertion.FamilyName])
	fmt.Println("released:", res.Released)

	// The same answer posted twice is a replay.
	_, err = v.Verify(vpToken, claims.State, expected)
	fmt.Println("replay refused:", err != nil)
	// Output:
	// chip present: proven
	// demo document: true
	// issuer: FR
	// family name: DEMO
	// released: [family_name birth_date]
	// replay refused: true
}

// answerWithVirtualCard is the holder's application: it checks the request,
// reads the virtual card with the Active Authentication challenge that the
// request and the released data give, and builds the assertion.
func answerWithVirtualCard(jws string) (vpToken, demoCSCA []byte) {
	req, err := (&request.Verifier{Seen: &request.StoreReplay{}}).Verify(jws)
	if err != nil {
		log.Fatal(err)
	}
	scope := assertion.NewScope(req.Asked)
	card, err := sim.NewNamed("cnie")
	if err != nil {
		log.Fatal(err)
	}
	doc, err := reader.Read(context.Background(), card, reader.Secret{CAN: card.Profile().CAN},
		reader.Options{ChallengeFor: answer.ChallengeFor(req, scope)})
	if err != nil {
		log.Fatal(err)
	}
	defer doc.Wipe()
	token, err := answer.Build(req, scope, &doc.Document, nil)
	if err != nil {
		log.Fatal(err)
	}
	if vpToken, err = token.Marshal(); err != nil {
		log.Fatal(err)
	}
	return vpToken, card.DemoCSCA()
}
