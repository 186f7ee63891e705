// Package assets holds the application's icon; sub-packages hold the
// translations, illustrations and trust anchors.
package assets

import _ "embed"

// Icon is the application icon (SVG).
//
//go:embed icon.svg
var Icon []byte
