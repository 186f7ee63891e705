// Package core holds what the GUI and the command line share above the
// reader and seal packages: where a card comes from (a PC/SC reader or the
// built-in DEMO card), one read-and-verify job with progress, the seal check
// against the chip, the trust stores, and the watch over readers. It has no
// user interface and no Fyne: view models and commands call it.
package core
