package explain_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/cnie-reader/cnie-reader/app/explain"
	langfiles "github.com/cnie-reader/cnie-reader/assets/lang"
	"github.com/cnie-reader/cnie-reader/internal/diag"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// wordedKeys are the keys this package builds, from the codes the reader
// packages list: every one of them, and nothing else, is in verify.*.json,
// diag.*.json and reader.*.json.
func wordedKeys() map[string]bool {
	keys := map[string]bool{"verify.heading": true, "verify.verdict.demo_prefix": true,
		"verify.key.signer": true, "verify.key.authority": true, "verify.who.signer": true, "verify.who.authority": true}
	for id, reasons := range verify.Reasons {
		for _, r := range reasons {
			keys[explain.CheckKey(id, r)] = true
		}
	}
	for id, reasons := range verify.ClaimReasons {
		for _, r := range reasons {
			keys[explain.ClaimKey(id, r)] = true
		}
	}
	for _, v := range []string{"genuine", "demo", "not_genuine", "not_proven"} {
		keys["verify.verdict."+v] = true
	}
	for _, s := range []verify.SigningTimeSource{verify.FromSOD, verify.FromDG12, verify.Estimated} {
		keys["verify.signed-at."+string(s)] = true
	}
	for _, c := range diag.WhatCodes {
		keys["diag.what."+c] = true
	}
	for _, c := range diag.NextCodes {
		keys["diag.next."+c] = true
	}
	for _, v := range []diag.Verdict{diag.Ready, diag.Caveat, diag.Blocked} {
		keys["diag.verdict."+string(v)] = true
	}
	// The labels and state words of the text report (WriteDiagnosis).
	for _, l := range []string{"title", "verdict", "detail", "system", "kernel", "application", "installed", "running",
		"reachable", "conflicts", "readers", "model", "card", "extended", "kind", "note", "selftest", "short_only",
		"version", "virtual_slot"} {
		keys["diag.text."+l] = true
	}
	for _, s := range []string{"present", "absent", "mute", "in_use", "unreachable", "yes", "no", "unknown", "removed_during_the_probe",
		"passed", "failed", "in-process"} {
		keys["diag.state."+s] = true
	}
	for _, n := range pcsc.CardNotes {
		keys["reader.card."+string(n)] = true
	}
	for _, c := range pcsc.ATRCodes {
		keys["reader.atr."+c] = true
	}
	for _, q := range pcsc.Quirks {
		keys[explain.ModelKey(q.Name)] = true
	}
	for _, c := range pcsc.ProblemCodes {
		keys["reader.problem."+c+".what"], keys["reader.problem."+c+".fix"] = true, true
	}
	return keys
}

// TestKeysMatchCodes: the three files hold exactly the keys the codes call
// for, in both languages: none missing, none left over from a code that
// went.
func TestKeysMatchCodes(t *testing.T) {
	want := wordedKeys()
	for _, lang := range []string{"fr", "en"} {
		have := map[string]bool{}
		for _, prefix := range []string{"verify", "diag", "reader"} {
			b, err := langfiles.FS.ReadFile("translations/" + prefix + "." + lang + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]string
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("%s.%s.json: %v", prefix, lang, err)
			}
			for k := range m {
				have[k] = true
			}
		}
		for k := range want {
			if !have[k] {
				t.Errorf("%s: %s is missing", lang, k)
			}
		}
		var extra []string
		for k := range have {
			if !want[k] {
				extra = append(extra, k)
			}
		}
		slices.Sort(extra)
		for _, k := range extra {
			t.Errorf("%s: %s is not built from any code", lang, k)
		}
	}
}
