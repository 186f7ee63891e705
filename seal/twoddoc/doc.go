// Package twoddoc parses, verifies and builds French 2D-Doc payloads (ANTS,
// "Spécifications techniques des codes à barres 2D-Doc", C40 form): the text
// a DataMatrix decoder returns for a 2D-Doc, such as
//
//	DC04FR0000011A5E1A5EB101FRBK18-ROSWFTHR-35B0CORINNE/NATACHA<GS>...<US>ZXH2BBDC...
//
// A payload is a header (marker "DC", version 02/03/04, certificate
// authority, certificate id, two dates in hexadecimal days since 2000-01-01,
// document type, then perimeter from version 03 and issuing country from
// version 04), a message zone of fields (two-character identifier then value;
// fixed-length values have no terminator, variable ones end with GS, or with
// RS when the value was truncated), the unit separator US, the ECDSA
// signature r||s in Base32, and an optional unsigned annex after a GS.
//
// Field and document-type definitions are the specification's tables,
// embedded as data (fields.tsv, types.tsv, read by tables.go): supporting a
// new document type means adding rows there.
// Finding the signer certificate of (Authority, CertificateID) is left to
// the caller; Verify takes its public key.
package twoddoc
