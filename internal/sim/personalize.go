package sim

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"hash/fnv"
	"io"
	"math/big"
	"slices"
	"sync"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/sim/demo"
	"github.com/cnie-reader/cnie-reader/reader/access/activeauth"
	"github.com/cnie-reader/cnie-reader/reader/access/chipauth"
	"github.com/cnie-reader/cnie-reader/reader/access/pace"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// chipKeys is the secret material of one card: made once per profile and
// process (RSA keys take a while), never written anywhere.
type chipKeys struct {
	pki   *demo.PKI // the PKI whose CSCA the card hands over as its demo anchor
	caKey *chipauth.PrivateKey
	aa    *activeauth.Chip
	files []*file
}

var (
	cacheMu sync.Mutex
	cache   = map[string]*chipKeys{}
)

// New builds the virtual card of a profile.
func New(p *Profile) (Chip, error) {
	keys, err := personalize(p)
	if err != nil {
		return nil, err
	}
	c := &Card{profile: p, keys: keys, files: keys.files}
	if p.Fault == NoFault {
		return c, nil
	}
	return &faultyCard{Card: c, fault: p.Fault}, nil
}

// NewNamed builds the virtual card of a named profile.
func NewNamed(name string) (Chip, error) {
	p, err := LookupProfile(name)
	if err != nil {
		return nil, err
	}
	return New(p)
}

// DemoCSCA returns the DER certificate of the demo CSCA that signed this
// card's Document Signer: trusted only in demo mode, never as genuine.
func (c *Card) DemoCSCA() []byte { return c.keys.pki.CSCACertDER() }

// DemoCRL returns the demo CSCA's CRL (DER).
func (c *Card) DemoCRL() []byte { return c.keys.pki.CRLDER() }

func personalize(p *Profile) (*chipKeys, error) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if k, ok := cache[p.Name]; ok {
		return k, nil
	}
	// The demo keys come from a public seed: stable from run to run (so the
	// demo CSCA is the same), and worthless as secrets, which they are not.
	rnd := demo.SeededReader("cnie-reader DEMO card " + p.Name)
	k := &chipKeys{}
	var err error
	expired := p.TrustFault == TrustExpiredDS || p.TrustFault == TrustExpiredSinceDS
	opts := demo.PKIOptions{DSExpired: expired, RevokeDS: p.TrustFault == TrustRevokedDS}
	switch {
	case p.TrustFault == TrustWrongCountry:
		opts.Country = "DE"
	case p.Kind == Passport:
		// The passports are Utopia's (UTO), ICAO's specimen state.
		opts.Country = "UT"
	}
	if k.pki, err = demo.NewPKIWith(rnd, p.PKI, time.Now(), opts); err != nil {
		return nil, fmt.Errorf("sim: demo PKI: %w", err)
	}
	signer := k.pki
	if p.TrustFault == TrustUnknownCSCA {
		if signer, err = demo.NewPKI(demo.SeededReader("cnie-reader DEMO impostor "+p.Name), p.PKI); err != nil {
			return nil, fmt.Errorf("sim: impostor PKI: %w", err)
		}
	}
	sec := &lds.SecurityInfos{}
	if p.TrustFault != TrustNoPACEInfos {
		// ICAO 9303-11 §9.2: DG14 repeats the PACE SecurityInfos of
		// EF.CardAccess, so that a reader can check, under the signature,
		// what the unsigned EF.CardAccess offered.
		sec.PACE = paceInfos(p)
	}
	if p.CA != nil {
		if k.caKey, err = chipauth.GenerateECKey(rnd, curveByName(p.CA.Curve)); err != nil {
			return nil, fmt.Errorf("sim: CA key: %w", err)
		}
		pub, err := lds.MarshalPublicKey(&lds.ECPublicKey{Curve: k.caKey.Public.Curve, Point: mustDecode(k.caKey.Public), Explicit: true})
		if err != nil {
			return nil, fmt.Errorf("sim: CA public key: %w", err)
		}
		sec.ChipAuthentication = append(sec.ChipAuthentication, lds.ChipAuthenticationInfo{Protocol: p.CA.OID, Version: 1})
		sec.ChipAuthenticationPublicKeys = append(sec.ChipAuthenticationPublicKeys,
			lds.ChipAuthenticationPublicKeyInfo{Protocol: oids.PKECDH, PublicKeyInfo: pub})
	}
	var aaPub crypto.PublicKey
	switch p.AA.Kind {
	case AARSA:
		key, err := rsaKey()
		if err != nil {
			return nil, err
		}
		k.aa, aaPub = &activeauth.Chip{Key: key, SigAlg: oids.SHA1}, &key.PublicKey
	case AAECDSA:
		c := curveByName(p.AA.Curve)
		d, pt, err := c.GenerateKey(rnd, c.Generator())
		if err != nil {
			return nil, fmt.Errorf("sim: AA key: %w", err)
		}
		key := &ecdsa.PrivateKey{PublicKey: ecdsa.PublicKey{Curve: c.Elliptic(), X: pt.X, Y: pt.Y}, D: new(big.Int).SetBytes(d)}
		k.aa = &activeauth.Chip{Key: key, SigAlg: p.AA.Alg}
		aaPub = &lds.ECPublicKey{Curve: c, Point: pt, Explicit: true}
		sec.ActiveAuthentication = append(sec.ActiveAuthentication, lds.ActiveAuthenticationInfo{Version: 1, SignatureAlgorithm: p.AA.Alg})
	}
	if k.files, err = buildFiles(p, sec, aaPub, signer, rnd); err != nil {
		return nil, err
	}
	if p.TrustFault == TrustClonedChip && k.caKey != nil {
		// The copied files name the genuine chip's key; this chip holds
		// another one.
		if k.caKey, err = chipauth.GenerateECKey(rnd, curveByName(p.CA.Curve)); err != nil {
			return nil, fmt.Errorf("sim: clone CA key: %w", err)
		}
	}
	cache[p.Name] = k
	return k, nil
}

