package reader

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/aa"
	"github.com/cnie-reader/cnie-reader/reader/access/activeauth"
	"github.com/cnie-reader/cnie-reader/reader/access/bac"
	"github.com/cnie-reader/cnie-reader/reader/access/chipauth"
	"github.com/cnie-reader/cnie-reader/reader/access/pace"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/files"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/sm"
	"github.com/cnie-reader/cnie-reader/reader/trace"
)

// Secret is what the holder gives to open the chip: the 6-digit CAN printed
// on the card, or the MRZ information (document number, birth and expiry
// dates with their check digits, see mrz.Information).
type Secret struct {
	CAN string
	MRZ string
}

// Step names a stage of a read, for progress bars.
type Step int

const (
	StepConnect      Step = iota + 1 // access control and secure messaging
	StepIdentity                     // EF.COM, EF.SOD, DG1, DG11...
	StepPhoto                        // DG2
	StepAuthenticity                 // Chip and Active Authentication
)

// Progress is reported during a read.
type Progress struct {
	Step  Step
	File  string // the file being read, if any
	Done  int    // bytes of that file read so far
	Total int
	// Slow: the card has kept the reader waiting for one answer during
	// access control (PACE, BAC) longer than SlowNotice. After wrong
	// attempts a chip makes the holder wait, who should keep it still. The
	// report that follows the answer has Slow false again.
	Slow bool
}

// Options tune a read.
type Options struct {
	// ShortOnly never sends extended-length APDUs (for readers that cannot).
	ShortOnly bool
	// Challenge is the Active Authentication challenge (8 bytes); random when nil.
	Challenge []byte
	// ChallengeFor, when set, computes the challenge once the files are
	// read: an assertion binds the chip's signature to the EF.SOD it sends.
	ChallengeFor func(doc *document.Document) ([]byte, error)
	// Rand is the source of randomness; crypto/rand when nil.
	Rand io.Reader
	// Progress, if set, is called from the reading goroutine.
	Progress func(Progress)
	// APDUTimeout bounds the wait for one answer while reading files;
	// DefaultAPDUTimeout when 0.
	APDUTimeout time.Duration
	// AccessTimeout bounds the wait for one answer during PACE or BAC;
	// DefaultAccessTimeout when 0.
	AccessTimeout time.Duration
	// SlowNotice is how long one answer during PACE or BAC may take before
	// Progress reports Slow; DefaultSlowNotice when 0.
	SlowNotice time.Duration
	// Trace, if set, records every APDU on the wire, redacted (package trace).
	Trace *trace.Trace
}

// DefaultAPDUTimeout is generous: the slowest step of a real card (a PACE
// key agreement on brainpoolP512r1) takes a second or two; a card silent for
// this long has left the field or stalled.
const DefaultAPDUTimeout = 15 * time.Second

// dataGroupOrder reads identity first, then the face, then the rest.
var dataGroupOrder = []int{1, 2, 11, 12, 5, 6, 7, 8, 9, 10, 13, 16}

// Read opens the chip behind t with secret and reads everything readable.
// When the reader or the card refuses extended-length reads it goes on
// with short APDUs in the same secure session, and says so in Stats.
func Read(ctx context.Context, t iso7816.Transmitter, secret Secret, opts Options) (*Document, error) {
	start := time.Now()
	rep := &reporter{f: opts.Progress}
	timed := &patience{t: t, timeout: cmp.Or(opts.APDUTimeout, DefaultAPDUTimeout),
		accessTimeout: cmp.Or(opts.AccessTimeout, DefaultAccessTimeout),
		notice:        cmp.Or(opts.SlowNotice, DefaultSlowNotice), slow: rep.slow}
	cnt := &counter{t: timed}
	r := &run{
		// The trace sits below response handling, so it sees GET RESPONSE rounds.
		raw:    iso7816.WithResponseHandling(trace.Wrap(cnt, opts.Trace)),
		secret: secret, opts: opts, rep: rep, extended: !opts.ShortOnly,
		doc: &Document{Document: document.Document{DataGroups: map[int][]byte{}}},
	}
	if err := r.read(ctx); err != nil {
		r.doc.Wipe()
		return nil, err
	}
	doc := r.doc
	doc.Stats = cnt.stats()
	doc.Stats.Extended = r.extended
	doc.Stats.Chunk = chunkFor(r.extended)
	doc.Duration = time.Since(start)
	return doc, nil
}

