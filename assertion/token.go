package assertion

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// Format names this assertion format and its version.
const Format = "cnie-reader-assertion/1"

// MaxTokenSize bounds an assertion: a CNIE's DG1+DG2+DG11+SOD is ~30 KB;
// a passport's large photo may reach a few hundred.
const MaxTokenSize = 2 << 20

// Token is the assertion posted to the service (as the vp_token of an
// OpenID for Verifiable Presentations direct_post answer). Everything in
// it that proves something is checked by the service itself: the State's
// signature over the data (SOD), and the chip's signature of this request.
type Token struct {
	Format   string `json:"format"`
	ClientID string `json:"client_id"`
	Nonce    string `json:"nonce"`
	IssuedAt int64  `json:"iat"`
	// Released are the data the holder agreed to; the data groups that hold
	// them are in DataGroups, whole, as the chip signs them.
	Released   []Datum           `json:"released"`
	SOD        []byte            `json:"sod"`
	DataGroups map[string][]byte `json:"data_groups"` // "DG1": bytes…
	// ChipPresence says whether the chip itself signed this request.
	ChipPresence Presence `json:"chip_presence"`
	// AppReport is what this application concluded: information only, a
	// service must not rely on it (the verifier does not read it).
	AppReport *verify.Report `json:"app_report_not_evidence,omitempty"`
}

// Presence is the proof (or the plain absence of proof) that the chip
// was there when the request was answered.
type Presence struct {
	// Provable is false when the chip has no Active Authentication: then
	// the data can be genuine while the chip's presence cannot be proven.
	Provable  bool   `json:"provable"`
	Method    string `json:"method"` // "active-authentication" or "none"
	Signature []byte `json:"signature,omitempty"`
	Statement string `json:"statement"`
}

const (
	presentStatement     = "The chip signed a challenge derived from this request's nonce, the client_id and the EF.SOD sent: it was present."
	notProvableStatement = "NOT PROVABLE: this chip offers no Active Authentication. The data may be genuine (check the SOD), but that the chip itself was present cannot be proven to a third party."
)

// Challenge is the 8-byte Active Authentication challenge for an assertion:
// it binds the chip's signature to the service (clientID), to one request
// (nonce) and to what is sent (EF.SOD, which commits to every data group,
// and the list of groups sent). A replay, or a copy to another service,
// fails.
func Challenge(nonce, clientID string, sod []byte, dataGroups []int) []byte {
	h := sha256.New()
	h.Write([]byte("cnie-reader AA challenge v1\x00"))
	for _, s := range []string{nonce, clientID} {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	sodHash := sha256.Sum256(sod)
	h.Write(sodHash[:])
	dgs := slices.Clone(dataGroups)
	slices.Sort(dgs)
	for _, d := range dgs {
		h.Write([]byte{byte(d)})
	}
	return h.Sum(nil)[:8]
}

// Evidence are the groups that prove the chip's signature: DG15 (its key)
// and DG14 (the algorithm, for ECDSA keys).
var Evidence = []int{14, 15}

// SentGroups are the data groups an assertion carries: those of the
// released data, plus the evidence groups when the chip signs.
func SentGroups(scope *Scope, doc *reader.Document) []int {
	dgs := scope.DataGroups()
	if _, ok := doc.DataGroups[15]; ok {
		for _, e := range Evidence {
			if _, ok := doc.DataGroups[e]; ok && !slices.Contains(dgs, e) {
				dgs = append(dgs, e)
			}
		}
	}
	slices.Sort(dgs)
	return dgs
}

// Build makes the assertion from a read whose Active Authentication used
// Challenge (reader.Options.ChallengeFor). Only the released data's groups
// leave, with the evidence groups.
func Build(clientID, nonce string, scope *Scope, doc *reader.Document, report *verify.Report, now time.Time) (*Token, error) {
	if len(doc.SOD) == 0 {
		return nil, Errorf(Malformed, "build", "no EF.SOD was read")
	}
	t := &Token{Format: Format, ClientID: clientID, Nonce: nonce, IssuedAt: now.Unix(), Released: scope.Released(),
		SOD: doc.SOD, DataGroups: map[string][]byte{}, AppReport: report}
	sent := SentGroups(scope, doc)
	for _, n := range sent {
		b, ok := doc.DataGroups[n]
		if !ok {
			return nil, Errorf(Unsupported, "build", "the card has no DG%d", n)
		}
		t.DataGroups["DG"+strconv.Itoa(n)] = b
	}
	switch doc.ActiveAuth.Outcome {
	case reader.Passed:
		want := Challenge(nonce, clientID, doc.SOD, sent)
		if string(doc.ActiveAuth.Challenge) != string(want) {
			return nil, Errorf(ChipSignature, "build", "the chip signed another challenge")
		}
		t.ChipPresence = Presence{Provable: true, Method: "active-authentication", Signature: doc.ActiveAuth.Signature, Statement: presentStatement}
	case reader.Failed:
		return nil, Errorf(ChipSignature, "build", "Active Authentication failed: %s", doc.ActiveAuth.Detail)
	default:
		t.ChipPresence = Presence{Provable: false, Method: "none", Statement: notProvableStatement}
	}
	return t, nil
}

// Marshal encodes the token as the JSON posted in vp_token.
func (t *Token) Marshal() ([]byte, error) { return json.Marshal(t) }

// ParseToken decodes a posted token, bounded and strict.
func ParseToken(b []byte) (*Token, error) {
	if len(b) > MaxTokenSize {
		return nil, Errorf(TooLarge, "assertion", "%d bytes", len(b))
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	var t Token
	if err := dec.Decode(&t); err != nil {
		return nil, Wrap(Malformed, "assertion", err)
	}
	if t.Format != Format {
		return nil, Errorf(Unsupported, "assertion", "format %q", t.Format)
	}
	for k := range t.DataGroups {
		n, err := strconv.Atoi(strings.TrimPrefix(k, "DG"))
		if !strings.HasPrefix(k, "DG") || err != nil || n < 1 || n > 16 {
			return nil, Errorf(Malformed, "assertion", "data group key %q", k)
		}
	}
	for _, d := range t.Released {
		if !d.Valid() {
			return nil, Errorf(Malformed, "assertion", "unknown datum %q", d)
		}
	}
	return &t, nil
}

// Groups returns the data groups by number.
func (t *Token) Groups() map[int][]byte {
	out := map[int][]byte{}
	for k, v := range t.DataGroups {
		n, _ := strconv.Atoi(strings.TrimPrefix(k, "DG"))
		out[n] = v
	}
	return out
}

// GroupNumbers lists the groups carried, sorted.
func (t *Token) GroupNumbers() []int {
	var out []int
	for n := range t.Groups() {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func (p Presence) String() string { return fmt.Sprintf("%s (%v)", p.Method, p.Provable) }
