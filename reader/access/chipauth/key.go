package chipauth

import (
	"crypto/rand"
	"io"
	"math/big"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
)

// Bounds on DH groups. ICAO documents use 1024- or 2048-bit groups; larger
// ones are allowed, but nothing from a card makes us exponentiate with
// numbers of unbounded size.
const (
	minDHBits = 1024
	maxDHBits = 4096
)

// PublicKey is a Chip Authentication public key (ChipAuthenticationPublicKeyInfo
// in DG14): either an EC key (Curve and Point set) or a DH key (P, G, Y set,
// Q when the domain parameters give it).
type PublicKey struct {
	Curve *ecc.Curve
	Point []byte // uncompressed 04 || X || Y

	P, G, Q, Y *big.Int
}

// IsEC reports whether k is an elliptic-curve key.
func (k PublicKey) IsEC() bool { return k.Curve != nil }

// Validate checks the key before any use: an EC point must be a finite
// point on its curve; a DH value must lie in ]1, p-1[ and, when the subgroup
// order q is known, in that subgroup.
func (k PublicKey) Validate() error {
	const op = "CA: chip public key"
	if k.IsEC() {
		_, err := k.Curve.Decode(k.Point)
		if err != nil {
			return chiperr.Wrap(chiperr.Integrity, op, err)
		}
		return nil
	}
	if err := checkGroup(k.P, k.G, k.Q, op); err != nil {
		return err
	}
	return checkDHValue(k.P, k.Q, k.Y, op)
}

// checkGroup bounds and sanity-checks DH domain parameters.
func checkGroup(p, g, q *big.Int, op string) error {
	if p == nil || g == nil {
		return chiperr.New(chiperr.Malformed, op, "DH key without domain parameters")
	}
	if b := p.BitLen(); b < minDHBits || b > maxDHBits {
		return chiperr.Newf(chiperr.Unsupported, op, "DH modulus of %d bits", b)
	}
	if p.Bit(0) == 0 {
		return chiperr.New(chiperr.Malformed, op, "even DH modulus")
	}
	if !inOpenRange(g, p) {
		return chiperr.New(chiperr.Malformed, op, "DH generator out of range")
	}
	if q != nil {
		pm1 := new(big.Int).Sub(p, big.NewInt(1))
		if q.Sign() <= 0 || q.BitLen() < 160 || q.Cmp(pm1) >= 0 || new(big.Int).Mod(pm1, q).Sign() != 0 {
			return chiperr.New(chiperr.Malformed, op, "DH subgroup order does not divide p-1")
		}
		if new(big.Int).Exp(g, q, p).Cmp(big.NewInt(1)) != 0 {
			return chiperr.New(chiperr.Malformed, op, "DH generator not of order q")
		}
	}
	return nil
}

// inOpenRange reports 1 < v < p-1.
func inOpenRange(v, p *big.Int) bool {
	pm1 := new(big.Int).Sub(p, big.NewInt(1))
	return v != nil && v.Cmp(big.NewInt(1)) > 0 && v.Cmp(pm1) < 0
}

// checkDHValue validates a public value y received from a peer.
func checkDHValue(p, q, y *big.Int, op string) error {
	if !inOpenRange(y, p) {
		return chiperr.New(chiperr.Integrity, op, "DH public value out of range")
	}
	if q != nil && new(big.Int).Exp(y, q, p).Cmp(big.NewInt(1)) != 0 {
		return chiperr.New(chiperr.Integrity, op, "DH public value not in the subgroup")
	}
	return nil
}

// PrivateKey is a Chip Authentication key pair, held by the virtual card
// (and, for one exchange, the terminal's ephemeral key).
type PrivateKey struct {
	Public PublicKey
	D      []byte   // EC scalar
	X      *big.Int // DH exponent
}

// GenerateECKey makes a key pair on curve (rnd nil means crypto/rand).
func GenerateECKey(rnd io.Reader, curve *ecc.Curve) (*PrivateKey, error) {
	d, pub, err := curve.GenerateKey(rnd, curve.Generator())
	if err != nil {
		return nil, err
	}
	return &PrivateKey{Public: PublicKey{Curve: curve, Point: curve.Encode(pub)}, D: d}, nil
}

// GenerateDHKey makes a key pair in the group (p, g, q); q may be nil, in
// which case the exponent is drawn from [2, p-2].
func GenerateDHKey(rnd io.Reader, p, g, q *big.Int) (*PrivateKey, error) {
	const op = "CA: DH key generation"
	if err := checkGroup(p, g, q, op); err != nil {
		return nil, err
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	// x in [1, q-1] = 1 + [0, q-2], or without q in [2, p-2] = 2 + [0, p-4].
	var span *big.Int
	lo := int64(1)
	if q != nil {
		span = new(big.Int).Sub(q, big.NewInt(1))
	} else {
		span, lo = new(big.Int).Sub(p, big.NewInt(3)), 2
	}
	x, err := rand.Int(rnd, span)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Transport, op, err)
	}
	x.Add(x, big.NewInt(lo))
	y := new(big.Int).Exp(g, x, p)
	return &PrivateKey{Public: PublicKey{P: p, G: g, Q: q, Y: y}, X: x}, nil
}

// encodePublic is the ephemeral public key as it travels in DO'91' (Set KAT)
// or DO'80' (General Authenticate): the uncompressed point, or the DH value
// on the byte length of p.
func (k *PrivateKey) encodePublic() []byte {
	if k.Public.IsEC() {
		return append([]byte(nil), k.Public.Point...)
	}
	return k.Public.Y.FillBytes(make([]byte, byteLen(k.Public.P)))
}

// sharedSecret computes the key agreement with a peer's public key, which
// must be of the same kind and domain and is validated here. EC: the x
// coordinate (ECKA-DH); DH: y^x mod p on the byte length of p.
func (k *PrivateKey) sharedSecret(peer []byte, op string) ([]byte, error) {
	if k.Public.IsEC() {
		pt, err := k.Public.Curve.Decode(peer)
		if err != nil {
			return nil, chiperr.Wrap(chiperr.Integrity, op, err)
		}
		return k.Public.Curve.SharedSecret(k.D, pt)
	}
	p := k.Public.P
	n := byteLen(p)
	if len(peer) == 0 || len(peer) > n {
		return nil, chiperr.Newf(chiperr.Malformed, op, "DH public value of %d bytes, modulus of %d", len(peer), n)
	}
	y := new(big.Int).SetBytes(peer)
	if err := checkDHValue(p, k.Public.Q, y, op); err != nil {
		return nil, err
	}
	z := new(big.Int).Exp(y, k.X, p)
	if !inOpenRange(z, p) {
		return nil, chiperr.New(chiperr.Integrity, op, "degenerate DH shared secret")
	}
	out := z.FillBytes(make([]byte, n))
	wipeInt(z)
	return out, nil
}

// Wipe zeroes the private part of the key.
func (k *PrivateKey) Wipe() {
	clear(k.D)
	wipeInt(k.X)
}

func byteLen(p *big.Int) int { return (p.BitLen() + 7) / 8 }

// wipeInt zeroes the words behind a big.Int (math/big gives no other way).
func wipeInt(x *big.Int) {
	if x == nil {
		return
	}
	clear(x.Bits())
	x.SetInt64(0)
}
