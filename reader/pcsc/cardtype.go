package pcsc

import (
	"bytes"
	"strings"

	"github.com/cnie-reader/cnie-reader/reader/lds"
)

// Text is a message for the holder in French and English.
type Text struct{ FR, EN string }

// In returns the French text when lang starts with "fr", else the English.
func (t Text) In(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "fr") {
		return t.FR
	}
	return t.EN
}

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

var (
	textCNIE = Text{
		FR: "Carte nationale d'identité française (modèle 2021).",
		EN: "French national identity card (2021 model).",
	}
	textCNIEDemo = Text{
		FR: "Carte d'identité de démonstration (carte virtuelle, données inventées).",
		EN: "Demonstration identity card (virtual card, invented data).",
	}
	textICAO = Text{
		FR: "Document d'identité ou de voyage au standard international (passeport, carte d'identité ou titre de séjour). La puce ne dit pas s'il s'agit d'une carte d'identité française : ce n'est pas confirmé.",
		EN: "Identity or travel document to the international standard (passport, identity card or residence permit). The chip does not say whether it is a French identity card: this is not confirmed.",
	}
	textICAODemo = Text{
		FR: "Passeport de démonstration (carte virtuelle, données inventées).",
		EN: "Demonstration passport (virtual card, invented data).",
	}
	textStorage = Text{
		FR: "Cette carte n'est pas un document d'identité : c'est une carte mémoire sans contact (carte de transport, badge, carte de fidélité…).",
		EN: "This card is not an identity document: it is a contactless memory card (transport card, badge, loyalty card…).",
	}
	textNotID = Text{
		FR: "Cette carte n'est pas un document d'identité : c'est peut-être une carte bancaire ou de transport. Posez votre carte d'identité ou votre passeport sur le lecteur.",
		EN: "This card is not an identity document: it may be a bank or transport card. Place your identity card or passport on the reader.",
	}
	textCNIENoApp = Text{
		FR: "La puce ressemble à celle d'une carte d'identité française, mais l'application d'identité n'a pas répondu. Reposez la carte bien à plat et réessayez.",
		EN: "The chip looks like a French identity card's, but the identity application did not answer. Lay the card flat and try again.",
	}
	textUnknown = Text{
		FR: "Carte non reconnue. Posez votre carte d'identité ou votre passeport bien à plat sur le lecteur.",
		EN: "Card not recognised. Lay your identity card or passport flat on the reader.",
	}
	textWeak = Text{
		FR: " (d'après la seule réponse de la puce à la mise sous tension : indice faible, confirmé ou non par la lecture.)",
		EN: " (from the chip's answer to reset alone: weak evidence, to be confirmed by reading.)",
	}
)

// Classify tells what the card is once the reader has probed it:
// cardAccess is EF.CardAccess as read (nil when absent or unreadable) and
// emrtdSelected whether SELECT of the eMRTD application A0 00 00 02 47 10 01
// answered 9000. A PACEInfo in EF.CardAccess or the application make an
// ICAO document; it is a CNIE when, in addition, the ATR is the one
// published for the CNIE 2021. Without either, a storage card or any other
// card is not an identity document. The ATR (nil when unknown) is never
// enough on its own.
func Classify(atr *ATR, cardAccess []byte, emrtdSelected bool) (CardKind, Text) {
	if hasPACE(cardAccess) || emrtdSelected {
		switch {
		case atr.MatchesCNIE2021():
			return CardCNIE, textCNIE
		case atr.IsDemo() && hasPACE(cardAccess):
			// The virtual CNIE offers PACE, its passports only BAC.
			return CardCNIE, textCNIEDemo
		case atr.IsDemo():
			return CardICAODocument, textICAODemo
		}
		return CardICAODocument, textICAO
	}
	switch {
	case atr == nil:
		return CardUnknown, textUnknown
	case atr.Storage != nil:
		return CardNotIdentityDocument, textStorage
	case atr.MatchesCNIE2021() || atr.IsDemo():
		// Most likely a transient failure (card moved): say so.
		return CardUnknown, textCNIENoApp
	}
	return CardNotIdentityDocument, textNotID
}

// GuessFromATR tells what the ATR alone suggests, before any command: a
// weak hint for the screen while the card is read, said as such.
func GuessFromATR(atr *ATR) (CardKind, Text) {
	switch {
	case atr == nil:
		return CardUnknown, textUnknown
	case atr.Storage != nil:
		// A memory card cannot hold an ICAO application: this is certain.
		return CardNotIdentityDocument, textStorage
	case atr.MatchesCNIE2021():
		return CardCNIE, Text{FR: textCNIE.FR + textWeak.FR, EN: textCNIE.EN + textWeak.EN}
	case atr.IsDemo():
		return CardUnknown, Text{
			FR: "Carte de démonstration (carte virtuelle, données inventées).",
			EN: "Demonstration card (virtual card, invented data).",
		}
	}
	return CardUnknown, Text{
		FR: "Carte détectée : lecture en cours pour savoir s'il s'agit d'un document d'identité.",
		EN: "Card detected: reading it to find out whether it is an identity document.",
	}
}

// hasPACE reports whether EF.CardAccess parses and announces PACE.
func hasPACE(cardAccess []byte) bool {
	if len(cardAccess) == 0 {
		return false
	}
	si, err := lds.ParseSecurityInfos(cardAccess)
	return err == nil && len(si.PACE) > 0
}
