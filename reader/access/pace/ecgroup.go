package pace

import (
	"io"

	"github.com/cnie-reader/cnie-reader/reader/ecc"
)

// ecGroup is an elliptic curve of reader/ecc. ecc.Curve.Decode rejects
// anything that is not a finite point on the curve; every curve there has
// cofactor 1, so that also puts the point in the prime-order subgroup.
type ecGroup struct{ c *ecc.Curve }

func (g ecGroup) generator() []byte { return g.c.Encode(g.c.Generator()) }

func (g ecGroup) decode(b []byte) ([]byte, error) {
	p, err := g.c.Decode(b)
	if err != nil {
		return nil, err
	}
	return g.c.Encode(p), nil
}

func (g ecGroup) generate(rnd io.Reader, gen []byte) ([]byte, []byte, error) {
	gp, err := g.c.Decode(gen)
	if err != nil {
		return nil, nil, err
	}
	priv, pub, err := g.c.GenerateKey(rnd, gp)
	if err != nil {
		return nil, nil, err
	}
	return priv, g.c.Encode(pub), nil
}

func (g ecGroup) mul(priv, elem []byte) ([]byte, error) {
	p, err := g.c.Decode(elem)
	if err != nil {
		return nil, err
	}
	r, err := g.c.ScalarMult(p, priv)
	if err != nil {
		return nil, err
	}
	return g.c.Encode(r), nil
}

func (g ecGroup) mapGeneric(s, h []byte) ([]byte, error) {
	hp, err := g.c.Decode(h)
	if err != nil {
		return nil, err
	}
	sg, err := g.c.ScalarBaseMult(s)
	if err != nil {
		return nil, err
	}
	r, err := g.c.Add(sg, hp)
	if err != nil {
		return nil, err
	}
	return g.c.Encode(r), nil
}

func (g ecGroup) secret(priv, peer []byte) ([]byte, error) {
	p, err := g.c.Decode(peer)
	if err != nil {
		return nil, err
	}
	return g.c.SharedSecret(priv, p)
}

func (g ecGroup) tokenTag() uint32             { return 0x86 }
func (g ecGroup) tokenValue(pub []byte) []byte { return pub }
func (g ecGroup) maxElement() int              { return 1 + 2*g.c.ByteLen() }
