package pace

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/asn1"
	"errors"
	"io"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// Result is what a successful PACE run yields.
type Result struct {
	// Session is the secure-messaging session keyed with KSenc/KSmac, SSC 0.
	Session *sm.Session
	// ChipEphemeralPublic is the chip's ephemeral public key PK_DH,IC in wire
	// encoding (uncompressed point, or y on |p| bytes). Terminal and Chip
	// Authentication need it (ID_PICC = Comp(PK_DH,IC)).
	ChipEphemeralPublic []byte
	// TerminalEphemeralPublic is the terminal's PK_DH,IFD.
	TerminalEphemeralPublic []byte
	Protocol                Protocol
	ParamID                 int
	// Curve is the curve of the protocol, nil for DH.
	Curve *ecc.Curve
	// CAR and CAR2 are the certification authority references the chip may
	// return with its token (DO 87, 88), for Terminal Authentication.
	CAR, CAR2 []byte
	// ChipAuthenticationData (CA_IC) and ChipMappingPublic (PK_Map,IC) are
	// set by Chip Authentication Mapping; VerifyCAM checks them against the
	// chip's static key.
	ChipAuthenticationData []byte
	ChipMappingPublic      []byte
}

// Options tunes Authenticate for chips that need it.
type Options struct {
	// OmitParamID leaves DO 84 (domain parameter id) out of MSE:Set AT. The
	// specification makes it conditional; some chips require it, a few old
	// ones may reject it.
	OmitParamID bool
}

// Authenticate runs PACE as the terminal: MSE:Set AT, then the chain of four
// General Authenticate commands. paramID is the standardized domain
// parameter id (PACEInfo.parameterId). rnd may be nil (crypto/rand).
//
// A wrong password ends in a chiperr.AccessDenied error, a chip whose token
// does not verify in chiperr.Integrity, and a malformed or invalid chip value
// in chiperr.Malformed or chiperr.Integrity.
func Authenticate(ctx context.Context, t iso7816.Transmitter, oid asn1.ObjectIdentifier, paramID int, pw Password, rnd io.Reader) (*Result, error) {
	return AuthenticateWithOptions(ctx, t, oid, paramID, pw, rnd, Options{})
}

// domain returns the group of a protocol and parameter id.
func domain(p Protocol, paramID int) (group, *ecc.Curve, error) {
	if !p.Supported() {
		return nil, nil, chiperr.Newf(chiperr.Unsupported, "PACE", "%s is not implemented", p.Name)
	}
	switch p.Agreement {
	case ECDH:
		c, ok := ecc.ByParamID(paramID)
		if !ok {
			return nil, nil, chiperr.Newf(chiperr.Unsupported, "PACE", "no curve for parameter id %d", paramID)
		}
		return ecGroup{c}, c, nil
	case DH:
		g, ok := dhGroups[paramID]
		if !ok {
			return nil, nil, chiperr.Newf(chiperr.Unsupported, "PACE", "no DH group for parameter id %d", paramID)
		}
		return g, nil, nil
	}
	return nil, nil, chiperr.New(chiperr.Unsupported, "PACE", "unknown key agreement")
}

