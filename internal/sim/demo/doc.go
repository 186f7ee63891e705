// Package demo makes the material a virtual (simulated) identity card needs:
// a generated demonstration PKI (CSCA, Document Signer, CRL), an EF.SOD
// signed by it, and an invented face image with its DG2.
//
// Everything here is marked DEMO on purpose: certificate subjects carry
// "DEMO" in CN and O, and the face is a drawn cartoon with a DEMO band, so
// no output can be mistaken for a real authority or a real person. Keys stay
// in memory; nothing is written to disk.
//
// With a deterministic random source (see SeededReader) keys and serial
// numbers are reproducible; ECDSA and RSA-PSS signatures are not, because
// crypto/ecdsa and crypto/rsa ignore the caller's random source since Go 1.26.
package demo
