package viewmodel

import (
	"strings"
	"sync"

	"github.com/cnie-reader/cnie-reader/app/i18n"
)

// CANLength is the number of digits of a card access number.
const CANLength = 6

// CANCheck is what the CAN field says while the holder types.
type CANCheck struct {
	Digits string // the digits typed, spaces removed
	Valid  bool
	// Message helps the holder: how many digits are missing, or what is wrong.
	Message string
}

// CheckCAN checks a CAN as typed: six digits, spaces allowed (people copy
// "123 456").
func CheckCAN(typed string) CANCheck {
	digits := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' {
			return -1
		}
		return r
	}, typed)
	c := CANCheck{Digits: digits}
	for _, r := range digits {
		if r < '0' || r > '9' {
			c.Message = i18n.T("can.only_digits")
			return c
		}
	}
	switch n := len(digits); {
	case n == 0:
		c.Message = i18n.T("can.empty")
	case n < CANLength:
		c.Message = i18n.T("can.missing", map[string]any{"N": CANLength - n})
	case n > CANLength:
		c.Message = i18n.T("can.too_long")
	default:
		c.Valid = true
		c.Message = i18n.T("can.ok")
	}
	return c
}

// cardChoice is what both reading screens hold before a read: the CAN as
// typed and whether the DEMO card stands in for a reader.
type cardChoice struct {
	choiceMu sync.Mutex
	can      string
	demo     bool
	changed  func()
}

// SetCAN records the CAN as typed and says what is wrong with it.
func (c *cardChoice) SetCAN(typed string) CANCheck {
	chk := CheckCAN(typed)
	c.choiceMu.Lock()
	c.can = chk.Digits
	c.choiceMu.Unlock()
	return chk
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
