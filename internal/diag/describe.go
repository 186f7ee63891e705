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
		rd.Notes = append(rd.Notes, q.Problems...)
	}
	if len(st.ATR) == 0 {
		return
	}
	atr, err := pcsc.ParseATR(st.ATR)
	if err != nil {
		rd.ATRCode = pcsc.ATRUnreadable
		return
	}
	rd.ATR = atr.String() // hides a type B card's PUPI, a chip identifier
	rd.ATRCode, rd.ATRArgs = atr.Description()
	rd.atr = atr
	_, rd.CardNote = pcsc.GuessFromATR(atr)
}

// classifyCard says what kind of card is present, from the ATR and the
// answers to the eMRTD application SELECT and the EF.CardAccess read.
func classifyCard(rd *Reader, cardAccess []byte, emrtd bool) {
	kind, note := pcsc.Classify(rd.atr, cardAccess, emrtd)
	rd.CardNote, rd.Kind = note, kind.String()
}

// moduleConflicts lists the loaded kernel modules that take NFC readers
// before pcscd, with the fix to show.
func moduleConflicts(root string) ([]string, pcsc.KernelFix) {
	b, err := os.ReadFile(filepath.Join(root, "/proc/modules"))
	if err != nil {
		return nil, pcsc.KernelFix{}
	}
	return pcsc.KernelModuleConflicts(bytes.NewReader(b))
}
