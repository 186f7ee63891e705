package diag

import (
	"bytes"
	"os"
	"path/filepath"

	"github.com/cnie-reader/cnie-reader/reader/pcsc"
)

// describeReader fills what the ATR and the reader's name tell, and
// remembers a short-only reader so that the next read does not try
// extended length first.
func describeReader(rd *Reader, st pcsc.ReaderState) {
	if q, ok := pcsc.LookupQuirks(st.Name, 0, 0); ok {
		rd.Model = q.Name
		if !q.ExtendedLength {
			rd.Extended = "no"
			pcsc.RememberExtended(st.Name, false)
		}
		for _, p := range q.Problems {
			rd.Notes = append(rd.Notes, Note{What: Text(p.What), Fix: Text(p.Fix)})
		}
	}
	if len(st.ATR) == 0 {
		return
	}
	atr, err := pcsc.ParseATR(st.ATR)
	if err != nil {
		rd.ATRText = Text{FR: "ATR illisible", EN: "unreadable ATR"}
		return
	}
	rd.ATR = atr.String() // hides a type B card's PUPI, a chip identifier
	rd.ATRText = Text{FR: atr.Describe("fr"), EN: atr.Describe("en")}
	rd.atr = atr
	_, guess := pcsc.GuessFromATR(atr)
	rd.CardKind = Text(guess)
}

// classifyCard says what kind of card is present, from the ATR and the
// answers to the eMRTD application SELECT and the EF.CardAccess read.
func classifyCard(rd *Reader, cardAccess []byte, emrtd bool) {
	kind, text := pcsc.Classify(rd.atr, cardAccess, emrtd)
	rd.CardKind = Text(text)
	rd.Kind = kind.String()
}

// moduleConflicts lists the loaded kernel modules that take NFC readers
// before pcscd, with the fix to show.
func moduleConflicts(root string) ([]string, Text) {
	b, err := os.ReadFile(filepath.Join(root, "/proc/modules"))
	if err != nil {
		return nil, Text{}
	}
	mods, fix := pcsc.KernelModuleConflicts(bytes.NewReader(b))
	return mods, Text(fix)
}
