package bac

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"io"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// MRZ information is the document number (9 characters or more, padded
// with '<'), its check digit, then date of birth and date of expiry with
// their check digits.
const (
	minMRZInfo = 9 + 1 + 7 + 7
	maxMRZInfo = 64
)

// Authenticate runs BAC as the terminal: GET CHALLENGE, then EXTERNAL
// AUTHENTICATE with E.IFD || M.IFD; it verifies the chip's MAC and that
// the chip returned our RND.IFD and its RND.IC, and returns the 3DES
// secure-messaging session. rnd supplies RND.IFD then K.IFD (nil means
// crypto/rand).
//
// A card refusing EXTERNAL AUTHENTICATE (6300, 6982, ...) gives
// chiperr.AccessDenied: the MRZ data are wrong. A chip answer whose MAC or
// nonces do not verify gives chiperr.Integrity.
func Authenticate(ctx context.Context, t iso7816.Transmitter, mrzInformation string, rnd io.Reader) (*sm.Session, error) {
	const op = "BAC"
	if err := checkMRZInfo(mrzInformation); err != nil {
		return nil, err
	}
	if rnd == nil {
		rnd = rand.Reader
	}

	r, err := iso7816.Do(ctx, t, iso7816.Command{INS: 0x84, Ne: rndLen})
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Transport, op+": GET CHALLENGE", err)
	}
	if r.SW != iso7816.SWOK {
		se := &iso7816.StatusError{SW: r.SW}
		return nil, &chiperr.Error{Kind: se.Kind(), Op: op + ": GET CHALLENGE", Err: se}
	}
	if len(r.Data) != rndLen {
		return nil, chiperr.Newf(chiperr.Malformed, op+": GET CHALLENGE", "challenge of %d bytes", len(r.Data))
	}
	rndIC := r.Data

	// S = RND.IFD || RND.IC || K.IFD
	s := make([]byte, plainLn)
	if _, err := io.ReadFull(rnd, s[:rndLen]); err != nil {
		return nil, fmt.Errorf("bac: random source: %w", err)
	}
	copy(s[rndLen:], rndIC)
	if _, err := io.ReadFull(rnd, s[2*rndLen:]); err != nil {
		wipe(s)
		return nil, fmt.Errorf("bac: random source: %w", err)
	}
	rndIFD, kIFD := s[:rndLen], s[2*rndLen:]

	seed := KeySeed(mrzInformation)
	kEnc, kMac := Keys(seed)
	defer wipe(s, seed, kEnc, kMac)

	const opEA = op + ": EXTERNAL AUTHENTICATE"
	r, err = iso7816.Do(ctx, t, iso7816.Command{INS: 0x82, Data: seal(kEnc, kMac, s), Ne: authLen})
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Transport, opEA, err)
	}
	if r.SW != iso7816.SWOK {
		return nil, &chiperr.Error{Kind: chiperr.AccessDenied, Op: opEA, Err: &iso7816.StatusError{SW: r.SW}}
	}
	if len(r.Data) != authLen {
		return nil, chiperr.Newf(chiperr.Malformed, opEA, "answer of %d bytes", len(r.Data))
	}
	// R = RND.IC || RND.IFD || K.IC
	resp, ok := open(kEnc, kMac, r.Data)
	if !ok {
		return nil, chiperr.New(chiperr.Integrity, opEA, "chip MAC does not verify")
	}
	defer wipe(resp)
	if subtle.ConstantTimeCompare(resp[rndLen:2*rndLen], rndIFD) != 1 ||
		subtle.ConstantTimeCompare(resp[:rndLen], rndIC) != 1 {
		return nil, chiperr.New(chiperr.Integrity, opEA, "chip did not return the challenges")
	}
	return sessionFrom(kIFD, resp[2*rndLen:], rndIC, rndIFD)
}

// checkMRZInfo rejects what cannot be MRZ information before the card is
// asked anything: only digits, capital letters and '<', of plausible length.
func checkMRZInfo(s string) error {
	if len(s) < minMRZInfo || len(s) > maxMRZInfo {
		return chiperr.Newf(chiperr.BadInput, "BAC", "MRZ information of %d characters", len(s))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c == '<') {
			return chiperr.New(chiperr.BadInput, "BAC", "MRZ information with a character outside 0-9 A-Z <")
		}
	}
	return nil
}
