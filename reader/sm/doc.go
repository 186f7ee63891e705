// Package sm implements ICAO Doc 9303-11 secure messaging (§9.8) with 3DES
// (after BAC) and AES (after PACE or Chip Authentication), for both sides of
// the link: the terminal (Session.Protect, Session.Unprotect, Channel) and
// the virtual card (Session.UnprotectCommand, Session.ProtectResponse).
//
// A Channel belongs above iso7816.WithResponseHandling: 61XX and 6CXX are
// resolved on the protected APDUs, before the MAC is checked.
//
// Every byte that comes from the other side is parsed defensively: the MAC
// is verified (in constant time) before anything is decrypted, data objects
// are bounded, and every failure is a chiperr error (Malformed, TooLarge or
// Integrity) that also ends the session.
package sm
