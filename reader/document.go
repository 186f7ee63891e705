// Package reader turns a Transmitter (a real reader through PC/SC, or the
// virtual card) into a Document: it chooses the access protocol the card
// offers, opens secure messaging, reads the files, and runs Chip and Active
// Authentication. Judging whether the document is genuine is the job of the
// verification step that consumes the document's data ([document.Document]).
package reader

import (
	"time"

	"github.com/cnie-reader/cnie-reader/reader/document"
)

// FileRead records one file that was read.
type FileRead struct {
	Name string `json:"name"` // EF.COM, EF.SOD, DG1...
	FID  uint16 `json:"fid"`
	Size int    `json:"size"`
}

// Document is the product of a read: the document's data and what the chip
// proved ([document.Document], which verification and assertions take), and
// how the read went. It holds personal data: keep it in memory only, and
// call Wipe when done.
type Document struct {
	document.Document
	Files    []FileRead    `json:"files"`
	Stats    Stats         `json:"stats"`
	Duration time.Duration `json:"duration_ns"`
}
