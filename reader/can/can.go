// Package can parses the card access number (CAN): the six digits printed
// on the front of the French identity card that open its chip with PACE.
// Every entry point (the window's CAN field, the command line's --can,
// the terminal's question in `serve`, the diagnosis) parses it here, so
// one rule holds everywhere: spaces are ignored (people copy "123 456"),
// anything else than six digits is refused with an error of this package.
package can

import (
	"errors"
	"fmt"
	"unicode"
)

// Length is the number of digits of a card access number.
const Length = 6

// ErrEmpty: nothing but spaces was given.
var ErrEmpty = errors.New("can: empty")

// ErrNotDigits: a character other than a digit or a space was given.
var ErrNotDigits = errors.New("can: not only digits")

// LengthError: only digits, but not [Length] of them.
type LengthError struct {
	Digits int // how many digits were given
}

func (e *LengthError) Error() string {
	return fmt.Sprintf("can: %d digits, want %d", e.Digits, Length)
}

// Missing is how many digits are still to be typed (negative: too many).
func (e *LengthError) Missing() int { return Length - e.Digits }

// Number is a parsed CAN: its ASCII digits. It is a secret: keep it no
// longer than the read and [Number.Wipe] it afterwards.
type Number []byte

// Parse reads a CAN as typed. The error is [ErrEmpty], [ErrNotDigits] or
// a [*LengthError]; the digits typed so far come back even then, so a form
// can keep them while the holder types.
func Parse(typed string) (Number, error) {
	n := make(Number, 0, Length)
	notDigit := false
	for _, r := range typed {
		switch {
		case unicode.IsSpace(r):
		case r >= '0' && r <= '9':
			n = append(n, byte(r))
		default:
			notDigit = true
			n = append(n, string(r)...)
		}
	}
	switch {
	case notDigit:
		return n, ErrNotDigits
	case len(n) == 0:
		return n, ErrEmpty
	case len(n) != Length:
		return n, &LengthError{Digits: len(n)}
	}
	return n, nil
}

// Digits is the CAN as the reader takes it. The string is a copy that
// cannot be wiped: make it just before the read.
func (n Number) Digits() string { return string(n) }

// Wipe overwrites the digits.
func (n Number) Wipe() { clear(n) }
