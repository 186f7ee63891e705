package lds

import (
	"unicode/utf8"

	"github.com/cnie-reader/cnie-reader/reader/ber"
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

// setTextField stores a UTF-8 value in the field its tag names, if any.
func setTextField(fields map[uint32]*string, t ber.Element, op string) error {
	p, ok := fields[t.Tag]
	if !ok {
		return nil
	}
	if !utf8.Valid(t.Value) {
		return chiperr.Newf(chiperr.Malformed, op, "data object %X is not UTF-8", t.Tag)
	}
	*p = string(t.Value)
	return nil
}

// eachInList calls add for every element with the given tag inside a list
// template (A0 { 02 count, tag... }); the count is not trusted, the
// elements themselves are.
func eachInList(v []byte, tag uint32, op string, add func([]byte) error) error {
	inner, err := ber.ParseAll(v)
	if err != nil {
		return chiperr.Wrap(chiperr.Malformed, op, err)
	}
	for _, n := range inner {
		if n.Tag == tag {
			if err := add(n.Value); err != nil {
				return err
			}
		}
	}
	return nil
}
