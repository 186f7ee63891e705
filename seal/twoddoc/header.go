package twoddoc

import (
	"time"
)

// Separators of the C40 message (ASCII control characters).
const (
	GS = 0x1D // ends a variable-length value; starts the annex after the signature
	RS = 0x1E // ends a variable-length value that was truncated
	US = 0x1F // ends the message; the signature follows
)

// noDate is the header value for "no date".
const noDate = 0xFFFF

// epoch is day 0 of the header dates.
var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Header is the part of a 2D-Doc before the message. Build encodes it;
// Parse fills the same values into a Seal.
type Header struct {
	Version       int    // 2, 3 or 4
	Authority     string // certificate authority id, 4 characters, e.g. "FR05" ("FR00" = test)
	CertificateID string // 4 characters
	IssueDate     *time.Time
	SignatureDate *time.Time
	DocumentType  string // 2 characters, e.g. "07"
	Perimeter     string // 2 characters, versions 3 and 4; "01" = ANTS perimeter
	Country       string // ISO 3166-1 alpha-2, version 4
}

// headerLen is the length of a header of the given version, 0 if unsupported.
func headerLen(version int) int {
	switch version {
	case 2:
		return 22
	case 3:
		return 24
	case 4:
		return 26
	}
	return 0
}

func isUpperAlnum(c byte) bool { return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' }

func allUpperAlnum(s []byte) bool {
	for _, c := range s {
		if !isUpperAlnum(c) {
			return false
		}
	}
	return true
}

func allUpperLetters(s []byte) bool {
	for _, c := range s {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// parseVersion reads "DCnn"; the caller checked len(b) >= 4.
func parseVersion(b []byte) (int, error) {
	if b[0] != 'D' || b[1] != 'C' {
		return 0, newErr(NotTwoDDoc, "no DC marker")
	}
	if b[2] < '0' || b[2] > '9' || b[3] < '0' || b[3] > '9' {
		return 0, newErr(BadHeader, "version is not two digits")
	}
	v := int(b[2]-'0')*10 + int(b[3]-'0')
	if headerLen(v) == 0 {
		return 0, newErr(UnsupportedVersion, "version %02d", v)
	}
	return v, nil
}

// parseHeader reads a header whose length was checked against its version.
func parseHeader(b []byte, version int) (Header, error) {
	h := Header{Version: version}
	if !allUpperAlnum(b[4:8]) {
		return h, newErr(BadHeader, "certificate authority id")
	}
	if !allUpperAlnum(b[8:12]) {
		return h, newErr(BadHeader, "certificate id")
	}
	h.Authority, h.CertificateID = string(b[4:8]), string(b[8:12])
	var err error
	if h.IssueDate, err = parseHexDate(b[12:16]); err != nil {
		return h, newErr(BadDate, "document issue date")
	}
	if h.SignatureDate, err = parseHexDate(b[16:20]); err != nil {
		return h, newErr(BadDate, "signature date")
	}
	if !allUpperAlnum(b[20:22]) {
		return h, newErr(BadHeader, "document type")
	}
	h.DocumentType = string(b[20:22])
	if version >= 3 {
		if !allUpperAlnum(b[22:24]) {
			return h, newErr(BadHeader, "perimeter")
		}
		h.Perimeter = string(b[22:24])
	}
	if version >= 4 {
		if !allUpperLetters(b[24:26]) {
			return h, newErr(BadHeader, "issuing country")
		}
		h.Country = string(b[24:26])
	}
	return h, nil
}

// parseHexDate reads four uppercase hexadecimal digits of days since
// 2000-01-01; FFFF is "no date" (nil).
func parseHexDate(b []byte) (*time.Time, error) {
	n, ok := parseHex(b)
	if !ok || len(b) != 4 {
		return nil, newErr(BadDate, "not 4 hex digits")
	}
	if n == noDate {
		return nil, nil
	}
	t := epoch.AddDate(0, 0, n)
	return &t, nil
}

func parseHex(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 6 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			n = n*16 + int(c-'0')
		case c >= 'A' && c <= 'F':
			n = n*16 + int(c-'A') + 10
		default:
			return 0, false
		}
	}
	return n, true
}

// hexDate encodes a date (its UTC calendar day) as days since 2000-01-01.
func hexDate(t *time.Time) (string, error) {
	if t == nil {
		return "FFFF", nil
	}
	u := t.UTC()
	day := time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC)
	// Sub saturates far from 2000, which the range check then rejects.
	days := day.Sub(epoch) / (24 * time.Hour)
	if days < 0 || days >= noDate {
		return "", newErr(BadInput, "date outside 2000-01-01 + 0..FFFE days")
	}
	return hex4(int(days)), nil
}

func hex4(n int) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{digits[n>>12&15], digits[n>>8&15], digits[n>>4&15], digits[n&15]})
}

// encode checks the header and returns its text.
func (h Header) encode() ([]byte, error) {
	if headerLen(h.Version) == 0 {
		return nil, newErr(BadInput, "version %d", h.Version)
	}
	check := func(what, v string, n int, letters bool) error {
		ok := len(v) == n && allUpperAlnum([]byte(v))
		if letters {
			ok = len(v) == n && allUpperLetters([]byte(v))
		}
		if !ok {
			return newErr(BadInput, "%s must be %d uppercase characters", what, n)
		}
		return nil
	}
	if err := check("certificate authority id", h.Authority, 4, false); err != nil {
		return nil, err
	}
	if err := check("certificate id", h.CertificateID, 4, false); err != nil {
		return nil, err
	}
	if err := check("document type", h.DocumentType, 2, false); err != nil {
		return nil, err
	}
	issue, err := hexDate(h.IssueDate)
	if err != nil {
		return nil, err
	}
	sig, err := hexDate(h.SignatureDate)
	if err != nil {
		return nil, err
	}
	out := []byte("DC0")
	out = append(out, byte('0'+h.Version))
	out = append(out, h.Authority+h.CertificateID+issue+sig+h.DocumentType...)
	if h.Version >= 3 {
		if err := check("perimeter", h.Perimeter, 2, false); err != nil {
			return nil, err
		}
		out = append(out, h.Perimeter...)
	} else if h.Perimeter != "" {
		return nil, newErr(BadInput, "version 2 has no perimeter")
	}
	if h.Version >= 4 {
		if err := check("issuing country", h.Country, 2, true); err != nil {
			return nil, err
		}
		out = append(out, h.Country...)
	} else if h.Country != "" {
		return nil, newErr(BadInput, "versions 2 and 3 have no issuing country")
	}
	return out, nil
}