// extendedRefused tells whether a failed read may be due to an extended-
// length APDU: the card answers 6700, or the reader (short-APDU only, such
// as the ACR122U) fails the exchange. Either way the read is worth going on
// with short APDUs; a card that left the field or a cancel is not.
func extendedRefused(err error) bool {
	return errors.Is(err, chiperr.WrongLength) || errors.Is(err, chiperr.Transport)
}

func chunkFor(extended bool) int {
	if extended {
		return files.ExtendedChunk
	}
	return files.ShortChunk
}

// session holds the open secure channel and how to reopen it.
type session struct {
	ch     *sm.Channel
	reopen func(ctx context.Context) (*sm.Session, error)
	wipe   func() // forgets the password key
}

// close wipes the session keys and the password: a read leaves no secret behind.
func (s *session) close() {
	if cur := s.ch.Session(); cur != nil {
		cur.Wipe()
	}
	if s.wipe != nil {
		s.wipe()
	}
}

// broken tells whether the card may have dropped secure messaging.
func (s *session) broken() bool {
	cur := s.ch.Session()
	return cur == nil || cur.Broken()
}

// switchTo puts fresh keys in place and wipes the old ones.
func (s *session) switchTo(fresh *sm.Session) {
	old := s.ch.Session()
	s.ch.Switch(fresh)
	if old != nil && old != fresh {
		old.Wipe()
	}
}

// run is one read in progress.
type run struct {
	raw      iso7816.Transmitter
	secret   Secret
	opts     Options
	rep      *reporter
	doc      *Document
	s        *session
	fr       *files.Reader
	extended bool // extended-length reads still in use
	inApp    bool // the eMRTD application is selected
	// caPending: Chip Authentication switched the keys, and the chip has
	// not answered under them yet (the next file read proves it).
	caPending bool
}

func (r *run) read(ctx context.Context) error {
	doc := r.doc
	r.rep.report(Progress{Step: StepConnect})
	if err := r.openSession(ctx); err != nil {
		return err
	}
	defer r.s.close()
	r.fr = &files.Reader{T: r.s.ch, Chunk: chunkFor(r.extended)}
	if doc.Access.Protocol == "PACE" {
		if err := r.readCardSecurity(ctx); err != nil {
			return err
		}
	}
	if err := r.fr.SelectApplication(ctx); err != nil {
		return err
	}
	r.inApp = true

	r.rep.report(Progress{Step: StepIdentity})
	present := []int{1, 2}
	comBytes, err := r.file(ctx, "EF.COM", 0, 0x011E, 0x1E)
	if err != nil {
		return err
	}
	if doc.COM, err = lds.ParseCOM(comBytes); err != nil {
		return err
	}
	doc.COMRaw = comBytes
	present = present[:0]
	for _, dg := range doc.COM.DataGroups {
		present = append(present, int(dg))
	}
	if doc.SOD, err = r.file(ctx, "EF.SOD", 0, 0x011D, 0x1D); err != nil {
		return err
	}

	// Chip Authentication first, so that everything after it travels under
	// keys a cloned chip could not derive.
	if slices.Contains(present, 14) {
		dg := lds.DataGroup(14)
		if doc.DataGroups[14], err = r.file(ctx, "DG14", 14, dg.FileID(), dg.SFI()); err != nil {
			return err
		}
		r.rep.report(Progress{Step: StepAuthenticity})
		if err := r.chipAuthenticate(ctx); err != nil {
			return err
		}
	} else {
		doc.ChipAuth = document.ProtocolRun{Outcome: document.NotOffered}
	}

	for _, n := range dataGroupOrder {
		if !slices.Contains(present, n) {
			continue
		}
		dg := lds.DataGroup(n)
		if doc.DataGroups[n], err = r.file(ctx, dg.String(), n, dg.FileID(), dg.SFI()); err != nil {
			return err
		}
	}
	for _, n := range present {
		if lds.ProtectedByTerminalAuth(lds.DataGroup(n)) {
			doc.Protected = append(doc.Protected, n)
		}
	}
	if b, ok := doc.DataGroups[1]; ok {
		if doc.MRZ, err = lds.ParseDG1(b); err != nil && doc.MRZ == nil {
			return err
		}
	}
	if b, ok := doc.DataGroups[11]; ok {
		if doc.DG11, err = lds.ParseDG11(b); err != nil {
			// Real documents carry defects (ICAO deviation lists name
			// them): the rest of the document is still worth reading.
			doc.DG11, doc.Unreadable = nil, map[int]error{11: err}
		}
	}

	if slices.Contains(present, 15) {
		dg := lds.DataGroup(15)
		if doc.DataGroups[15], err = r.file(ctx, "DG15", 15, dg.FileID(), dg.SFI()); err != nil {
			return err
		}
		r.rep.report(Progress{Step: StepAuthenticity})
		if err := r.confirmChipAuth(ctx); err != nil {
			return err
		}
		activeAuthenticate(ctx, r.s, doc, r.opts)
	} else {
		doc.ActiveAuth = document.ProtocolRun{Outcome: document.NotOffered}
	}
	return r.confirmChipAuth(ctx)
}

