// Package vds parses, verifies and (for tests) builds ICAO Visible Digital
// Seals: the signed 2D bar codes of ICAO Doc 9303 Part 13 (8th edition) and
// BSI TR-03137 Part 1 (version 2.5) printed on visas, emergency travel
// documents, German arrival attestations, residence permits and stickers.
//
// A seal is a header (magic 0xDC, version, issuing country, signer and
// certificate reference, two dates, document feature definition reference
// and document type category), a message zone of tag-length-value document
// features, and a signature zone (tag 0xFF) holding a plain ECDSA signature
// r || s over everything before it.
//
// Text is C40-encoded (BSI TR-03137 Annex B): three characters of the set
// space, 0-9, A-Z in two bytes, '<' turned into a space before encoding.
// Document profiles (which tag means what) are table-driven: see Profiles.
//
// Every error is an *Error whose Reason tells what went wrong; it also
// answers errors.Is for the matching reader/chiperr kind (Malformed,
// TooLarge, Unsupported, Integrity, BadInput). Errors never carry field
// values, which are personal data.
package vds
