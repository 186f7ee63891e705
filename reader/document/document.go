// Package document holds what a chip gave and proved, as data: the files
// read (EF.SOD, EF.CardSecurity, the data groups…), their parsed forms, and
// the outcome of the protocols the chip ran in the session (access control,
// Chip and Active Authentication). It is the input of verification.
//
// The package has no behaviour beyond Wipe and imports only the parsers
// (reader/lds, reader/mrz): a service that verifies a document or an
// assertion links it without the terminal code (PACE, BAC, secure
// messaging, PC/SC) that produced it. Package reader's Document embeds it
// and adds how the read went.
package document

import (
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
)

// Access describes the access control that opened the chip.
type Access struct {
	Protocol string `json:"protocol"`           // "PACE" or "BAC"
	Name     string `json:"name"`               // e.g. id-PACE-ECDH-GM-AES-CBC-CMAC-128
	Mapping  string `json:"mapping,omitempty"`  // GM, IM
	Domain   string `json:"domain,omitempty"`   // curve name or DH group
	Cipher   string `json:"cipher"`             // 3DES, AES-128...
	Password string `json:"password,omitempty"` // CAN or MRZ
}

// Outcome of a protocol that proves something about the chip.
type Outcome string

const (
	NotOffered Outcome = "not offered" // the card does not have it
	Passed     Outcome = "passed"
	Failed     Outcome = "failed"
	// NotRun: the document offers it, but it was not run — a document
	// verified from files, whose chip is not there to answer.
	NotRun Outcome = "not run"
)

// ProtocolRun is how Chip or Active Authentication went.
type ProtocolRun struct {
	Outcome   Outcome `json:"outcome"`
	Algorithm string  `json:"algorithm,omitempty"`
	Error     error   `json:"-"`
	Detail    string  `json:"detail,omitempty"`
	// Challenge and Signature are Active Authentication's exchange, which
	// an assertion carries so that a service can check it by itself.
	Challenge []byte `json:"-"`
	Signature []byte `json:"-"`
}

// Document is what was read from a chip and what the chip proved while it
// was read. It holds personal data: keep it in memory only, and call Wipe
// when done.
type Document struct {
	Access     Access             `json:"access"`
	CardAccess *lds.SecurityInfos `json:"-"`
	// CardAccessRaw and COMRaw are EF.CardAccess and EF.COM as the chip
	// gave them (neither is signed: a dump must show them unchanged).
	CardAccessRaw []byte             `json:"-"`
	COMRaw        []byte             `json:"-"`
	DG14          *lds.SecurityInfos `json:"-"` // parsed once, for CA and AA
	COM           *lds.COM           `json:"-"`
	SOD           []byte             `json:"-"`
	// CardSecurity is EF.CardSecurity (BSI TR-03110): on newer PACE
	// documents a CMS SignedData by the Document Signer over the chip's
	// SecurityInfos. Nil when the chip has none.
	CardSecurity []byte         `json:"-"`
	DataGroups   map[int][]byte `json:"-"`
	MRZ          *mrz.MRZ       `json:"-"`
	DG11         *lds.DG11      `json:"-"`
	// Unreadable holds the data groups that were read (and are in
	// DataGroups, for their hash) but whose contents this reader could not
	// understand, with why: a defect of one group does not lose the others.
	Unreadable map[int]error `json:"-"`
	// Protected lists data groups that exist but need Terminal
	// Authentication (fingerprints, iris): not readable by this reader.
	Protected  []int       `json:"protected_data_groups,omitempty"`
	ChipAuth   ProtocolRun `json:"chip_authentication"`
	ActiveAuth ProtocolRun `json:"active_authentication"`
}

// Wipe overwrites the personal data the Document holds.
func (d *Document) Wipe() {
	for _, b := range d.DataGroups {
		clear(b)
	}
	clear(d.SOD)
	d.DataGroups, d.SOD, d.CardSecurity, d.MRZ, d.DG11 = nil, nil, nil, nil, nil
	d.CardAccessRaw, d.COMRaw = nil, nil
}
