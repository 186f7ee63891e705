package lds

import "github.com/cnie-reader/cnie-reader/reader/chiperr"

// ParseDG13 returns the value of DG13 (6D), the optional details left to
// the issuing State, without interpreting it: its content has no common
// format. A copy is returned. Bytes after the outer element are ignored.
func ParseDG13(b []byte) ([]byte, error) {
	v, err := outer(b, DataGroup(13).Tag(), "parse DG13")
	if err != nil {
		return nil, err
	}
	return append([]byte{}, v...), nil
}

// ProtectedByTerminalAuth reports whether a data group can only be read
// after Extended Access Control terminal authentication: DG3 (fingerprints)
// and DG4 (irises), Doc 9303 Part 11 §7 and BSI TR-03110.
func ProtectedByTerminalAuth(dg DataGroup) bool { return dg == 3 || dg == 4 }

// TerminalAuthError says that a data group is present on the chip but
// cannot be read without terminal authentication, which needs an
// inspection-system certificate from the issuing State. It is of kind
// chiperr.SecurityStatus, so errors.Is(err, chiperr.SecurityStatus) holds.
type TerminalAuthError struct {
	DG DataGroup
}

// ErrTerminalAuth returns the error for a data group protected by
// terminal authentication.
func ErrTerminalAuth(dg DataGroup) error { return &TerminalAuthError{DG: dg} }

func (e *TerminalAuthError) Error() string {
	what := "iris images"
	if e.DG == 3 {
		what = "fingerprints"
	}
	return e.DG.String() + ": present on the chip (" + what + "), not readable without authority access (terminal authentication)"
}

// Is makes errors.Is(err, chiperr.SecurityStatus) hold.
func (e *TerminalAuthError) Is(target error) bool {
	k, ok := target.(chiperr.Kind)
	return ok && k == chiperr.SecurityStatus
}
