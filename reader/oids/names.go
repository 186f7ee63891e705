package oids

import "encoding/asn1"

// names are the display names of the algorithms a report may show.
var names = map[string]string{}

// brokenNames are digests (and signatures over them) that a forger can
// defeat: a signature made with them proves nothing. This module never
// computes them, and names them so that a report can say why.
var brokenNames = map[string]string{
	"1.2.840.113549.2.5":   "MD5",
	"1.3.36.3.2.2":         "RIPEMD-128",
	"1.2.840.113549.1.1.4": "md5WithRSAEncryption",
	"1.3.36.3.3.1.3":       "rsaSignatureWithripemd128",
}

func init() {
	for _, n := range []struct {
		oid  asn1.ObjectIdentifier
		name string
	}{
		{SHA1WithRSA, "sha1WithRSAEncryption"},
		{SHA224WithRSA, "sha224WithRSAEncryption"},
		{SHA256WithRSA, "sha256WithRSAEncryption"},
		{SHA384WithRSA, "sha384WithRSAEncryption"},
		{SHA512WithRSA, "sha512WithRSAEncryption"},
		{RSASSAPSS, "RSASSA-PSS"},
		{RSAEncryption, "rsaEncryption"},
		{ECDSAWithSHA1, "ecdsa-with-SHA1"},
		{ECDSAWithSHA224, "ecdsa-with-SHA224"},
		{ECDSAWithSHA256, "ecdsa-with-SHA256"},
		{ECDSAWithSHA384, "ecdsa-with-SHA384"},
		{ECDSAWithSHA512, "ecdsa-with-SHA512"},
		{ECDSAPlainSHA1, "ecdsa-plain-SHA1"},
		{ECDSAPlainSHA224, "ecdsa-plain-SHA224"},
		{ECDSAPlainSHA256, "ecdsa-plain-SHA256"},
		{ECDSAPlainSHA384, "ecdsa-plain-SHA384"},
		{ECDSAPlainSHA512, "ecdsa-plain-SHA512"},
		{ECPublicKey, "id-ecPublicKey"},
		{SHA1, "SHA-1"},
		{SHA224, "SHA-224"},
		{SHA256, "SHA-256"},
		{SHA384, "SHA-384"},
		{SHA512, "SHA-512"},
	} {
		names[n.oid.String()] = n.name
	}
}

// Name names an algorithm for display (e.g. "ecdsa-with-SHA256", "MD5"),
// or gives its dotted OID when it has no name here.
func Name(oid asn1.ObjectIdentifier) string {
	s := oid.String()
	if n, ok := names[s]; ok {
		return n
	}
	if n, ok := brokenNames[s]; ok {
		return n
	}
	return s
}
