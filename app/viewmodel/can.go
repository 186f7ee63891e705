package viewmodel

import (
	"errors"
	"strings"
	"sync"

	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/can"
	"github.com/cnie-reader/cnie-reader/reader/mrz"

	"github.com/cnie-reader/cnie-reader/app/i18n"
)

// CANLength is the number of digits of a card access number.
const CANLength = can.Length

// CANCheck is what the CAN field says while the holder types.
type CANCheck struct {
	Digits string // the digits typed, spaces removed
	Valid  bool
	// Err is what is wrong, from package can (nil when Valid).
	Err error
	// Message helps the holder: how many digits are missing, or what is wrong.
	Message string
}

// CheckCAN checks a CAN as typed, with the one rule of package can (six
// digits, spaces allowed), and words the problem for the holder.
func CheckCAN(typed string) CANCheck {
	n, err := can.Parse(typed)
	c := CANCheck{Digits: n.Digits(), Valid: err == nil, Err: err}
	n.Wipe()
	var length *can.LengthError
	switch {
	case err == nil:
		c.Message = i18n.T("can.ok")
	case errors.Is(err, can.ErrNotDigits):
		c.Message = i18n.T("can.only_digits")
	case errors.Is(err, can.ErrEmpty):
		c.Message = i18n.T("can.empty")
	case errors.As(err, &length) && length.Missing() > 0:
		c.Message = i18n.T("can.missing", map[string]any{"N": length.Missing()})
	default:
		c.Message = i18n.T("can.too_long")
	}
	return c
}

// MRZCheck is what the MRZ fields say while the holder types.
type MRZCheck struct {
	Valid   bool
	Message string
	// Info is the MRZ information that opens the chip (BAC, PACE-MRZ).
	Info string
}

// CheckMRZ checks the three MRZ fields as typed: the document number and
// the dates of birth and expiry as printed in the zone (YYMMDD). The check
// digits are computed, not typed.
func CheckMRZ(doc, birth, expiry string) MRZCheck {
	clean := func(s string) string { return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", "")) }
	doc, birth, expiry = clean(doc), clean(birth), clean(expiry)
	date := func(s string) bool {
		if len(s) != 6 {
			return false
		}
		for _, r := range s {
			if r < '0' || r > '9' {
				return false
			}
		}
		m, d := (s[2]-'0')*10+s[3]-'0', (s[4]-'0')*10+s[5]-'0'
		return m >= 1 && m <= 12 && d >= 1 && d <= 31
	}
	switch {
	case doc == "":
		return MRZCheck{Message: i18n.T("mrz.doc_missing")}
	case !date(birth):
		return MRZCheck{Message: i18n.T("mrz.birth_bad")}
	case !date(expiry):
		return MRZCheck{Message: i18n.T("mrz.expiry_bad")}
	}
	info, err := mrz.Information(doc, birth, expiry)
	if err != nil {
		return MRZCheck{Message: i18n.T("mrz.doc_bad")}
	}
	return MRZCheck{Valid: true, Message: i18n.T("mrz.ok"), Info: info}
}

// cardChoice is what both reading screens hold before a read: the CAN as
// typed (or the MRZ information, for documents without a CAN) and whether
// the DEMO card stands in for a reader.
type cardChoice struct {
	choiceMu sync.Mutex
	can      string
	mrz      string
	demo     bool
	changed  func()
}

// SetCAN records the CAN as typed and says what is wrong with it.
func (c *cardChoice) SetCAN(typed string) CANCheck {
	chk := CheckCAN(typed)
	c.choiceMu.Lock()
	c.can, c.mrz = chk.Digits, ""
	c.choiceMu.Unlock()
	return chk
}

// SetMRZ records the MRZ fields instead of a CAN.
func (c *cardChoice) SetMRZ(doc, birth, expiry string) MRZCheck {
	chk := CheckMRZ(doc, birth, expiry)
	c.choiceMu.Lock()
	c.mrz, c.can = chk.Info, ""
	c.choiceMu.Unlock()
	return chk
}

// secret is what opens the chip, and whether it is complete.
func (c *cardChoice) secret() (reader.Secret, bool) {
	c.choiceMu.Lock()
	defer c.choiceMu.Unlock()
	if c.mrz != "" {
		return reader.Secret{MRZ: c.mrz}, true
	}
	return reader.Secret{CAN: c.can}, CheckCAN(c.can).Valid
}

// CAN is the CAN as recorded (digits only).
func (c *cardChoice) CAN() string {
	c.choiceMu.Lock()
	defer c.choiceMu.Unlock()
	return c.can
}

// UseDemo chooses the built-in DEMO card instead of a reader.
func (c *cardChoice) UseDemo(on bool) {
	c.choiceMu.Lock()
	c.demo = on
	c.choiceMu.Unlock()
	if c.changed != nil {
		c.changed()
	}
}

// UsingDemo tells whether the DEMO card is chosen.
func (c *cardChoice) UsingDemo() bool {
	c.choiceMu.Lock()
	defer c.choiceMu.Unlock()
	return c.demo
}
