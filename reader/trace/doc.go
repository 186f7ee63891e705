// Package trace records the APDUs exchanged with a chip, for support staff:
// which commands were sent, how long the card took, which status words came
// back and where a read broke off. It never writes anything by itself: the
// caller exports a trace (WriteText, WriteJSON) to a writer of the user's
// choosing, when the user asks for it.
//
// The trace sits on the wire, below secure messaging, so every exchange is
// either protected (encrypted and MACed) or in the clear.
//
// # Redaction rule
//
// A trace must never hold personal data or secrets. It always records, for
// every exchange: the header (CLA INS P1 P2), Lc, Ne, the extended-length,
// secure-messaging and chaining flags, the response length, the status word
// (for a protected response, the outer one: the card's own status is inside
// the protected data), the timing and the text of a transport error.
//
// Data bytes are recorded ONLY when the exchange is in the clear on the
// basic channel (CLA 00, or 10 when chained), the trace has never been used
// by two goroutines at once, and the bytes are one of:
//
//   - the identifier in a SELECT command (an AID or a file id or path, at
//     most 16 bytes);
//   - data objects 80 (protocol OID), 83 (password reference: which kind of
//     password, never the password) and 84 (domain parameters or key
//     reference) of an MSE:Set AT; any other data object shows as its tag
//     and length only;
//   - the answer to READ BINARY of EF.CardAccess (SFI 1C, or FID 011C
//     selected) or EF.ATR/INFO (FID 2F01 selected), public protocol
//     information, while no application can be selected (since the last
//     SELECT MF or the start of the trace, which must wrap a freshly
//     connected card), and the GET RESPONSE rounds that continue it.
//
// Everything else shows as "[N bytes redacted]": all secure-messaging
// traffic, every other file, PACE, BAC, Chip and Active Authentication
// (ephemeral keys, nonces, tokens: not personal, but a short rule is safer
// than a clever one), unknown classes and instructions, malformed APDUs.
package trace
