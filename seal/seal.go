package seal

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cnie-reader/cnie-reader/reader/mrz"
	"github.com/cnie-reader/cnie-reader/seal/crosscheck"
	"github.com/cnie-reader/cnie-reader/seal/sealtrust"
	"github.com/cnie-reader/cnie-reader/seal/twoddoc"
	"github.com/cnie-reader/cnie-reader/seal/vds"
)

// Kind is what a payload is.
type Kind string

const (
	TwoDDoc Kind = "2D-Doc"
	VDS     Kind = "ICAO VDS"
	URL     Kind = "web address"
	Text    Kind = "text"
	Unknown Kind = "unknown"
)

// Message is a sentence for people, as a code and its arguments: the
// application renders it in the user's language from its translation files
// (app/sealtext). The codes are the What… and Why… constants.
type Message struct {
	Code string            `json:"code"`
	Args map[string]string `json:"args,omitempty"`
}

// What a payload is ([Result.What]'s code).
const (
	What2DDoc        = "2ddoc"         // Args: Authority, Certificate (the type's name is in TwoDDoc)
	What2DDocDamaged = "2ddoc_damaged" // a 2D-Doc that does not parse
	WhatVDS          = "vds"           // Args: Profile, Country, Signer
	WhatVDSDamaged   = "vds_damaged"   // a VDS that does not parse
	WhatURL          = "url"           // Args: Host
	WhatText         = "text"          // text that is no seal
	WhatBinary       = "binary"        // Args: Bytes
)

// Why the signature has its status ([Result.Why]'s code).
const (
	WhyValid            = "valid"             // Args: Signer
	WhyInvalid          = "invalid"           // Args: Error
	WhyUnknownAuthority = "unknown_authority" // Args: Authority
	WhyOffline          = "offline"           // Args: Authority, Certificate, Where
)

// SignatureStatus is the outcome of the signature check.
type SignatureStatus string

const (
	SignatureValid          SignatureStatus = "valid"
	SignatureInvalid        SignatureStatus = "invalid"
	SignatureNotOffline     SignatureStatus = "not verifiable offline"
	SignatureNotApplicable  SignatureStatus = "not applicable" // not a seal
	SignatureNotYetVerified SignatureStatus = "not verified"
)

// Result is what a payload turned out to be.
type Result struct {
	Kind       Kind               `json:"kind"`
	What       Message            `json:"what"`
	Signature  SignatureStatus    `json:"signature"`
	Why        Message            `json:"signature_reason"` // empty until Verify
	TwoDDoc    *twoddoc.Seal      `json:"two_d_doc,omitempty"`
	VDS        *vds.Seal          `json:"vds,omitempty"`
	ParseError string             `json:"parse_error,omitempty"`
	Missing    *sealtrust.Missing `json:"missing_certificate,omitempty"`
	// Facts are the holder's data the seal states, for the chip cross-check.
	Facts crosscheck.Facts `json:"-"`
}

// Inspect says what payload is and parses it. It never fails: a payload
// that is none of the known seals is described as what it is.
func Inspect(payload []byte) *Result {
	r := &Result{Kind: Unknown, Signature: SignatureNotYetVerified}
	switch {
	case twoddoc.IsTwoDDoc(payload) || startsLike2DDoc(payload):
		r.Kind = TwoDDoc
		s, err := twoddoc.Parse(payload)
		if err != nil {
			r.ParseError = err.Error()
			r.What = Message{Code: What2DDocDamaged}
			r.Signature = SignatureInvalid
			return r
		}
		r.TwoDDoc = s
		r.What = Message{Code: What2DDoc, Args: map[string]string{"Authority": s.Authority, "Certificate": s.CertificateID}}
		r.Facts = factsFrom2DDoc(s)
	case vds.IsVDS(payload):
		r.Kind = VDS
		s, err := vds.Parse(payload)
		if err != nil {
			r.ParseError = err.Error()
			r.What = Message{Code: WhatVDSDamaged}
			r.Signature = SignatureInvalid
			return r
		}
		r.VDS = s
		r.What = Message{Code: WhatVDS, Args: map[string]string{"Profile": s.Profile, "Country": s.Country, "Signer": s.SignerID}}
		r.Facts = factsFromVDS(s)
	default:
		r.Signature = SignatureNotApplicable
		describeOther(r, payload)
	}
	return r
}

// startsLike2DDoc recognises the marker of a 2D-Doc whose end is missing,
// so that a damaged seal is called damaged, not "text".
func startsLike2DDoc(b []byte) bool {
	return len(b) >= 4 && string(b[:3]) == "DC0" && b[3] >= '1' && b[3] <= '4'
}

