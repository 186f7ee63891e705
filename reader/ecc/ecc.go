// Package ecc gives the elliptic-curve operations that PACE, Chip
// Authentication and Active Authentication need on the curves ICAO documents
// use: NIST P-256/P-384/P-521 and brainpoolP256r1/P384r1/P512r1 (and the
// smaller ones TR-03110 standardises, for completeness of the parameter table).
//
// PACE Generic Mapping needs point addition (G' = s·G + H), which
// crypto/ecdh does not expose, so this package works with crypto/elliptic
// curves. NIST curves there are backed by Go's constant-time nistec code.
// Brainpool curves come from github.com/ProtonMail/go-crypto/brainpool, a
// maintained package (it serves OpenPGP in Proton's products) whose arithmetic
// is generic math/big and therefore NOT constant-time. We accept that because
// every brainpool scalar this application handles is an ephemeral key used
// for one exchange (PACE, CA) — a timing side channel must be exploited from
// a single trace — and we state it in the diagnostics rather than hide it.
//
// Every point that arrives from outside goes through Curve.Decode, which
// rejects anything that is not a finite point on the curve. All supported
// curves have cofactor 1, so "on the curve" also means "in the prime-order
// subgroup".
package ecc

import (
	"crypto/elliptic"
	"crypto/rand"
	"encoding/asn1"
	"io"
	"math/big"

	"github.com/ProtonMail/go-crypto/brainpool"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// Curve is one supported elliptic curve.
type Curve struct {
	Name      string
	OID       asn1.ObjectIdentifier
	ParamID   int  // standardized domain parameter id (ICAO 9303-11 §9.5.1, TR-03110-3 Table 4)
	ConstTime bool // whether scalar multiplication is constant-time
	curve     elliptic.Curve
	a, b      *big.Int // curve coefficients, derived once at start-up
}

// Point is an affine point. The point at infinity is never represented: every
// operation that would produce it returns an error instead.
type Point struct{ X, Y *big.Int }

var (
	curvesByID = map[int]*Curve{}
	curveList  []*Curve
)

func init() {
	add := func(name string, oid asn1.ObjectIdentifier, id int, ct bool, c elliptic.Curve) {
		a, b := coefficients(c)
		cv := &Curve{Name: name, OID: oid, ParamID: id, ConstTime: ct, curve: c, a: a, b: b}
		curvesByID[id] = cv
		curveList = append(curveList, cv)
	}
	// Parameter ids 8..18 (ICAO 9303-11 Table 6). P-192, P-224 and the
	// 160/192/224/320-bit brainpool curves are not offered by any current
	// document we know and are left out on purpose.
	add("P-256", oids.P256, 12, true, elliptic.P256())
	add("brainpoolP256r1", oids.BrainpoolP256r1, 13, false, brainpool.P256r1())
	add("brainpoolP384r1", oids.BrainpoolP384r1, 16, false, brainpool.P384r1())
	add("P-384", oids.P384, 15, true, elliptic.P384())
	add("brainpoolP512r1", oids.BrainpoolP512r1, 17, false, brainpool.P512r1())
	add("P-521", oids.P521, 18, true, elliptic.P521())
}

// ByParamID returns the curve of a standardized domain parameter id.
func ByParamID(id int) (*Curve, bool) {
	c, ok := curvesByID[id]
	return c, ok
}

// ByOID returns the curve of a named-curve OID.
func ByOID(oid asn1.ObjectIdentifier) (*Curve, bool) {
	for _, c := range curveList {
		if c.OID.Equal(oid) {
			return c, true
		}
	}
	return nil, false
}

// ByName returns the curve of a name such as "brainpoolP256r1" or "P-256".
func ByName(name string) (*Curve, bool) {
	for _, c := range curveList {
		if c.Name == name {
			return c, true
		}
	}
	return nil, false
}

// ByParams finds a supported curve from explicit domain parameters (prime p,
// coefficients a and b, generator, order n), as found in DG14/DG15 and CSCA
// keys that spell brainpool curves out instead of naming them. Every
// parameter must match: a key is never accepted on a curve "close to" ours.
func ByParams(p, a, b, gx, gy, n *big.Int) (*Curve, bool) {
	for _, c := range curveList {
		cp := c.curve.Params()
		if cp.P.Cmp(p) == 0 && c.a.Cmp(a) == 0 && c.b.Cmp(b) == 0 &&
			cp.Gx.Cmp(gx) == 0 && cp.Gy.Cmp(gy) == 0 && cp.N.Cmp(n) == 0 {
			return c, true
		}
	}
	return nil, false
}

// ByElliptic returns the supported curve behind a crypto/elliptic curve
// (as found in an *ecdsa.PublicKey), matched by its domain parameters.
func ByElliptic(e elliptic.Curve) (*Curve, bool) {
	ep := e.Params()
	for _, c := range curveList {
		cp := c.curve.Params()
		if cp.P.Cmp(ep.P) == 0 && cp.N.Cmp(ep.N) == 0 && cp.Gx.Cmp(ep.Gx) == 0 && cp.Gy.Cmp(ep.Gy) == 0 {
			return c, true
		}
	}
	return nil, false
}

// Coefficients returns a and b of y² = x³ + ax + b (copies).
func (c *Curve) Coefficients() (a, b *big.Int) {
	return new(big.Int).Set(c.a), new(big.Int).Set(c.b)
}

// coefficients solves a and b from two points of the curve, G and 2G:
// crypto/elliptic carries no a (it assumes -3, true for NIST curves only)
// and the brainpool implementation leaves b nil, so neither can be read
// from CurveParams. (y² - x³ = ax + b for both points gives a linear system.)
func coefficients(e elliptic.Curve) (a, b *big.Int) {
	pp := e.Params()
	p := pp.P
	x2, y2 := e.Double(pp.Gx, pp.Gy)
	rest := func(x, y *big.Int) *big.Int { // y² - x³ mod p
		v := new(big.Int).Mul(y, y)
		v.Sub(v, new(big.Int).Exp(x, big.NewInt(3), p))
		return v.Mod(v, p)
	}
	r1, r2 := rest(pp.Gx, pp.Gy), rest(x2, y2)
	den := new(big.Int).Sub(pp.Gx, x2)
	den.Mod(den, p).ModInverse(den, p)
	a = new(big.Int).Sub(r1, r2)
	a.Mul(a, den).Mod(a, p)
	b = new(big.Int).Mul(a, pp.Gx)
	b.Sub(r1, b).Mod(b, p)
	return a, b
}

// All lists the supported curves.
func All() []*Curve { return append([]*Curve(nil), curveList...) }

// Elliptic returns the crypto/elliptic form of the curve, for crypto/ecdsa.
func (c *Curve) Elliptic() elliptic.Curve { return c.curve }

// Params returns the domain parameters.
func (c *Curve) Params() *elliptic.CurveParams { return c.curve.Params() }

// ByteLen is the length of a field element (and of the x coordinate of a shared secret).
func (c *Curve) ByteLen() int { return (c.curve.Params().BitSize + 7) / 8 }

// ScalarLen is the length of a scalar (private key) modulo the group order.
func (c *Curve) ScalarLen() int { return (c.curve.Params().N.BitLen() + 7) / 8 }

// Generator returns the curve's base point.
func (c *Curve) Generator() Point {
	p := c.curve.Params()
	return Point{new(big.Int).Set(p.Gx), new(big.Int).Set(p.Gy)}
}

// Encode returns the uncompressed encoding 04 || X || Y.
func (c *Curve) Encode(p Point) []byte {
	n := c.ByteLen()
	out := make([]byte, 1+2*n)
	out[0] = 4
	p.X.FillBytes(out[1 : 1+n])
	p.Y.FillBytes(out[1+n:])
	return out
}

// Decode parses an uncompressed point and checks that it is a finite point on
// the curve. This is the gate for every point a card or a peer sends.
func (c *Curve) Decode(b []byte) (Point, error) {
	n := c.ByteLen()
	if len(b) != 1+2*n || b[0] != 4 {
		return Point{}, chiperr.Newf(chiperr.Malformed, "decode EC point", "%s: %d bytes, want uncompressed %d", c.Name, len(b), 1+2*n)
	}
	x := new(big.Int).SetBytes(b[1 : 1+n])
	y := new(big.Int).SetBytes(b[1+n:])
	pp := c.curve.Params().P
	if x.Cmp(pp) >= 0 || y.Cmp(pp) >= 0 || (x.Sign() == 0 && y.Sign() == 0) || !c.curve.IsOnCurve(x, y) {
		return Point{}, chiperr.Newf(chiperr.Integrity, "decode EC point", "%s: point not on the curve", c.Name)
	}
	return Point{x, y}, nil
}

// Valid reports whether p is a finite point on the curve.
func (c *Curve) Valid(p Point) bool {
	if p.X == nil || p.Y == nil || (p.X.Sign() == 0 && p.Y.Sign() == 0) {
		return false
	}
	pp := c.curve.Params().P
	return p.X.Sign() >= 0 && p.Y.Sign() >= 0 && p.X.Cmp(pp) < 0 && p.Y.Cmp(pp) < 0 && c.curve.IsOnCurve(p.X, p.Y)
}

// ScalarMult returns k·p, or an error if the result is the point at infinity.
func (c *Curve) ScalarMult(p Point, k []byte) (Point, error) {
	if !c.Valid(p) {
		return Point{}, chiperr.New(chiperr.Integrity, "EC scalar multiplication", "input point not on the curve")
	}
	x, y := c.curve.ScalarMult(p.X, p.Y, c.reduce(k))
	return c.finite(Point{x, y}, "EC scalar multiplication")
}

// ScalarBaseMult returns k·G.
func (c *Curve) ScalarBaseMult(k []byte) (Point, error) {
	x, y := c.curve.ScalarBaseMult(c.reduce(k))
	return c.finite(Point{x, y}, "EC scalar base multiplication")
}

// Add returns p + q, or an error if the sum is the point at infinity.
func (c *Curve) Add(p, q Point) (Point, error) {
	if !c.Valid(p) || !c.Valid(q) {
		return Point{}, chiperr.New(chiperr.Integrity, "EC point addition", "input point not on the curve")
	}
	x, y := c.curve.Add(p.X, p.Y, q.X, q.Y)
	return c.finite(Point{x, y}, "EC point addition")
}

// SharedSecret is the ECDH primitive of TR-03111 (ECKA-DH): the x coordinate
// of priv·peer, on ByteLen bytes. The peer point is validated.
func (c *Curve) SharedSecret(priv []byte, peer Point) ([]byte, error) {
	s, err := c.ScalarMult(peer, priv)
	if err != nil {
		return nil, err
	}
	out := make([]byte, c.ByteLen())
	s.X.FillBytes(out)
	return out, nil
}

// GenerateKey returns a random scalar in [1, n-1] and its public point on
// the given generator (the mapped generator in PACE, G elsewhere).
func (c *Curve) GenerateKey(rnd io.Reader, g Point) (priv []byte, pub Point, err error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	n := c.curve.Params().N
	priv = make([]byte, c.ScalarLen())
	for tries := 0; tries < 100; tries++ {
		if _, err = io.ReadFull(rnd, priv); err != nil {
			return nil, Point{}, err
		}
		// Trim to the bit length of n, then reject out-of-range values.
		if excess := len(priv)*8 - n.BitLen(); excess > 0 {
			priv[0] &= byte(0xFF >> excess)
		}
		k := new(big.Int).SetBytes(priv)
		if k.Sign() == 0 || k.Cmp(n) >= 0 {
			continue
		}
		pub, err = c.ScalarMult(g, priv)
		return priv, pub, err
	}
	return nil, Point{}, chiperr.New(chiperr.Transport, "EC key generation", "random source keeps producing out-of-range values")
}

// reduce returns k mod n on ScalarLen bytes so that crypto/elliptic never
// sees a scalar longer than the order.
func (c *Curve) reduce(k []byte) []byte {
	n := c.curve.Params().N
	v := new(big.Int).SetBytes(k)
	if v.Cmp(n) >= 0 {
		v.Mod(v, n)
	}
	return v.FillBytes(make([]byte, c.ScalarLen()))
}

func (c *Curve) finite(p Point, op string) (Point, error) {
	if p.X == nil || (p.X.Sign() == 0 && p.Y.Sign() == 0) {
		return Point{}, chiperr.Newf(chiperr.Integrity, op, "%s: result is the point at infinity", c.Name)
	}
	return p, nil
}
