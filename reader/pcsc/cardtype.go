package pcsc

import (
	"bytes"

	"github.com/cnie-reader/cnie-reader/reader/lds"
)

// CardKind is what a card on the reader is, as far as the reader can tell.
type CardKind int

const (
	// CardUnknown: not enough evidence either way.
	CardUnknown CardKind = iota
	// CardCNIE: the French national identity card (2021 model).
	CardCNIE
	// CardICAODocument: an ICAO 9303 document (passport, identity card,
	// residence permit) whose issuer the chip does not reveal.
	CardICAODocument
	// CardNotIdentityDocument: a bank, transport or other card.
	CardNotIdentityDocument
)

func (k CardKind) String() string {
	switch k {
	case CardCNIE:
		return "CNIE"
	case CardICAODocument:
		return "ICAO document"
	case CardNotIdentityDocument:
		return "not an identity document"
	}
	return "unknown"
}

// cnie2021Hist are the historical bytes of the French identity card 2021
// (contactless interface), from pcsc-tools' smartcard_list.txt:
// "3B 8B 80 01 00 31 C1 64 09 37 72 13 00 90 00 51  French ID Card 2021
// (contactless interface) (eID)". The same list gives 64 09 37 72 13 in
// the Slovak identity card's ATR too: these bytes name the chip platform,
// so they are evidence only next to an ICAO application.
var cnie2021Hist = []byte{0x00, 0x31, 0xC1, 0x64, 0x09, 0x37, 0x72, 0x13, 0x00, 0x90, 0x00}

// demoHist are the historical bytes of the virtual card (reader/sim).
var demoHist = []byte("DEMO-CNIE")

// MatchesCNIE2021 reports whether the ATR carries the historical bytes
// published for the French identity card 2021.
func (a *ATR) MatchesCNIE2021() bool {
	return a != nil && a.Contactless && bytes.Equal(a.Historical, cnie2021Hist)
}

// IsDemo reports whether the ATR is the one of this program's virtual card.
func (a *ATR) IsDemo() bool {
	return a != nil && a.Contactless && bytes.Equal(a.Historical, demoHist)
}

// CardNote says what the reader can tell about a card, finer than its
// CardKind: a code the application renders in the reader's language (key
// "reader.card.<note>", see package app/explain).
type CardNote string

const (
	NoteCNIE      CardNote = "cnie"        // the French identity card 2021
	NoteCNIEDemo  CardNote = "cnie-demo"   // the virtual CNIE
	NoteICAO      CardNote = "icao"        // an ICAO document, issuer not told
	NoteICAODemo  CardNote = "icao-demo"   // the virtual passport
	NoteStorage   CardNote = "storage"     // a contactless memory card
	NoteNotID     CardNote = "not-id"      // a bank or transport card
	NoteCNIENoApp CardNote = "cnie-no-app" // a CNIE ATR whose application did not answer
	NoteUnknown   CardNote = "unknown"     // nothing known
	NoteCNIEGuess CardNote = "cnie-guess"  // the CNIE's ATR, before any command (weak evidence)
	NoteDemoGuess CardNote = "demo-guess"  // the virtual card's ATR, before any command
	NoteDetected  CardNote = "detected"    // a card, being read to find out what it is
)

// CardNotes lists every note, for the tests that check each has words.
var CardNotes = []CardNote{NoteCNIE, NoteCNIEDemo, NoteICAO, NoteICAODemo, NoteStorage, NoteNotID,
	NoteCNIENoApp, NoteUnknown, NoteCNIEGuess, NoteDemoGuess, NoteDetected}

// Classify tells what the card is once the reader has probed it:
// cardAccess is EF.CardAccess as read (nil when absent or unreadable) and
// emrtdSelected whether SELECT of the eMRTD application A0 00 00 02 47 10 01
// answered 9000. A PACEInfo in EF.CardAccess or the application make an
// ICAO document; it is a CNIE when, in addition, the ATR is the one
// published for the CNIE 2021. Without either, a storage card or any other
// card is not an identity document. The ATR (nil when unknown) is never
// enough on its own.
func Classify(atr *ATR, cardAccess []byte, emrtdSelected bool) (CardKind, CardNote) {
	if hasPACE(cardAccess) || emrtdSelected {
		switch {
		case atr.MatchesCNIE2021():
			return CardCNIE, NoteCNIE
		case atr.IsDemo() && hasPACE(cardAccess):
			// The virtual CNIE offers PACE, its passports only BAC.
			return CardCNIE, NoteCNIEDemo
		case atr.IsDemo():
			return CardICAODocument, NoteICAODemo
		}
		return CardICAODocument, NoteICAO
	}
	switch {
	case atr == nil:
		return CardUnknown, NoteUnknown
	case atr.Storage != nil:
		return CardNotIdentityDocument, NoteStorage
	case atr.MatchesCNIE2021() || atr.IsDemo():
		// Most likely a transient failure (card moved): say so.
		return CardUnknown, NoteCNIENoApp
	}
	return CardNotIdentityDocument, NoteNotID
}

// GuessFromATR tells what the ATR alone suggests, before any command: a
// weak hint for the screen while the card is read, said as such.
func GuessFromATR(atr *ATR) (CardKind, CardNote) {
	switch {
	case atr == nil:
		return CardUnknown, NoteUnknown
	case atr.Storage != nil:
		// A memory card cannot hold an ICAO application: this is certain.
		return CardNotIdentityDocument, NoteStorage
	case atr.MatchesCNIE2021():
		return CardCNIE, NoteCNIEGuess
	case atr.IsDemo():
		return CardUnknown, NoteDemoGuess
	}
	return CardUnknown, NoteDetected
}

// hasPACE reports whether EF.CardAccess parses and announces PACE.
func hasPACE(cardAccess []byte) bool {
	if len(cardAccess) == 0 {
		return false
	}
	si, err := lds.ParseSecurityInfos(cardAccess)
	return err == nil && len(si.PACE) > 0
}
