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

	"github.com/cnie-reader/cnie-reader/reader/access/activeauth"
	"github.com/cnie-reader/cnie-reader/reader/access/bac"
	"github.com/cnie-reader/cnie-reader/reader/access/chipauth"
	"github.com/cnie-reader/cnie-reader/reader/access/pace"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
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
}

// Options tune a read.
type Options struct {
	// ShortOnly never sends extended-length APDUs (for readers that cannot).
	ShortOnly bool
	// Challenge is the Active Authentication challenge (8 bytes); random when nil.
	Challenge []byte
	// ChallengeFor, when set, computes the challenge once the files are
	// read: an assertion binds the chip's signature to the EF.SOD it sends.
	ChallengeFor func(doc *Document) ([]byte, error)
	// Rand is the source of randomness; crypto/rand when nil.
	Rand io.Reader
	// Progress, if set, is called from the reading goroutine.
	Progress func(Progress)
	// APDUTimeout bounds the wait for one answer; DefaultAPDUTimeout when 0.
	APDUTimeout time.Duration
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
// When extended-length reads fail (reader or card refuse them) it starts
// again with short APDUs, and says so in Stats.
func Read(ctx context.Context, t iso7816.Transmitter, secret Secret, opts Options) (*Document, error) {
	start := time.Now()
	cnt := &counter{t: t, timeout: cmp.Or(opts.APDUTimeout, DefaultAPDUTimeout)}
	// The trace sits below response handling, so it sees GET RESPONSE rounds.
	raw := iso7816.WithResponseHandling(trace.Wrap(cnt, opts.Trace))
	extended := !opts.ShortOnly
	doc, err := readOnce(ctx, raw, secret, opts, extended)
	if err != nil && extended && extendedRefused(err) {
		extended = false
		doc, err = readOnce(ctx, raw, secret, opts, false)
	}
	if err != nil {
		return nil, err
	}
	doc.Stats = cnt.stats()
	doc.Stats.Extended = extended
	doc.Stats.Chunk = chunkFor(extended)
	doc.Duration = time.Since(start)
	return doc, nil
}

// extendedRefused tells whether a failed read may be due to an extended-
// length APDU: the card answers 6700, or the reader (short-APDU only, such
// as the ACR122U) fails the exchange. Either way the read is worth one more
// try with short APDUs; a card that left the field or a cancel is not.
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
	pace   *pace.Result
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

func readOnce(ctx context.Context, raw iso7816.Transmitter, secret Secret, opts Options, extended bool) (*Document, error) {
	doc := &Document{DataGroups: map[int][]byte{}}
	progress := func(p Progress) {
		if opts.Progress != nil {
			opts.Progress(p)
		}
	}
	progress(Progress{Step: StepConnect})

	s, err := openSession(ctx, raw, secret, opts, doc)
	if err != nil {
		return nil, err
	}
	defer s.close()
	fr := &files.Reader{T: s.ch, Chunk: chunkFor(extended)}
	if err := fr.SelectApplication(ctx); err != nil {
		return nil, err
	}
	read := func(name string, dg int, fid uint16, sfi byte) ([]byte, error) {
		fr.Progress = func(_ uint16, done, total int) {
			step := StepIdentity
			if dg == 2 {
				step = StepPhoto
			}
			progress(Progress{Step: step, File: name, Done: done, Total: total})
		}
		b, err := fr.ReadFile(ctx, fid, sfi)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		doc.Files = append(doc.Files, FileRead{Name: name, FID: fid, Size: len(b)})
		return b, nil
	}

	progress(Progress{Step: StepIdentity})
	present := []int{1, 2}
	comBytes, err := read("EF.COM", 0, 0x011E, 0x1E)
	if err != nil {
		return nil, err
	}
	if doc.COM, err = lds.ParseCOM(comBytes); err != nil {
		return nil, err
	}
	present = present[:0]
	for _, dg := range doc.COM.DataGroups {
		present = append(present, int(dg))
	}
	if doc.SOD, err = read("EF.SOD", 0, 0x011D, 0x1D); err != nil {
		return nil, err
	}

	// Chip Authentication first, so that everything after it travels under
	// keys a cloned chip could not derive.
	if slices.Contains(present, 14) {
		dg := lds.DataGroup(14)
		if doc.DataGroups[14], err = read("DG14", 14, dg.FileID(), dg.SFI()); err != nil {
			return nil, err
		}
		progress(Progress{Step: StepAuthenticity})
		if err := chipAuthenticate(ctx, s, doc, opts); err != nil {
			return nil, err
		}
	} else {
		doc.ChipAuth = ProtocolRun{Outcome: NotOffered}
	}

	for _, n := range dataGroupOrder {
		if !slices.Contains(present, n) {
			continue
		}
		dg := lds.DataGroup(n)
		if doc.DataGroups[n], err = read(dg.String(), n, dg.FileID(), dg.SFI()); err != nil {
			return nil, err
		}
	}
	for _, n := range present {
		if lds.ProtectedByTerminalAuth(lds.DataGroup(n)) {
			doc.Protected = append(doc.Protected, n)
		}
	}
	if b, ok := doc.DataGroups[1]; ok {
		if doc.MRZ, err = lds.ParseDG1(b); err != nil && doc.MRZ == nil {
			return nil, err
		}
	}
	if b, ok := doc.DataGroups[11]; ok {
		if doc.DG11, err = lds.ParseDG11(b); err != nil {
			return nil, err
		}
	}

	if slices.Contains(present, 15) {
		dg := lds.DataGroup(15)
		if doc.DataGroups[15], err = read("DG15", 15, dg.FileID(), dg.SFI()); err != nil {
			return nil, err
		}
		progress(Progress{Step: StepAuthenticity})
		activeAuthenticate(ctx, s, doc, opts)
	} else {
		doc.ActiveAuth = ProtocolRun{Outcome: NotOffered}
	}
	return doc, nil
}

// openSession reads EF.CardAccess and runs PACE when the card offers it,
// BAC otherwise (or when PACE is offered with nothing this reader supports
// and the MRZ is known).
func openSession(ctx context.Context, raw iso7816.Transmitter, secret Secret, opts Options, doc *Document) (*session, error) {
	if secret.CAN == "" && secret.MRZ == "" {
		return nil, chiperr.New(chiperr.BadInput, "open the chip", "neither CAN nor MRZ given")
	}
	plain := &files.Reader{T: raw, Chunk: iso7816.MaxShortNe}
	_ = plain.SelectMaster(ctx) // some chips have no selectable MF; EF.CardAccess is read by SFI anyway
	ca, err := plain.ReadFile(ctx, 0x011C, 0x1C)
	switch {
	case err == nil:
		if doc.CardAccess, err = lds.ParseSecurityInfos(ca); err != nil {
			return nil, err
		}
	case errors.Is(err, chiperr.FileNotFound), errors.Is(err, chiperr.SecurityStatus):
		// No EF.CardAccess: a BAC-only document.
	default:
		return nil, err
	}

	if offer, ok := choosePACE(doc.CardAccess); ok && (secret.CAN != "" || secret.MRZ != "") {
		pw, pwName, err := pacePassword(secret)
		if err != nil {
			return nil, err
		}
		run := func(ctx context.Context) (*pace.Result, error) {
			return pace.Authenticate(ctx, raw, offer.Protocol, paramID(offer), pw, opts.Rand)
		}
		res, err := run(ctx)
		if err != nil {
			pw.Wipe()
			return nil, err
		}
		doc.Access = Access{Protocol: "PACE", Name: res.Protocol.Name, Mapping: res.Protocol.Mapping.String(),
			Domain: domainName(res), Cipher: cipherName(res.Protocol.Cipher, res.Protocol.KeyBytes), Password: pwName}
		return &session{
			ch:   sm.Wrap(raw, res.Session),
			pace: res,
			wipe: pw.Wipe,
			reopen: func(ctx context.Context) (*sm.Session, error) {
				r, err := run(ctx)
				if err != nil {
					return nil, err
				}
				return r.Session, nil
			},
		}, nil
	}
	if secret.MRZ == "" {
		if doc.CardAccess != nil {
			return nil, chiperr.New(chiperr.Unsupported, "open the chip", "the card offers no PACE protocol this reader supports")
		}
		return nil, chiperr.New(chiperr.BadInput, "open the chip", "this document has no PACE: it opens with the MRZ (BAC), not a CAN")
	}
	run := func(ctx context.Context) (*sm.Session, error) {
		return bac.Authenticate(ctx, raw, secret.MRZ, opts.Rand)
	}
	s, err := run(ctx)
	if err != nil {
		return nil, err
	}
	doc.Access = Access{Protocol: "BAC", Name: "BAC", Cipher: "3DES", Password: "MRZ"}
	return &session{ch: sm.Wrap(raw, s), reopen: run}, nil
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
func chipAuthenticate(ctx context.Context, s *session, doc *Document, opts Options) error {
	infos, err := lds.ParseDG14(doc.DataGroups[14])
	if err != nil {
		doc.ChipAuth = ProtocolRun{Outcome: Failed, Error: err, Detail: "DG14 unreadable"}
		return nil
	}
	doc.DG14 = infos
	if len(infos.ChipAuthenticationPublicKeys) == 0 {
		doc.ChipAuth = ProtocolRun{Outcome: NotOffered}
		return nil
	}
	keyInfo := infos.ChipAuthenticationPublicKeys[0]
	key, err := caKey(keyInfo)
	if err != nil {
		doc.ChipAuth = ProtocolRun{Outcome: Failed, Error: err, Detail: "chip authentication key unusable"}
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
	next, err := chipauth.Authenticate(ctx, s.ch, oid, keyID, key, opts.Rand)
	if err == nil {
		s.ch.Switch(next)
		// CA is proven only once the chip answers under the new keys.
		if err = (&files.Reader{T: s.ch}).SelectApplication(ctx); err == nil {
			doc.ChipAuth = ProtocolRun{Outcome: Passed, Algorithm: proto.Name}
			return nil
		}
	}
	if ctx.Err() != nil {
		return err
	}
	doc.ChipAuth = ProtocolRun{Outcome: Failed, Algorithm: proto.Name, Error: err, Detail: err.Error()}
	// The chip dropped secure messaging: open a new session to read on.
	fresh, rerr := s.reopen(ctx)
	if rerr != nil {
		return rerr
	}
	s.ch.Switch(fresh)
	return (&files.Reader{T: s.ch}).SelectApplication(ctx)
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
		doc.ActiveAuth = ProtocolRun{Outcome: Failed, Error: err, Detail: "DG15 unreadable"}
		return
	}
	var sigAlg = activeAuthAlgorithm(doc)
	challenge := opts.Challenge
	if opts.ChallengeFor != nil {
		if challenge, err = opts.ChallengeFor(doc); err != nil {
			doc.ActiveAuth = ProtocolRun{Outcome: Failed, Error: err, Detail: "no challenge"}
			return
		}
		if len(challenge) != activeauth.ChallengeLen {
			doc.ActiveAuth = ProtocolRun{Outcome: Failed, Detail: "the challenge is not 8 bytes"}
			return
		}
	}
	if challenge == nil {
		challenge = make([]byte, activeauth.ChallengeLen)
		rnd := opts.Rand
		if rnd == nil {
			rnd = rand.Reader
		}
		if _, err := io.ReadFull(rnd, challenge); err != nil {
			doc.ActiveAuth = ProtocolRun{Outcome: Failed, Error: err, Detail: "no randomness"}
			return
		}
	}
	res, err := activeauth.Authenticate(ctx, s.ch, key, sigAlg, challenge)
	if err != nil {
		doc.ActiveAuth = ProtocolRun{Outcome: Failed, Error: err, Detail: err.Error()}
		return
	}
	doc.ActiveAuth = ProtocolRun{Outcome: Passed, Algorithm: res.Algorithm, Challenge: res.Challenge, Signature: res.Signature}
}
