// Package e2e holds the end-to-end test of the online journey: a real
// browser (Debian's Chromium, headless) on the demo service, the
// application's headless `serve` answering with the virtual card after
// consent typed on its terminal, and the service's result page.
package e2e
