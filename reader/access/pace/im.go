package pace

import (
	"math/big"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
)

// Constants c0 and c1 of the pseudo-random function R (ICAO 9303-11
// §4.4.3.3.2), for ℓ = 128 and ℓ = 256 bits.
var (
	prfC0l128 = mustBytes("A668892A7C41E3CA739F40B057D85904")
	prfC1l128 = mustBytes("A4E136AC725F738B01C1F60217C188AD")
	prfC0l256 = mustBytes("D463D65234124EF7897054986DCA0A174E28DF758CBAA03F240616414D5A1676")
	prfC1l256 = mustBytes("54BD7255F0AAF831BEC3423FCF39D69B6CBF066677D0FAAE5AADD99DF8E53517")
)

func mustBytes(s string) []byte { return mustHex(s).FillBytes(make([]byte, len(s)/2)) }

// pseudoRandom is R(s,t) of ICAO 9303-11 §4.4.3.3.2: k0 = E(t, s), then
// x_i = E(k_{i-1}, c1) and k_i = E(k_{i-1}, c0), until the output has at
// least log2(p) + 64 bits. s has ℓ bits, t has the key size k; the k_i are
// truncated to k (AES-192), and two-key 3DES counts as k = 128.
func pseudoRandom(p Protocol, s, t []byte, pBits int) ([]byte, error) {
	l := p.nonceLen()
	if len(s) != l || len(t) != p.KeyBytes {
		return nil, chiperr.Newf(chiperr.Malformed, "PACE IM", "nonces of %d and %d bytes, want %d and %d", len(s), len(t), l, p.KeyBytes)
	}
	c0, c1 := prfC0l128, prfC1l128
	if l == 32 {
		c0, c1 = prfC0l256, prfC1l256
	}
	k, err := cbc(p.Cipher, t, s, true)
	if err != nil {
		return nil, err
	}
	n := (pBits + 64 + 8*l - 1) / (8 * l)
	out := make([]byte, 0, n*l)
	for i := 0; i < n; i++ {
		x, err := cbc(p.Cipher, k[:p.KeyBytes], c1, true)
		if err != nil {
			return nil, err
		}
		out = append(out, x...)
		if k, err = cbc(p.Cipher, k[:p.KeyBytes], c0, true); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// mapIntegrated is the Integrated Mapping for ECDH: G~ = f_G(R_p(s,t)).
func (g ecGroup) mapIntegrated(p Protocol, s, t []byte) ([]byte, error) {
	params := g.c.Params()
	x, err := pseudoRandom(p, s, t, params.P.BitLen())
	if err != nil {
		return nil, err
	}
	u := new(big.Int).SetBytes(x)
	u.Mod(u, params.P)
	pt, err := pointEncode(g.c, u)
	if err != nil {
		return nil, err
	}
	return g.c.Encode(pt), nil
}

// pointEncode is the point encoding f_G of ICAO 9303-11 §4.4.3.3.2 (the
// simplified SWU map of Brier et al. for p ≡ 3 mod 4). The supported curves
// have cofactor 1, so no final multiplication is needed.
func pointEncode(c *ecc.Curve, u *big.Int) (ecc.Point, error) {
	fail := func(why string) (ecc.Point, error) {
		return ecc.Point{}, chiperr.New(chiperr.Integrity, "PACE IM point encoding", why)
	}
	pp := c.Params()
	p := pp.P
	if p.Bit(0) != 1 || p.Bit(1) != 1 {
		return fail("field prime is not 3 mod 4")
	}
	a, b := c.Coefficients()
	mod := func(v *big.Int) *big.Int { return v.Mod(v, p) }
	mul := func(x, y *big.Int) *big.Int { return mod(new(big.Int).Mul(x, y)) }

	alpha := mod(new(big.Int).Neg(mul(u, u)))                                          // 1. α = -u²
	den := new(big.Int).ModInverse(mod(new(big.Int).Add(alpha, mul(alpha, alpha))), p) // (α + α²)⁻¹
	aInv := new(big.Int).ModInverse(a, p)
	if den == nil || aInv == nil {
		return fail("degenerate field element")
	}
	x2 := mul(mod(new(big.Int).Neg(b)), aInv)
	x2 = mul(x2, mod(new(big.Int).Add(big.NewInt(1), den)))                            // 2. X2 = -b·a⁻¹·(1 + (α+α²)⁻¹)
	x3 := mul(alpha, x2)                                                               // 3. X3 = α·X2
	h2 := mod(new(big.Int).Add(new(big.Int).Add(mul(mul(x2, x2), x2), mul(a, x2)), b)) // 4. h2 = X2³ + a·X2 + b
	uU := mul(mul(mul(u, u), u), h2)                                                   // 6. U = u³·h2
	e := new(big.Int).Sub(p, big.NewInt(1))
	e.Sub(e, new(big.Int).Rsh(new(big.Int).Add(p, big.NewInt(1)), 2))
	bigA := new(big.Int).Exp(h2, e, p) // 7. A = h2^(p-1-(p+1)/4)
	var pt ecc.Point
	if mul(mul(bigA, bigA), h2).Cmp(big.NewInt(1)) == 0 { // 8.
		pt = ecc.Point{X: x2, Y: mul(bigA, h2)}
	} else { // 9.
		pt = ecc.Point{X: x3, Y: mul(bigA, uU)}
	}
	if !c.Valid(pt) {
		return fail("result not on the curve")
	}
	return pt, nil
}

// integratedMapper is a group that supports the Integrated Mapping.
type integratedMapper interface {
	mapIntegrated(p Protocol, s, t []byte) ([]byte, error)
}

// mapIntegrated is the Integrated Mapping for DH: g~ = R_p(s,t)^((p-1)/q)
// mod p, which must not be 1.
func (d *dhGroup) mapIntegrated(p Protocol, s, t []byte) ([]byte, error) {
	x, err := pseudoRandom(p, s, t, d.p.BitLen())
	if err != nil {
		return nil, err
	}
	u := new(big.Int).SetBytes(x)
	u.Mod(u, d.p)
	a := new(big.Int).Sub(d.p, big.NewInt(1))
	a.Div(a, d.q)
	g := u.Exp(u, a, d.p)
	if g.Cmp(big.NewInt(1)) <= 0 {
		return nil, chiperr.New(chiperr.Integrity, "PACE DH IM", "mapped generator is 1")
	}
	return d.enc(g), nil
}
