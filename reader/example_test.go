package reader_test

import (
	"context"
	"fmt"
	"log"
	"maps"
	"slices"

	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
)

// Example reads the virtual card in this process, as the app reads a card
// through PC/SC: the card's CAN opens PACE, then the files are read and
// Chip and Active Authentication run. The result's data (doc.Document) is
// what verification takes.
func Example() {
	card, err := sim.NewNamed("cnie")
	if err != nil {
		log.Fatal(err)
	}
	secret := reader.Secret{CAN: card.Profile().CAN}
	doc, err := reader.Read(context.Background(), card, secret, reader.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer doc.Wipe()

	fmt.Println("access:", doc.Access.Protocol, doc.Access.Mapping, doc.Access.Cipher)
	fmt.Println("document:", doc.MRZ.DocumentCode, doc.MRZ.IssuingState)
	fmt.Println("holder:", doc.MRZ.PrimaryIdentifier)
	fmt.Println("check digits valid:", doc.MRZ.Valid())
	fmt.Println("data groups:", slices.Sorted(maps.Keys(doc.DataGroups)))
	fmt.Println("chip authentication:", doc.ChipAuth.Outcome)
	fmt.Println("active authentication:", doc.ActiveAuth.Outcome)
	// Output:
	// access: PACE GM AES-128
	// document: ID FRA
	// holder: DEMO
	// check digits valid: true
	// data groups: [1 2 11 14 15]
	// chip authentication: passed
	// active authentication: passed
}
