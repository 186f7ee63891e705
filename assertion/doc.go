// Package assertion is the online journey's shared vocabulary: what a
// service may ask for (Data names), what really leaves the computer for a
// request and the holder's switches (Scope: the chip signs whole data
// groups), the identity assertion posted to the service (Token), the Active
// Authentication challenge that binds the chip's signature to one request
// and one content (Challenge), and the typed errors of the whole journey.
//
// Sub-packages: request (the service's signed request), intake (the
// loopback door a browser is sent to), verifier (what a service runs) and
// demoservice (the reference integration).
package assertion
