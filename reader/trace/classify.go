package trace

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// Bounds on what one entry keeps.
const (
	maxPublicBytes = 1024 // public data kept per field; the rest is counted
	maxSelectID    = 16   // an AID is at most 16 bytes
	maxErrorText   = 300
)

// Instructions (ISO/IEC 7816-4, ICAO Doc 9303-11).
const (
	insSelect      = 0xA4
	insReadBinary  = 0xB0
	insReadOdd     = 0xB1
	insGetResponse = 0xC0
	insMSE         = 0x22
	insGA          = 0x86
)

// What the trace knows of the current elementary file.
type efKind int

const (
	efUnknown efKind = iota
	efPublic         // EF.CardAccess or EF.ATR/INFO in the master file
	efOther
)

// state follows the card just enough to apply the allow-list; whenever it
// cannot be sure, it falls back to redacting.
type state struct {
	mayBeInApp bool // an application (where personal files live) may be current
	ef         efKind
	concurrent bool // copied from the Summary: redact everything

	// The previous exchange, which a GET RESPONSE continues.
	prevSW1        byte
	prevRespPublic bool
	prevRespSM     bool

	gaStep    int
	gaChained bool   // the previous command was a chained GENERAL AUTHENTICATE
	protocol  string // set by the last MSE: PACE, CA or TA
}

// taint forgets what the trace knew: nothing is public until SELECT MF.
func (s *state) taint() {
	s.mayBeInApp, s.ef = true, efUnknown
}

func redacted(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("[%d bytes redacted]", n)
}

// public renders bytes that the allow-list lets through.
func public(b []byte) string {
	if len(b) > maxPublicBytes {
		return strings.ToUpper(hex.EncodeToString(b[:maxPublicBytes])) +
			fmt.Sprintf(" [%d more bytes not kept]", len(b)-maxPublicBytes)
	}
	return strings.ToUpper(hex.EncodeToString(b))
}

// observe turns one exchange into an Entry and updates the state.
func (s *state) observe(apdu, resp []byte, terr error) Entry {
	var e Entry
	if len(apdu) >= 4 {
		e.Header = strings.ToUpper(hex.EncodeToString(apdu[:4]))
	}
	cmd, perr := iso7816.ParseCommand(apdu)
	known := perr == nil && (cmd.CLA&0xE0 == 0 || cmd.CLA&0xC0 == 0x40)
	respPublic, respSM, isGetResponse, basic := false, false, false, false
	switch {
	case perr != nil:
		e.Name = fmt.Sprintf("malformed command (%d bytes)", len(apdu))
		e.Data = redacted(max(len(apdu)-4, 0))
		s.taint()
	case !known:
		// Proprietary or reserved class (FF: PC/SC pseudo-APDU): the INS and
		// the SM bits mean something else there.
		e.Name = fmt.Sprintf("proprietary command (CLA %02X INS %02X)", cmd.CLA, cmd.INS)
		e.Lc, e.Ne, e.Extended = len(cmd.Data), cmd.Ne, cmd.IsExtended()
		e.Data = redacted(len(cmd.Data))
		s.taint()
	default:
		e.Lc, e.Ne, e.Extended = len(cmd.Data), cmd.Ne, cmd.IsExtended()
		e.Chained = cmd.CLA&0x10 != 0
		if cmd.CLA&0xC0 == 0x40 {
			e.SM = cmd.CLA&0x20 != 0 // further interindustry classes
		} else {
			e.SM = cmd.CLA&0x0C != 0
		}
		isGetResponse = cmd.INS == insGetResponse
		e.Name = s.name(cmd, e.SM)
		e.Data = redacted(len(cmd.Data))
		basic = cmd.CLA&0xEF == 0
		switch {
		case e.SM:
			respSM = true
		case !basic:
			// Another logical channel or class: the trace does not follow
			// what is selected there.
		case isGetResponse:
			respSM = s.prevSW1 == 0x61 && s.prevRespSM
			respPublic = s.prevSW1 == 0x61 && s.prevRespPublic
		default:
			e.Data, respPublic = s.plainCommand(cmd)
		}
		if s.concurrent {
			e.Data, respPublic = redacted(len(cmd.Data)), false
		}
	}
	e.ResponseSM = respSM

	if terr != nil {
		e.Error = cleanText(terr.Error())
		s.taint()
		s.prevSW1 = 0
		return e
	}
	r, rerr := iso7816.ParseResponse(resp)
	if rerr != nil {
		e.Error = fmt.Sprintf("malformed response (%d bytes)", len(resp))
		s.taint()
		s.prevSW1 = 0
		return e
	}
	e.SW, e.SWMeaning, e.ResponseLen = StatusWord(r.SW), describeSW(r.SW), len(r.Data)
	if respPublic && len(r.Data) > 0 {
		e.ResponseData = public(r.Data)
	} else {
		e.ResponseData = redacted(len(r.Data))
	}
	if basic && !isGetResponse {
		s.afterPlain(cmd, r.SW)
	} else if !isGetResponse {
		s.taint() // a protected command may have selected anything
	}
	s.prevSW1, s.prevRespPublic, s.prevRespSM = r.SW1(), respPublic, respSM
	return e
}

