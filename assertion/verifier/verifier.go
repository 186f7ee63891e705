// Package verifier is what a service runs on the assertion it receives:
// it checks the answer against the service's own request (client_id,
// nonce, state, lifetime, replay), the data against the State's signature
// with the service's own trust store of CSCAs, and the chip's Active
// Authentication signature over the challenge derived from the request.
// It trusts nothing the application says about itself.
package verifier

import (
	"context"
	"encoding/asn1"
	"errors"
	"fmt"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/reader/aa"
	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/pki"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// Expected is what the service itself recorded when it made the request.
type Expected struct {
	ClientID string
	Nonce    string
	State    string
	Expires  time.Time
}

// Presence is what can be said about the chip being there.
type Presence string

const (
	// ChipPresent: the chip signed this request's challenge.
	ChipPresent Presence = "proven"
	// ChipNotProvable: the chip has no Active Authentication; the data can
	// still be genuine.
	ChipNotProvable Presence = "not provable"
)

// Result is a verified assertion.
type Result struct {
	// Data are the released data, as text (the photo apart).
	Data     map[assertion.Datum]string
	Released []assertion.Datum
	// Photo is the encoded face (JPEG or JPEG 2000) when released.
	Photo       []byte
	PhotoFormat lds.ImageFormat
	// Issuer is the country of the CSCA that vouches for the data.
	Issuer string
	// Demo: the data chain to a demo CSCA (the virtual card); never real.
	Demo         bool
	ChipPresence Presence
	// NotProven lists, in plain English, what could not be proven.
	NotProven []string
	// Groups are the data groups of the released data, each checked
	// against its hash signed in EF.SOD (assertion/pivot reads where each
	// value comes from: the MRZ or DG11).
	Groups map[int][]byte
	// Report is the passive authentication as this verifier made it.
	Report *verify.Report
}

// Verifier checks assertions for one service.
type Verifier struct {
	// Store holds the CSCAs the service trusts.
	Store *pki.Store
	// Seen remembers answered nonces: an assertion is accepted once.
	// &request.StoreReplay{} keeps them in memory; request.NewReplay over
	// a Redis store shares them between the service's processes.
	Seen request.Replay
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// MaxAge bounds how old an assertion may be (5 minutes when 0).
	MaxAge time.Duration
}

// Verify checks one posted answer (vp_token and state) against exp.
// Every refusal is an [*Error] whose [Reason] says what the service can do.
func (v *Verifier) Verify(vpToken []byte, state string, exp Expected) (*Result, error) {
	return v.VerifyContext(context.Background(), vpToken, state, exp)
}

// VerifyContext is Verify with a context for the replay store. A store
// that fails (Redis unreachable) is not a refusal: its error comes back
// as such, no [Reason], and the assertion may be posted again.
func (v *Verifier) VerifyContext(ctx context.Context, vpToken []byte, state string, exp Expected) (*Result, error) {
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	maxAge := v.MaxAge
	if maxAge == 0 {
		maxAge = 5 * time.Minute
	}
	t, err := assertion.ParseToken(vpToken)
	if err != nil {
		if errors.Is(err, assertion.TooLarge) {
			return nil, refuseErr(TooLarge, err)
		}
		return nil, refuseErr(Malformed, err)
	}
	// Made for this service and this request?
	switch {
	case state != exp.State:
		return nil, refuse(OtherRequest, "state does not match")
	case t.ClientID != exp.ClientID:
		return nil, refuse(OtherRequest, fmt.Sprintf("made for %q, not %q", t.ClientID, exp.ClientID))
	case t.Nonce != exp.Nonce:
		return nil, refuse(OtherRequest, "nonce does not match")
	case now.After(exp.Expires.Add(request.ClockSkew)):
		return nil, refuse(Expired, "the request expired at "+exp.Expires.UTC().Format(time.RFC3339))
	case time.Unix(t.IssuedAt, 0).After(now.Add(request.ClockSkew)) || now.Sub(time.Unix(t.IssuedAt, 0)) > maxAge:
		return nil, refuse(Expired, fmt.Sprintf("issued at %d", t.IssuedAt))
	}
	dgs := t.Groups()
	for _, d := range t.Released {
		if _, ok := dgs[d.DataGroup()]; !ok {
			return nil, refuse(Incomplete, fmt.Sprintf("%s released without DG%d", d, d.DataGroup()))
		}
	}
	// Passive authentication of what was sent, with the service's CSCAs.
	doc := &document.Document{SOD: t.SOD, DataGroups: dgs}
	if b, ok := dgs[1]; ok {
		doc.MRZ, _ = lds.ParseDG1(b)
	}
	if b, ok := dgs[14]; ok {
		doc.DG14, _ = lds.ParseDG14(b)
	}
	rep := verify.Verify(doc, v.Store, verify.Options{Now: now})
	if err := passive(rep, t.GroupNumbers()); err != nil {
		return nil, err
	}
	// The SOD's signature passed: what it lists is the State's word.
	sod, err := lds.ParseSOD(t.SOD)
	if err != nil {
		return nil, refuseErr(DocumentSignature, err)
	}
	res := &Result{Released: t.Released, Report: rep, Demo: rep.DemoPKI, Issuer: rep.Country}
	if err := presence(t, sod, dgs, doc); err != nil {
		return nil, err
	}
	if t.ChipPresence.Provable {
		res.ChipPresence = ChipPresent
	} else {
		res.ChipPresence = ChipNotProvable
		res.NotProven = append(res.NotProven, "That the chip was present: it has no Active Authentication (the data themselves are genuine).")
	}
	// Accepted once: after every check, so a forged copy cannot burn it.
	if v.Seen != nil {
		// Remembered as long as this answer could pass the time checks above.
		fresh, err := v.Seen.Add(ctx, "answer\x00"+t.ClientID+"\x00"+t.Nonce, maxAge+request.MaxLifetime+request.ClockSkew)
		if err != nil {
			return nil, fmt.Errorf("verifier: replay set: %w", err)
		}
		if !fresh {
			return nil, refuse(Replayed, "this client_id and nonce were already accepted")
		}
	}
	res.Groups = pick(dgs, t.Released)
	all, err := assertion.Values(res.Groups, now)
	if err != nil {
		return nil, refuseErr(Incomplete, err)
	}
	res.Data = map[assertion.Datum]string{}
	for _, d := range t.Released {
		if d == assertion.Photo {
			dg2, err := lds.ParseDG2(dgs[2])
			if err != nil || len(dg2.Faces) == 0 {
				return nil, refuse(Incomplete, "DG2 holds no face")
			}
			res.Photo, res.PhotoFormat = dg2.Faces[0].Image, dg2.Faces[0].Format
			continue
		}
		if v, ok := all[d]; ok {
			res.Data[d] = v
		} else {
			res.NotProven = append(res.NotProven, fmt.Sprintf("%s: not on this document.", d))
		}
	}
	if c, ok := rep.Check(verify.CheckCRL, 0); ok && c.Status != verify.Passed {
		res.NotProven = append(res.NotProven, "That the document signer is not revoked: "+revocationUnknown(c))
	}
	return res, nil
}

// revocationUnknown says in plain English, as NotProven does, why the
// signer's revocation is not known; the technical line when the reason is
// not one of those.
func revocationUnknown(c verify.Check) string {
	switch c.Reason {
	case verify.ReasonNoList:
		return "No revocation list of this authority is available."
	case verify.ReasonListOutOfDate:
		return "The available revocation list is out of date: it does not list this certificate, but is no longer current."
	case verify.ReasonNoAuthority:
		return "Revocation cannot be checked without the issuing authority."
	}
	return c.String()
}

// passive turns the report's passive authentication into an error, or nil
// when the SOD signature, the chain to a trusted CSCA and every sent data
// group's hash passed.
func passive(rep *verify.Report, sent []int) error {
	need := func(id verify.CheckID, dg int, reason Reason) error {
		c, ok := rep.Check(id, dg)
		if !ok {
			return refuse(reason, fmt.Sprintf("%s DG%d not checked", id, dg))
		}
		if c.Status != verify.Passed {
			return refuse(reason, fmt.Sprintf("%s %s", c, c.Detail))
		}
		return nil
	}
	if err := need(verify.CheckSODSignature, 0, DocumentSignature); err != nil {
		return err
	}
	if err := need(verify.CheckCSCAKnown, 0, Untrusted); err != nil {
		return err
	}
	if err := need(verify.CheckDSChain, 0, Untrusted); err != nil {
		return err
	}
	// A CSCA vouches only for its own country's documents.
	if c, ok := rep.Check(verify.CheckCountry, 0); ok && c.Status == verify.Failed {
		return refuse(Untrusted, c.String())
	}
	if c, ok := rep.Check(verify.CheckCRL, 0); ok && c.Status == verify.Failed {
		return refuse(Revoked, c.String())
	}
	for _, n := range sent {
		if err := need(verify.CheckDGHash, n, Altered); err != nil {
			return err
		}
	}
	return nil
}

// presence enforces the rule a service relies on: a chip whose signed
// EF.SOD lists DG15 has Active Authentication, so its assertion must carry
// the chip's valid signature over this request's challenge. "Not
// provable" is believed only of chips whose EF.SOD lists no DG15;
// otherwise nonce and client_id would bind nothing.
func presence(t *assertion.Token, sod *lds.SOD, dgs map[int][]byte, doc *document.Document) error {
	p := t.ChipPresence
	_, hasAA := sod.DataGroupHashes[lds.DataGroup(15)]
	switch {
	case !p.Provable && hasAA:
		return refuse(PresenceMissing, "EF.SOD lists DG15 but chip_presence is not provable")
	case p.Provable && p.Method != "active-authentication":
		return refuse(Malformed, fmt.Sprintf("chip_presence method %q", p.Method))
	case !p.Provable && (len(p.Signature) > 0 || (p.Method != "none" && p.Method != "")):
		return refuse(Malformed, "chip_presence says not provable but carries a method or signature")
	case !p.Provable:
		return nil
	}
	b, ok := dgs[15]
	if !ok {
		return refuse(PresenceInvalid, "chip presence claimed without DG15")
	}
	key, err := lds.ParseDG15(b)
	if err != nil {
		return refuseErr(PresenceInvalid, err)
	}
	var alg asn1.ObjectIdentifier
	if doc.DG14 != nil && len(doc.DG14.ActiveAuthentication) > 0 {
		alg = doc.DG14.ActiveAuthentication[0].SignatureAlgorithm
	}
	challenge := assertion.Challenge(t.Nonce, t.ClientID, t.SOD, t.GroupNumbers())
	if _, err := aa.Verify(key, alg, challenge, p.Signature); err != nil {
		return refuseErr(PresenceInvalid, err)
	}
	return nil
}

func pick(dgs map[int][]byte, released []assertion.Datum) map[int][]byte {
	out := map[int][]byte{}
	for _, d := range released {
		if b, ok := dgs[d.DataGroup()]; ok {
			out[d.DataGroup()] = b
		}
	}
	return out
}
