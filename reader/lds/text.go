package lds

import (
	"unicode/utf8"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// appendText adds a UTF-8 value to a list a card may not grow past limit
// (DG11's other names, DG12's other persons).
func appendText(list []string, v []byte, limit int, op, what string) ([]string, error) {
	if len(list) == limit {
		return list, chiperr.Newf(chiperr.TooLarge, op, "more than %d %ss", limit, what)
	}
	if !utf8.Valid(v) {
		return list, chiperr.Newf(chiperr.Malformed, op, "%s is not UTF-8", what)
	}
	return append(list, string(v)), nil
}
