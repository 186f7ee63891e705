package verify_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/app/explain"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// The report carries codes; the application words them (app/explain).
// The tests check the words people read, in both languages.
var (
	fr = i18n.Locale{Lang: "fr"}
	en = i18n.Locale{Lang: "en"}
)

func reasonFR(c verify.Check) string { return explain.CheckIn(fr, c) }
func reasonEN(c verify.Check) string { return explain.CheckIn(en, c) }

// wordsMissing says what is wrong with a check's reason: not listed in
// verify.Reasons, or without a distinct sentence in each language; "" when
// all is well.
func wordsMissing(c verify.Check) string {
	if !slices.Contains(verify.Reasons[c.ID], c.Reason) {
		return "reason " + string(c.Reason) + " is not listed for " + string(c.ID)
	}
	f, e := reasonFR(c), reasonEN(c)
	key := explain.CheckKey(c.ID, c.Reason)
	for _, s := range []string{f, e} {
		if s == "" || strings.HasPrefix(s, key) || strings.Contains(s, "<no value>") {
			return "no sentence: " + s
		}
	}
	if f == e {
		return "the same sentence in both languages: " + f
	}
	return ""
}

func TestEveryReasonIsListed(t *testing.T) {
	for id, reasons := range verify.Reasons {
		if len(reasons) == 0 {
			t.Errorf("%s has no reason", id)
		}
	}
}

// String is the technical line a refusal carries (assertion/verifier).
func TestCheckString(t *testing.T) {
	c := verify.Check{ID: verify.CheckDGHash, DG: 3, Status: verify.Failed, Reason: verify.ReasonAltered}
	if got := c.String(); got != "dg-hash DG3 failed: altered" {
		t.Errorf("String = %q", got)
	}
	c = verify.Check{ID: verify.CheckCRL, Status: verify.Failed, Reason: verify.ReasonRevoked, Args: map[string]string{"Date": "2024-01-02", "A": "x"}}
	if got := c.String(); got != "crl failed: revoked (A=x, Date=2024-01-02)" {
		t.Errorf("String = %q", got)
	}
}
