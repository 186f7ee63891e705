// Package kinderr is the one scaffold behind the module's error families:
// reader/chiperr, reader/pki, assertion, assertion/verifier, seal/vds,
// seal/twoddoc and seal/scan.
//
// A family declares a small integer kind type whose Error method names the
// kind in lowercase English (read from a table by [Name]), so that a kind
// is an errors.Is target, and aliases [Error] instantiated with it:
//
//	type Kind int
//	func (k Kind) Error() string { return kinderr.Name(names[:], k, "pki error") }
//	type Error = kinderr.Error[Kind]
//
// Errors are technical: Error() reads "op: kind (detail): cause", for logs
// and support staff. The words a person reads are chosen at the
// application's edge (package app/problem) from the kind.
//
// # Linking families
//
// A kind that has a meaning in another family (pki.BadSignature is a
// chiperr.Integrity, a verifier reason is an assertion kind) links to it in
// one way only: the kind type has a method Is(target error) bool that
// answers true for the other family's kind, usually written with [Links].
// [Error.Is] consults that method, so errors.Is(err, chiperr.Integrity)
// holds for a pki bad-signature error, and chiperr.KindOf, which asks
// errors.Is for each chip kind, finds the chip kind of an error of any
// family.
//
// # Scoped families
//
// A family whose errors name it in front (seal/vds reads "vds header:
// truncated", seal/scan "scan: no 2d code found") gives its kind a method
// Scope() string returning that name.
package kinderr
