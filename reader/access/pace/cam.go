package pace

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"math/big"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// Chip Authentication Mapping (ICAO 9303-11 §4.4.3.5): the chip appends to
// its token A_IC = E(KSenc, CA_IC), where CA_IC = SK_IC⁻¹ · SK_Map,IC mod n
// binds its static Chip Authentication key to the mapping key it just used.
// The encryption is AES-CBC with IV = E(KSenc, -1) and ISO 9797-1 padding
// method 2.

func camIV(b cipher.Block) []byte {
	iv := make([]byte, b.BlockSize())
	for i := range iv {
		iv[i] = 0xFF
	}
	b.Encrypt(iv, iv)
	return iv
}

func camEncrypt(ksEnc, ca []byte) ([]byte, error) {
	b, err := aes.NewCipher(ksEnc)
	if err != nil {
		return nil, chiperr.New(chiperr.Unsupported, "PACE CAM", "bad session key")
	}
	in := sm.Pad(ca, aes.BlockSize)
	out := make([]byte, len(in))
	cipher.NewCBCEncrypter(b, camIV(b)).CryptBlocks(out, in)
	return out, nil
}

func camDecrypt(ksEnc, a []byte) ([]byte, error) {
	const op = "PACE CAM"
	b, err := aes.NewCipher(ksEnc)
	if err != nil {
		return nil, chiperr.New(chiperr.Unsupported, op, "bad session key")
	}
	if len(a) == 0 || len(a)%aes.BlockSize != 0 {
		return nil, chiperr.Newf(chiperr.Malformed, op, "chip authentication data of %d bytes", len(a))
	}
	out := make([]byte, len(a))
	cipher.NewCBCDecrypter(b, camIV(b)).CryptBlocks(out, a)
	ca, err := sm.Unpad(out)
	if err != nil || len(ca) == 0 {
		return nil, chiperr.New(chiperr.Integrity, op, "chip authentication data does not decrypt")
	}
	return ca, nil
}

// camData computes CA_IC = SK_IC⁻¹ · SK_Map,IC mod n on the chip's side.
func camData(c *ecc.Curve, static, mapPriv []byte) ([]byte, error) {
	n := c.Params().N
	inv := new(big.Int).ModInverse(new(big.Int).Mod(new(big.Int).SetBytes(static), n), n)
	if inv == nil {
		return nil, chiperr.New(chiperr.BadInput, "PACE CAM", "static key is zero")
	}
	ca := inv.Mul(inv, new(big.Int).SetBytes(mapPriv))
	ca.Mod(ca, n)
	return ca.FillBytes(make([]byte, c.ScalarLen())), nil
}

// VerifyCAM completes Chip Authentication Mapping once the terminal has read
// the chip's static Chip Authentication public key (from EF.CardSecurity,
// whose signature the caller verifies): it checks PK_Map,IC = CA_IC · PK_IC.
// Until it returns nil the chip is not authenticated, only the channel is.
func VerifyCAM(res *Result, chipStaticPublic []byte) error {
	const op = "PACE CAM verification"
	if res == nil || res.Curve == nil || len(res.ChipAuthenticationData) == 0 || len(res.ChipMappingPublic) == 0 {
		return chiperr.New(chiperr.BadInput, op, "no Chip Authentication Mapping data in this PACE result")
	}
	pk, err := res.Curve.Decode(chipStaticPublic)
	if err != nil {
		return chiperr.Wrap(chiperr.Integrity, op, err)
	}
	if len(res.ChipAuthenticationData) > res.Curve.ScalarLen() {
		return chiperr.New(chiperr.Integrity, op, "chip authentication data too long")
	}
	got, err := res.Curve.ScalarMult(pk, res.ChipAuthenticationData)
	if err != nil {
		return chiperr.Wrap(chiperr.Integrity, op, err)
	}
	if subtle.ConstantTimeCompare(res.Curve.Encode(got), res.ChipMappingPublic) != 1 {
		return chiperr.New(chiperr.Integrity, op, "chip authentication data does not match the static key")
	}
	return nil
}
