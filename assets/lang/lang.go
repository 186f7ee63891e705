// Package lang holds the translations of every user-facing string, one pair
// of files per screen: <screen>.fr.json (the reference) and <screen>.en.json,
// in the go-i18n JSON format Fyne's lang package reads.
package lang

import "embed"

// FS holds the translation files under translations/.
//
//go:embed translations/*.json
var FS embed.FS