// plainCommand applies the allow-list to a command in the clear: what to
// show of its data, and whether its answer is public.
func (s *state) plainCommand(cmd iso7816.Command) (data string, respPublic bool) {
	data = redacted(len(cmd.Data))
	switch cmd.INS {
	case insSelect:
		if len(cmd.Data) <= maxSelectID {
			data = public(cmd.Data)
		}
	case insMSE:
		if cmd.P2 == 0xA4 {
			data = mseData(cmd.Data)
		}
	case insReadBinary:
		if cmd.P1&0x80 != 0 {
			respPublic = cmd.P1&0x1F == 0x1C && !s.mayBeInApp
		} else {
			respPublic = s.ef == efPublic
		}
	case insReadOdd:
		respPublic = cmd.P1 == 0 && cmd.P2 == 0 && s.ef == efPublic
	}
	return data, respPublic
}

var (
	fidMF         = []byte{0x3F, 0x00}
	fidCardAccess = []byte{0x01, 0x1C}
	fidATRInfo    = []byte{0x2F, 0x01}
)

// afterPlain updates what the trace knows of the card's selection.
func (s *state) afterPlain(cmd iso7816.Command, sw uint16) {
	ok := sw == iso7816.SWOK
	switch cmd.INS {
	case insSelect:
		selectsMF := cmd.P1 == 0x00 && (len(cmd.Data) == 0 || bytes.Equal(cmd.Data, fidMF))
		publicEF := (cmd.P1 == 0x00 || cmd.P1 == 0x02) &&
			(bytes.Equal(cmd.Data, fidCardAccess) || bytes.Equal(cmd.Data, fidATRInfo))
		switch {
		case ok && selectsMF:
			s.mayBeInApp, s.ef = false, efUnknown
		case ok && publicEF && !s.mayBeInApp:
			s.ef = efPublic
		case selectsMF || publicEF:
			s.ef = efUnknown
		default:
			s.taint() // an application, a DF, or a file not on the list
		}
	case insReadBinary:
		if cmd.P1&0x80 == 0 {
			return // the current EF stays current
		}
		// A READ BINARY by SFI selects that file.
		s.ef = efUnknown
		if ok || sw == iso7816.SWEndOfFileWarning {
			s.ef = efOther
			if cmd.P1&0x1F == 0x1C && !s.mayBeInApp {
				s.ef = efPublic
			}
		}
	case insReadOdd:
		if cmd.P1 != 0 || cmd.P2 != 0 {
			s.ef = efUnknown // a file named in P1-P2 became current
		}
	default:
		s.taint()
	}
}

// mseData shows DOs 80, 83 and 84 of an MSE:Set AT, and only the tag and
// length of any other.
func mseData(b []byte) string {
	dos, err := ber.ParseAll(b)
	if err != nil {
		return redacted(len(b))
	}
	parts := make([]string, 0, len(dos))
	for _, do := range dos {
		switch do.Tag {
		case 0x80, 0x83, 0x84:
			if len(do.Value) <= 32 {
				parts = append(parts, fmt.Sprintf("%02X:%s", do.Tag, public(do.Value)))
				continue
			}
		}
		parts = append(parts, fmt.Sprintf("%X:[%d bytes redacted]", do.Tag, len(do.Value)))
	}
	return strings.Join(parts, " ")
}

// cleanText keeps an error message on one printable line of bounded length.
func cleanText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= maxErrorText {
			b.WriteString("...")
			break
		}
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// describeSW is iso7816's description of a status word.
func describeSW(sw uint16) string { return iso7816.DescribeSW(sw) }