func describeOther(r *Result, payload []byte) {
	s := string(payload)
	if utf8.Valid(payload) {
		if u, err := url.Parse(strings.TrimSpace(s)); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
			r.Kind = URL
			r.What = Message{Code: WhatURL, Args: map[string]string{"Host": u.Host}}
			return
		}
		r.Kind = Text
		r.What = Message{Code: WhatText}
		return
	}
	r.What = Message{Code: WhatBinary, Args: map[string]string{"Bytes": strconv.Itoa(len(payload))}}
}

// Verify checks the seal's signature with the signing certificates the
// store knows. It never says "valid" without a certificate that chains to
// a known authority; without one the seal is "not verifiable offline".
func (r *Result) Verify(store *sealtrust.Store, at time.Time) {
	switch {
	case r.TwoDDoc != nil:
		s := r.TwoDDoc
		cert, err := store.Signer2DDoc(s.Authority, s.CertificateID, at)
		var missing *sealtrust.Missing
		switch {
		case errors.As(err, &missing):
			r.offline(missing)
			return
		case err != nil:
			r.invalid(err)
			return
		}
		pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
		if !ok {
			r.invalid(fmt.Errorf("signing certificate %s has no ECDSA key", cert.Subject))
			return
		}
		if err := s.Verify(pub); err != nil {
			r.invalid(err)
			return
		}
		r.valid(cert.Subject)
	case r.VDS != nil:
		s := r.VDS
		cert, err := store.SignerVDS(s.Country, s.SignerID, s.CertificateRef, at)
		var missing *sealtrust.Missing
		switch {
		case errors.As(err, &missing):
			r.offline(missing)
			return
		case err != nil:
			r.invalid(err)
			return
		}
		if err := s.Verify(cert.PublicKey); err != nil {
			r.invalid(err)
			return
		}
		r.valid(cert.Subject)
	}
}

func (r *Result) valid(signer string) {
	r.Signature = SignatureValid
	r.Why = Message{Code: WhyValid, Args: map[string]string{"Signer": signer}}
}

func (r *Result) invalid(err error) {
	r.Signature = SignatureInvalid
	r.Why = Message{Code: WhyInvalid, Args: map[string]string{"Error": err.Error()}}
}

func (r *Result) offline(m *sealtrust.Missing) {
	r.Signature, r.Missing = SignatureNotOffline, m
	if m.UnknownAuthority {
		r.Why = Message{Code: WhyUnknownAuthority, Args: map[string]string{"Authority": m.Authority}}
		return
	}
	r.Why = Message{Code: WhyOffline, Args: map[string]string{
		"Authority": m.Authority, "Certificate": m.CertificateID, "Where": strings.Join(m.Where, ", "),
	}}
}

// factsFrom2DDoc takes the identity fields of a 2D-Doc (perimeter 01).
func factsFrom2DDoc(s *twoddoc.Seal) crosscheck.Facts {
	get := func(id string) string {
		if f, ok := s.Field(id); ok {
			return f.Value
		}
		return ""
	}
	f := crosscheck.Facts{
		Surname: get("62"), GivenNames: strings.ReplaceAll(get("60"), "/", " "),
		DocumentNumber: get("66"), Sex: get("68"), Nationality: get("67"),
	}
	if f.Surname == "" {
		f.Surname = get("63")
	}
	if d, ok := s.Field("69"); ok {
		if t, ok := d.Date(); ok {
			f.BirthDate = t.Format("20060102")
		}
	}
	if z := get("6F"); z != "" {
		if m, err := mrz.Parse(z); m != nil && err == nil {
			mergeMRZ(&f, m)
		}
	}
	return f
}

// factsFromVDS takes the MRZ a VDS carries (visas, travel documents).
func factsFromVDS(s *vds.Seal) crosscheck.Facts {
	var f crosscheck.Facts
	for _, fd := range s.Fields {
		if fd.Kind != vds.KindMRZ {
			continue
		}
		if m, _ := mrz.Parse(fd.Text); m != nil {
			mergeMRZ(&f, m)
		}
	}
	return f
}

func mergeMRZ(f *crosscheck.Facts, m *mrz.MRZ) {
	now := time.Now()
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&f.Surname, m.PrimaryIdentifier)
	fill(&f.GivenNames, m.SecondaryIdentifier)
	fill(&f.DocumentNumber, m.DocumentNumber)
	fill(&f.Sex, m.Sex)
	fill(&f.Nationality, m.Nationality)
	if m.BirthDate.Month > 0 {
		fill(&f.BirthDate, fmt.Sprintf("%04d%02d%02d", m.BirthDate.BirthYear(now), m.BirthDate.Month, m.BirthDate.Day))
	}
	if m.ExpiryDate.Month > 0 {
		fill(&f.ExpiryDate, fmt.Sprintf("%04d%02d%02d", m.ExpiryDate.ExpiryYear(now), m.ExpiryDate.Month, m.ExpiryDate.Day))
	}
	f.Truncated = true
}
