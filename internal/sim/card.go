// Package sim is a software chip: a virtual CNIE or passport that answers
// APDUs like a real ICAO 9303 card — access control (PACE or BAC), secure
// messaging, file system, Chip and Active Authentication — from a Profile.
// It serves the demo mode, the self-test, and every test of the reader, both
// in-process (Card is an iso7816.Transmitter) and through pcscd (package
// vpcd). Every identity it holds is invented and marked DEMO.
package sim

import (
	"context"
	"sync"

	"github.com/cnie-reader/cnie-reader/reader/access/bac"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// access rules of a file.
type fileAccess int

const (
	accessFree     fileAccess = iota // readable before access control (EF.CardAccess)
	accessAfterPAC                   // readable after PACE or BAC
	accessEAC                        // needs Terminal Authentication, which the sim never grants
)

// file is one elementary file.
type file struct {
	fid    uint16
	sfi    byte
	inApp  bool // in the eMRTD application (else in the master file)
	access fileAccess
	data   []byte
}

// exchange is the chip side of a multi-command protocol (PACE, CA).
type exchange interface {
	Handle(cmd iso7816.Command) (iso7816.Response, *sm.Session)
}

// Card is the virtual chip. It is safe for use by one terminal at a time
// (calls are serialised).
type Card struct {
	mu      sync.Mutex
	profile *Profile
	files   []*file
	keys    *chipKeys

	// state, lost on Reset
	appSelected bool
	current     *file
	session     *sm.Session
	granted     bool      // PACE or BAC succeeded
	bacChip     *bac.Chip // created at GET CHALLENGE
	paceChip    exchange
	caChip      exchange
	pending     []byte // rest of a response served by GET RESPONSE
	apdus       int
}

var emrtdAID = []byte{0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01}

// ATR is the answer to reset a PC/SC reader builds for this contactless
// chip: 3B 8n 80 01, historical bytes, TCK.
func (c *Card) ATR() []byte {
	hist := []byte("DEMO-CNIE")
	atr := []byte{0x3B, 0x80 | byte(len(hist)), 0x80, 0x01}
	atr = append(atr, hist...)
	var tck byte
	for _, b := range atr[1:] {
		tck ^= b
	}
	return append(atr, tck)
}

// Reset is a power cycle: sessions, access rights and selections are lost.
func (c *Card) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.resetLocked()
}

func (c *Card) resetLocked() {
	if c.session != nil {
		c.session.Wipe()
	}
	c.appSelected, c.current, c.session, c.granted = false, nil, nil, false
	c.bacChip, c.paceChip, c.caChip, c.pending = nil, nil, nil, nil
}

// Profile returns the profile the card was built from.
func (c *Card) Profile() *Profile { return c.profile }

// Transmit processes one command APDU.
func (c *Card) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, chiperr.Wrap(chiperr.Canceled, "virtual card", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.apdus++
	return c.process(apdu), nil
}

func status(sw uint16) []byte { return []byte{byte(sw >> 8), byte(sw)} }

func (c *Card) process(apdu []byte) []byte {
	cmd, err := iso7816.ParseCommand(apdu)
	if err != nil {
		return status(iso7816.SWWrongLength)
	}
	if cmd.IsExtended() && !c.profile.ExtendedLength {
		return status(iso7816.SWWrongLength)
	}
	if cmd.CLA == 0xFF {
		// PC/SC pseudo-APDUs are for the reader; a card never sees one.
		return status(iso7816.SWCLANotSupported)
	}
	if cmd.INS == 0xC0 && cmd.CLA&0x0C == 0 { // GET RESPONSE, below secure messaging
		return c.getResponse(cmd.Ne)
	}
	c.pending = nil

	outer := cmd // what travelled on the wire decides about 61XX chaining
	protected := cmd.CLA&0x0C == 0x0C
	if c.session != nil && !protected {
		// A plain command ends secure messaging (ICAO 9303-11 §9.8.6).
		c.dropSession()
	}
	if protected {
		if c.session == nil {
			return status(iso7816.SWSMObjectsMissing)
		}
		plain, err := c.session.UnprotectCommand(apdu)
		if err != nil {
			c.dropSession()
			return status(iso7816.SWSMObjectsIncorrect)
		}
		if cmd, err = iso7816.ParseCommand(plain); err != nil {
			c.dropSession()
			return status(iso7816.SWSMObjectsIncorrect)
		}
	}

	resp, next := c.handle(cmd)
	out := resp.Bytes()
	if protected && c.session != nil {
		var err error
		if out, err = c.session.ProtectResponse(out); err != nil {
			c.dropSession()
			return status(iso7816.SWSMObjectsIncorrect)
		}
	}
	if next != nil { // Chip Authentication: new keys from the next command on
		if c.session != nil {
			c.session.Wipe()
		}
		c.session = next
	}
	return c.chain(out, outer)
}

