// Package pki holds what Passive Authentication of an ICAO 9303 document
// needs around the SOD signature: X.509 certificates and CRLs of the
// document PKI (CSCA, Document Signer), their signatures, CSCA master lists
// (ICAO 9303-12 §9) and the trust store of CSCA anchors.
//
// Certificates, CRLs and master lists are parsed here with encoding/asn1
// rather than crypto/x509 because crypto/x509 refuses brainpool keys
// ("unsupported elliptic curve") and explicit EC parameters, which many
// European CSCAs and Document Signers use. Keys go through
// lds.ParsePublicKey, which knows both.
//
// Every parser bounds its input and returns *Error values whose Kind tells
// malformed input, unsupported algorithms and failed signatures apart; they
// also answer errors.Is for the matching chiperr kind (Malformed, TooLarge,
// Unsupported, Integrity).
package pki
