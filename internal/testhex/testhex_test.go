package testhex

import (
	"bytes"
	"testing"
)

func TestBytesIgnoresWhiteSpace(t *testing.T) {
	got := Bytes(t, "00 a4\n\t02 0C")
	if want := []byte{0x00, 0xA4, 0x02, 0x0C}; !bytes.Equal(got, want) {
		t.Errorf("Bytes = % X, want % X", got, want)
	}
	if got := MustBytes(""); len(got) != 0 {
		t.Errorf("MustBytes(\"\") = % X", got)
	}
}

func TestIntAllowsOddLength(t *testing.T) {
	if got := Int(t, "1 00"); got.Int64() != 256 {
		t.Errorf("Int = %v, want 256", got)
	}
	if got := MustInt("ff"); got.Int64() != 255 {
		t.Errorf("MustInt = %v, want 255", got)
	}
}

func TestBadDigitsAreRefused(t *testing.T) {
	for _, s := range []string{"0G", "ABC", "-1"} {
		if _, err := decode(s); err == nil {
			t.Errorf("decode(%q) accepted", s)
		}
	}
	for _, s := range []string{"0G", "-1", "+1", ""} {
		if _, err := decodeInt(s); err == nil {
			t.Errorf("decodeInt(%q) accepted", s)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("MustBytes(\"0\") did not panic")
		}
	}()
	MustBytes("0")
}
