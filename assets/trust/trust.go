// Package trust embeds the trust anchors bundled with the application: the
// French CSCA certificates (passports, CNIe, residence permits) and the
// eID-FRANCE CSCA, one PEM file each. README.md says where each comes from
// and how to check it. reader/pki loads them with Store.LoadBundled.
package trust

import "embed"

// FS holds the bundled *.pem files. Text before the PEM block (the "#"
// header of each file) is informative and ignored by PEM decoding.
//
//go:embed *.pem
var FS embed.FS
