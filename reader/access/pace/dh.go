package pace

import (
	"crypto/rand"
	"io"
	"math/big"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// dhGroup is a prime-order subgroup of Z_p* (the standardized PACE groups
// are those of RFC 5114 §2.1–2.3, ICAO 9303-11 Table 6 ids 0, 1, 2).
type dhGroup struct {
	name    string
	p, g, q *big.Int
}

func mustHex(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("pace: bad constant " + s[:8])
	}
	return v
}

// The groups of RFC 5114 §2.1, §2.2 and §2.3. Their consistency (p and q
// prime, q | p-1, g of order q) is checked by TestDHGroups.
var dhGroups = map[int]*dhGroup{
	0: {
		name: "RFC 5114 1024-bit MODP, 160-bit subgroup",
		p: mustHex("B10B8F96A080E01DDE92DE5EAE5D54EC52C99FBCFB06A3C69A6A9DCA52D23B616073E28675A23D189838EF1E2EE652C0" +
			"13ECB4AEA906112324975C3CD49B83BFACCBDD7D90C4BD7098488E9C219A73724EFFD6FAE5644738FAA31A4FF55BCCC0" +
			"A151AF5F0DC8B4BD45BF37DF365C1A65E68CFDA76D4DA708DF1FB2BC2E4A4371"),
		g: mustHex("A4D1CBD5C3FD34126765A442EFB99905F8104DD258AC507FD6406CFF14266D31266FEA1E5C41564B777E690F5504F213" +
			"160217B4B01B886A5E91547F9E2749F4D7FBD7D3B9A92EE1909D0D2263F80A76A6A24C087A091F531DBF0A0169B6A28A" +
			"D662A4D18E73AFA32D779D5918D08BC8858F4DCEF97C2A24855E6EEB22B3B2E5"),
		q: mustHex("F518AA8781A8DF278ABA4E7D64B7CB9D49462353"),
	},
	1: {
		name: "RFC 5114 2048-bit MODP, 224-bit subgroup",
		p: mustHex("AD107E1E9123A9D0D660FAA79559C51FA20D64E5683B9FD1B54B1597B61D0A75E6FA141DF95A56DBAF9A3C407BA1DF15" +
			"EB3D688A309C180E1DE6B85A1274A0A66D3F8152AD6AC2129037C9EDEFDA4DF8D91E8FEF55B7394B7AD5B7D0B6C12207" +
			"C9F98D11ED34DBF6C6BA0B2C8BBC27BE6A00E0A0B9C49708B3BF8A317091883681286130BC8985DB1602E714415D9330" +
			"278273C7DE31EFDC7310F7121FD5A07415987D9ADC0A486DCDF93ACC44328387315D75E198C641A480CD86A1B9E587E8" +
			"BE60E69CC928B2B9C52172E413042E9B23F10B0E16E79763C9B53DCF4BA80A29E3FB73C16B8E75B97EF363E2FFA31F71" +
			"CF9DE5384E71B81C0AC4DFFE0C10E64F"),
		g: mustHex("AC4032EF4F2D9AE39DF30B5C8FFDAC506CDEBE7B89998CAF74866A08CFE4FFE3A6824A4E10B9A6F0DD921F01A70C4AFA" +
			"AB739D7700C29F52C57DB17C620A8652BE5E9001A8D66AD7C17669101999024AF4D027275AC1348BB8A762D0521BC98A" +
			"E247150422EA1ED409939D54DA7460CDB5F6C6B250717CBEF180EB34118E98D119529A45D6F834566E3025E316A330EF" +
			"BB77A86F0C1AB15B051AE3D428C8F8ACB70A8137150B8EEB10E183EDD19963DDD9E263E4770589EF6AA21E7F5F2FF381" +
			"B539CCE3409D13CD566AFBB48D6C019181E1BCFE94B30269EDFE72FE9B6AA4BD7B5A0F1C71CFFF4C19C418E1F6EC0179" +
			"81BC087F2A7065B384B890D3191F2BFA"),
		q: mustHex("801C0D34C58D93FE997177101F80535A4738CEBCBF389A99B36371EB"),
	},
	2: {
		name: "RFC 5114 2048-bit MODP, 256-bit subgroup",
		p: mustHex("87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00E00DF8F1D61957D4FAF7DF4561B2AA30" +
			"16C3D91134096FAA3BF4296D830E9A7C209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B" +
			"6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76B63ACAE1CAA6B7902D52526735488A0E" +
			"F13C6D9A51BFA4AB3AD8347796524D8EF6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026" +
			"C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103A4B54330C198AF126116D2276E11715F" +
			"693877FAD7EF09CADB094AE91E1A1597"),
		g: mustHex("3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA12510DBC15077BE463FFF4FED4AAC0BB555" +
			"BE3A6C1B0C6B47B1BC3773BF7E8C6F62901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B" +
			"777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193B5045AF2767164E1DFC967C1FB3F2E55" +
			"A4BD1BFFE83B9C80D052B985D182EA0ADB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915" +
			"B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C32F63078490F00EF8D647D148D4795451" +
			"5E2327CFEF98C582664B4C0F6CC41659"),
		q: mustHex("8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3"),
	},
}

