package explain

import (
	"strconv"
	"strings"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// Check is the sentence of a check, "verify.<id>.<reason>" filled with its
// arguments (DG for the data group), followed by the deviations it names.
func Check(c verify.Check) string { return current.check(c) }

// CheckIn is Check in lang.
func CheckIn(l i18n.Locale, c verify.Check) string { return in(l).check(c) }

// CheckKey is the translation key of a check's sentence.
func CheckKey(id verify.CheckID, reason verify.Reason) string {
	return "verify." + string(id) + "." + string(reason)
}

func (w words) check(c verify.Check) string {
	args := w.fill(c.Args)
	if c.DG != 0 {
		args["DG"] = strconv.Itoa(c.DG)
	}
	if c.ID == verify.CheckAlgorithms && c.Reason == verify.ReasonWeakKey {
		args["Keys"] = w.weakKeys(c.Args)
	}
	s := w.t(CheckKey(c.ID, c.Reason), args)
	for _, d := range c.Deviations {
		s += " " + w.deviation(d)
	}
	return s
}

// weakKeys names the short RSA keys of an algorithms check: the signer's,
// then the authority's.
func (w words) weakKeys(args map[string]string) string {
	var keys []string
	for _, k := range []struct{ arg, key string }{{"SignerBits", "verify.key.signer"}, {"AuthorityBits", "verify.key.authority"}} {
		if bits, ok := args[k.arg]; ok {
			keys = append(keys, w.t(k.key, map[string]string{"Bits": bits}))
		}
	}
	return strings.Join(keys, ", ")
}

// Claim is the sentence of one of the four claims.
func Claim(c verify.Claim) string { return current.claim(c) }

// ClaimIn is Claim in lang.
func ClaimIn(l i18n.Locale, c verify.Claim) string { return in(l).claim(c) }

// ClaimKey is the translation key of a claim's sentence.
func ClaimKey(id verify.ClaimID, reason verify.Reason) string {
	return "verify.claim." + string(id) + "." + string(reason)
}

func (w words) claim(c verify.Claim) string { return w.t(ClaimKey(c.ID, c.Reason), c.Args) }

// verdictKeys word each verdict.
var verdictKeys = map[verify.Verdict]string{
	verify.Genuine:    "verify.verdict.genuine",
	verify.Demo:       "verify.verdict.demo",
	verify.NotGenuine: "verify.verdict.not_genuine",
	verify.NotProven:  "verify.verdict.not_proven",
}

// Summary sums a report up in one sentence: its verdict, marked as a
// demonstration when the demo authority signed a document that is not
// called a demo (it failed or was not proven).
func Summary(r *verify.Report) string { return current.summary(r) }

// SummaryIn is Summary in lang.
func SummaryIn(l i18n.Locale, r *verify.Report) string { return in(l).summary(r) }

func (w words) summary(r *verify.Report) string {
	s := w.t(verdictKeys[r.Verdict], nil)
	if r.DemoPKI && r.Verdict != verify.Demo {
		s = w.t("verify.verdict.demo_prefix", map[string]string{"Summary": s})
	}
	return s
}
