package verifier_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/assertion/verifier"
)

// relabel is what an attacker who saw an assertion posted to one service
// does to present it to another: the other service's client_id and nonce,
// and no proof of presence (with or without the evidence groups).
func relabel(f *flow, clientID, nonce string, dropEvidence bool) {
	f.token.ClientID, f.token.Nonce = clientID, nonce
	f.claims.ClientID, f.claims.Nonce = clientID, nonce
	f.token.ChipPresence = assertion.Presence{Provable: false, Method: "none", Statement: "NOT PROVABLE"}
	if dropEvidence {
		delete(f.token.DataGroups, "DG14")
		delete(f.token.DataGroups, "DG15")
	}
}

func wantReason(t *testing.T, err error, r verifier.Reason) {
	t.Helper()
	if !errors.Is(err, r) {
		t.Fatalf("got %v, want %v", err, r)
	}
	var e *verifier.Error
	// The service's sentences are app/problem's (its table test walks Reasons).
	if !errors.As(err, &e) || e.Kind != r {
		t.Errorf("untyped refusal %v", err)
	}
}

// A chip whose signed EF.SOD lists DG15 has Active Authentication: its
// assertion without a valid chip signature is refused, however the
// presence is dressed (ECDSA on the CNIE, RSA ISO 9796-2 on the passport).
func TestPresenceCannotBeStripped(t *testing.T) {
	for _, name := range []string{"cnie", "passport"} {
		for _, drop := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/drop-evidence=%v", name, drop), func(t *testing.T) {
				f := newFlow(t, profile(t, name), nil)
				relabel(f, request.ClientIDPrefix+"other.example", "n-service-b", drop)
				_, err := f.verify(t)
				wantReason(t, err, verifier.PresenceMissing)
			})
		}
		t.Run(name+"/chip_presence removed", func(t *testing.T) {
			f := newFlow(t, profile(t, name), nil)
			b, _ := f.token.Marshal()
			var m map[string]any
			json.Unmarshal(b, &m)
			delete(m, "chip_presence")
			b, _ = json.Marshal(m)
			_, err := f.v.Verify(b, f.claims.State, f.expected())
			wantReason(t, err, verifier.PresenceMissing)
		})
		t.Run(name+"/honest", func(t *testing.T) {
			f := newFlow(t, profile(t, name), nil)
			res, err := f.verify(t)
			if err != nil || res.ChipPresence != verifier.ChipPresent {
				t.Fatalf("%v %v", err, res)
			}
		})
		t.Run(name+"/signature kept, relabelled", func(t *testing.T) {
			f := newFlow(t, profile(t, name), nil)
			sig := f.token.ChipPresence
			relabel(f, request.ClientIDPrefix+"other.example", "n-service-b", false)
			f.token.ChipPresence = sig
			_, err := f.verify(t)
			wantReason(t, err, verifier.PresenceInvalid)
		})
	}
}

// A signature in one byte wrong names the chip's signature, not the
// request's or the card connection's.
func TestWordsForTheService(t *testing.T) {
	for _, name := range []string{"cnie", "passport"} {
		f := newFlow(t, profile(t, name), nil)
		f.token.ChipPresence.Signature[3] ^= 0x40
		_, err := f.verify(t)
		wantReason(t, err, verifier.PresenceInvalid)
	}
	f := newFlow(t, profile(t, "cnie"), nil)
	f.token.SOD[len(f.token.SOD)-5] ^= 1
	_, err := f.verify(t)
	wantReason(t, err, verifier.DocumentSignature)
	// Every reason has its own technical name (app/problem words them).
	unknown := verifier.Reason(999).Error()
	for _, r := range verifier.Reasons() {
		if r.Error() == unknown || r.Error() == "" {
			t.Errorf("reason %d has no name", r)
		}
	}
}

// Only the canonical keys DG1…DG16 are data groups; a key written twice
// is refused, so the verdict does not depend on map order.
func TestDataGroupKeys(t *testing.T) {
	f := newFlow(t, profile(t, "cnie"), nil)
	good, _ := f.token.Marshal()
	bad := func(t *testing.T, b []byte, want verifier.Reason) {
		t.Helper()
		for range 16 { // map order must not matter
			_, err := f.v.Verify(b, f.claims.State, f.expected())
			wantReason(t, err, want)
		}
	}
	dg1 := f.token.DataGroups["DG1"]
	altered := bytes.Clone(dg1)
	altered[len(altered)-3] ^= 1
	for _, alias := range []string{"DG01", "DG+1", "dg1", "DG 1", "DG1 ", "DG17", "DG0", "DG", "DG-1", "DG001", "DG1.0"} {
		t.Run(alias, func(t *testing.T) {
			var m map[string]any
			json.Unmarshal(good, &m)
			m["data_groups"].(map[string]any)[alias] = altered
			b, _ := json.Marshal(m)
			bad(t, b, verifier.Malformed)
		})
	}
	t.Run("DG1 twice", func(t *testing.T) {
		enc, _ := json.Marshal(altered)
		b := bytes.Replace(good, []byte(`"data_groups":{`), []byte(`"data_groups":{"DG1":`+string(enc)+`,`), 1)
		bad(t, b, verifier.Malformed)
	})
	t.Run("nonce twice in another case", func(t *testing.T) {
		b := bytes.Replace(good, []byte(`{"format"`), []byte(`{"NONCE":"other","format"`), 1)
		bad(t, b, verifier.Malformed)
	})
	t.Run("released twice", func(t *testing.T) {
		var m map[string]any
		json.Unmarshal(good, &m)
		m["released"] = append(m["released"].([]any), "family_name")
		b, _ := json.Marshal(m)
		bad(t, b, verifier.Malformed)
	})
	t.Run("trailing data", func(t *testing.T) {
		bad(t, append(bytes.Clone(good), []byte(` {"format":"x"}`)...), verifier.Malformed)
	})
	if _, err := f.v.Verify(good, f.claims.State, f.expected()); err != nil {
		t.Fatalf("the canonical token: %v", err)
	}
}
