// Package illustrations holds the pictures of the citizen journey (SVG,
// drawn for this project; see README.md).
package illustrations

import "embed"

// FS holds the SVG files at its root.
//
//go:embed *.svg
var FS embed.FS
