package pki

import (
	"bytes"
	"cmp"
	"slices"
	"sync"
	"time"
)

// SourceKind tells where a trust anchor comes from.
type SourceKind int

const (
	_ SourceKind = iota
	// SourceBundled: a certificate shipped with the application
	// (assets/trust: the French CSCAs).
	SourceBundled
	// SourceMasterList: taken from a CSCA master list the user imported.
	SourceMasterList
	// SourceUser: a certificate the user imported.
	SourceUser
	// SourceDemo: the simulator's demonstration CSCA. A document that chains
	// to it is a demo, never a real one.
	SourceDemo
	// SourceBundledMasterList: taken from the master list shipped with the
	// application (the BSI's, assets/trust/bsi), after its signature and
	// pinned signer were checked.
	SourceBundledMasterList
)

func (k SourceKind) String() string {
	switch k {
	case SourceBundled:
		return "bundled"
	case SourceMasterList:
		return "master list"
	case SourceUser:
		return "user"
	case SourceDemo:
		return "demo"
	case SourceBundledMasterList:
		return "bundled master list"
	}
	return "unknown"
}

// Source is the origin of an anchor: its kind and a name for display (the
// bundled file, the master list file, the imported file).
type Source struct {
	Kind SourceKind
	Name string
}

// Anchor is a trusted CSCA certificate and where it comes from.
type Anchor struct {
	Cert   *Certificate
	Source Source
}

// Store holds the CSCA anchors and the CRLs. It is safe for concurrent use.
type Store struct {
	mu        sync.RWMutex
	anchors   []Anchor
	byFP      map[[32]byte]int
	byKeyID   map[string][]int
	bySubject map[string][]int
	crls      []*CRL
	lists     []loadedList
	// devLists are the verified deviation lists, deviations what they
	// declare (deviation.go).
	devLists   []*DeviationListInfo
	deviations []*Deviation
}

// loadedList is a master list whose CSCAs the store holds.
type loadedList struct {
	publisher string    // country of the list signer's issuer, e.g. "DE"
	signedAt  time.Time // its signingTime (zero when it has none)
	source    Source
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{
		byFP:      map[[32]byte]int{},
		byKeyID:   map[string][]int{},
		bySubject: map[string][]int{},
	}
}

// Add adds cert as an anchor. A certificate already present (same SHA-256)
// keeps its first source. The demonstration CSCA (IsDemo) is always added
// with SourceDemo, whatever src says, so that it can never pass for a real
// authority.
func (s *Store) Add(cert *Certificate, src Source) {
	if cert == nil {
		return
	}
	if cert.IsDemo() {
		src.Kind = SourceDemo
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addLocked(cert, src)
}

func (s *Store) addLocked(cert *Certificate, src Source) {
	if _, ok := s.byFP[cert.Fingerprint]; ok {
		return
	}
	i := len(s.anchors)
	s.anchors = append(s.anchors, Anchor{Cert: cert, Source: src})
	s.byFP[cert.Fingerprint] = i
	if len(cert.SubjectKeyID) > 0 {
		k := string(cert.SubjectKeyID)
		s.byKeyID[k] = append(s.byKeyID[k], i)
	}
	s.bySubject[cert.subject.canon] = append(s.bySubject[cert.subject.canon], i)
}

// AddDemoCSCA adds the virtual card's CSCA (the DER that
// (*sim.Card).DemoCSCA returns) as a SourceDemo anchor. It refuses a
// certificate that is not the demonstration CSCA, so that this door cannot
// be used to slip a real authority in as a demo or the other way round.
func (s *Store) AddDemoCSCA(der []byte) error {
	const op = "add demo CSCA"
	c, err := ParseCertificate(der)
	if err != nil {
		return wrap(Malformed, op, err)
	}
	if !c.IsDemo() || !c.IsCA {
		return newErrf(BadInput, op, "%s is not the demonstration CSCA", c.Subject)
	}
	s.Add(c, Source{Kind: SourceDemo, Name: "virtual card"})
	return nil
}

// Clone returns an independent copy of the store, so that a card's demo
// anchor can be added without touching a store shared by other reads.
// Certificates and CRLs are immutable and shared.
func (s *Store) Clone() *Store {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := NewStore()
	for _, a := range s.anchors {
		c.addLocked(a.Cert, a.Source)
	}
	c.crls = slices.Clone(s.crls)
	c.lists = slices.Clone(s.lists)
	c.devLists = slices.Clone(s.devLists)
	c.deviations = slices.Clone(s.deviations)
	return c
}

// removeSource drops every anchor taken from src (a master list being
// replaced by a newer one) and rebuilds the indexes.
func (s *Store) removeSource(src Source) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.anchors
	s.anchors, s.byFP, s.byKeyID, s.bySubject = nil, map[[32]byte]int{}, map[string][]int{}, map[string][]int{}
	for _, a := range old {
		if a.Source != src {
			s.addLocked(a.Cert, a.Source)
		}
	}
	s.lists = slices.DeleteFunc(s.lists, func(l loadedList) bool { return l.source == src })
}

// Len returns the number of anchors.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.anchors)
}

// Anchors returns a copy of the anchors, in the order they were added.
func (s *Store) Anchors() []Anchor {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.anchors)
}

