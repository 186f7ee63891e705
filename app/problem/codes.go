package problem

import (
	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/pivot"
	"github.com/cnie-reader/cnie-reader/assertion/store"
	"github.com/cnie-reader/cnie-reader/assertion/verifier"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/pki"
	"github.com/cnie-reader/cnie-reader/seal/scan"
	"github.com/cnie-reader/cnie-reader/seal/twoddoc"
	"github.com/cnie-reader/cnie-reader/seal/vds"
)

// code is a kind's translation key part and its next step.
type code struct {
	code string
	next Step
}

// The tables below word every kind of every family; TestEveryKindIsWorded
// walks each family's own list (chiperr.Kinds, pki.Kinds…) through them.

var chipCodes = map[chiperr.Kind]code{
	chiperr.Malformed:      {"malformed", PlaceCard},
	chiperr.Integrity:      {"integrity", PlaceCard},
	chiperr.AccessDenied:   {"access_denied", CheckCAN},
	chiperr.SecurityStatus: {"security_status", Support},
	chiperr.FileNotFound:   {"file_not_found", None},
	chiperr.WrongLength:    {"wrong_length", Diagnose},
	chiperr.Unsupported:    {"unsupported", Support},
	chiperr.TooLarge:       {"too_large", Support},
	chiperr.Timeout:        {"timeout", PlaceCard},
	chiperr.Canceled:       {"canceled", None},
	chiperr.CardRemoved:    {"card_removed", PlaceCard},
	chiperr.Transport:      {"transport", Diagnose},
	chiperr.Status:         {"status", PlaceCard},
	chiperr.BadInput:       {"bad_input", CheckCAN},
	chiperr.NoService:      {"no_service", CheckReader},
	chiperr.NoReader:       {"no_reader", CheckReader},
	chiperr.NoCard:         {"no_card", PlaceCard},
	chiperr.ReaderRemoved:  {"reader_removed", CheckReader},
	chiperr.CardMute:       {"card_mute", PlaceCard},
	chiperr.Busy:           {"busy", CloseOther},
}

var pkiCodes = map[pki.Kind]code{
	pki.Malformed:              {"malformed", OtherFile},
	pki.TooLarge:               {"too_large", OtherFile},
	pki.UnsupportedAlgorithm:   {"unsupported_algorithm", Support},
	pki.BadSignature:           {"bad_signature", Support},
	pki.UnknownIssuer:          {"unknown_issuer", ImportTrust},
	pki.Expired:                {"expired", Support},
	pki.NotYetValid:            {"not_yet_valid", Support},
	pki.Revoked:                {"revoked", Support},
	pki.NotCA:                  {"not_ca", OtherFile},
	pki.WrongUsage:             {"wrong_usage", OtherFile},
	pki.UnhandledCritical:      {"unhandled_critical", Support},
	pki.Duplicate:              {"duplicate", None},
	pki.DemoAnchor:             {"demo_anchor", OtherFile},
	pki.Storage:                {"storage", Support},
	pki.BadInput:               {"bad_input", Support},
	pki.UntrustedList:          {"untrusted_list", OtherFile},
	pki.UntrustedDeviationList: {"untrusted_deviation_list", ImportTrust},
}

var assertionCodes = map[assertion.Kind]code{
	assertion.Malformed:      {"malformed", StartOver},
	assertion.Unsigned:       {"unsigned", None},
	assertion.BadSignature:   {"bad_signature", None},
	assertion.BadCertificate: {"bad_certificate", None},
	assertion.HostMismatch:   {"host_mismatch", None},
	assertion.Expired:        {"expired", StartOver},
	assertion.Replayed:       {"replayed", StartOver},
	assertion.WrongAudience:  {"wrong_audience", StartOver},
	assertion.Altered:        {"altered", Support},
	assertion.ChipSignature:  {"chip_signature", StartOver},
	assertion.Untrusted:      {"untrusted", Support},
	assertion.TooLarge:       {"too_large", None},
	assertion.WrongHost:      {"wrong_host", None},
	assertion.Busy:           {"busy", Wait},
	assertion.RateLimited:    {"rate_limited", Wait},
	assertion.Refused:        {"refused", None},
	assertion.Unsupported:    {"unsupported", None},
	assertion.Network:        {"network", Retry},
	assertion.NotNavigation:  {"not_navigation", None},
	assertion.DeceptiveText:  {"deceptive_text", None},
}

var verifierCodes = map[verifier.Reason]string{
	verifier.Malformed: "malformed", verifier.TooLarge: "too_large", verifier.OtherRequest: "other_request",
	verifier.Expired: "expired", verifier.Replayed: "replayed", verifier.DocumentSignature: "document_signature",
	verifier.Untrusted: "untrusted", verifier.Revoked: "revoked", verifier.Altered: "altered",
	verifier.PresenceMissing: "presence_missing", verifier.PresenceInvalid: "presence_invalid", verifier.Incomplete: "incomplete",
}

var vdsCodes = map[vds.Reason]code{
	vds.NotVDS:             {"not_vds", Rescan},
	vds.UnsupportedVersion: {"unsupported_version", None},
	vds.Truncated:          {"truncated", Rescan},
	vds.Malformed:          {"malformed", Rescan},
	vds.TooLarge:           {"too_large", Rescan},
	vds.NoSignature:        {"no_signature", None},
	vds.BadSignature:       {"bad_signature", None},
	vds.UnsupportedKey:     {"unsupported_key", None},
	vds.BadInput:           {"bad_input", Support},
}

var twoddocCodes = map[twoddoc.Reason]code{
	twoddoc.NotTwoDDoc:           {"not_2ddoc", Rescan},
	twoddoc.Truncated:            {"truncated", Rescan},
	twoddoc.BadHeader:            {"bad_header", Rescan},
	twoddoc.BadDate:              {"bad_date", Rescan},
	twoddoc.UnsupportedVersion:   {"unsupported_version", None},
	twoddoc.BadField:             {"bad_field", Rescan},
	twoddoc.NoSignature:          {"no_signature", None},
	twoddoc.BadBase32:            {"bad_base32", Rescan},
	twoddoc.UnsupportedSignature: {"unsupported_signature", None},
	twoddoc.BadSignature:         {"bad_signature", None},
	twoddoc.TooLarge:             {"too_large", Rescan},
	twoddoc.BadInput:             {"bad_input", Support},
}

var scanCodes = map[scan.Code]code{
	scan.NoCode:   {"no_code", Rescan},
	scan.Damaged:  {"damaged", Rescan},
	scan.Blurred:  {"blurred", Rescan},
	scan.TooSmall: {"too_small", Rescan},
	scan.Glare:    {"glare", Rescan},
	scan.TooLarge: {"too_large", OtherFile},
	scan.Canceled: {"canceled", None},
}

var storeCodes = map[store.Kind]code{
	store.NotFound:      {"not_found", StartOver},
	store.BadKey:        {"bad_key", Support},
	store.BadTTL:        {"bad_ttl", Support},
	store.TooLarge:      {"too_large", Support},
	store.Canceled:      {"canceled", None},
	store.Unavailable:   {"unavailable", Retry},
	store.Misconfigured: {"misconfigured", Support},
}

var pivotCodes = map[pivot.Kind]code{
	pivot.Missing:      {"missing", StartOver},
	pivot.BadName:      {"bad_name", Support},
	pivot.BadDate:      {"bad_date", Support},
	pivot.BadGender:    {"bad_gender", Support},
	pivot.Inconsistent: {"inconsistent", Support},
	pivot.BadGroup:     {"bad_group", Support},
}
