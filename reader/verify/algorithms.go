package verify

import (
	"crypto/rsa"
	"strconv"
	"strings"

	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// algorithmName names a digest or signature OID for a report.
func algorithmName(oid []int) string {
	return pki.AlgorithmIdentifier{OID: oid}.String()
}

// algorithmCheck names the algorithms the proof rests on. Broken ones (MD5,
// RIPEMD-128) and RSA keys below pki.MinRSABits never pass: the checks that
// use them cannot succeed, and this check says why. SHA-1 is accepted —
// documents signed with it still circulate — but named.
func algorithmCheck(r *Report, sod *lds.SOD, ds, csca *pki.Certificate) {
	// what names each use in the report's arguments, in English only:
	// algorithm names and their uses are technical terms.
	type use struct {
		what string
		alg  pki.AlgorithmIdentifier
	}
	uses := []use{
		{"data fingerprints", sod.HashAlgorithm.AlgorithmIdentifier},
		{"signed digest", sod.Signer.DigestAlgorithm.AlgorithmIdentifier},
		{"security file signature", sod.Signer.SignatureAlgorithm},
	}
	if ds != nil {
		uses = append(uses, use{"signer certificate signature", ds.SignatureAlgorithm})
	}
	var broken, sha1 []string
	weakKeys := map[string]string{}
	seen := map[string]bool{}
	var names []string
	for _, u := range uses {
		name := u.alg.String()
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
		switch {
		case u.alg.Broken():
			broken = append(broken, name+" ("+u.what+")")
		case u.alg.UsesSHA1():
			sha1 = append(sha1, u.what)
		}
	}
	for _, k := range []struct {
		who  string // the argument naming its size
		cert *pki.Certificate
	}{{"SignerBits", ds}, {"AuthorityBits", csca}} {
		if k.cert == nil {
			continue
		}
		if pub, ok := k.cert.PublicKey.(*rsa.PublicKey); ok && pub.N != nil && pub.N.BitLen() < pki.MinRSABits {
			weakKeys[k.who] = strconv.Itoa(pub.N.BitLen())
		}
	}
	detail := strings.Join(names, ", ")
	switch {
	case len(broken) > 0:
		r.add(Check{ID: CheckAlgorithms, Status: NotPossible, Detail: detail, Reason: ReasonBroken,
			Args: args("Uses", strings.Join(broken, ", "))})
	case len(weakKeys) > 0:
		weakKeys["MinBits"] = strconv.Itoa(pki.MinRSABits)
		r.add(Check{ID: CheckAlgorithms, Status: NotPossible, Detail: detail, Reason: ReasonWeakKey, Args: weakKeys})
	case len(sha1) > 0:
		r.add(Check{ID: CheckAlgorithms, Status: Passed, Detail: detail, Reason: ReasonSHA1,
			Args: args("Uses", strings.Join(sha1, ", "))})
	default:
		r.add(Check{ID: CheckAlgorithms, Status: Passed, Detail: detail, Reason: ReasonSound, Args: args("Names", detail)})
	}
}
