// Package demoservice is the reference integration for services: a small
// web site that asks "who are you?" with a signed request (its certificate
// marked DEMO), sends the browser to CNIE Reader, receives the assertion,
// checks it with package verifier, and shows the result.
//
// In OIDC mode ([NewOIDC]) the same site is instead an ordinary OpenID
// Connect relying party (coreos/go-oidc and x/oauth2) that knows nothing
// of cards: it logs people in through an OpenID Provider, such as
// `cnie-reader provider`, with a code flow (PKCE, state, nonce,
// acr_values), and shows the verified ID token's acr and the claims.
package demoservice
