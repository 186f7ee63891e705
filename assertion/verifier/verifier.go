// Package verifier is what a service runs on the assertion it receives:
// it checks the answer against the service's own request (client_id,
// nonce, state, lifetime, replay), the data against the State's signature
// with the service's own trust store of CSCAs, and the chip's Active
// Authentication signature over the challenge derived from the request.
// It trusts nothing the application says about itself.
package verifier

import (
	"encoding/asn1"
	"fmt"
	"slices"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/access/activeauth"
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
	// Report is the passive authentication as this verifier made it.
	Report *verify.Report
}

// Verifier checks assertions for one service.
type Verifier struct {
	// Store holds the CSCAs the service trusts.
	Store *pki.Store
	// Seen remembers answered nonces: an assertion is accepted once.
	Seen *request.Replay
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// MaxAge bounds how old an assertion may be (5 minutes when 0).
	MaxAge time.Duration
}

// Verify checks one posted answer (vp_token and state) against exp.
func (v *Verifier) Verify(vpToken []byte, state string, exp Expected) (*Result, error) {
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
		return nil, err
	}
	// Made for this service and this request?
	switch {
	case state != exp.State:
		return nil, assertion.Errorf(assertion.WrongAudience, "verify", "state does not match")
	case t.ClientID != exp.ClientID:
		return nil, assertion.Errorf(assertion.WrongAudience, "verify", "made for %q, not %q", t.ClientID, exp.ClientID)
	case t.Nonce != exp.Nonce:
		return nil, assertion.Errorf(assertion.WrongAudience, "verify", "nonce does not match")
	case now.After(exp.Expires.Add(request.ClockSkew)):
		return nil, assertion.Errorf(assertion.Expired, "verify", "the request expired at %s", exp.Expires.UTC().Format(time.RFC3339))
	case time.Unix(t.IssuedAt, 0).After(now.Add(request.ClockSkew)) || now.Sub(time.Unix(t.IssuedAt, 0)) > maxAge:
		return nil, assertion.Errorf(assertion.Expired, "verify", "issued at %d", t.IssuedAt)
	}
	dgs := t.Groups()
	for _, d := range t.Released {
		if _, ok := dgs[d.DataGroup()]; !ok {
			return nil, assertion.Errorf(assertion.Malformed, "verify", "%s released without DG%d", d, d.DataGroup())
		}
	}
	// Passive authentication of what was sent, with the service's CSCAs.
	doc := &reader.Document{SOD: t.SOD, DataGroups: dgs}
	if b, ok := dgs[1]; ok {
		doc.MRZ, _ = lds.ParseDG1(b)
	}
	if b, ok := dgs[14]; ok {
		doc.DG14, _ = lds.ParseDG14(b)
	}
	rep := verify.Verify(doc, v.Store, verify.Options{Now: now})
	if err := passive(rep, slices.Sorted(func(yield func(int) bool) {
		for n := range dgs {
			if !yield(n) {
				return
			}
		}
	})); err != nil {
		return nil, err
	}
	res := &Result{Released: t.Released, Report: rep, Demo: rep.DemoPKI, Issuer: rep.Country}
	// The chip's own signature of this request.
	if t.ChipPresence.Provable {
		if err := activeAuth(t, dgs, doc); err != nil {
			return nil, err
		}
		res.ChipPresence = ChipPresent
	} else {
		res.ChipPresence = ChipNotProvable
		res.NotProven = append(res.NotProven, "That the chip was present: it has no Active Authentication (the data themselves are genuine).")
	}
	// Accepted once: after every check, so a forged copy cannot burn it.
	if v.Seen != nil && !v.Seen.Add(t.ClientID+"\x00"+t.Nonce, now.Add(maxAge+request.MaxLifetime)) {
		return nil, assertion.Errorf(assertion.Replayed, "verify", "this assertion was already received")
	}
	all, err := assertion.Values(pick(dgs, t.Released), now)
	if err != nil {
		return nil, err
	}
	res.Data = map[assertion.Datum]string{}
	for _, d := range t.Released {
		if d == assertion.Photo {
			dg2, err := lds.ParseDG2(dgs[2])
			if err != nil || len(dg2.Faces) == 0 {
				return nil, assertion.Errorf(assertion.Malformed, "verify", "DG2 holds no face")
			}
			res.Photo, res.PhotoFormat = dg2.Faces[0].Image, dg2.Faces[0].Format
			continue
		}
		if v, ok := all[d]; ok {
			res.Data[d] = v
		} else {
			res.NotProven = append(res.NotProven, fmt.Sprintf("%s: not on this document.", d.Label("en")))
		}
	}
	if c, ok := rep.Check(verify.CheckCRL, 0); ok && c.Status != verify.Passed {
		res.NotProven = append(res.NotProven, "That the document signer is not revoked: "+c.Reason.EN)
	}
	return res, nil
}

// passive turns the report's passive authentication into an error, or nil
// when the SOD signature, the chain to a trusted CSCA and every sent data
// group's hash passed.
func passive(rep *verify.Report, sent []int) error {
	need := func(id verify.CheckID, dg int, kind assertion.Kind) error {
		c, ok := rep.Check(id, dg)
		if !ok {
			return assertion.Errorf(kind, "verify", "%s DG%d not checked", id, dg)
		}
		if c.Status == verify.Failed && id == verify.CheckDSChain {
			kind = assertion.BadSignature // a CSCA's signature that does not verify
		}
		if c.Status != verify.Passed {
			return assertion.Errorf(kind, "verify", "%s: %s", id, c.Reason.EN)
		}
		return nil
	}
	if err := need(verify.CheckSODSignature, 0, assertion.BadSignature); err != nil {
		return err
	}
	if err := need(verify.CheckCSCAKnown, 0, assertion.Untrusted); err != nil {
		return err
	}
	if err := need(verify.CheckDSChain, 0, assertion.Untrusted); err != nil {
		return err
	}
	if c, ok := rep.Check(verify.CheckCRL, 0); ok && c.Status == verify.Failed {
		return assertion.Errorf(assertion.Untrusted, "verify", "the document signer is revoked")
	}
	for _, n := range sent {
		if err := need(verify.CheckDGHash, n, assertion.Altered); err != nil {
			return err
		}
	}
	return nil
}

// activeAuth checks the chip's signature over the challenge derived from
// this request and this content.
func activeAuth(t *assertion.Token, dgs map[int][]byte, doc *reader.Document) error {
	b, ok := dgs[15]
	if !ok {
		return assertion.Errorf(assertion.ChipSignature, "verify", "chip presence claimed without DG15")
	}
	key, err := lds.ParseDG15(b)
	if err != nil {
		return assertion.Wrap(assertion.Malformed, "DG15", err)
	}
	var alg asn1.ObjectIdentifier
	if doc.DG14 != nil && len(doc.DG14.ActiveAuthentication) > 0 {
		alg = doc.DG14.ActiveAuthentication[0].SignatureAlgorithm
	}
	challenge := assertion.Challenge(t.Nonce, t.ClientID, t.SOD, t.GroupNumbers())
	if _, err := activeauth.Verify(key, alg, challenge, t.ChipPresence.Signature); err != nil {
		return assertion.Wrap(assertion.ChipSignature, "verify", err)
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
