package vds

import (
	"crypto"
	"crypto/ecdsa"
	"math/big"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/ecc"
)

// The public worked examples come without their signer certificates in
// text form, so the tests recover the signer's key from one example's
// signature (ECDSA public key recovery, SEC 1 v2 §4.1.6) and check that the
// other examples of the same signer verify with it. A wrong hash, a wrong
// signed-data boundary or a wrong r || s split would make that fail.
func recoverKeys(t testing.TB, c *ecc.Curve, h crypto.Hash, msg, sig []byte) []*ecdsa.PublicKey {
	t.Helper()
	p, n := c.Params().P, c.Params().N
	a, b := c.Coefficients()
	k := len(sig) / 2
	r, s := new(big.Int).SetBytes(sig[:k]), new(big.Int).SetBytes(sig[k:])
	hh := h.New()
	hh.Write(msg)
	e := new(big.Int).SetBytes(hh.Sum(nil))
	if excess := h.Size()*8 - n.BitLen(); excess > 0 {
		e.Rsh(e, uint(excess))
	}
	rInv := new(big.Int).ModInverse(r, n)
	u1 := new(big.Int).Mul(e, rInv)
	u1.Neg(u1).Mod(u1, n)
	u2 := new(big.Int).Mul(s, rInv)
	u2.Mod(u2, n)
	// y² = x³ + ax + b with x = r (r + n is beyond p for these curves).
	x := new(big.Int).Set(r)
	rhs := new(big.Int).Exp(x, big.NewInt(3), p)
	rhs.Add(rhs, new(big.Int).Mul(a, x)).Add(rhs, b).Mod(rhs, p)
	y := new(big.Int).ModSqrt(rhs, p)
	if y == nil {
		t.Fatal("r is not the x of a curve point")
	}
	var out []*ecdsa.PublicKey
	for _, yy := range []*big.Int{y, new(big.Int).Sub(p, y)} {
		R := ecc.Point{X: x, Y: yy}
		p1, err := c.ScalarBaseMult(u1.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		p2, err := c.ScalarMult(R, u2.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		q, err := c.Add(p1, p2)
		if err != nil {
			continue
		}
		out = append(out, &ecdsa.PublicKey{Curve: c.Elliptic(), X: q.X, Y: q.Y})
	}
	return out
}
