// Package trust embeds the trust anchors bundled with the application: the
// French CSCA certificates (passports, CNIe, residence permits) and the
// eID-FRANCE CSCA, one PEM file each, and the German BSI's CSCA master list
// with the German CSCA its signer is issued under. README.md says where each
// comes from and how to check it. reader/pki loads them with Store.LoadBundled.
package trust

import "embed"

// FS holds the bundled *.pem files. Text before the PEM block (the "#"
// header of each file) is informative and ignored by PEM decoding.
//
//go:embed *.pem
var FS embed.FS

// TwoDDocTSL is the ANTS (France Titres) trust service list of the 2D-Doc
// certification authorities (FR01, FR03-FR07), list issued 2025-08-25: the
// CA certificates that issue the signing certificates of 2D-Doc seals.
// Public data, copied from the team's shared trust folder.
//
//go:embed 2d-doc/ants-2d-doc-tsl.xml
var TwoDDocTSL []byte

// BSIMasterList is the German master list as the BSI publishes it
// (bsi/README.md: source, SHA-256, the conditions for shipping it unchanged).
// Never edit it: a newer list replaces the file.
//
//go:embed bsi/DE_ML_2026-05-28-08-28-45.ml
var BSIMasterList []byte

// BSIMasterListName is the published file name of BSIMasterList.
const BSIMasterListName = "DE_ML_2026-05-28-08-28-45.ml"

// GermanCSCA is the German CSCA (csca-germany, 2024-2039) under which the
// BSI master list's signer is issued: the pin that list is checked against.
//
//go:embed bsi/DE_ROOT_CA_CSCA07.cer
var GermanCSCA []byte