// AuthenticateWithOptions is Authenticate with Options.
func AuthenticateWithOptions(ctx context.Context, t iso7816.Transmitter, oid asn1.ObjectIdentifier, paramID int, pw Password, rnd io.Reader, opts Options) (*Result, error) {
	proto, ok := ProtocolByOID(oid)
	if !ok {
		return nil, chiperr.Newf(chiperr.Unsupported, "PACE", "unknown protocol %v", oid)
	}
	grp, curve, err := domain(proto, paramID)
	if err != nil {
		return nil, err
	}
	if pw.Kind < RefMRZ || pw.Kind > RefPUK {
		return nil, chiperr.New(chiperr.BadInput, "PACE", "unknown password reference")
	}
	kpi, err := passwordKey(proto, pw)
	if err != nil {
		return nil, err
	}
	defer clear(kpi)
	if rnd == nil {
		rnd = rand.Reader
	}
	run := &terminalRun{ctx: ctx, t: t}

	// MSE:Set AT.
	pid := paramID
	if opts.OmitParamID {
		pid = -1
	}
	mse, err := SetATCommand(oid, pw.Kind, pid)
	if err != nil {
		return nil, err
	}
	if _, err := run.step(0, mse, "PACE MSE:Set AT"); err != nil {
		return nil, err
	}

	// Step 1: encrypted nonce.
	const op1 = "PACE General Authenticate (nonce)"
	d, err := run.step(1, gaCommand(0, nil, false), op1)
	if err != nil {
		return nil, err
	}
	bs := proto.Cipher.BlockSize()
	z, err := d.need(tagNonce, bs, maxNonce, op1)
	if err != nil {
		return nil, err
	}
	if len(z)%bs != 0 || (proto.Mapping == IM && len(z) != proto.nonceLen()) {
		return nil, chiperr.Newf(chiperr.Malformed, op1, "encrypted nonce of %d bytes", len(z))
	}
	s, err := cbc(proto.Cipher, kpi, z, false)
	if err != nil {
		return nil, err
	}
	defer clear(s)

	// Step 2: mapping.
	gen, chipMap, err := run.mapNonce(proto, grp, s, rnd)
	if err != nil {
		return nil, err
	}

	// Step 3: key agreement on the mapped generator.
	const op3 = "PACE General Authenticate (key agreement)"
	ephPriv, ephPub, err := grp.generate(rnd, gen)
	if err != nil {
		return nil, err
	}
	defer clear(ephPriv)
	if d, err = run.step(3, gaCommand(tagEphT, ephPub, false), op3); err != nil {
		return nil, err
	}
	raw, err := d.need(tagEphC, 1, grp.maxElement(), op3)
	if err != nil {
		return nil, err
	}
	chipPub, err := grp.decode(raw)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Integrity, op3, err)
	}
	if subtle.ConstantTimeCompare(chipPub, ephPub) == 1 {
		return nil, chiperr.New(chiperr.Integrity, op3, "chip ephemeral key equals the terminal's")
	}
	k, err := grp.secret(ephPriv, chipPub)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Integrity, op3, err)
	}
	defer clear(k)
	ksEnc := sm.KDF(k, sm.CounterEnc, proto.Cipher, proto.KeyBytes)
	ksMac := sm.KDF(k, sm.CounterMAC, proto.Cipher, proto.KeyBytes)

	// Step 4: mutual authentication.
	const op4 = "PACE General Authenticate (mutual authentication)"
	tIFD, err := tokenFor(proto, grp, ksMac, chipPub)
	if err != nil {
		return nil, err
	}
	if d, err = run.step(4, gaCommand(tagTokT, tIFD, true), op4); err != nil {
		return nil, err
	}
	tIC, err := d.need(tagTokC, tokenLen, tokenLen, op4)
	if err != nil {
		return nil, err
	}
	want, err := tokenFor(proto, grp, ksMac, ephPub)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(tIC, want) != 1 {
		return nil, chiperr.New(chiperr.Integrity, op4, "chip authentication token does not verify")
	}
	var ca []byte
	if proto.Mapping == CAM {
		a, err := d.need(tagCAM, 16, maxCAM, op4)
		if err != nil {
			return nil, err
		}
		if ca, err = camDecrypt(ksEnc, a); err != nil {
			return nil, err
		}
	}
	sess, err := sm.NewSession(proto.Cipher, ksEnc, ksMac, nil)
	if err != nil {
		return nil, err
	}
	res := &Result{
		Session:                 sess,
		ChipEphemeralPublic:     chipPub,
		TerminalEphemeralPublic: ephPub,
		Protocol:                proto,
		ParamID:                 paramID,
		Curve:                   curve,
		CAR:                     d[tagCAR],
		CAR2:                    d[tagCAR2],
	}
	if proto.Mapping == CAM {
		res.ChipAuthenticationData, res.ChipMappingPublic = ca, chipMap
	}
	return res, nil
}

