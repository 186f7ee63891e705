// Package testhex decodes the hexadecimal of test vectors, for tests only.
// White space is ignored, so that a vector may be laid out as its
// specification prints it (groups of bytes, one block per line).
//
// Bytes and Int fail the test on a bad digit; MustBytes and MustInt panic
// instead, for the package-level vectors that are decoded before any test
// runs.
package testhex

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"testing"
)

// Bytes decodes s, ignoring white space.
func Bytes(t testing.TB, s string) []byte {
	t.Helper()
	b, err := decode(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// MustBytes decodes s, ignoring white space, and panics on a bad digit.
func MustBytes(s string) []byte {
	b, err := decode(s)
	if err != nil {
		panic(err)
	}
	return b
}

// Int decodes s, ignoring white space, as a big-endian unsigned integer (an
// odd number of digits is allowed).
func Int(t testing.TB, s string) *big.Int {
	t.Helper()
	v, err := decodeInt(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// MustInt is Int for package-level values: it panics on a bad digit.
func MustInt(s string) *big.Int {
	v, err := decodeInt(s)
	if err != nil {
		panic(err)
	}
	return v
}

func decode(s string) ([]byte, error) {
	b, err := hex.DecodeString(compact(s))
	if err != nil {
		return nil, fmt.Errorf("testhex: %q: %w", abbreviate(s), err)
	}
	return b, nil
}

func decodeInt(s string) (*big.Int, error) {
	c := compact(s)
	v, ok := new(big.Int).SetString(c, 16)
	if !ok || strings.HasPrefix(c, "-") || strings.HasPrefix(c, "+") {
		return nil, fmt.Errorf("testhex: %q is not an unsigned hexadecimal integer", abbreviate(s))
	}
	return v, nil
}

func compact(s string) string { return strings.Join(strings.Fields(s), "") }

// abbreviate keeps an error message short when a long vector is wrong.
func abbreviate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
