package pace

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/asn1"
	"io"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// Offer is one protocol and parameter set the chip accepts (one PACEInfo of
// its EF.CardAccess).
type Offer struct {
	OID     asn1.ObjectIdentifier
	ParamID int
	// CAMKey is the static Chip Authentication private key (a scalar on the
	// offer's curve), required for Chip Authentication Mapping offers.
	CAMKey []byte
}

// Status words the chip answers with.
const (
	swWrongToken uint16 = 0x6300 // authentication failed
	swRefMissing uint16 = 0x6A88 // referenced data (password) not found
)

type chipStep int

const (
	chipIdle   chipStep = iota // no MSE:Set AT yet, or after a failure
	chipSet                    // MSE:Set AT accepted
	chipNonce                  // encrypted nonce sent
	chipMapped                 // ephemeral generator known
	chipAgreed                 // session keys derived, waiting for the terminal's token
)

// Chip is the card side of PACE, for the virtual card. It is not safe for
// concurrent use (a card serves one terminal).
type Chip struct {
	offers    []Offer
	passwords []Password
	rnd       io.Reader

	step    chipStep
	proto   Protocol
	paramID int
	grp     group
	curve   *ecc.Curve
	camKey  []byte
	mapPriv []byte // kept for CAM only
	pw      Password
	s       []byte // nonce
	gen     []byte // mapped generator
	ephPriv []byte
	ephPub  []byte // chip PK_DH,IC
	termPub []byte // terminal PK_DH,IFD
	ksEnc   []byte
	ksMac   []byte

	// After success.
	doneProto   Protocol
	doneParamID int
	doneChip    []byte
	doneTerm    []byte
	doneRef     PasswordRef
}

// NewChip returns a chip that accepts the given offers and passwords (for
// example the CAN and the MRZ). rnd may be nil (crypto/rand); tests pass a
// deterministic reader.
func NewChip(offers []Offer, passwords []Password, rnd io.Reader) (*Chip, error) {
	if len(offers) == 0 || len(passwords) == 0 {
		return nil, chiperr.New(chiperr.BadInput, "PACE chip", "no protocol or no password")
	}
	for _, o := range offers {
		p, ok := ProtocolByOID(o.OID)
		if !ok {
			return nil, chiperr.Newf(chiperr.Unsupported, "PACE chip", "unknown protocol %v", o.OID)
		}
		_, curve, err := domain(p, o.ParamID)
		if err != nil {
			return nil, err
		}
		if p.Mapping == CAM {
			if _, err := camData(curve, o.CAMKey, []byte{1}); err != nil || len(o.CAMKey) > curve.ScalarLen() {
				return nil, chiperr.New(chiperr.BadInput, "PACE chip", "CAM offer without a valid static key")
			}
		}
	}
	c := &Chip{rnd: rnd}
	if c.rnd == nil {
		c.rnd = rand.Reader
	}
	for _, o := range offers {
		o.CAMKey = append([]byte(nil), o.CAMKey...)
		c.offers = append(c.offers, o)
	}
	for _, pw := range passwords {
		if len(pw.Key) == 0 {
			return nil, chiperr.New(chiperr.BadInput, "PACE chip", "empty password")
		}
		c.passwords = append(c.passwords, Password{Kind: pw.Kind, Key: append([]byte(nil), pw.Key...)})
	}
	return c, nil
}

// EphemeralPublic returns the chip's ephemeral public key PK_DH,IC of the
// successful run (nil before it, and again once a new MSE:Set AT arrives),
// in wire encoding. Chip Authentication and Terminal Authentication need it.
func (c *Chip) EphemeralPublic() []byte { return append([]byte(nil), c.doneChip...) }

// TerminalEphemeralPublic returns the terminal's PK_DH,IFD of the
// successful run.
func (c *Chip) TerminalEphemeralPublic() []byte { return append([]byte(nil), c.doneTerm...) }

// Protocol returns the protocol and parameter id of the successful run.
func (c *Chip) Protocol() (Protocol, int) { return c.doneProto, c.doneParamID }

// PasswordUsed is the reference of the password of the successful run.
func (c *Chip) PasswordUsed() PasswordRef { return c.doneRef }

