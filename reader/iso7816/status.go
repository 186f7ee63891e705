package iso7816

import (
	"fmt"
	"strings"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Status words that the reader code acts upon (ISO/IEC 7816-4 §5.6);
// [MeaningOf] names every other.
const (
	SWOK                     uint16 = 0x9000
	SWEndOfFileWarning       uint16 = 0x6282 // end of file reached before Ne bytes
	SWWrongLength            uint16 = 0x6700
	SWSecurityStatus         uint16 = 0x6982
	SWAuthMethodBlocked      uint16 = 0x6983
	SWConditionsNotSatisfied uint16 = 0x6985
	SWSMObjectsMissing       uint16 = 0x6987
	SWSMObjectsIncorrect     uint16 = 0x6988
	SWWrongData              uint16 = 0x6A80
	SWFuncNotSupported       uint16 = 0x6A81
	SWFileNotFound           uint16 = 0x6A82
	SWIncorrectP1P2          uint16 = 0x6A86
	SWWrongP1P2              uint16 = 0x6B00
	SWINSNotSupported        uint16 = 0x6D00
	SWCLANotSupported        uint16 = 0x6E00
	SWNoPreciseDiagnosis     uint16 = 0x6F00
)

// StatusError is a status word other than 9000. Its Is method links it to
// the chip error kind of the status word (6A82 is chiperr.FileNotFound,
// 63Cx chiperr.AccessDenied…), the one way families link to chiperr.
type StatusError struct {
	SW uint16
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("status %04X: %s", e.SW, DescribeSW(e.SW))
}

// Kind is the chip error kind of the status word.
func (e *StatusError) Kind() chiperr.Kind {
	switch {
	case e.SW == SWSecurityStatus:
		return chiperr.SecurityStatus
	case e.SW == SWFileNotFound:
		return chiperr.FileNotFound
	case e.SW == SWWrongLength, e.SW>>8 == 0x6C:
		return chiperr.WrongLength
	case e.SW == SWSMObjectsMissing, e.SW == SWSMObjectsIncorrect:
		return chiperr.Integrity
	case e.SW == SWAuthMethodBlocked, e.SW>>4 == 0x63C:
		return chiperr.AccessDenied
	}
	return chiperr.Status
}

// Is lets errors.Is(err, chiperr.FileNotFound) match a status word.
func (e *StatusError) Is(target error) bool {
	k, ok := target.(chiperr.Kind)
	return ok && k == e.Kind()
}

// Meaning is what a status word says: a stable code (app/problem words it
// with the key problem.sw.<Code>) and, for 61XX, 63CX and 6CXX, the number
// the second byte carries.
type Meaning struct {
	Code string
	N    int
}

// swName is a status word's code and its English text (%d: the number).
type swName struct{ code, en string }

// swNames are the status words of ISO/IEC 7816-4 (§5.6, the SW1-SW2
// tables), one by one; 6300 is what VERIFY and EXTERNAL or GENERAL
// AUTHENTICATE answer to a wrong secret without a retry counter.
var swNames = map[uint16]swName{
	0x9000: {"ok", "normal processing"},
	0x6200: {"warning_unchanged", "warning, no information given (memory unchanged)"},
	0x6281: {"data_corrupted", "part of the returned data may be corrupted"},
	0x6282: {"end_of_file", "end of file reached before reading Ne bytes"},
	0x6283: {"file_deactivated", "selected file deactivated"},
	0x6284: {"fci_not_formatted", "file control information not formatted"},
	0x6285: {"file_terminated", "selected file in termination state"},
	0x6286: {"no_sensor_data", "no input data available from a sensor on the card"},
	0x6300: {"auth_failed", "authentication failed (no information given, memory changed)"},
	0x6381: {"file_full", "file filled up by the last write"},
	0x6400: {"execution_error", "execution error (memory unchanged)"},
	0x6401: {"immediate_response", "immediate response required by the card"},
	0x6500: {"error_changed", "execution error (memory changed)"},
	0x6581: {"memory_failure", "memory failure"},
	0x6700: {"wrong_length", "wrong length"},
	0x6800: {"cla_function", "function in CLA not supported"},
	0x6881: {"logical_channel", "logical channel not supported"},
	0x6882: {"sm_not_supported", "secure messaging not supported"},
	0x6883: {"last_command_expected", "last command of the chain expected"},
	0x6884: {"chaining_not_supported", "command chaining not supported"},
	0x6900: {"not_allowed", "command not allowed"},
	0x6981: {"incompatible_file", "command incompatible with file structure"},
	0x6982: {"security_status", "security status not satisfied"},
	0x6983: {"auth_blocked", "authentication method blocked"},
	0x6984: {"reference_unusable", "reference data not usable"},
	0x6985: {"conditions", "conditions of use not satisfied"},
	0x6986: {"no_current_ef", "command not allowed (no current EF)"},
	0x6987: {"sm_missing", "expected secure messaging data objects missing"},
	0x6988: {"sm_incorrect", "incorrect secure messaging data objects"},
	0x6A00: {"wrong_parameters", "wrong parameters P1-P2"},
	0x6A80: {"wrong_data", "incorrect parameters in the data field"},
	0x6A81: {"func_not_supported", "function not supported"},
	0x6A82: {"file_not_found", "file or application not found"},
	0x6A83: {"record_not_found", "record not found"},
	0x6A84: {"no_memory", "not enough memory space in the file"},
	0x6A85: {"nc_tlv", "Nc inconsistent with TLV structure"},
	0x6A86: {"incorrect_p1p2", "incorrect parameters P1-P2"},
	0x6A87: {"nc_p1p2", "Nc inconsistent with parameters P1-P2"},
	0x6A88: {"data_not_found", "referenced data not found"},
	0x6A89: {"file_exists", "file already exists"},
	0x6A8A: {"df_name_exists", "DF name already exists"},
	0x6B00: {"wrong_p1p2", "wrong parameters P1-P2 (offset outside the file)"},
	0x6D00: {"ins_not_supported", "instruction not supported"},
	0x6E00: {"cla_not_supported", "class not supported"},
	0x6F00: {"no_diagnosis", "no precise diagnosis"},
}

// swCounted are the status words whose second byte is a number, by the
// bits that name them.
var swCounted = []struct {
	mask, value uint16
	name        swName
}{
	{0xFF00, 0x6100, swName{"more_data", "%d more bytes available (GET RESPONSE)"}},
	{0xFFF0, 0x63C0, swName{"retries_left", "verification failed, %d tries left"}},
	{0xFF00, 0x6C00, swName{"wrong_le", "wrong Le, %d bytes available"}},
}

// swFamilies name a first byte whose second byte is not in swNames.
var swFamilies = map[uint16]swName{
	0x62: {"warning_unchanged", "warning (memory unchanged)"},
	0x63: {"warning_changed", "warning (memory changed)"},
	0x64: {"execution_error", "execution error (memory unchanged)"},
	0x65: {"error_changed", "execution error (memory changed)"},
	0x66: {"security_reserved", "security-related issue (card-specific)"},
	0x68: {"cla_function", "function in CLA not supported"},
	0x69: {"not_allowed", "command not allowed"},
	0x6A: {"wrong_parameters", "wrong parameters P1-P2"},
}

// SWCodes are every code [MeaningOf] can give, for the tests that check
// each is worded.
func SWCodes() []string {
	seen := map[string]bool{"unknown": true}
	codes := []string{"unknown"}
	add := func(n swName) {
		if !seen[n.code] {
			seen[n.code] = true
			codes = append(codes, n.code)
		}
	}
	for _, n := range swNames {
		add(n)
	}
	for _, c := range swCounted {
		add(c.name)
	}
	for _, n := range swFamilies {
		add(n)
	}
	return codes
}

func lookupSW(sw uint16) (swName, int) {
	if n, ok := swNames[sw]; ok {
		return n, 0
	}
	for _, c := range swCounted {
		if sw&c.mask == c.value {
			return c.name, int(sw &^ c.mask)
		}
	}
	if n, ok := swFamilies[sw>>8]; ok {
		return n, 0
	}
	return swName{"unknown", "unknown status (not defined by ISO/IEC 7816-4)"}, 0
}

// MeaningOf names a status word.
func MeaningOf(sw uint16) Meaning {
	n, count := lookupSW(sw)
	return Meaning{Code: n.code, N: count}
}

// DescribeSW says in English what a status word means.
func DescribeSW(sw uint16) string {
	n, count := lookupSW(sw)
	if strings.Contains(n.en, "%d") {
		return fmt.Sprintf(n.en, count)
	}
	return n.en
}
