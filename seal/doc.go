// Package seal turns the payload of a 2D code found on a document into a
// verified seal: it recognises what the payload is (an ANTS 2D-Doc, an ICAO
// Visible Digital Seal, a web address, text, or unknown bytes — and says
// so rather than failing obscurely), checks its signature against the
// trust store, and extracts the facts to compare with the chip's.
//
// Sub-packages: scan (find and decode the code in an image), twoddoc and
// vds (the two payload formats), sealtrust (who may sign), camera (frame
// sources) and crosscheck (seal vs chip).
package seal