// Handle processes one plain command APDU. It answers MSE:Set AT (00 22 C1
// A4) and the four General Authenticate steps (10/00 86 00 00); anything else
// gets 6D00 so the caller can route it elsewhere first. When the mutual
// authentication succeeds, done is the new secure-messaging session (SSC 0).
func (c *Chip) Handle(cmd iso7816.Command) (resp iso7816.Response, done *sm.Session) {
	switch {
	case cmd.INS == insMSE && cmd.P1 == 0xC1 && cmd.P2 == 0xA4:
		return c.setAT(cmd), nil
	case cmd.INS == insGA:
		if cmd.P1 != 0 || cmd.P2 != 0 {
			c.reset()
			return sw(iso7816.SWIncorrectP1P2), nil
		}
		return c.generalAuthenticate(cmd)
	}
	return sw(iso7816.SWINSNotSupported), nil
}

func sw(v uint16) iso7816.Response { return iso7816.Response{SW: v} }

// reset forgets the run in progress and wipes its secrets.
func (c *Chip) reset() {
	for _, b := range [][]byte{c.s, c.ephPriv, c.ksEnc, c.ksMac, c.mapPriv} {
		clear(b)
	}
	c.step, c.grp, c.curve, c.camKey, c.mapPriv = chipIdle, nil, nil, nil, nil
	c.s, c.gen, c.ephPriv, c.ephPub, c.termPub, c.ksEnc, c.ksMac = nil, nil, nil, nil, nil, nil, nil
}

func (c *Chip) setAT(cmd iso7816.Command) iso7816.Response {
	// A new run starts: the previous one no longer describes the session.
	c.reset()
	c.doneProto, c.doneParamID, c.doneChip, c.doneTerm, c.doneRef = Protocol{}, 0, nil, nil, 0
	if cmd.CLA != 0x00 {
		return sw(iso7816.SWCLANotSupported)
	}
	at, err := parseSetAT(cmd.Data)
	if err != nil {
		return sw(iso7816.SWWrongData)
	}
	var offer *Offer
	for i, o := range c.offers {
		if o.OID.Equal(at.oid) && (!at.hasParam || at.paramID == o.ParamID) {
			offer = &c.offers[i]
			break
		}
	}
	if offer == nil {
		return sw(iso7816.SWWrongData)
	}
	var pw *Password
	for i, p := range c.passwords {
		if p.Kind == at.ref {
			pw = &c.passwords[i]
			break
		}
	}
	if pw == nil {
		return sw(swRefMissing)
	}
	proto, _ := ProtocolByOID(offer.OID)
	grp, curve, err := domain(proto, offer.ParamID)
	if err != nil {
		return sw(iso7816.SWWrongData)
	}
	c.proto, c.paramID, c.grp, c.curve, c.camKey, c.pw = proto, offer.ParamID, grp, curve, offer.CAMKey, *pw
	c.step = chipSet
	return sw(iso7816.SWOK)
}

func (c *Chip) generalAuthenticate(cmd iso7816.Command) (iso7816.Response, *sm.Session) {
	const op = "PACE chip"
	if c.step == chipIdle {
		return sw(iso7816.SWConditionsNotSatisfied), nil
	}
	// Steps 1 to 3 are chained (CLA 10), the last one is not (CLA 00).
	last := c.step == chipAgreed
	if (last && cmd.CLA != 0x00) || (!last && cmd.CLA != claChain) {
		c.reset()
		return sw(iso7816.SWConditionsNotSatisfied), nil
	}
	d, err := parseDynAuth(cmd.Data, op)
	if err != nil || len(cmd.Data) == 0 {
		c.reset()
		return sw(iso7816.SWWrongData), nil
	}
	var out []byte
	var done *sm.Session
	switch c.step {
	case chipSet:
		out, err = c.sendNonce(d)
	case chipNonce:
		out, err = c.mapNonce(d)
	case chipMapped:
		out, err = c.agree(d)
	case chipAgreed:
		out, done, err = c.authenticate(d)
		if err != nil {
			c.reset()
			return sw(swWrongToken), nil
		}
	}
	if err != nil {
		c.reset()
		return sw(iso7816.SWWrongData), nil
	}
	return iso7816.Response{Data: out, SW: iso7816.SWOK}, done
}

func (c *Chip) sendNonce(d dynAuth) ([]byte, error) {
	if len(d) != 0 {
		return nil, chiperr.New(chiperr.Malformed, "PACE chip", "step 1 carries data")
	}
	kpi, err := passwordKey(c.proto, c.pw)
	if err != nil {
		return nil, err
	}
	defer clear(kpi)
	c.s = make([]byte, c.proto.nonceLen())
	if _, err := io.ReadFull(c.rnd, c.s); err != nil {
		return nil, err
	}
	z, err := cbc(c.proto.Cipher, kpi, c.s, true)
	if err != nil {
		return nil, err
	}
	c.step = chipNonce
	return encodeDyn(tagNonce, z), nil
}

