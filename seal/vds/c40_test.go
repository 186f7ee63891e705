package vds

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// C40 examples of BSI TR-03137 Part 1 v2.5: Annex B Tables 6 and 7, §3.2.3
// ("BSI01"), and header fields of the Annex C worked example.
func TestC40KnownAnswers(t *testing.T) {
	for _, c := range []struct{ in, decoded, hex string }{
		{"XK<CD", "XK CD", "eb04 66a9"}, // Table 6: '<' becomes a space, Shift-1 padding
		{"XKCD", "XKCD", "eb11 fe45"},   // Table 7: unlatch and ASCII+1 for the last character
		{"BSI01", "BSI01", "62d7 19c9"}, // §3.2.3 example feature value
		{"D<<", "D  ", "6abc"},          // Annex C issuing country
		{"DETS00027", "DETS00027", "6d32 c8a5 19fc"},
		{"160113000085", "160113000085", "20d5 2010 19a5 1aea"}, // Annex C AZR number
		{"", "", ""},
	} {
		want := testhex.Bytes(t, c.hex)
		got, err := EncodeC40(c.in)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("EncodeC40(%q) = %x, %v; want %x", c.in, got, err, want)
		}
		dec, err := DecodeC40(want)
		if err != nil || dec != c.decoded {
			t.Errorf("DecodeC40(%x) = %q, %v; want %q", want, dec, err, c.decoded)
		}
		if n := C40Len(len(c.in)); n != len(want) {
			t.Errorf("C40Len(%d) = %d, want %d", len(c.in), n, len(want))
		}
	}
}

func TestC40RoundTrip(t *testing.T) {
	const alphabet = " 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		b := make([]byte, r.IntN(100))
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		enc, err := EncodeC40(string(b))
		if err != nil {
			t.Fatal(err)
		}
		dec, err := DecodeC40(enc)
		if err != nil || dec != string(b) {
			t.Fatalf("round trip of %q: %q, %v", b, dec, err)
		}
	}
}

func TestC40Rejects(t *testing.T) {
	for _, s := range []string{"abc", "A-B", "É", "A\n"} {
		if _, err := EncodeC40(s); !errors.Is(err, BadInput) {
			t.Errorf("EncodeC40(%q): %v", s, err)
		}
	}
	for _, h := range []string{
		"eb",        // odd length
		"0000",      // value 0
		"fa01",      // 64001 > 64000
		"0001",      // (0,0,0): padding alone
		"0641",      // U1 = 1: Shift 2
		"fe45 eb11", // unlatch before the end
		"fe62",      // unlatch to 'a', outside the basic set
		"fe3d",      // unlatch to '<' (should have been a space)
		"6681 eb11", // (C, D, pad) before the end
	} {
		if _, err := DecodeC40(testhex.Bytes(t, h)); !errors.Is(err, Malformed) || !errors.Is(err, chiperr.Malformed) {
			t.Errorf("DecodeC40(%s): %v", h, err)
		}
	}
}

func TestDates(t *testing.T) {
	// BSI TR-03137 §3.2.3: 25 March 1957 is 03251957 = 0x319ef5.
	d := time.Date(1957, 3, 25, 0, 0, 0, 0, time.UTC)
	b, err := EncodeDate(d)
	if err != nil || !bytes.Equal(b, []byte{0x31, 0x9e, 0xf5}) {
		t.Fatalf("EncodeDate = %x, %v", b, err)
	}
	if got, err := DecodeDate(b); err != nil || !got.Equal(d) {
		t.Fatalf("DecodeDate = %v, %v", got, err)
	}
	// Annex C: 0f 71 34 is 1 January 2020, 11 45 f4 is 13 January 2020.
	if got, _ := DecodeDate([]byte{0x0f, 0x71, 0x34}); !got.Equal(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("0f7134 = %v", got)
	}
	for _, v := range []int{13012020, 2302020, 1002020, 1010000, 0} { // month 13, 30 Feb, day 0, year 0
		if _, err := DecodeDate([]byte{byte(v >> 16), byte(v >> 8), byte(v)}); !errors.Is(err, Malformed) {
			t.Errorf("%08d: %v", v, err)
		}
	}
	if _, err := DecodeDate([]byte{1, 2}); !errors.Is(err, Malformed) {
		t.Error("2-byte date accepted")
	}
	if _, err := EncodeDate(time.Time{}.AddDate(-5, 0, 0)); !errors.Is(err, BadInput) {
		t.Error("year before 1 accepted")
	}
}
