package mrz

import "github.com/cnie-reader/cnie-reader/reader/chiperr"

// charValue is the value of an MRZ character in the check digit sum
// (Doc 9303 Part 3 §4.9): digits are themselves, A-Z are 10..35, '<' is 0.
func charValue(c byte) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10, true
	case c == '<':
		return 0, true
	}
	return 0, false
}

// validChars reports whether s only holds MRZ characters (0-9, A-Z, '<').
func validChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if _, ok := charValue(s[i]); !ok {
			return false
		}
	}
	return true
}

// CheckDigit returns the check digit of s as an ASCII digit '0'..'9', using
// the 7-3-1 weighting of Doc 9303 Part 3 §4.9. Any character outside 0-9,
// A-Z and '<' is a chiperr.BadInput error.
func CheckDigit(s string) (byte, error) {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		v, ok := charValue(s[i])
		if !ok {
			return 0, chiperr.Newf(chiperr.BadInput, "MRZ check digit", "character %d is not an MRZ character", i+1)
		}
		sum += v * weights[i%3]
	}
	return byte('0' + sum%10), nil
}
