package verify

import (
	"crypto/rsa"
	"fmt"
	"strings"

	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// algorithmName names a digest or signature OID for a report.
func algorithmName(oid []int) string {
	return pki.AlgorithmIdentifier{OID: oid}.String()
}

func pkiAlg(a lds.AlgorithmIdentifier) pki.AlgorithmIdentifier {
	return pki.AlgorithmIdentifier{OID: a.OID, Params: a.Params}
}

// algorithmCheck names the algorithms the proof rests on. Broken ones (MD5,
// RIPEMD-128) and RSA keys below pki.MinRSABits never pass: the checks that
// use them cannot succeed, and this check says why. SHA-1 is accepted —
// documents signed with it still circulate — but named.
func algorithmCheck(r *Report, sod *lds.SOD, ds, csca *pki.Certificate) {
	type use struct {
		what Text
		alg  pki.AlgorithmIdentifier
	}
	uses := []use{
		{text("empreintes des données", "data fingerprints"), pkiAlg(sod.HashAlgorithm.AlgorithmIdentifier)},
		{text("empreinte signée", "signed digest"), pkiAlg(sod.Signer.DigestAlgorithm.AlgorithmIdentifier)},
		{text("signature du fichier de sécurité", "security file signature"), pkiAlg(sod.Signer.SignatureAlgorithm)},
	}
	if ds != nil {
		uses = append(uses, use{text("signature du certificat du signataire", "signer certificate signature"), ds.SignatureAlgorithm})
	}
	var broken, sha1 []string
	var weakKeys []Text
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
			broken = append(broken, name+" ("+u.what.EN+")")
		case u.alg.UsesSHA1():
			sha1 = append(sha1, u.what.EN)
		}
	}
	for _, k := range []struct {
		who  Text
		cert *pki.Certificate
	}{{text("du signataire", "of the signer"), ds}, {text("de l'autorité", "of the authority"), csca}} {
		if k.cert == nil {
			continue
		}
		if pub, ok := k.cert.PublicKey.(*rsa.PublicKey); ok && pub.N != nil && pub.N.BitLen() < pki.MinRSABits {
			weakKeys = append(weakKeys, Text{
				FR: fmt.Sprintf("clé RSA %s de %d bits", k.who.FR, pub.N.BitLen()),
				EN: fmt.Sprintf("RSA key %s of %d bits", k.who.EN, pub.N.BitLen()),
			})
		}
	}
	detail := strings.Join(names, ", ")
	switch {
	case len(broken) > 0:
		r.add(Check{ID: CheckAlgorithms, Status: NotPossible, Detail: detail, Reason: text(
			"Algorithme cassé (%s) : une signature faite avec lui ne prouve rien.",
			"Broken algorithm (%s): a signature made with it proves nothing.", strings.Join(broken, ", "))})
	case len(weakKeys) > 0:
		fr, en := make([]string, len(weakKeys)), make([]string, len(weakKeys))
		for i, k := range weakKeys {
			fr[i], en[i] = k.FR, k.EN
		}
		r.add(Check{ID: CheckAlgorithms, Status: NotPossible, Detail: detail, Reason: Text{
			FR: fmt.Sprintf("Clé trop courte (%s, moins de %d bits) : elle se factorise, sa signature ne prouve rien.", strings.Join(fr, ", "), pki.MinRSABits),
			EN: fmt.Sprintf("Key too short (%s, below %d bits): it can be factored, its signature proves nothing.", strings.Join(en, ", "), pki.MinRSABits),
		}})
	case len(sha1) > 0:
		r.add(Check{ID: CheckAlgorithms, Status: Passed, Detail: detail, Reason: text(
			"SHA-1 est utilisé (%s) : algorithme affaibli, encore accepté car des documents signés ainsi circulent.",
			"SHA-1 is used (%s): a weakened algorithm, still accepted because documents signed with it circulate.", strings.Join(sha1, ", "))})
	default:
		r.add(Check{ID: CheckAlgorithms, Status: Passed, Detail: detail, Reason: text(
			"Algorithmes sûrs : %s.", "Sound algorithms: %s.", detail)})
	}
}
