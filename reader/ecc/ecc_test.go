package ecc

import (
	"bytes"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

func TestCoefficients(t *testing.T) {
	// RFC 5639 §3.4: brainpoolP256r1 coefficients A and B.
	bp, _ := ByName("brainpoolP256r1")
	a, b := bp.Coefficients()
	if a.Cmp(testhex.Int(t, "7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9")) != 0 {
		t.Errorf("brainpoolP256r1 a = %X", a)
	}
	if b.Cmp(testhex.Int(t, "26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6")) != 0 {
		t.Errorf("brainpoolP256r1 b = %X", b)
	}
	for _, c := range All() {
		a, b := c.Coefficients()
		if strings.HasPrefix(c.Name, "P-") {
			if new(big.Int).Add(a, big.NewInt(3)).Cmp(c.Params().P) != 0 || b.Cmp(c.Params().B) != 0 {
				t.Errorf("%s: a or b wrong", c.Name)
			}
		}
		p := c.Params()
		got, ok := ByParams(p.P, a, b, p.Gx, p.Gy, p.N)
		if !ok || got != c {
			t.Errorf("%s: ByParams does not find it", c.Name)
		}
		if _, ok := ByParams(p.P, a, new(big.Int).Add(b, big.NewInt(1)), p.Gx, p.Gy, p.N); ok {
			t.Errorf("%s: ByParams accepts a different b", c.Name)
		}
		if got, ok := ByElliptic(c.Elliptic()); !ok || got != c {
			t.Errorf("%s: ByElliptic does not find it", c.Name)
		}
	}
}

func TestDecodeRejectsHostilePoints(t *testing.T) {
	for _, c := range All() {
		g := c.Encode(c.Generator())
		if _, err := c.Decode(g); err != nil {
			t.Fatalf("%s: generator refused: %v", c.Name, err)
		}
		offCurve := bytes.Clone(g)
		offCurve[len(offCurve)-1] ^= 1
		infinity := make([]byte, len(g))
		infinity[0] = 4
		compressed := append([]byte{2}, g[1:1+c.ByteLen()]...)
		tooBig := bytes.Clone(g) // x = p is not a field element
		c.Params().P.FillBytes(tooBig[1 : 1+c.ByteLen()])
		for name, b := range map[string][]byte{
			"off curve": offCurve, "infinity": infinity, "compressed": compressed,
			"x = p": tooBig, "empty": nil, "truncated": g[:len(g)-1],
		} {
			if _, err := c.Decode(b); err == nil {
				t.Errorf("%s: %s point accepted", c.Name, name)
			} else if chiperr.KindOf(err) == 0 {
				t.Errorf("%s: %s: untyped error %v", c.Name, name, err)
			}
		}
	}
}

func TestArithmetic(t *testing.T) {
	for _, c := range All() {
		g := c.Generator()
		two, err := c.ScalarBaseMult([]byte{2})
		if err != nil {
			t.Fatal(err)
		}
		sum, err := c.Add(g, g)
		if err != nil {
			t.Fatal(err)
		}
		if sum.X.Cmp(two.X) != 0 || sum.Y.Cmp(two.Y) != 0 {
			t.Errorf("%s: G+G != 2G", c.Name)
		}
		// n·G is the point at infinity: an error, never a silent (0,0).
		if _, err := c.ScalarBaseMult(c.Params().N.Bytes()); !errors.Is(err, chiperr.Integrity) {
			t.Errorf("%s: n·G gave %v", c.Name, err)
		}
		neg := Point{g.X, new(big.Int).Sub(c.Params().P, g.Y)}
		if _, err := c.Add(g, neg); err == nil {
			t.Errorf("%s: G + (-G) accepted", c.Name)
		}
		// ECDH agrees both ways.
		da, pa, err := c.GenerateKey(nil, g)
		if err != nil {
			t.Fatal(err)
		}
		db, pb, _ := c.GenerateKey(nil, g)
		s1, err1 := c.SharedSecret(da, pb)
		s2, err2 := c.SharedSecret(db, pa)
		if err1 != nil || err2 != nil || !bytes.Equal(s1, s2) || len(s1) != c.ByteLen() {
			t.Errorf("%s: ECDH disagrees", c.Name)
		}
	}
}

func TestLookups(t *testing.T) {
	for id, name := range map[int]string{12: "P-256", 13: "brainpoolP256r1", 15: "P-384", 16: "brainpoolP384r1", 17: "brainpoolP512r1", 18: "P-521"} {
		c, ok := ByParamID(id)
		if !ok || c.Name != name {
			t.Errorf("param id %d: got %v", id, c)
		}
		if byOID, ok := ByOID(c.OID); !ok || byOID != c {
			t.Errorf("%s: OID lookup failed", name)
		}
	}
	if _, ok := ByParamID(99); ok {
		t.Error("unknown parameter id accepted")
	}
}

func BenchmarkScalarMult(b *testing.B) {
	for _, c := range All() {
		b.Run(c.Name, func(b *testing.B) {
			k, _, _ := c.GenerateKey(nil, c.Generator())
			for b.Loop() {
				c.ScalarBaseMult(k)
			}
		})
	}
}