// Issuers returns every anchor that may have issued c: those whose
// subjectKeyIdentifier equals c's authorityKeyIdentifier, or, when there is
// none, those whose subject is c's issuer name. All candidates are returned
// (a CSCA's self-signed and link certificates share a key; a key rollover
// gives several keys under one name); the signature decides.
func (s *Store) Issuers(c *Certificate) []Anchor {
	if c == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var idx []int
	if len(c.AuthorityKeyID) > 0 {
		idx = s.byKeyID[string(c.AuthorityKeyID)]
	}
	if len(idx) == 0 {
		idx = s.bySubject[c.issuer.canon]
	}
	out := make([]Anchor, 0, len(idx))
	for _, i := range idx {
		out = append(out, s.anchors[i])
	}
	return out
}

// AddCRL adds a CRL after checking that an anchor of the store signed it. A
// CRL with critical extensions this package does not process is refused.
// Of several CRLs from the same issuer key, the newest is kept.
func (s *Store) AddCRL(crl *CRL) error {
	const op = "add CRL"
	if crl == nil {
		return newErr(BadInput, op, "nil CRL")
	}
	if len(crl.UnhandledCritical) > 0 {
		return newErrf(UnhandledCritical, op, "%s: %v", crl.Issuer, crl.UnhandledCritical)
	}
	var firstErr error
	var signer *Certificate
	for _, a := range s.crlIssuers(crl) {
		err := crl.CheckSignatureFrom(a.Cert)
		if err == nil {
			signer = a.Cert
			break
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if signer == nil {
		if firstErr == nil {
			firstErr = newErrf(UnknownIssuer, op, "no anchor for CRL issuer %s", crl.Issuer)
		}
		return wrap(UnknownIssuer, op, firstErr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, old := range s.crls {
		if old.issuer.canon != crl.issuer.canon || !bytes.Equal(old.AuthorityKeyID, crl.AuthorityKeyID) {
			continue
		}
		if crl.ThisUpdate.After(old.ThisUpdate) {
			s.crls[i] = crl
		}
		return nil
	}
	s.crls = append(s.crls, crl)
	return nil
}

// crlIssuers is Issuers for a CRL.
func (s *Store) crlIssuers(crl *CRL) []Anchor {
	probe := &Certificate{AuthorityKeyID: crl.AuthorityKeyID, issuer: crl.issuer}
	return s.Issuers(probe)
}

// CRLFor returns the newest CRL of cert's issuer, or nil: matched by key
// identifier when both carry one, otherwise by issuer name.
func (s *Store) CRLFor(cert *Certificate) *CRL {
	if cert == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var best *CRL
	for _, c := range s.crls {
		if len(cert.AuthorityKeyID) > 0 && len(c.AuthorityKeyID) > 0 {
			if !bytes.Equal(cert.AuthorityKeyID, c.AuthorityKeyID) {
				continue
			}
		} else if c.issuer.canon != cert.issuer.canon {
			continue
		}
		if best == nil || c.ThisUpdate.After(best.ThisUpdate) {
			best = c
		}
	}
	return best
}

// Verify checks a Document Signer certificate against the store at time
// at (the time the document was signed, see RFC 5280 §6 and ICAO 9303-12):
// signed by an anchor (a CA, usable for certificates), both valid then, no
// unhandled critical extension, and not revoked by then according to the
// CRL of its issuer when the store has one.
//
// Every candidate issuer is tried, as RFC 5280 path building does: a CSCA
// and its link certificate share a key and a name, and only one of them may
// be valid at that time. The first candidate that passes everything is
// returned. When none does, the returned anchor is the first whose
// signature matched (so that the report can name the authority whose
// certificate failed) with the reason it failed; a zero Anchor means no
// candidate's signature matched (BadSignature) or there is none
// (UnknownIssuer). Check the anchor's Source: SourceDemo means a
// demonstration document.
func (s *Store) Verify(ds *Certificate, at time.Time) (Anchor, error) {
	const op = "verify Document Signer"
	if ds == nil {
		return Anchor{}, newErr(BadInput, op, "nil certificate")
	}
	cands := s.Issuers(ds)
	if len(cands) == 0 {
		return Anchor{}, newErrf(UnknownIssuer, op, "issuer %s", ds.Issuer)
	}
	var sigErr, laterErr error
	var matched Anchor
	for _, a := range cands {
		if err := ds.CheckSignatureFrom(a.Cert); err != nil {
			sigErr = cmp.Or(sigErr, err)
			continue
		}
		err := s.checkAnchored(ds, a, at)
		if err == nil {
			return a, nil
		}
		if matched.Cert == nil {
			matched, laterErr = a, err
		}
	}
	if matched.Cert != nil {
		return matched, wrap(BadSignature, op, laterErr)
	}
	return Anchor{}, wrap(BadSignature, op, sigErr)
}

// checkAnchored runs the checks that follow a good signature.
func (s *Store) checkAnchored(ds *Certificate, a Anchor, at time.Time) error {
	if len(ds.UnhandledCritical) > 0 {
		return newErrf(UnhandledCritical, "Document Signer", "%s: %v", ds.Subject, ds.UnhandledCritical)
	}
	if len(a.Cert.UnhandledCritical) > 0 {
		return newErrf(UnhandledCritical, "anchor", "%s: %v", a.Cert.Subject, a.Cert.UnhandledCritical)
	}
	if err := ds.CheckValidity(at); err != nil {
		return err
	}
	if err := a.Cert.CheckValidity(at); err != nil {
		return err
	}
	if crl := s.CRLFor(ds); crl != nil {
		if revoked, when := crl.IsRevoked(ds.SerialNumber); revoked && !when.After(at) {
			return newErrf(Revoked, "revocation", "%s revoked on %s", ds.Subject, when.UTC().Format(time.DateOnly))
		}
	}
	return nil
}
