package files_test

import (
	"context"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// fakeCard serves elementary files by FID (after SELECT) or SFI, with
// READ BINARY B0 and B1, like a plain (unprotected) ICAO chip. Its quirks
// are switched on per test.
type fakeCard struct {
	t     *testing.T
	files map[uint16][]byte
	sfis  map[byte]uint16

	// maxNe > 0: answer 6700 to a READ BINARY asking for more.
	maxNe int
	// neWithinFile: answer 6700 when Ne is above what is left of the file
	// (the cards the header probe exists for).
	neWithinFile bool
	// emptyFrom > 0: from this offset on, answer 9000 with no data (B0) or
	// an empty DO'53' (B1).
	emptyFrom int
	// eofWarning: answer 6282 when fewer than Ne bytes remain.
	eofWarning bool
	// hook, if set, sees each command first; a non-nil answer replaces the card's.
	hook func(n int, cmd iso7816.Command) []byte

	current uint16
	log     []iso7816.Command
	raw     [][]byte
}

func newFakeCard(t *testing.T) *fakeCard {
	return &fakeCard{t: t, files: map[uint16][]byte{}, sfis: map[byte]uint16{}}
}

func (c *fakeCard) add(fid uint16, sfi byte, data []byte) {
	c.files[fid] = data
	if sfi != 0 {
		c.sfis[sfi] = fid
	}
}

func sw(s uint16) []byte { return []byte{byte(s >> 8), byte(s)} }

func (c *fakeCard) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	if len(c.log) > 10000 {
		c.t.Fatal("reader does not stop: over 10000 APDUs")
	}
	cmd, err := iso7816.ParseCommand(apdu)
	if err != nil {
		c.t.Fatalf("reader sent a malformed APDU % X: %v", apdu, err)
	}
	c.log = append(c.log, cmd)
	c.raw = append(c.raw, append([]byte(nil), apdu...))
	if c.hook != nil {
		if out := c.hook(len(c.log), cmd); out != nil {
			return out, nil
		}
	}
	switch cmd.INS {
	case 0xA4:
		return c.selectFile(cmd), nil
	case 0xB0, 0xB1:
		return c.readBinary(cmd), nil
	}
	return sw(iso7816.SWINSNotSupported), nil
}

func (c *fakeCard) selectFile(cmd iso7816.Command) []byte {
	if cmd.P1 != 0x02 || len(cmd.Data) != 2 {
		return sw(iso7816.SWOK) // application or master file
	}
	fid := uint16(cmd.Data[0])<<8 | uint16(cmd.Data[1])
	if _, ok := c.files[fid]; !ok {
		return sw(iso7816.SWFileNotFound)
	}
	c.current = fid
	return sw(iso7816.SWOK)
}

func (c *fakeCard) readBinary(cmd iso7816.Command) []byte {
	fid := c.current
	var offset int
	switch {
	case cmd.INS == 0xB0 && cmd.P1&0x80 != 0:
		var ok bool
		if fid, ok = c.sfis[cmd.P1&0x1F]; !ok {
			return sw(iso7816.SWFileNotFound)
		}
		c.current = fid
		offset = int(cmd.P2)
	case cmd.INS == 0xB0:
		offset = int(cmd.P1)<<8 | int(cmd.P2)
	default:
		do, rest, err := ber.ParseTLV(cmd.Data)
		if err != nil || len(rest) != 0 || do.Tag != 0x54 || len(do.Value) == 0 || len(do.Value) > 3 || cmd.P1|cmd.P2 != 0 {
			return sw(iso7816.SWWrongData)
		}
		for _, b := range do.Value {
			offset = offset<<8 | int(b)
		}
	}
	data, ok := c.files[fid]
	if !ok {
		return sw(iso7816.SWFileNotFound)
	}
	if c.maxNe > 0 && cmd.Ne > c.maxNe {
		return sw(iso7816.SWWrongLength)
	}
	if offset >= len(data) {
		return sw(iso7816.SWWrongP1P2)
	}
	left := len(data) - offset
	if c.neWithinFile && cmd.Ne > left {
		return sw(iso7816.SWWrongLength)
	}
	if c.emptyFrom > 0 && offset >= c.emptyFrom {
		if cmd.INS == 0xB1 {
			return []byte{0x53, 0x00, 0x90, 0x00} // an empty DO'53'
		}
		return sw(iso7816.SWOK)
	}
	n := min(cmd.Ne, left)
	var out []byte
	if cmd.INS == 0xB0 {
		out = append(out, data[offset:offset+n]...)
	} else {
		// DO'53' header included in Ne (ISO/IEC 7816-4, READ BINARY with odd INS).
		for n > 0 && len(ber.Encode(0x53, data[offset:offset+n])) > cmd.Ne {
			n--
		}
		out = ber.Encode(0x53, data[offset:offset+n])
	}
	if c.eofWarning && n < cmd.Ne {
		return append(out, sw(iso7816.SWEndOfFileWarning)...)
	}
	return append(out, sw(iso7816.SWOK)...)
}

// reads lists the READ BINARY commands the card saw.
func (c *fakeCard) reads() []iso7816.Command {
	var out []iso7816.Command
	for _, cmd := range c.log {
		if cmd.INS == 0xB0 || cmd.INS == 0xB1 {
			out = append(out, cmd)
		}
	}
	return out
}

// offsetOf decodes where a READ BINARY reads (B0 P1-P2, or B1 DO'54').
func offsetOf(t *testing.T, cmd iso7816.Command) int {
	t.Helper()
	if cmd.INS == 0xB0 {
		if cmd.P1&0x80 != 0 {
			return int(cmd.P2)
		}
		return int(cmd.P1)<<8 | int(cmd.P2)
	}
	do, _, err := ber.ParseTLV(cmd.Data)
	if err != nil || do.Tag != 0x54 {
		t.Fatalf("B1 without DO'54': % X", cmd.Data)
	}
	off := 0
	for _, b := range do.Value {
		off = off<<8 | int(b)
	}
	return off
}

// tlvFile builds a file of the given tag holding n value bytes (a counting
// pattern, so a misplaced chunk shows) with DER length encoding.
func tlvFile(tag uint32, n int) []byte {
	v := make([]byte, n)
	for i := range v {
		v[i] = byte(i*7 + i>>8)
	}
	return ber.Encode(tag, v)
}
