package iso7816

import (
	"fmt"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Status words that the reader code acts upon (ISO/IEC 7816-4 §5.6).
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

// DescribeSW says in English what a status word means.
func DescribeSW(sw uint16) string {
	switch {
	case sw == SWOK:
		return "normal processing"
	case sw>>8 == 0x61:
		return fmt.Sprintf("%d more bytes available (GET RESPONSE)", sw&0xFF)
	case sw == SWEndOfFileWarning:
		return "end of file reached before reading Ne bytes"
	case sw>>4 == 0x63C:
		return fmt.Sprintf("verification failed, %d tries left", sw&0xF)
	case sw == SWWrongLength:
		return "wrong length"
	case sw == SWSecurityStatus:
		return "security status not satisfied"
	case sw == SWAuthMethodBlocked:
		return "authentication method blocked"
	case sw == SWConditionsNotSatisfied:
		return "conditions of use not satisfied"
	case sw == SWSMObjectsMissing:
		return "expected secure messaging data objects missing"
	case sw == SWSMObjectsIncorrect:
		return "incorrect secure messaging data objects"
	case sw == SWWrongData:
		return "incorrect parameters in the data field"
	case sw == SWFuncNotSupported:
		return "function not supported"
	case sw == SWFileNotFound:
		return "file or application not found"
	case sw == SWIncorrectP1P2:
		return "incorrect parameters P1-P2"
	case sw == SWWrongP1P2:
		return "wrong parameters P1-P2 (offset outside the file)"
	case sw>>8 == 0x6C:
		return fmt.Sprintf("wrong Le, %d bytes available", sw&0xFF)
	case sw == SWINSNotSupported:
		return "instruction not supported"
	case sw == SWCLANotSupported:
		return "class not supported"
	case sw == SWNoPreciseDiagnosis:
		return "no precise diagnosis"
	}
	return "unknown status"
}
