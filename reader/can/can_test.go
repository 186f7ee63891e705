package can

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		typed, digits string
		err           error
		missing       int
	}{
		{"123456", "123456", nil, 0},
		{" 123 456 ", "123456", nil, 0},
		{"123\u00a0456", "123456", nil, 0}, // a copied no-break space
		{"", "", ErrEmpty, 0},
		{"   ", "", ErrEmpty, 0},
		{"12a456", "12a456", ErrNotDigits, 0},
		{"123", "123", &LengthError{}, 3},
		{"1234567", "1234567", &LengthError{}, -1},
	} {
		n, err := Parse(c.typed)
		if n.Digits() != c.digits {
			t.Errorf("%q: digits %q, want %q", c.typed, n.Digits(), c.digits)
		}
		var le *LengthError
		switch {
		case c.err == nil && err != nil:
			t.Errorf("%q: %v", c.typed, err)
		case errors.As(c.err, &le):
			if !errors.As(err, &le) || le.Missing() != c.missing {
				t.Errorf("%q: %v, want %d missing", c.typed, err, c.missing)
			}
		case !errors.Is(err, c.err):
			t.Errorf("%q: %v, want %v", c.typed, err, c.err)
		}
	}
}

func TestWipe(t *testing.T) {
	n, err := Parse("123456")
	if err != nil {
		t.Fatal(err)
	}
	n.Wipe()
	for _, b := range n {
		if b != 0 {
			t.Fatalf("not wiped: %q", n)
		}
	}
}
