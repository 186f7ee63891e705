package assertion

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/document"
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
// A group the document does not have (a passport without DG11) is not
// sent, and the data it would hold are not released.
func SentGroups(scope *Scope, doc *document.Document) []int {
	var dgs []int
	for _, n := range scope.DataGroups() {
		if _, ok := doc.DataGroups[n]; ok {
			dgs = append(dgs, n)
		}
	}
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
func Build(clientID, nonce string, scope *Scope, doc *document.Document, report *verify.Report, now time.Time) (*Token, error) {
	if len(doc.SOD) == 0 {
		return nil, Errorf(Malformed, "build", "no EF.SOD was read")
	}
	t := &Token{Format: Format, ClientID: clientID, Nonce: nonce, IssuedAt: now.Unix(),
		SOD: doc.SOD, DataGroups: map[string][]byte{}, AppReport: report}
	for _, d := range scope.Released() {
		if _, ok := doc.DataGroups[d.DataGroup()]; ok {
			t.Released = append(t.Released, d)
		}
	}
	sent := SentGroups(scope, doc)
	for _, n := range sent {
		b, ok := doc.DataGroups[n]
		if !ok {
			return nil, Errorf(Unsupported, "build", "the card has no DG%d", n)
		}
		t.DataGroups["DG"+strconv.Itoa(n)] = b
	}
	switch doc.ActiveAuth.Outcome {
	case document.Passed:
		want := Challenge(nonce, clientID, doc.SOD, sent)
		if string(doc.ActiveAuth.Challenge) != string(want) {
			return nil, Errorf(ChipSignature, "build", "the chip signed another challenge")
		}
		t.ChipPresence = Presence{Provable: true, Method: "active-authentication", Signature: doc.ActiveAuth.Signature, Statement: presentStatement}
	case document.Failed:
		return nil, Errorf(ChipSignature, "build", "Active Authentication failed: %s", doc.ActiveAuth.Detail)
	default:
		t.ChipPresence = Presence{Provable: false, Method: "none", Statement: notProvableStatement}
	}
	return t, nil
}

// Marshal encodes the token as the JSON posted in vp_token.
func (t *Token) Marshal() ([]byte, error) { return json.Marshal(t) }

// ParseToken decodes a posted token, bounded and strict: unknown keys,
// a key repeated in any object, data-group keys other than the canonical
// "DG1"…"DG16" and a datum released twice are refused, so that what is
// checked is exactly what is read, whatever the JSON decoder's habits.
func ParseToken(b []byte) (*Token, error) {
	if len(b) > MaxTokenSize {
		return nil, Errorf(TooLarge, "assertion", "%d bytes", len(b))
	}
	if err := uniqueKeys(b); err != nil {
		return nil, Wrap(Malformed, "assertion", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var t Token
	if err := dec.Decode(&t); err != nil {
		return nil, Wrap(Malformed, "assertion", err)
	}
	if dec.More() {
		return nil, Errorf(Malformed, "assertion", "data after the JSON object")
	}
	if t.Format != Format {
		return nil, Errorf(Unsupported, "assertion", "format %q", t.Format)
	}
	for k := range t.DataGroups {
		if _, ok := groupNumber(k); !ok {
			return nil, Errorf(Malformed, "assertion", "data group key %q (DG1 to DG16)", k)
		}
	}
	for i, d := range t.Released {
		if !d.Valid() {
			return nil, Errorf(Malformed, "assertion", "unknown datum %q", d)
		}
		if slices.Contains(t.Released[:i], d) {
			return nil, Errorf(Malformed, "assertion", "%q released twice", d)
		}
	}
	return &t, nil
}

// groupNumber reads a canonical data-group key: "DG" and 1…16 written
// without sign or leading zero.
func groupNumber(k string) (int, bool) {
	digits, ok := strings.CutPrefix(k, "DG")
	if !ok || digits == "" || digits[0] == '0' || len(digits) > 2 || strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil && n >= 1 && n <= 16
}

// uniqueKeys refuses JSON in which an object names a key twice (in any
// letter case): encoding/json would keep the last one silently.
func uniqueKeys(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	type frame struct {
		object bool
		keys   map[string]bool
		atKey  bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if top != nil && top.object {
					top.atKey = true // the value of top's key is this
				}
				stack = append(stack, &frame{object: d == '{', keys: map[string]bool{}, atKey: true})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].atKey = true
				}
			}
			if len(stack) > maxDepth {
				return fmt.Errorf("nested deeper than %d", maxDepth)
			}
			continue
		}
		if top == nil || !top.object {
			continue
		}
		if top.atKey {
			// encoding/json matches field names regardless of case:
			// "nonce" and "NONCE" are the same key to it.
			k := strings.ToLower(strings.ToUpper(tok.(string)))
			if top.keys[k] {
				return fmt.Errorf("key %q repeated", tok)
			}
			top.keys[k] = true
			top.atKey = false
		} else {
			top.atKey = true
		}
	}
}

// maxDepth bounds nesting: a token is a few levels deep.
const maxDepth = 32

// Groups returns the data groups by number.
func (t *Token) Groups() map[int][]byte {
	out := map[int][]byte{}
	for k, v := range t.DataGroups {
		if n, ok := groupNumber(k); ok {
			out[n] = v
		}
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
