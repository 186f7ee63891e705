package sm

import (
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// UnprotectCommand verifies and decrypts a protected command APDU (card
// side) and returns the plain command. It is strict, so that the virtual
// card catches a reader that protects commands wrongly: CLA must carry the
// SM bits, an even INS must use DO'87' and an odd INS DO'85', and DO'8E'
// must come last. The MAC is checked before anything is decrypted. Any
// failure breaks the session, as a chip discards its keys then.
func (s *Session) UnprotectCommand(protected []byte) ([]byte, error) {
	const op = "SM unprotect command"
	if err := s.usable(op); err != nil {
		return nil, err
	}
	cmd, err := iso7816.ParseCommand(protected)
	if err != nil {
		return nil, s.fail(&chiperr.Error{Kind: chiperr.Malformed, Op: op, Err: err})
	}
	if cmd.CLA&0x0C != 0x0C {
		return nil, s.fail(chiperr.New(chiperr.Malformed, op, "command without secure messaging"))
	}
	odd := cmd.INS&1 == 1
	crypto := byte(tagCryptoEven)
	if odd {
		crypto = tagCryptoOdd
	}
	b, err := parseBody(cmd.Data, []byte{crypto, tagLe}, op)
	if err != nil {
		return nil, s.fail(err)
	}
	s.incSSC()
	macInput := append(s.paddedHeader(cmd.CLA, cmd.INS, cmd.P1, cmd.P2), b.macInput...)
	if err := s.checkMAC(macInput, b.mac, op); err != nil {
		return nil, s.fail(err)
	}
	plain := iso7816.Command{CLA: cmd.CLA &^ 0x0C, INS: cmd.INS, P1: cmd.P1, P2: cmd.P2}
	switch len(b.le) {
	case 0:
		if b.le != nil {
			return nil, s.fail(chiperr.New(chiperr.Malformed, op, "empty Le object"))
		}
	case 1:
		plain.Ne = int(b.le[0])
		if plain.Ne == 0 {
			plain.Ne = iso7816.MaxShortNe
		}
	case 2:
		plain.Ne = int(b.le[0])<<8 | int(b.le[1])
		if plain.Ne == 0 {
			plain.Ne = iso7816.MaxExtendedNe
		}
	default:
		return nil, s.fail(chiperr.New(chiperr.Malformed, op, "Le object longer than 2 bytes"))
	}
	if b.crypto != nil {
		ct := b.crypto.value
		if !odd {
			if len(ct) == 0 || ct[0] != 0x01 {
				return nil, s.fail(chiperr.New(chiperr.Malformed, op, "unknown padding indicator"))
			}
			ct = ct[1:]
		}
		if plain.Data, err = s.decrypt(ct, op); err != nil {
			return nil, s.fail(err)
		}
		if len(plain.Data) == 0 {
			return nil, s.fail(chiperr.New(chiperr.Malformed, op, "empty command data"))
		}
	}
	out, err := plain.Bytes()
	if err != nil {
		return nil, s.fail(chiperr.Wrap(chiperr.Malformed, op, err))
	}
	s.oddINS = odd
	return out, nil
}

// ProtectResponse protects a plain response APDU (card side): data
// encrypted in DO'87' (DO'85' when the last command had an odd INS), the
// status word in DO'99', the MAC in DO'8E', and the status word in clear
// after them.
func (s *Session) ProtectResponse(plainResp []byte) ([]byte, error) {
	const op = "SM protect response"
	if err := s.usable(op); err != nil {
		return nil, err
	}
	r, err := iso7816.ParseResponse(plainResp)
	if err != nil {
		return nil, err
	}
	s.incSSC()
	var dos []byte
	if len(r.Data) > 0 {
		ct := s.encrypt(r.Data)
		if s.oddINS {
			dos = appendDO(dos, tagCryptoOdd, ct)
		} else {
			dos = appendDO(dos, tagCryptoEven, []byte{0x01}, ct)
		}
	}
	dos = appendDO(dos, tagStatus, []byte{r.SW1(), r.SW2()})
	dos = appendDO(dos, tagMAC, s.mac(dos))
	return append(dos, r.SW1(), r.SW2()), nil
}