func (c *Chip) mapNonce(d dynAuth) ([]byte, error) {
	const op = "PACE chip mapping"
	switch c.proto.Mapping {
	case GM, CAM:
		raw, err := d.need(tagMapT, 1, c.grp.maxElement(), op)
		if err != nil {
			return nil, err
		}
		termMap, err := c.grp.decode(raw)
		if err != nil {
			return nil, err
		}
		priv, pub, err := c.grp.generate(c.rnd, c.grp.generator())
		if err != nil {
			return nil, err
		}
		if c.proto.Mapping == CAM {
			c.mapPriv = append([]byte(nil), priv...)
		}
		defer clear(priv)
		h, err := c.grp.mul(priv, termMap)
		if err != nil {
			return nil, err
		}
		if c.gen, err = c.grp.mapGeneric(c.s, h); err != nil {
			return nil, err
		}
		c.step = chipMapped
		return encodeDyn(tagMapC, pub), nil
	case IM:
		t, err := d.need(tagMapT, c.proto.KeyBytes, c.proto.KeyBytes, op)
		if err != nil {
			return nil, err
		}
		if c.gen, err = c.grp.(integratedMapper).mapIntegrated(c.proto, c.s, t); err != nil {
			return nil, err
		}
		c.step = chipMapped
		// §4.4.5.2.2: "0x82 SHALL be empty for the Integrated Mapping".
		return encodeDyn(tagMapC, nil), nil
	}
	return nil, chiperr.New(chiperr.Unsupported, op, "mapping")
}

func (c *Chip) agree(d dynAuth) ([]byte, error) {
	const op = "PACE chip key agreement"
	raw, err := d.need(tagEphT, 1, c.grp.maxElement(), op)
	if err != nil {
		return nil, err
	}
	term, err := c.grp.decode(raw)
	if err != nil {
		return nil, err
	}
	priv, pub, err := c.grp.generate(c.rnd, c.gen)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(pub, term) == 1 {
		clear(priv)
		return nil, chiperr.New(chiperr.Integrity, op, "terminal ephemeral key equals the chip's")
	}
	k, err := c.grp.secret(priv, term)
	if err != nil {
		clear(priv)
		return nil, err
	}
	defer clear(k)
	c.ephPriv, c.ephPub, c.termPub = priv, pub, term
	c.ksEnc = sm.KDF(k, sm.CounterEnc, c.proto.Cipher, c.proto.KeyBytes)
	c.ksMac = sm.KDF(k, sm.CounterMAC, c.proto.Cipher, c.proto.KeyBytes)
	c.step = chipAgreed
	return encodeDyn(tagEphC, pub), nil
}

func (c *Chip) authenticate(d dynAuth) ([]byte, *sm.Session, error) {
	const op = "PACE chip mutual authentication"
	tIFD, err := d.need(tagTokT, tokenLen, tokenLen, op)
	if err != nil {
		return nil, nil, err
	}
	want, err := tokenFor(c.proto, c.grp, c.ksMac, c.ephPub)
	if err != nil {
		return nil, nil, err
	}
	if subtle.ConstantTimeCompare(want, tIFD) != 1 {
		return nil, nil, chiperr.New(chiperr.Integrity, op, "terminal token does not verify")
	}
	tIC, err := tokenFor(c.proto, c.grp, c.ksMac, c.termPub)
	if err != nil {
		return nil, nil, err
	}
	out := ber.Encode(tagTokC, tIC)
	if c.proto.Mapping == CAM {
		ca, err := camData(c.curve, c.camKey, c.mapPriv)
		if err != nil {
			return nil, nil, err
		}
		a, err := camEncrypt(c.ksEnc, ca)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, ber.Encode(tagCAM, a)...)
	}
	sess, err := sm.NewSession(c.proto.Cipher, c.ksEnc, c.ksMac, nil)
	if err != nil {
		return nil, nil, err
	}
	c.doneProto, c.doneParamID, c.doneRef = c.proto, c.paramID, c.pw.Kind
	c.doneChip, c.doneTerm = c.ephPub, c.termPub
	c.reset()
	return ber.Encode(tagDynAuth, out), sess, nil
}

// encodeDyn builds a 7C template with one data object (none when tag is 0).
func encodeDyn(tag uint32, v []byte) []byte {
	var inner []byte
	if tag != 0 {
		inner = ber.Encode(tag, v)
	}
	return ber.Encode(tagDynAuth, inner)
}
