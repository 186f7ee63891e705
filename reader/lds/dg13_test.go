package lds

import (
	"bytes"
	"errors"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

func TestDG13(t *testing.T) {
	in := ber.Encode(0x6D, ber.Encode(0x5F70, []byte("anything")), []byte{0xFF})
	v, err := ParseDG13(append(in, 0, 0)) // file padding is ignored
	if err != nil || !bytes.Equal(v, in[2:]) {
		t.Fatalf("% X %v", v, err)
	}
	in[3] ^= 1
	if v[1] == in[3] {
		t.Error("value aliases the input")
	}
	if v, err := ParseDG13(ber.Encode(0x6E)); v != nil || !errors.Is(err, chiperr.Malformed) {
		t.Errorf("wrong tag: %v %v", v, err)
	}
	if v, err := ParseDG13([]byte{0x6D, 0x05, 1}); v != nil || !errors.Is(err, chiperr.Malformed) {
		t.Errorf("truncated: %v %v", v, err)
	}
	if v, err := ParseDG13(ber.Encode(0x6D)); err != nil || v == nil || len(v) != 0 {
		t.Errorf("empty: %v %v", v, err)
	}
}

func TestTerminalAuth(t *testing.T) {
	for dg := DataGroup(0); dg <= 17; dg++ {
		if ProtectedByTerminalAuth(dg) != (dg == 3 || dg == 4) {
			t.Errorf("%v", dg)
		}
	}
	err := ErrTerminalAuth(3)
	var te *TerminalAuthError
	if !errors.Is(err, chiperr.SecurityStatus) || chiperr.KindOf(err) != chiperr.SecurityStatus || !errors.As(err, &te) || te.DG != 3 {
		t.Fatalf("%v", err)
	}
	if errors.Is(err, chiperr.Malformed) {
		t.Error("wrong kind matches")
	}
	if got := ErrTerminalAuth(4).Error(); got != "DG4: present on the chip (iris images), not readable without authority access (terminal authentication)" {
		t.Error(got)
	}
}