// mapNonce runs step 2 and returns the mapped generator and, for GM and
// CAM, the chip's mapping public key PK_Map,IC.
func (r *terminalRun) mapNonce(proto Protocol, grp group, s []byte, rnd io.Reader) (gen, chipMap []byte, err error) {
	const op = "PACE General Authenticate (mapping)"
	if proto.Mapping == IM {
		tn := make([]byte, proto.KeyBytes)
		if _, err := io.ReadFull(rnd, tn); err != nil {
			return nil, nil, chiperr.Wrap(chiperr.Transport, op, err)
		}
		// The chip's answer carries an empty DO 82 (or nothing): ignored.
		if _, err := r.step(2, gaCommand(tagMapT, tn, false), op); err != nil {
			return nil, nil, err
		}
		if gen, err = grp.(integratedMapper).mapIntegrated(proto, s, tn); err != nil {
			return nil, nil, chiperr.Wrap(chiperr.Integrity, op, err)
		}
		return gen, nil, nil
	}
	mapPriv, mapPub, err := grp.generate(rnd, grp.generator())
	if err != nil {
		return nil, nil, err
	}
	defer clear(mapPriv)
	d, err := r.step(2, gaCommand(tagMapT, mapPub, false), op)
	if err != nil {
		return nil, nil, err
	}
	raw, err := d.need(tagMapC, 1, grp.maxElement(), op)
	if err != nil {
		return nil, nil, err
	}
	if chipMap, err = grp.decode(raw); err != nil {
		return nil, nil, chiperr.Wrap(chiperr.Integrity, op, err)
	}
	h, err := grp.mul(mapPriv, chipMap)
	if err != nil {
		return nil, nil, chiperr.Wrap(chiperr.Integrity, op, err)
	}
	if gen, err = grp.mapGeneric(s, h); err != nil {
		return nil, nil, chiperr.Wrap(chiperr.Integrity, op, err)
	}
	return gen, chipMap, nil
}

// tokenFor is the token over the other side's ephemeral public key.
func tokenFor(p Protocol, g group, ksMac, pub []byte) ([]byte, error) {
	do, err := publicKeyDO(p.OID, g.tokenTag(), g.tokenValue(pub))
	if err != nil {
		return nil, err
	}
	return authToken(p, ksMac, do)
}

type terminalRun struct {
	ctx context.Context
	t   iso7816.Transmitter
}

// step sends one command of the protocol and returns its parsed data, or a
// typed error for the transport, the context or the status word.
func (r *terminalRun) step(n int, cmd iso7816.Command, op string) (dynAuth, error) {
	if err := ctxErr(r.ctx, op); err != nil {
		return nil, err
	}
	resp, err := iso7816.Do(r.ctx, r.t, cmd)
	if err != nil {
		if cerr := ctxErr(r.ctx, op); cerr != nil {
			return nil, cerr
		}
		return nil, chiperr.Wrap(chiperr.Transport, op, err)
	}
	if err := statusError(n, resp.SW, op); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	return parseDynAuth(resp.Data, op)
}

func ctxErr(ctx context.Context, op string) error {
	err := ctx.Err()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		return chiperr.Wrap(chiperr.Timeout, op, err)
	}
	return chiperr.Wrap(chiperr.Canceled, op, err)
}

// statusError maps the status word of step n (0 = MSE:Set AT) onto an error
// kind. A refused password shows as 63CX or 6983 anywhere, and as 6300,
// 6982 or 6A80 on the mutual authentication step, where the chip finds the
// terminal's token wrong.
func statusError(n int, sw uint16, op string) error {
	if sw == iso7816.SWOK {
		return nil
	}
	counter := sw&0xFFF0 == 0x63C0
	kind := chiperr.Status
	switch {
	case n == 0 && counter && sw&0xF > 0:
		return nil // a retry counter warning (PIN): the password is still usable
	case counter, sw == iso7816.SWAuthMethodBlocked:
		kind = chiperr.AccessDenied
	case n == 0 && (sw == iso7816.SWWrongData || sw == 0x6A88 || sw == iso7816.SWFuncNotSupported ||
		sw == iso7816.SWIncorrectP1P2 || sw == iso7816.SWINSNotSupported):
		kind = chiperr.Unsupported
	case n > 0 && (sw == 0x6300 || sw == iso7816.SWSecurityStatus):
		kind = chiperr.AccessDenied
	case n == 4 && (sw == iso7816.SWWrongData || sw == iso7816.SWSMObjectsIncorrect):
		kind = chiperr.AccessDenied
	}
	// Built directly: chiperr.Wrap would let the status word's generic kind
	// win over the meaning it has at this step.
	return &chiperr.Error{Kind: kind, Op: op, Err: &iso7816.StatusError{SW: sw}}
}
