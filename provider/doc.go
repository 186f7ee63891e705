// Package provider is an OpenID Provider with the card in the middle: a
// service keeps its ordinary OpenID Connect client (authorization code
// flow), and the provider sends the citizen's browser to the desktop
// application's loopback intake with a signed OpenID4VP-shaped request,
// receives the chip evidence, verifies it with assertion/verifier and
// issues standard tokens.
//
// The protocol is github.com/luikyv/go-oidc (v0.12.0), not ours. Why it
// rather than github.com/zitadel/oidc/v3: its authentication policies may
// answer "in progress" and resume on a callback, which is exactly the
// pause while the card is read; its storage is three small interfaces
// (clients, authentication sessions, grant sessions) that assertion/store
// backs directly, where zitadel's op.Storage is one large interface mixing
// users, keys and tokens; it signs userinfo per client
// (userinfo_signed_response_alg), takes a signer function (our key with
// its kid) and a JWKS function (current and previous key: rotation), does
// PKCE, private_key_jwt and exact redirect_uri matching, revokes what a
// reused code issued, and is OpenID-certified. What it lacks — an
// end-session endpoint, a code lifetime setting — is added here.
//
// FranceConnect's profile: code flow only; client_secret_post or
// private_key_jwt; state, nonce (at least 22 characters) and acr_values
// required; PKCE S256 required; codes live 30 s, tokens 60 s; no refresh
// token; every login goes through the card (no provider session).
//
// The card in the middle ([interaction]): /authorize creates an
// interaction bound to the browser by a cookie and shows the page that
// links to the application; the application posts the evidence to
// /cnie/response and gets back /cnie/return?response_code=…; only the
// browser holding the interaction's cookie can bring that code back and
// finish the login, so a relayed link logs nobody in.
//
// What was proven decides: the acr of the evidence (assertion/pivot: chip
// genuine and present, or without presence, DEMO variants) must be one
// the client listed in acr_values, or the login ends in access_denied.
// The verified claims live in the interaction until the code is issued,
// in the library's session until the code is redeemed, then in the grant
// until the access token expires (60 s); nothing else keeps them, and the
// logs never hold them.
//
// State: every login's state goes through one assertion/store.Store
// (memory by default; Redis for several processes behind one issuer):
// codes and the application's answers are taken once (GETDEL), so a
// login may begin on one process and end on another. Keys: a key file
// the operator names, read at start and reloaded every 30 s; a rotation
// (--rotate at one process's start) publishes the new key two minutes
// before it signs, so that every process and every client's JWKS cache
// know it first.
//
// One interaction per browser at a time: a second login started in
// another tab replaces the first one's cookie, and the first then fails.
package provider
