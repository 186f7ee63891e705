package ecc200

import (
	"bytes"
	"math/rand"
	"testing"
)

// encode appends nCheck check codewords to data: the remainder of
// data(x) x^nCheck divided by the generator, the product of (x - 2^i) for
// i = 1..nCheck.
func encode(data []byte, nCheck int) []byte {
	gen := []byte{1} // highest power first
	for i := 1; i <= nCheck; i++ {
		next := make([]byte, len(gen)+1)
		root := gfPow2(i)
		for j, c := range gen {
			next[j] ^= c
			next[j+1] ^= gfMul(c, root)
		}
		gen = next
	}
	rem := make([]byte, nCheck)
	for _, d := range data {
		lead := d ^ rem[0]
		copy(rem, rem[1:])
		rem[nCheck-1] = 0
		for j := 0; j < nCheck; j++ {
			rem[j] ^= gfMul(lead, gen[j+1])
		}
	}
	return append(append([]byte(nil), data...), rem...)
}

func TestCorrectErrorsAndErasures(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for trial := 0; trial < 2000; trial++ {
		nCheck := 5 + r.Intn(64)
		nData := 1 + r.Intn(255-nCheck)
		data := make([]byte, nData)
		r.Read(data)
		want := encode(data, nCheck)
		if !isCodeword(want, nCheck) {
			t.Fatalf("encoded block of %d+%d is not a codeword", nData, nCheck)
		}
		sp := 0
		if r.Intn(2) == 0 {
			sp = min(spare, nCheck)
		}
		f := r.Intn(nCheck - sp + 1)
		e := r.Intn((nCheck-sp-f)/2 + 1)
		got := append([]byte(nil), want...)
		pos := r.Perm(len(got))
		erased := pos[:f]
		for _, j := range erased {
			got[j] = byte(r.Intn(256)) // may happen to be right
		}
		for _, j := range pos[f : f+e] {
			got[j] ^= byte(1 + r.Intn(255))
		}
		n, ok := correct(got, nCheck, erased, sp)
		if !ok || !bytes.Equal(got, want) {
			t.Fatalf("trial %d: %d+%d codewords, %d erasures, %d errors, spare %d: ok %v", trial, nData, nCheck, f, e, sp, ok)
		}
		if n != e {
			t.Fatalf("trial %d: %d errors reported, %d made", trial, n, e)
		}
	}
}

func TestCorrectRefusesBeyondItsReach(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	miscorrected := 0
	for trial := 0; trial < 500; trial++ {
		data := make([]byte, 100)
		r.Read(data)
		want := encode(data, 42)
		got := append([]byte(nil), want...)
		pos := r.Perm(len(got))
		// With 20 erasures, 8 errors leave 42-20-16 = 6 check codewords
		// unused: spare; 9 are one too many.
		for _, j := range pos[20:29] {
			got[j] ^= byte(1 + r.Intn(255))
		}
		before := append([]byte(nil), got...)
		if _, ok := correct(got, 42, pos[:20], spare); ok {
			miscorrected++
			if bytes.Equal(got, want) {
				t.Fatal("corrected more errors than the code holds")
			}
		} else if !bytes.Equal(got, before) {
			t.Fatal("a failed correction changed the block")
		}
	}
	if miscorrected > 0 {
		t.Errorf("%d of 500 blocks beyond reach decoded to another codeword", miscorrected)
	}
}

// Parameters no block can have (no or too many check codewords, a block
// longer than the field allows, erasures out of the block or more than
// the check codewords) are refused, and the block is left as it was.
func TestCorrectHostile(t *testing.T) {
	for _, c := range []struct {
		n, nCheck int
		erased    []int
	}{
		{10, 0, nil}, {10, 10, nil}, {10, 12, nil}, {300, 20, nil},
		{50, 10, []int{-1}}, {50, 10, []int{50}}, {50, 10, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
		{0, 4, nil},
	} {
		blk := make([]byte, c.n)
		for i := range blk {
			blk[i] = byte(i * 7)
		}
		before := append([]byte(nil), blk...)
		if _, ok := correct(blk, c.nCheck, c.erased, 0); ok {
			t.Errorf("%d codewords, %d check, erased %v: accepted", c.n, c.nCheck, c.erased)
		}
		if !bytes.Equal(blk, before) {
			t.Errorf("%d codewords, %d check, erased %v: block changed", c.n, c.nCheck, c.erased)
		}
	}
}
