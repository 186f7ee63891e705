package bac

import (
	"crypto/rand"
	"crypto/subtle"
	"io"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// Chip is the card side of BAC, for the virtual card. It is not safe for
// concurrent use.
type Chip struct {
	kEnc, kMac []byte
	rnd        io.Reader
	rndIC      []byte // outstanding challenge, nil when none
}

// NewChip prepares the chip's BAC keys from the MRZ information printed on
// the document. rnd supplies RND.IC and K.IC (nil means crypto/rand).
func NewChip(mrzInformation string, rnd io.Reader) *Chip {
	if rnd == nil {
		rnd = rand.Reader
	}
	seed := KeySeed(mrzInformation)
	kEnc, kMac := Keys(seed)
	clear(seed)
	return &Chip{kEnc: kEnc, kMac: kMac, rnd: rnd}
}

// GetChallenge draws and remembers RND.IC (8 bytes), the answer to GET
// CHALLENGE. It returns nil if the random source fails.
func (c *Chip) GetChallenge() []byte {
	r := make([]byte, rndLen)
	if _, err := io.ReadFull(c.rnd, r); err != nil {
		c.rndIC = nil
		return nil
	}
	c.rndIC = r
	return append([]byte(nil), r...)
}

// ExternalAuthenticate checks the terminal's E.IFD || M.IFD against the
// outstanding challenge and answers E.IC || M.IC (the 40 data bytes; the
// caller adds 9000) with the new session. The challenge is used once.
//
// Errors: chiperr.WrongLength when data is not 40 bytes (answer 6700),
// chiperr.SecurityStatus when no challenge is outstanding, and
// chiperr.AccessDenied when the MAC or RND.IC is wrong (answer 6300).
func (c *Chip) ExternalAuthenticate(data []byte) (resp []byte, s *sm.Session, err error) {
	const op = "BAC chip: EXTERNAL AUTHENTICATE"
	rndIC := c.rndIC
	c.rndIC = nil
	if len(data) != authLen {
		return nil, nil, chiperr.Newf(chiperr.WrongLength, op, "%d bytes", len(data))
	}
	if rndIC == nil {
		return nil, nil, chiperr.New(chiperr.SecurityStatus, op, "no challenge issued")
	}
	// S = RND.IFD || RND.IC || K.IFD
	in, ok := open(c.kEnc, c.kMac, data)
	if !ok {
		return nil, nil, chiperr.New(chiperr.AccessDenied, op, "terminal MAC does not verify")
	}
	defer wipe(in)
	if subtle.ConstantTimeCompare(in[rndLen:2*rndLen], rndIC) != 1 {
		return nil, nil, chiperr.New(chiperr.AccessDenied, op, "RND.IC does not match")
	}
	rndIFD, kIFD := in[:rndLen], in[2*rndLen:]

	// R = RND.IC || RND.IFD || K.IC
	r := make([]byte, plainLn)
	defer wipe(r)
	copy(r, rndIC)
	copy(r[rndLen:], rndIFD)
	if _, err := io.ReadFull(c.rnd, r[2*rndLen:]); err != nil {
		return nil, nil, chiperr.Wrap(chiperr.Status, op, err)
	}
	s, err = sessionFrom(kIFD, r[2*rndLen:], rndIC, rndIFD)
	if err != nil {
		return nil, nil, err
	}
	return seal(c.kEnc, c.kMac, r), s, nil
}