// confirmChipAuth makes the chip answer under Chip Authentication's keys
// when no file read has done it yet (a document with nothing after DG14).
func (r *run) confirmChipAuth(ctx context.Context) error {
	if !r.caPending {
		return nil
	}
	r.caPending = false
	err := r.fr.SelectApplication(ctx)
	if err == nil || ctx.Err() != nil {
		return err
	}
	ca := &r.doc.ChipAuth
	ca.Outcome, ca.Error, ca.Detail = document.Failed, err, err.Error()
	return r.restart(ctx)
}

// file reads one file of the application (dg is its data group number, 0
// for EF.COM and EF.SOD) and records it.
func (r *run) file(ctx context.Context, name string, dg int, fid uint16, sfi byte) ([]byte, error) {
	step := StepIdentity
	if dg == 2 {
		step = StepPhoto
	}
	b, err := r.fetch(ctx, name, step, fid, sfi)
	if r.caPending {
		r.caPending = false
		if err != nil && ctx.Err() == nil {
			// The chip did not answer under the keys Chip Authentication
			// agreed: it failed. Read on in a new session.
			ca := &r.doc.ChipAuth
			ca.Outcome, ca.Error, ca.Detail = document.Failed, err, err.Error()
			if err = r.restart(ctx); err == nil {
				b, err = r.fetch(ctx, name, step, fid, sfi)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	r.doc.Files = append(r.doc.Files, FileRead{Name: name, FID: fid, Size: len(b)})
	return b, nil
}

// fetch reads one file. When the reader or the card refuses an extended-
// length READ BINARY, the read goes on with short ones in the same secure
// session (sm.Channel.Resume); only if the card has dropped the session is
// a new one opened, which costs a second PACE or BAC.
func (r *run) fetch(ctx context.Context, name string, step Step, fid uint16, sfi byte) ([]byte, error) {
	r.fr.Progress = func(_ uint16, done, total int) {
		r.rep.report(Progress{Step: step, File: name, Done: done, Total: total})
	}
	b, err := r.fr.ReadFile(ctx, fid, sfi)
	if err != nil && r.extended && extendedRefused(err) {
		r.extended, r.fr.Chunk = false, files.ShortChunk
		if err = r.s.ch.Resume(); err == nil {
			b, err = r.fr.ReadFile(ctx, fid, sfi)
		}
		if err != nil && r.s.broken() && ctx.Err() == nil {
			if err = r.restart(ctx); err == nil {
				b, err = r.fr.ReadFile(ctx, fid, sfi)
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}

// restart opens a new session after the card dropped the current one, and
// selects again the application the read was in.
func (r *run) restart(ctx context.Context) error {
	fresh, err := r.s.reopen(ctx)
	if err != nil {
		return err
	}
	r.s.switchTo(fresh)
	if r.inApp {
		return r.fr.SelectApplication(ctx)
	}
	return nil
}

// readCardSecurity reads EF.CardSecurity (BSI TR-03110: in the master
// file, 011D, SFI 1D, readable after PACE), before the application is
// selected: the master file is current, since EF.CardAccess was read there
// by its SFI. A card without it answers 6A82, or 6982 when it keeps it for
// terminals that authenticated: the document then has none.
func (r *run) readCardSecurity(ctx context.Context) error {
	const name, fid = "EF.CardSecurity", 0x011D
	b, err := r.fetch(ctx, name, StepConnect, fid, 0x1D)
	switch {
	case err == nil:
		// A ContentInfo (SEQUENCE). Anything else, such as the 77 of an
		// EF.SOD on a card whose eMRTD application is current, is not it.
		if len(b) > 0 && b[0] == 0x30 {
			r.doc.CardSecurity = b
			r.doc.Files = append(r.doc.Files, FileRead{Name: name, FID: fid, Size: len(b)})
		}
	case errors.Is(err, chiperr.FileNotFound), errors.Is(err, chiperr.SecurityStatus):
	default:
		return err
	}
	// A refusal outside secure messaging may have ended the session.
	if r.s.broken() {
		return r.restart(ctx)
	}
	return nil
}

// openSession reads EF.CardAccess and runs PACE when the card offers it,
// BAC otherwise (or when PACE is offered with nothing this reader supports
// and the MRZ is known). PACE with the MRZ that fails for another reason
// than a refused key falls back to BAC once, as ICAO 9303-11 allows while
// both exist; PACE with the CAN never does, since BAC needs the MRZ.
func (r *run) openSession(ctx context.Context) error {
	secret, opts, doc := r.secret, r.opts, r.doc
	if secret.CAN == "" && secret.MRZ == "" {
		return chiperr.New(chiperr.BadInput, "open the chip", "neither CAN nor MRZ given")
	}
	plain := &files.Reader{T: r.raw, Chunk: iso7816.MaxShortNe}
	_ = plain.SelectMaster(ctx) // some chips have no selectable MF; EF.CardAccess is read by SFI anyway
	ca, err := plain.ReadFile(ctx, 0x011C, 0x1C)
	switch {
	case err == nil:
		if doc.CardAccess, err = lds.ParseSecurityInfos(ca); err != nil {
			return err
		}
		doc.CardAccessRaw = ca
	case errors.Is(err, chiperr.FileNotFound), errors.Is(err, chiperr.SecurityStatus):
		// No EF.CardAccess: a BAC-only document.
	default:
		return err
	}

	if offer, ok := choosePACE(doc.CardAccess); ok {
		pw, pwName, err := pacePassword(secret)
		if err != nil {
			return err
		}
		authenticate := func(ctx context.Context) (*pace.Result, error) {
			return pace.Authenticate(accessControl(ctx), r.raw, offer.Protocol, paramID(offer), pw, opts.Rand)
		}
		res, err := authenticate(ctx)
		if err != nil {
			pw.Wipe()
			if pwName != "MRZ" || !bacMayHelp(ctx, err) {
				return err
			}
			if berr := r.openBAC(ctx); berr != nil {
				if errors.Is(berr, chiperr.AccessDenied) {
					return berr // the MRZ is wrong after all: that explains it
				}
				return err
			}
			return nil
		}
		doc.Access = document.Access{Protocol: "PACE", Name: res.Protocol.Name, Mapping: res.Protocol.Mapping.String(),
			Domain: domainName(res), Cipher: cipherName(res.Protocol.Cipher, res.Protocol.KeyBytes), Password: pwName}
		r.s = &session{
			ch:   sm.Wrap(r.raw, res.Session),
			wipe: pw.Wipe,
			reopen: func(ctx context.Context) (*sm.Session, error) {
				res, err := authenticate(ctx)
				if err != nil {
					return nil, err
				}
				return res.Session, nil
			},
		}
		return nil
	}
	if secret.MRZ == "" {
		if doc.CardAccess != nil {
			return chiperr.New(chiperr.Unsupported, "open the chip", "the card offers no PACE protocol this reader supports")
		}
		return chiperr.New(chiperr.BadInput, "open the chip", "this document has no PACE: it opens with the MRZ (BAC), not a CAN")
	}
	return r.openBAC(ctx)
}

// openBAC opens the session with BAC and the MRZ.
func (r *run) openBAC(ctx context.Context) error {
	authenticate := func(ctx context.Context) (*sm.Session, error) {
		return bac.Authenticate(accessControl(ctx), r.raw, r.secret.MRZ, r.opts.Rand)
	}
	s, err := authenticate(ctx)
	if err != nil {
		return err
	}
	r.doc.Access = document.Access{Protocol: "BAC", Name: "BAC", Cipher: "3DES", Password: "MRZ"}
	r.s = &session{ch: sm.Wrap(r.raw, s), reopen: authenticate}
	return nil
}

// bacMayHelp tells whether a failed PACE leaves BAC worth a try: not when
// the chip refused the key (it would refuse BAC's too), nor when the card,
// the reader or the holder has gone, nor after the card kept us waiting.
func bacMayHelp(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	switch chiperr.KindOf(err) {
	case chiperr.AccessDenied, chiperr.Timeout, chiperr.Canceled, chiperr.CardRemoved, chiperr.ReaderRemoved,
		chiperr.NoCard, chiperr.NoService, chiperr.BadInput:
		return false
	}
	return true
}

// choosePACE picks the strongest PACE protocol the card offers that this
// reader supports: ECDH before DH, Generic before Integrated Mapping, AES
// before 3DES, longer keys first.
func choosePACE(infos *lds.SecurityInfos) (lds.PACEInfo, bool) {
	if infos == nil {
		return lds.PACEInfo{}, false
	}
	type cand struct {
		info lds.PACEInfo
		p    pace.Protocol
	}
	var cands []cand
	for _, i := range infos.PACE {
		if p, ok := pace.ProtocolByOID(i.Protocol); ok && p.Supported() && p.Mapping != pace.CAM {
			cands = append(cands, cand{i, p})
		}
	}
	if len(cands) == 0 {
		return lds.PACEInfo{}, false
	}
	best := slices.MinFunc(cands, func(a, b cand) int {
		return cmp.Or(
			cmp.Compare(rank(a.p.Agreement == pace.ECDH), rank(b.p.Agreement == pace.ECDH)),
			cmp.Compare(rank(a.p.Mapping == pace.GM), rank(b.p.Mapping == pace.GM)),
			cmp.Compare(rank(a.p.Cipher == sm.AES), rank(b.p.Cipher == sm.AES)),
			cmp.Compare(b.p.KeyBytes, a.p.KeyBytes),
		)
	})
	return best.info, true
}

// rank orders preferred (true) before the rest.
func rank(preferred bool) int {
	if preferred {
		return 0
	}
	return 1
}

func paramID(i lds.PACEInfo) int {
	if i.ParameterID == nil {
		return -1
	}
	return *i.ParameterID
}

func pacePassword(s Secret) (pace.Password, string, error) {
	if s.CAN != "" {
		pw, err := pace.CAN(s.CAN)
		return pw, "CAN", err
	}
	return pace.MRZ(s.MRZ), "MRZ", nil
}

func domainName(r *pace.Result) string {
	if r.Curve != nil {
		return r.Curve.Name
	}
	return fmt.Sprintf("DH group %d", r.ParamID)
}

func cipherName(alg sm.Algorithm, keyBytes int) string {
	if alg == sm.TDES {
		return "3DES"
	}
	return fmt.Sprintf("AES-%d", keyBytes*8)
}

// chipAuthenticate runs CA with DG14's key. A refused or failed CA is
// recorded, not fatal: the chip may be a clone, which the verification
// report must say, and the holder still sees what the chip holds (read
// under a re-opened session).
func (r *run) chipAuthenticate(ctx context.Context) error {
	s, doc := r.s, r.doc
	infos, err := lds.ParseDG14(doc.DataGroups[14])
	if err != nil {
		doc.ChipAuth = document.ProtocolRun{Outcome: document.Failed, Error: err, Detail: "DG14 unreadable"}
		return nil
	}
	doc.DG14 = infos
	if len(infos.ChipAuthenticationPublicKeys) == 0 {
		doc.ChipAuth = document.ProtocolRun{Outcome: document.NotOffered}
		return nil
	}
	keyInfo := infos.ChipAuthenticationPublicKeys[0]
	key, err := caKey(keyInfo)
	if err != nil {
		doc.ChipAuth = document.ProtocolRun{Outcome: document.Failed, Error: err, Detail: "chip authentication key unusable"}
		return nil
	}
	oid := chipauth.DefaultOID(key)
	var keyID *int
	for _, ci := range infos.ChipAuthentication {
		if _, ok := chipauth.ProtocolByOID(ci.Protocol); ok {
			oid = ci.Protocol
			if ci.KeyID != nil && ci.KeyID.IsInt64() {
				id := int(ci.KeyID.Int64())
				keyID = &id
			}
			break
		}
	}
	proto, _ := chipauth.ProtocolByOID(oid)
	next, err := chipauth.Authenticate(ctx, s.ch, oid, keyID, key, r.opts.Rand)
	if err == nil {
		s.switchTo(next)
		// CA is proven only once the chip answers under the new keys: the
		// next file read does it (r.file), which saves an exchange.
		doc.ChipAuth = document.ProtocolRun{Outcome: document.Passed, Algorithm: proto.Name}
		r.caPending = true
		return nil
	}
	if ctx.Err() != nil {
		return err
	}
	doc.ChipAuth = document.ProtocolRun{Outcome: document.Failed, Algorithm: proto.Name, Error: err, Detail: err.Error()}
	// The chip dropped secure messaging: open a new session to read on.
	return r.restart(ctx)
}

// caKey converts DG14's key into chipauth's form.
func caKey(info lds.ChipAuthenticationPublicKeyInfo) (chipauth.PublicKey, error) {
	if info.KeyErr != nil {
		return chipauth.PublicKey{}, info.KeyErr
	}
	switch k := info.PublicKey.(type) {
	case *lds.ECPublicKey:
		return chipauth.PublicKey{Curve: k.Curve, Point: k.Curve.Encode(k.Point)}, nil
	case *lds.DHPublicKey:
		return chipauth.PublicKey{P: k.P, G: k.G, Q: k.Q, Y: k.Y}, nil
	}
	return chipauth.PublicKey{}, chiperr.Newf(chiperr.Unsupported, "chip authentication", "key type %T", info.PublicKey)
}

// activeAuthenticate runs AA with DG15's key; its outcome is recorded.
func activeAuthenticate(ctx context.Context, s *session, doc *Document, opts Options) {
	key, err := lds.ParseDG15(doc.DataGroups[15])
	if err != nil {
		doc.ActiveAuth = document.ProtocolRun{Outcome: document.Failed, Error: err, Detail: "DG15 unreadable"}
		return
	}
	var sigAlg = activeAuthAlgorithm(doc)
	challenge := opts.Challenge
	if opts.ChallengeFor != nil {
		if challenge, err = opts.ChallengeFor(&doc.Document); err != nil {
			doc.ActiveAuth = document.ProtocolRun{Outcome: document.Failed, Error: err, Detail: "no challenge"}
			return
		}
		if len(challenge) != aa.ChallengeLen {
			doc.ActiveAuth = document.ProtocolRun{Outcome: document.Failed, Detail: "the challenge is not 8 bytes"}
			return
		}
	}
	if challenge == nil {
		challenge = make([]byte, aa.ChallengeLen)
		rnd := opts.Rand
		if rnd == nil {
			rnd = rand.Reader
		}
		if _, err := io.ReadFull(rnd, challenge); err != nil {
			doc.ActiveAuth = document.ProtocolRun{Outcome: document.Failed, Error: err, Detail: "no randomness"}
			return
		}
	}
	res, err := activeauth.Authenticate(ctx, s.ch, key, sigAlg, challenge)
	if err != nil {
		doc.ActiveAuth = document.ProtocolRun{Outcome: document.Failed, Error: err, Detail: err.Error()}
		return
	}
	doc.ActiveAuth = document.ProtocolRun{Outcome: document.Passed, Algorithm: res.Algorithm, Challenge: res.Challenge, Signature: res.Signature}
}
