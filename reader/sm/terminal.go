package sm

import (
	"encoding/binary"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// Protect turns a plain command APDU into a protected one (terminal side,
// ICAO 9303-11 §9.8.4): CLA|0C, data encrypted in DO'87' (even INS) or
// DO'85' (odd INS), Le in DO'97', MAC in DO'8E', and Le 00 (or 0000 when the
// protected APDU needs extended length).
func (s *Session) Protect(plainAPDU []byte) ([]byte, error) {
	const op = "SM protect"
	if err := s.usable(op); err != nil {
		return nil, err
	}
	cmd, err := iso7816.ParseCommand(plainAPDU)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, op, err)
	}
	if cmd.CLA&0x0C != 0 {
		return nil, chiperr.New(chiperr.Malformed, op, "command already uses secure messaging")
	}
	s.incSSC()
	var dos []byte
	if len(cmd.Data) > 0 {
		ct := s.encrypt(cmd.Data)
		if cmd.INS&1 == 1 {
			dos = appendDO(dos, tagCryptoOdd, ct)
		} else {
			dos = appendDO(dos, tagCryptoEven, []byte{0x01}, ct)
		}
	}
	if cmd.Ne > 0 {
		dos = appendDO(dos, tagLe, encodeLe(cmd.Ne))
	}
	macInput := append(s.paddedHeader(cmd.CLA, cmd.INS, cmd.P1, cmd.P2), dos...)
	dos = appendDO(dos, tagMAC, s.mac(macInput))

	out := iso7816.Command{CLA: cmd.CLA | 0x0C, INS: cmd.INS, P1: cmd.P1, P2: cmd.P2, Data: dos, Ne: iso7816.MaxShortNe}
	if len(dos) > iso7816.MaxShortLc || cmd.Ne > iso7816.MaxShortNe {
		out.Extended, out.Ne = true, iso7816.MaxExtendedNe
	}
	b, err := out.Bytes()
	if err != nil {
		// Too large once protected: the SSC moved but nothing was sent.
		return nil, s.fail(chiperr.Wrap(chiperr.TooLarge, op, err))
	}
	s.unanswered = true
	return b, nil
}

// encodeLe gives the value of DO'97': one byte when Ne <= 256, else two,
// with 00 and 0000 meaning the maximum.
func encodeLe(ne int) []byte {
	if ne <= iso7816.MaxShortNe {
		return []byte{byte(ne)}
	}
	return []byte{byte(ne >> 8), byte(ne)}
}

// Unprotect verifies and decrypts a protected response APDU (terminal side)
// and returns the plain response: data followed by the status word of
// DO'99'. The MAC over SSC || DO'85'/'87' || DO'99' is checked before
// anything is decrypted.
//
// A bare status word other than 9000 (cards answer 6987, 6988 or 6982 that
// way when secure messaging breaks) is returned as is so that the caller
// sees it, and the session is marked broken.
func (s *Session) Unprotect(protectedResp []byte) ([]byte, error) {
	const op = "SM unprotect"
	if err := s.usable(op); err != nil {
		return nil, err
	}
	n := len(protectedResp)
	if n == 2 && binary.BigEndian.Uint16(protectedResp) != iso7816.SWOK {
		// Answered outside secure messaging: the card may never have
		// unprotected the command (see Resume).
		s.broken = true
		return append([]byte(nil), protectedResp...), nil
	}
	s.unanswered = false
	switch {
	case n < 2:
		return nil, s.fail(chiperr.Newf(chiperr.Malformed, op, "%d bytes, no status word", n))
	case n == 2:
		return nil, s.fail(chiperr.New(chiperr.Integrity, op, "9000 without MAC"))
	}
	body := protectedResp[:n-2]
	b, err := parseBody(body, []byte{tagCryptoOdd, tagCryptoEven, tagStatus}, op)
	if err != nil {
		return nil, s.fail(err)
	}
	if len(b.status) != 2 {
		return nil, s.fail(chiperr.New(chiperr.Malformed, op, "status object missing or of wrong length"))
	}
	s.incSSC()
	if err := s.checkMAC(b.macInput, b.mac, op); err != nil {
		return nil, s.fail(err)
	}
	var data []byte
	if b.crypto != nil {
		ct := b.crypto.value
		if b.crypto.tag == tagCryptoEven {
			if len(ct) == 0 || ct[0] != 0x01 {
				return nil, s.fail(chiperr.New(chiperr.Malformed, op, "unknown padding indicator"))
			}
			ct = ct[1:]
		}
		if data, err = s.decrypt(ct, op); err != nil {
			return nil, s.fail(err)
		}
	}
	return append(data, b.status...), nil
}
