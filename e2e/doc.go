// Package e2e holds the end-to-end tests of the online journey, each with
// real outside parts: a real browser (Debian's Chromium, headless) on the
// demo service, the application's headless `serve` answering with the
// virtual card after consent typed on its terminal; the OpenID Provider
// logged into by independent clients (coreos/go-oidc in Go, openid-client
// in Node) and by the demo service's OIDC mode in Chromium; refusals; and
// two provider processes sharing one real redis-server.
package e2e