func (d *dhGroup) byteLen() int { return (d.p.BitLen() + 7) / 8 }

func (d *dhGroup) enc(v *big.Int) []byte { return v.FillBytes(make([]byte, d.byteLen())) }

func (d *dhGroup) generator() []byte { return d.enc(d.g) }

// decode accepts y on at most |p| bytes with 1 < y < p-1 and y^q = 1 mod p,
// which rules out the small subgroups a hostile peer could push us into.
func (d *dhGroup) decode(b []byte) ([]byte, error) {
	if len(b) == 0 || len(b) > d.byteLen() {
		return nil, chiperr.Newf(chiperr.Malformed, "decode DH element", "%d bytes, want at most %d", len(b), d.byteLen())
	}
	y := new(big.Int).SetBytes(b)
	pm1 := new(big.Int).Sub(d.p, big.NewInt(1))
	if y.Cmp(big.NewInt(1)) <= 0 || y.Cmp(pm1) >= 0 {
		return nil, chiperr.New(chiperr.Integrity, "decode DH element", "out of range")
	}
	if new(big.Int).Exp(y, d.q, d.p).Cmp(big.NewInt(1)) != 0 {
		return nil, chiperr.New(chiperr.Integrity, "decode DH element", "not in the prime-order subgroup")
	}
	return d.enc(y), nil
}

func (d *dhGroup) generate(rnd io.Reader, gen []byte) ([]byte, []byte, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	gv := new(big.Int).SetBytes(gen)
	ql := (d.q.BitLen() + 7) / 8
	priv := make([]byte, ql)
	for tries := 0; tries < 100; tries++ {
		if _, err := io.ReadFull(rnd, priv); err != nil {
			return nil, nil, chiperr.Wrap(chiperr.Transport, "DH key generation", err)
		}
		if excess := ql*8 - d.q.BitLen(); excess > 0 {
			priv[0] &= byte(0xFF >> excess)
		}
		x := new(big.Int).SetBytes(priv)
		if x.Sign() == 0 || x.Cmp(d.q) >= 0 {
			continue
		}
		return priv, d.enc(new(big.Int).Exp(gv, x, d.p)), nil
	}
	return nil, nil, chiperr.New(chiperr.Transport, "DH key generation", "random source keeps producing out-of-range values")
}

func (d *dhGroup) mul(priv, elem []byte) ([]byte, error) {
	r := new(big.Int).Exp(new(big.Int).SetBytes(elem), new(big.Int).SetBytes(priv), d.p)
	if r.Cmp(big.NewInt(1)) <= 0 {
		return nil, chiperr.New(chiperr.Integrity, "DH exponentiation", "degenerate result")
	}
	return d.enc(r), nil
}

// mapGeneric returns g~ = g^s · h mod p.
func (d *dhGroup) mapGeneric(s, h []byte) ([]byte, error) {
	gs := new(big.Int).Exp(d.g, new(big.Int).SetBytes(s), d.p)
	r := gs.Mul(gs, new(big.Int).SetBytes(h))
	r.Mod(r, d.p)
	if r.Cmp(big.NewInt(1)) <= 0 {
		return nil, chiperr.New(chiperr.Integrity, "PACE DH mapping", "mapped generator is degenerate")
	}
	return d.enc(r), nil
}

// secret is K = y^x mod p on the length of p.
func (d *dhGroup) secret(priv, peer []byte) ([]byte, error) { return d.mul(priv, peer) }

func (d *dhGroup) tokenTag() uint32 { return 0x84 }

// tokenValue is y as an unsigned integer without leading zero octets
// (TR-03110-3 D.2.1.1); on the wire y keeps the length of p.
func (d *dhGroup) tokenValue(pub []byte) []byte {
	for len(pub) > 1 && pub[0] == 0 {
		pub = pub[1:]
	}
	return pub
}

func (d *dhGroup) maxElement() int { return d.byteLen() }
