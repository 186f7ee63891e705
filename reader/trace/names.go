package trace

import (
	"bytes"
	"fmt"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// Names of the instructions an eMRTD reader sends (ISO/IEC 7816-4,
// ICAO Doc 9303-11, BSI TR-03110-3).
var insNames = map[byte]string{
	0x20: "VERIFY",
	0x24: "CHANGE REFERENCE DATA",
	0x2A: "PERFORM SECURITY OPERATION",
	0x2C: "RESET RETRY COUNTER",
	0x44: "ACTIVATE",
	0x82: "EXTERNAL AUTHENTICATE",
	0x84: "GET CHALLENGE",
	0x88: "INTERNAL AUTHENTICATE",
	0xC0: "GET RESPONSE",
	0xCA: "GET DATA",
	0xCB: "GET DATA",
	0xD6: "UPDATE BINARY",
}

// Well-known file identifiers; 011D and SFI 01 are left out: their
// meaning depends on whether the master file or the application is current.
var fileNames = map[uint16]string{
	0x3F00: "MF",
	0x011C: "EF.CardAccess",
	0x011E: "EF.COM",
	0x2F00: "EF.DIR",
	0x2F01: "EF.ATR/INFO",
}

var emrtdAID = []byte{0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01}

// name gives a plain-language name from what is visible on the wire: the
// header always, the data only in the clear. It also follows chains of
// GENERAL AUTHENTICATE to number their steps.
func (s *state) name(cmd iso7816.Command, sm bool) string {
	chained := cmd.CLA&0x10 != 0
	if cmd.INS != insGA && cmd.INS != insGetResponse {
		s.gaChained = false
	}
	switch cmd.INS {
	case insSelect:
		return selectName(cmd, sm)
	case insReadBinary:
		if cmd.P1&0x80 != 0 {
			return fmt.Sprintf("READ BINARY (SFI %02X, offset %d)", cmd.P1&0x1F, cmd.P2)
		}
		return fmt.Sprintf("READ BINARY (offset %d)", int(cmd.P1)<<8|int(cmd.P2))
	case insReadOdd:
		return "READ BINARY (odd INS)"
	case insMSE:
		return s.mseName(cmd, sm)
	case insGA:
		step := 1
		if s.gaChained {
			step = s.gaStep + 1
		}
		s.gaStep, s.gaChained = step, chained
		n := "GENERAL AUTHENTICATE"
		if chained || step > 1 {
			n = fmt.Sprintf("%s step %d", n, step)
		}
		if s.protocol != "" {
			n += " (" + s.protocol + ")"
		}
		return n
	case 0x2A:
		if cmd.P1 == 0x00 && cmd.P2 == 0xBE {
			return "PSO:Verify Certificate (TA)"
		}
	}
	if n, ok := insNames[cmd.INS]; ok {
		return n
	}
	return fmt.Sprintf("INS %02X", cmd.INS)
}

func selectName(cmd iso7816.Command, sm bool) string {
	switch {
	case cmd.P1 == 0x04 && sm:
		return "SELECT (by AID)"
	case cmd.P1 == 0x04 && bytes.Equal(cmd.Data, emrtdAID):
		return "SELECT eMRTD application"
	case cmd.P1 == 0x04:
		return "SELECT application"
	case cmd.P1 == 0x00 && len(cmd.Data) == 0:
		return "SELECT MF"
	case (cmd.P1 == 0x00 || cmd.P1 == 0x02) && len(cmd.Data) == 2 && !sm:
		fid := uint16(cmd.Data[0])<<8 | uint16(cmd.Data[1])
		if n, ok := fileNames[fid]; ok {
			return "SELECT " + n
		}
		return fmt.Sprintf("SELECT file %04X", fid)
	case cmd.P1 == 0x08 || cmd.P1 == 0x09:
		return "SELECT (by path)"
	}
	return "SELECT (by file id)"
}

var passwordNames = map[byte]string{1: "MRZ", 2: "CAN", 3: "PIN", 4: "PUK"}

func (s *state) mseName(cmd iso7816.Command, sm bool) string {
	var n string
	switch uint16(cmd.P1)<<8 | uint16(cmd.P2) {
	case 0xC1A4:
		s.protocol, n = "PACE", "MSE:Set AT (PACE)"
	case 0x41A4:
		s.protocol, n = "CA", "MSE:Set AT (CA)"
	case 0x41A6:
		s.protocol, n = "CA", "MSE:Set KAT (CA)"
	case 0x81A4:
		s.protocol, n = "TA", "MSE:Set AT (TA)"
	case 0x81B6:
		s.protocol, n = "TA", "MSE:Set DST (TA)"
	default:
		s.protocol = ""
		return fmt.Sprintf("MANAGE SECURITY ENVIRONMENT (P1-P2 %02X%02X)", cmd.P1, cmd.P2)
	}
	if s.protocol == "PACE" && !sm {
		// The password's kind (DO 83), never the password.
		if do, ok, err := ber.Find(cmd.Data, 0x83); err == nil && ok && len(do.Value) == 1 {
			if pw, ok := passwordNames[do.Value[0]]; ok {
				n += " with " + pw
			}
		}
	}
	return n
}
