package chipauth

import (
	"context"
	"encoding/asn1"
	"errors"
	"io"
	"math/big"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// Authenticate runs Chip Authentication over t, the secure channel opened by
// BAC or PACE, and returns the session the caller must switch t to
// (sm.Channel.Switch): the chip answers the CA command under the old keys
// and expects the new ones from the next command on.
//
// oid is the protocol (ChipAuthenticationInfo, or DefaultOID when DG14 has
// none); keyID is the key reference when DG14 lists several keys, else nil;
// chip is the chip's static public key; rnd nil means crypto/rand.
//
// 3DES runs MSE:Set KAT (00 22 41 A6); AES runs MSE:Set AT (00 22 41 A4)
// and General Authenticate (00 86 00 00). A card that refuses the command
// yields its status as a chip error, after which it may have closed the
// secure channel: the caller must run BAC or PACE again before reading on.
// A card that accepts and then cannot read the next command under the new
// keys does not hold the private key of DG14, which the caller learns from
// the first Integrity error of the new session: CA is only proven once a
// command has gone through under the new keys.
func Authenticate(ctx context.Context, t iso7816.Transmitter, oid asn1.ObjectIdentifier, keyID *int, chip PublicKey, rnd io.Reader) (*sm.Session, error) {
	secret, p, err := authenticate(ctx, t, oid, keyID, chip, rnd)
	if err != nil {
		return nil, err
	}
	defer clear(secret)
	return newSession(p, secret)
}

// authenticate is Authenticate up to the shared secret.
func authenticate(ctx context.Context, t iso7816.Transmitter, oid asn1.ObjectIdentifier, keyID *int, chip PublicKey, rnd io.Reader) ([]byte, Protocol, error) {
	const op = "CA"
	p, ok := ProtocolByOID(oid)
	if !ok {
		return nil, p, chiperr.Newf(chiperr.Unsupported, op, "protocol %v", oid)
	}
	if p.EC != chip.IsEC() {
		return nil, p, chiperr.Newf(chiperr.Malformed, op, "%s with a key of the other kind", p.Name)
	}
	if keyID != nil && *keyID < 0 {
		return nil, p, chiperr.New(chiperr.Malformed, op, "negative key reference")
	}
	if err := chip.Validate(); err != nil {
		return nil, p, err
	}
	eph, err := generateLike(rnd, chip)
	if err != nil {
		return nil, p, err
	}
	defer eph.Wipe()
	secret, err := eph.sharedSecret(encodeStatic(chip), op+": chip public key")
	if err != nil {
		return nil, p, err
	}
	pub := eph.encodePublic()
	if p.UsesKAT() {
		err = setKAT(ctx, t, pub, keyID)
	} else {
		err = setATAndGA(ctx, t, p, pub, keyID)
	}
	if err != nil {
		clear(secret)
		return nil, p, err
	}
	return secret, p, nil
}

// generateLike makes an ephemeral key on the chip key's curve or group.
func generateLike(rnd io.Reader, chip PublicKey) (*PrivateKey, error) {
	if chip.IsEC() {
		return GenerateECKey(rnd, chip.Curve)
	}
	return GenerateDHKey(rnd, chip.P, chip.G, chip.Q)
}

// encodeStatic puts the chip's key in the form sharedSecret takes.
func encodeStatic(k PublicKey) []byte {
	if k.IsEC() {
		return k.Point
	}
	return k.Y.FillBytes(make([]byte, byteLen(k.P)))
}

// keyIDBytes encodes a key reference as the minimal unsigned big-endian integer.
func keyIDBytes(id int) []byte {
	b := big.NewInt(int64(id)).Bytes()
	if len(b) == 0 {
		return []byte{0}
	}
	return b
}

func setKAT(ctx context.Context, t iso7816.Transmitter, pub []byte, keyID *int) error {
	data := ber.Encode(0x91, pub)
	if keyID != nil {
		data = append(data, ber.Encode(0x84, keyIDBytes(*keyID))...)
	}
	return expectOK(ctx, t, iso7816.Command{INS: 0x22, P1: 0x41, P2: 0xA6, Data: data}, "CA: MSE:Set KAT")
}

func setATAndGA(ctx context.Context, t iso7816.Transmitter, p Protocol, pub []byte, keyID *int) error {
	data := ber.Encode(0x80, ber.OIDContents(p.OID))
	if keyID != nil {
		data = append(data, ber.Encode(0x84, keyIDBytes(*keyID))...)
	}
	if err := expectOK(ctx, t, iso7816.Command{INS: 0x22, P1: 0x41, P2: 0xA4, Data: data}, "CA: MSE:Set AT"); err != nil {
		return err
	}
	const op = "CA: General Authenticate"
	r, err := iso7816.Do(ctx, t, iso7816.Command{INS: 0x86, Data: ber.Encode(0x7C, ber.Encode(0x80, pub)), Ne: iso7816.MaxShortNe})
	if err != nil {
		return chiperr.Wrap(chiperr.Transport, op, err)
	}
	if err := r.Err(); err != nil {
		return statusError(op, err)
	}
	return checkGAResponse(r.Data)
}

// checkGAResponse accepts an absent or empty dynamic authentication data
// object. A nonce (DO'81') or token (DO'82') belongs to CA version 2, which
// runs after Terminal Authentication and derives other keys: refuse it
// rather than switch to keys the chip does not hold.
func checkGAResponse(b []byte) error {
	const op = "CA: General Authenticate response"
	if len(b) == 0 {
		return nil
	}
	dos, err := parseDOs(b, op)
	if err != nil {
		return err
	}
	if len(dos) != 1 || dos[0].Tag != 0x7C {
		return chiperr.New(chiperr.Malformed, op, "not a dynamic authentication data object")
	}
	inner, err := parseDOs(dos[0].Value, op)
	if err != nil {
		return err
	}
	for _, d := range inner {
		if d.Tag == 0x81 || d.Tag == 0x82 {
			return chiperr.New(chiperr.Unsupported, op, "chip answers with CA version 2 data")
		}
	}
	return nil
}

func expectOK(ctx context.Context, t iso7816.Transmitter, cmd iso7816.Command, op string) error {
	r, err := iso7816.Do(ctx, t, cmd)
	if err != nil {
		return chiperr.Wrap(chiperr.Transport, op, err)
	}
	if err := r.Err(); err != nil {
		return statusError(op, err)
	}
	if len(r.Data) != 0 {
		return chiperr.Newf(chiperr.Malformed, op, "%d unexpected response bytes", len(r.Data))
	}
	return nil
}

// statusError keeps the kind a status word maps to.
func statusError(op string, err error) error {
	var se *iso7816.StatusError
	if errors.As(err, &se) {
		return chiperr.Wrap(se.Kind(), op, err)
	}
	return chiperr.Wrap(chiperr.Status, op, err)
}

// newSession derives the session keys of ICAO 9303-11 §9.7.1 from the shared
// secret; the SSC starts at zero.
func newSession(p Protocol, secret []byte) (*sm.Session, error) {
	kEnc := sm.KDF(secret, sm.CounterEnc, p.Cipher, p.KeyBytes)
	kMac := sm.KDF(secret, sm.CounterMAC, p.Cipher, p.KeyBytes)
	defer clear(kEnc)
	defer clear(kMac)
	if kEnc == nil || kMac == nil {
		return nil, chiperr.Newf(chiperr.Unsupported, "CA: key derivation", "%s", p.Name)
	}
	return sm.NewSession(p.Cipher, kEnc, kMac, nil)
}
