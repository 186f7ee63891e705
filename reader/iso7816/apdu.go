// Package iso7816 encodes and decodes ISO/IEC 7816-4 APDUs and defines the
// Transmitter interface that every transport (PC/SC reader, virtual card,
// secure messaging, trace) implements.
package iso7816

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Transmitter sends one command APDU and returns the response APDU
// (data followed by SW1 SW2). Implementations must honour ctx.
type Transmitter interface {
	Transmit(ctx context.Context, apdu []byte) ([]byte, error)
}

// TransmitFunc adapts a function to the Transmitter interface.
type TransmitFunc func(ctx context.Context, apdu []byte) ([]byte, error)

// Transmit calls f.
func (f TransmitFunc) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	return f(ctx, apdu)
}

// Limits of ISO/IEC 7816-4.
const (
	MaxShortLc    = 255
	MaxShortNe    = 256
	MaxExtendedLc = 65535
	MaxExtendedNe = 65536
)

// Command is a command APDU. Ne is the maximum number of response bytes
// expected: 0 means no Le field, 256 (short) or 65536 (extended) means "all".
type Command struct {
	CLA, INS, P1, P2 byte
	Data             []byte
	Ne               int
	// Extended forces extended-length encoding even when short would do.
	Extended bool
}

// IsExtended reports whether the command must be (or is asked to be) sent in
// extended-length form.
func (c Command) IsExtended() bool {
	return c.Extended || len(c.Data) > MaxShortLc || c.Ne > MaxShortNe
}

// Bytes encodes the command in the four cases of ISO/IEC 7816-4 §5.1.
func (c Command) Bytes() ([]byte, error) {
	if len(c.Data) > MaxExtendedLc {
		return nil, chiperr.Newf(chiperr.TooLarge, "encode APDU", "Lc %d > %d", len(c.Data), MaxExtendedLc)
	}
	if c.Ne < 0 || c.Ne > MaxExtendedNe {
		return nil, chiperr.Newf(chiperr.TooLarge, "encode APDU", "Ne %d out of range", c.Ne)
	}
	out := make([]byte, 4, 4+3+len(c.Data)+3)
	out[0], out[1], out[2], out[3] = c.CLA, c.INS, c.P1, c.P2
	ext := c.IsExtended()
	if len(c.Data) > 0 {
		if ext {
			out = append(out, 0, byte(len(c.Data)>>8), byte(len(c.Data)))
		} else {
			out = append(out, byte(len(c.Data)))
		}
		out = append(out, c.Data...)
	}
	if c.Ne > 0 {
		switch {
		case !ext:
			out = append(out, byte(c.Ne)) // 256 encodes as 00
		case len(c.Data) > 0:
			out = append(out, byte(c.Ne>>8), byte(c.Ne)) // 65536 encodes as 0000
		default:
			out = append(out, 0, byte(c.Ne>>8), byte(c.Ne))
		}
	}
	return out, nil
}

// ParseCommand decodes a command APDU (the card's side of the exchange).
func ParseCommand(b []byte) (Command, error) {
	bad := func(why string) (Command, error) {
		return Command{}, chiperr.New(chiperr.WrongLength, "parse APDU", why)
	}
	if len(b) < 4 {
		return bad("shorter than a header")
	}
	c := Command{CLA: b[0], INS: b[1], P1: b[2], P2: b[3]}
	body := b[4:]
	switch {
	case len(body) == 0: // case 1
	case len(body) == 1: // case 2 short
		c.Ne = neShort(body[0])
	case body[0] != 0 || len(body) == 1:
		// short Lc
		lc := int(body[0])
		switch len(body) {
		case 1 + lc: // case 3 short
		case 2 + lc: // case 4 short
			c.Ne = neShort(body[1+lc])
		default:
			return bad("Lc does not match the body")
		}
		c.Data = body[1 : 1+lc]
	default: // extended: body[0] == 0 and at least 2 more bytes
		c.Extended = true
		if len(body) == 3 { // case 2 extended
			c.Ne = neExtended(body[1], body[2])
			break
		}
		if len(body) < 3 {
			return bad("truncated extended length")
		}
		lc := int(binary.BigEndian.Uint16(body[1:3]))
		if lc == 0 {
			return bad("extended Lc of zero")
		}
		switch len(body) {
		case 3 + lc:
		case 5 + lc:
			c.Ne = neExtended(body[3+lc], body[4+lc])
		default:
			return bad("extended Lc does not match the body")
		}
		c.Data = body[3 : 3+lc]
	}
	return c, nil
}

func neShort(b byte) int {
	if b == 0 {
		return MaxShortNe
	}
	return int(b)
}

func neExtended(hi, lo byte) int {
	n := int(hi)<<8 | int(lo)
	if n == 0 {
		return MaxExtendedNe
	}
	return n
}

// Response is a response APDU.
type Response struct {
	Data []byte
	SW   uint16
}

// ParseResponse splits a response APDU into data and status word.
func ParseResponse(b []byte) (Response, error) {
	if len(b) < 2 {
		return Response{}, chiperr.Newf(chiperr.Malformed, "parse response", "%d bytes, no status word", len(b))
	}
	n := len(b) - 2
	return Response{Data: b[:n], SW: binary.BigEndian.Uint16(b[n:])}, nil
}

// Bytes encodes the response.
func (r Response) Bytes() []byte {
	out := make([]byte, len(r.Data), len(r.Data)+2)
	copy(out, r.Data)
	return append(out, byte(r.SW>>8), byte(r.SW))
}

// SW1 and SW2 return the two status bytes.
func (r Response) SW1() byte { return byte(r.SW >> 8) }
func (r Response) SW2() byte { return byte(r.SW) }

// OK reports a normal ending (9000), or a warning that still returns data (62XX, 63XX except 63CX counters are warnings too).
func (r Response) OK() bool { return r.SW == SWOK }

// Err returns nil for 9000, else a *StatusError.
func (r Response) Err() error {
	if r.SW == SWOK {
		return nil
	}
	return &StatusError{SW: r.SW}
}

func (c Command) String() string {
	return fmt.Sprintf("%02X %02X %02X %02X Lc=%d Ne=%d", c.CLA, c.INS, c.P1, c.P2, len(c.Data), c.Ne)
}