// chain serves a response longer than a short APDU allows through 61XX
// and GET RESPONSE, as T=1 cards do for short commands.
func (c *Card) chain(out []byte, cmd iso7816.Command) []byte {
	if cmd.IsExtended() || len(out)-2 <= iso7816.MaxShortNe {
		return out
	}
	c.pending = out
	return c.getResponse(iso7816.MaxShortNe)
}

func (c *Card) getResponse(ne int) []byte {
	if len(c.pending) == 0 {
		return status(iso7816.SWConditionsNotSatisfied)
	}
	data, sw := c.pending[:len(c.pending)-2], c.pending[len(c.pending)-2:]
	if len(data) <= ne {
		c.pending = nil
		return append(append([]byte{}, data...), sw...)
	}
	part := append([]byte{}, data[:ne]...)
	c.pending = append(append([]byte{}, data[ne:]...), sw...)
	left := len(data) - ne
	if left > 255 {
		left = 0 // 6100: 256 or more bytes remain
	}
	return append(part, 0x61, byte(left))
}

func (c *Card) dropSession() {
	if c.session != nil {
		c.session.Wipe()
	}
	c.session, c.granted, c.caChip = nil, false, nil
}

func resp(sw uint16) iso7816.Response { return iso7816.Response{SW: sw} }

func (c *Card) handle(cmd iso7816.Command) (iso7816.Response, *sm.Session) {
	switch cmd.INS {
	case 0xA4:
		return c.selectFile(cmd), nil
	case 0xB0, 0xB1:
		return c.readBinary(cmd), nil
	case 0x84:
		return c.getChallenge(cmd), nil
	case 0x82:
		return c.externalAuthenticate(cmd), nil
	case 0x22, 0x86:
		return c.generalAuthenticate(cmd)
	case 0x88:
		return c.internalAuthenticate(cmd), nil
	}
	return resp(iso7816.SWINSNotSupported), nil
}

func (c *Card) selectFile(cmd iso7816.Command) iso7816.Response {
	switch {
	case cmd.P1 == 0x04:
		if string(cmd.Data) != string(emrtdAID) {
			return resp(iso7816.SWFileNotFound)
		}
		c.appSelected, c.current = true, nil
		return resp(iso7816.SWOK)
	case cmd.P1 == 0x00 && (len(cmd.Data) == 0 || string(cmd.Data) == "\x3F\x00"):
		c.appSelected, c.current = false, nil
		return resp(iso7816.SWOK)
	case (cmd.P1 == 0x02 || cmd.P1 == 0x00) && len(cmd.Data) == 2:
		fid := uint16(cmd.Data[0])<<8 | uint16(cmd.Data[1])
		f := c.find(func(f *file) bool { return f.fid == fid })
		if f == nil {
			return resp(iso7816.SWFileNotFound)
		}
		c.current = f
		return resp(iso7816.SWOK)
	}
	return resp(iso7816.SWIncorrectP1P2)
}

// find looks for a file in the current DF (the application or the master file).
func (c *Card) find(match func(*file) bool) *file {
	for _, f := range c.files {
		if f.inApp == c.appSelected && match(f) {
			return f
		}
	}
	return nil
}

func (c *Card) readBinary(cmd iso7816.Command) iso7816.Response {
	f := c.current
	var offset int
	odd := cmd.INS == 0xB1
	switch {
	case !odd && cmd.P1&0x80 != 0:
		sfi := cmd.P1 & 0x1F
		f = c.find(func(f *file) bool { return f.sfi == sfi })
		offset = int(cmd.P2)
	case !odd:
		offset = int(cmd.P1)<<8 | int(cmd.P2)
	default:
		if cmd.P1 != 0 || cmd.P2 != 0 {
			return resp(iso7816.SWIncorrectP1P2) // the sim supports B1 on the current EF only
		}
		do, _, err := ber.ParseTLV(cmd.Data)
		if err != nil || do.Tag != 0x54 || len(do.Value) == 0 || len(do.Value) > 3 {
			return resp(iso7816.SWWrongData)
		}
		for _, b := range do.Value {
			offset = offset<<8 | int(b)
		}
	}
	if f == nil {
		return resp(iso7816.SWFileNotFound)
	}
	switch {
	case f.access == accessEAC:
		return resp(iso7816.SWSecurityStatus)
	case f.access == accessAfterPAC && (!c.granted || c.session == nil):
		return resp(iso7816.SWSecurityStatus)
	}
	c.current = f
	if offset > len(f.data) {
		return resp(iso7816.SWWrongP1P2)
	}
	n := cmd.Ne
	if odd {
		n -= 4 // room for the DO'53' header
	}
	end := min(offset+max(n, 0), len(f.data))
	data := f.data[offset:end]
	if odd {
		data = ber.Encode(0x53, data)
	}
	return iso7816.Response{Data: data, SW: iso7816.SWOK}
}

func (c *Card) internalAuthenticate(cmd iso7816.Command) iso7816.Response {
	if c.keys.aa == nil {
		return resp(iso7816.SWINSNotSupported)
	}
	if !c.granted {
		return resp(iso7816.SWSecurityStatus)
	}
	return c.keys.aa.Handle(cmd)
}
