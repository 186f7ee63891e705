package diag

import "github.com/cnie-reader/cnie-reader/reader/pcsc"

// describeReader fills what the ATR and the reader's name tell.
func describeReader(rd *Reader, st pcsc.ReaderState) {}

// classifyCard says what kind of card is present.
func classifyCard(rd *Reader, cardAccess []byte, emrtd bool) {}
