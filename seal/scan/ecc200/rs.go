package ecc200

// ECC200's Reed-Solomon code works in GF(256) built on the primitive
// polynomial x^8+x^5+x^3+x^2+1 (0x12D), and its generator polynomial has
// the roots 2^1 .. 2^n for n check codewords (ISO/IEC 16022 5.7).
const fieldPoly = 0x12d

var gfExp [512]byte
var gfLog [256]int

func init() {
	x := 1
	for i := 0; i < 255; i++ {
		gfExp[i] = byte(x)
		gfLog[x] = i
		x <<= 1
		if x&0x100 != 0 {
			x ^= fieldPoly
		}
	}
	for i := 255; i < len(gfExp); i++ {
		gfExp[i] = gfExp[i-255]
	}
}

func gfMul(a, b byte) byte {
	if a == 0 || b == 0 {
		return 0
	}
	return gfExp[gfLog[a]+gfLog[b]]
}

func gfDiv(a, b byte) byte { // b != 0
	if a == 0 {
		return 0
	}
	return gfExp[gfLog[a]+255-gfLog[b]]
}

// gfPow2 is 2^e for any e >= 0.
func gfPow2(e int) byte { return gfExp[e%255] }

// polyAt evaluates p (p[i] the coefficient of x^i) at x.
func polyAt(p []byte, x byte) byte {
	var v byte
	for i := len(p) - 1; i >= 0; i-- {
		v = gfMul(v, x) ^ p[i]
	}
	return v
}

// correct fixes block in place, and leaves it alone when it fails. The
// block's codewords are the code polynomial's coefficients, highest power
// first; the last nCheck are the check codewords. The codewords at erased
// are unknown (erasures), any others may be wrong (errors). It succeeds
// when 2*errors + erasures <= nCheck - spare: the spare check codewords
// are left unused for correction so that they still detect a wrong
// decode. It returns the number of errors corrected, erasures aside.
func correct(block []byte, nCheck int, erased []int, spare int) (int, bool) {
	if nCheck <= 0 || nCheck >= len(block) {
		return 0, false
	}
	return correctWith(block, syndromes(block, nCheck), erased, spare)
}

// correctWith is correct given the block's syndromes, so that several
// sets of erasures can be tried on one block.
func correctWith(block, synd []byte, erased []int, spare int) (int, bool) {
	n, nCheck := len(block), len(synd)
	if nCheck <= 0 || nCheck >= n || n > 255 || len(erased) > nCheck-spare {
		return 0, false
	}
	clean := true
	for _, s := range synd {
		clean = clean && s == 0
	}
	if clean {
		return 0, true
	}
	// The locator of codeword j is 2^(n-1-j).
	loc := func(j int) byte { return gfPow2(n - 1 - j) }
	// Erasure locator: the product of (1 - X x) over the erased codewords.
	lambda := []byte{1}
	for _, j := range erased {
		if j < 0 || j >= n {
			return 0, false
		}
		lambda = polyMulLinear(lambda, loc(j))
	}
	f := len(erased)
	// Berlekamp-Massey, started from the erasure locator, finds the
	// errata locator (errors and erasures together).
	prev := append([]byte(nil), lambda...)
	l, shift, last := f, 1, byte(1)
	for k := f; k < nCheck; k++ {
		d := synd[k]
		for i := 1; i <= l && i <= k && i < len(lambda); i++ {
			d ^= gfMul(lambda[i], synd[k-i])
		}
		if d == 0 {
			shift++
			continue
		}
		coef := gfDiv(d, last)
		next := append([]byte(nil), lambda...)
		for len(next) < len(prev)+shift {
			next = append(next, 0)
		}
		for i, p := range prev {
			next[i+shift] ^= gfMul(coef, p)
		}
		if 2*l <= k+f {
			prev, l, last, shift = lambda, k+1+f-l, d, 1
		} else {
			shift++
		}
		lambda = next
	}
	for len(lambda) > 1 && lambda[len(lambda)-1] == 0 {
		lambda = lambda[:len(lambda)-1]
	}
	deg := len(lambda) - 1
	errs := deg - f
	if deg != l || errs < 0 || 2*errs+f > nCheck-spare {
		return 0, false
	}
	// Evaluator: S(x) lambda(x) mod x^nCheck.
	omega := make([]byte, nCheck)
	for i, s := range synd {
		for j, c := range lambda {
			if i+j < nCheck {
				omega[i+j] ^= gfMul(s, c)
			}
		}
	}
	// Formal derivative: in characteristic 2 only the odd terms remain.
	deriv := make([]byte, len(lambda))
	for i := 1; i < len(lambda); i += 2 {
		deriv[i-1] = lambda[i]
	}
	// Chien search over the block's positions, then Forney's values.
	fixed := append([]byte(nil), block...)
	found := 0
	for j := 0; j < n; j++ {
		xinv := gfDiv(1, loc(j))
		if polyAt(lambda, xinv) != 0 {
			continue
		}
		den := polyAt(deriv, xinv)
		if den == 0 {
			return 0, false
		}
		fixed[j] ^= gfDiv(polyAt(omega, xinv), den)
		found++
	}
	if found != deg {
		return 0, false
	}
	// The corrected block must be a codeword.
	if !isCodeword(fixed, nCheck) {
		return 0, false
	}
	copy(block, fixed)
	return errs, true
}

// polyMulLinear is p(x) (1 + a x).
func polyMulLinear(p []byte, a byte) []byte {
	out := make([]byte, len(p)+1)
	for i, c := range p {
		out[i] ^= c
		out[i+1] ^= gfMul(c, a)
	}
	return out
}

// syndromes are S_i = c(2^i), i = 1..nCheck, of the code polynomial c
// whose coefficients, highest power first, are block.
func syndromes(block []byte, nCheck int) []byte {
	synd := make([]byte, nCheck)
	for i := range synd {
		x := gfPow2(i + 1)
		var v byte
		for _, c := range block {
			v = gfMul(v, x) ^ c
		}
		synd[i] = v
	}
	return synd
}

func isCodeword(block []byte, nCheck int) bool {
	for _, s := range syndromes(block, nCheck) {
		if s != 0 {
			return false
		}
	}
	return true
}
