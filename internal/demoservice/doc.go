// Package demoservice is the reference integration for services: a small
// web site that asks "who are you?" with a signed request (its certificate
// marked DEMO), sends the browser to CNIE Reader, receives the assertion,
// checks it with package verifier, and shows the result.
package demoservice