// rsaKey is the one RSA Active Authentication key of the process: RSA key
// generation is slow and gains nothing from being repeated per profile.
var rsaKey = sync.OnceValues(func() (*rsa.PrivateKey, error) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("sim: AA RSA key: %w", err)
	}
	return k, nil
})

func mustDecode(k chipauth.PublicKey) ecc.Point {
	pt, err := k.Curve.Decode(k.Point)
	if err != nil {
		panic("sim: generated key does not decode: " + err.Error())
	}
	return pt
}

func buildFiles(p *Profile, sec *lds.SecurityInfos, aaPub crypto.PublicKey, pki *demo.PKI, rnd io.Reader) ([]*file, error) {
	var files []*file
	if len(p.PACE) > 0 {
		access := &lds.SecurityInfos{PACE: paceInfos(p)}
		b, err := access.Build()
		if err != nil {
			return nil, fmt.Errorf("sim: EF.CardAccess: %w", err)
		}
		files = append(files, &file{fid: 0x011C, sfi: 0x1C, access: accessFree, data: b})
	}

	dgs := map[int][]byte{}
	var err error
	var lines []string
	switch p.Kind {
	case CNIE:
		var l [3]string
		l, err = mrz.FormatTD1(p.MRZ)
		lines = l[:]
	default:
		var l [2]string
		l, err = mrz.FormatTD3(p.MRZ)
		lines = l[:]
	}
	if err != nil {
		return nil, fmt.Errorf("sim: MRZ: %w", err)
	}
	if dgs[1], err = lds.BuildDG1(lines...); err != nil {
		return nil, fmt.Errorf("sim: DG1: %w", err)
	}
	// The face is the holder's: every profile of the same invented person
	// carries the same one, whatever its protocols.
	holder := fnv.New64a()
	holder.Write([]byte(p.MRZ.PrimaryIdentifier + "<<" + p.MRZ.SecondaryIdentifier))
	face, err := demo.FaceJPEG(holder.Sum64(), p.PhotoWidth, p.PhotoHeight)
	if err != nil {
		return nil, fmt.Errorf("sim: face: %w", err)
	}
	w, h := p.PhotoWidth, p.PhotoHeight
	if p.PhotoJPEG2000 {
		face, w, h = demo.FaceJP2()
	}
	if dgs[2] = demo.BuildDG2(face, w, h); dgs[2] == nil {
		return nil, fmt.Errorf("sim: DG2 could not be built")
	}
	for _, n := range p.EAC {
		// Present and hashed in the SOD, but never served: only Terminal
		// Authentication (which this reader does not do) would open them.
		dgs[n] = ber.Encode(lds.DataGroup(n).Tag(), ber.Encode(0x02, []byte{0}))
	}
	if p.DG11 != nil {
		if dgs[11], err = p.DG11.Build(); err != nil {
			return nil, fmt.Errorf("sim: DG11: %w", err)
		}
		if p.TrustFault == TrustMalformedDG11 {
			// 5F2B 08 YYYYMMDD: the day becomes "1?", before signing.
			if i := bytes.Index(dgs[11], []byte{0x5F, 0x2B, 0x08}); i >= 0 {
				dgs[11][i+3+7] = '?'
			}
		}
	}
	if len(sec.PACE) > 0 || len(sec.ChipAuthenticationPublicKeys) > 0 || len(sec.ActiveAuthentication) > 0 {
		if dgs[14], err = lds.BuildDG14(sec); err != nil {
			return nil, fmt.Errorf("sim: DG14: %w", err)
		}
	}
	if aaPub != nil {
		if dgs[15], err = lds.BuildDG15(aaPub); err != nil {
			return nil, fmt.Errorf("sim: DG15: %w", err)
		}
	}
	hash := p.SODHash
	if hash == 0 {
		hash = crypto.SHA256
	}
	// Signed at personalisation (now), or two years ago, while the DS that
	// has expired since was valid.
	signed := demo.SODOptions{CorruptSignature: p.TrustFault == TrustForgedSOD, SigningTime: time.Now()}
	if p.TrustFault == TrustExpiredSinceDS {
		signed.SigningTime = time.Now().AddDate(-2, 1, 0)
	}
	sod, err := demo.BuildSODWith(pki, hash, dgs, rnd, signed)
	if err != nil {
		return nil, fmt.Errorf("sim: EF.SOD: %w", err)
	}
	if len(p.PACE) > 0 && p.TrustFault != TrustNoPACEInfos {
		// EF.CardSecurity (BSI TR-03110-3 §A.1.2.5): every SecurityInfo
		// of the chip, signed by the Document Signer; in the master file,
		// readable after PACE.
		infos, err := sec.Build()
		if err != nil {
			return nil, fmt.Errorf("sim: EF.CardSecurity content: %w", err)
		}
		cs, err := demo.BuildCardSecurity(pki, hash, infos, rnd, demo.SODOptions{SigningTime: signed.SigningTime})
		if err != nil {
			return nil, fmt.Errorf("sim: EF.CardSecurity: %w", err)
		}
		files = append(files, &file{fid: 0x011D, sfi: 0x1D, access: accessAfterPAC, data: cs})
	}
	if p.TrustFault == TrustTamperedDG && p.DG11 != nil {
		// Changed after signing: the holder's address no longer matches the SOD.
		forged := *p.DG11
		forged.Address = "2 RUE DU FAUSSAIRE<99000 EXEMPLEVILLE<FRANCE"
		if dgs[11], err = forged.Build(); err != nil {
			return nil, fmt.Errorf("sim: DG11: %w", err)
		}
	}
	if p.Fault == FaultHugeLength {
		// A header announcing 16 MiB, followed by what the card really has.
		dgs[2] = append([]byte{0x75, 0x83, 0xFF, 0xFF, 0xFF}, dgs[2]...)
	}

	com := &lds.COM{LDSVersion: "0108", UnicodeVersion: "040000"}
	var numbers []int
	for n := range dgs {
		numbers = append(numbers, n)
	}
	slices.Sort(numbers)
	for _, n := range numbers {
		com.DataGroups = append(com.DataGroups, lds.DataGroup(n))
	}
	comBytes, err := com.Build()
	if err != nil {
		return nil, fmt.Errorf("sim: EF.COM: %w", err)
	}
	files = append(files,
		&file{fid: 0x011E, sfi: 0x1E, inApp: true, access: accessAfterPAC, data: comBytes},
		&file{fid: 0x011D, sfi: 0x1D, inApp: true, access: accessAfterPAC, data: sod})
	for _, n := range numbers {
		dg := lds.DataGroup(n)
		acc := accessAfterPAC
		if slices.Contains(p.EAC, n) {
			acc = accessEAC
		}
		files = append(files, &file{fid: dg.FileID(), sfi: dg.SFI(), inApp: true, access: acc, data: dgs[n]})
	}
	return files, nil
}

// paceInfos are the PACEInfos of a profile, as EF.CardAccess, DG14 and
// EF.CardSecurity list them.
func paceInfos(p *Profile) []lds.PACEInfo {
	var out []lds.PACEInfo
	for _, pc := range p.PACE {
		id := pc.ParamID
		out = append(out, lds.PACEInfo{Protocol: pc.OID, Version: 2, ParameterID: &id})
	}
	return out
}

// paceOffers lists the PACE protocols of a profile.
func paceOffers(p *Profile) []pace.Offer {
	var out []pace.Offer
	for _, pc := range p.PACE {
		out = append(out, pace.Offer{OID: pc.OID, ParamID: pc.ParamID})
	}
	return out
}
