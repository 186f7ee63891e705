package scan

import (
	"bytes"
	"errors"
)

// gozxing's decoded text cannot carry binary data faithfully: its DataMatrix
// parser appends upper-shifted ASCII bytes raw but Base256 bytes as UTF-8,
// and its QR parser guesses a character set for byte segments. Its
// BYTE_SEGMENTS metadata is exact but holds only the Base256 / byte-mode
// parts, while encoders mix modes (digits pairs, C40, upper shift...) inside
// a binary payload. So the payload is rebuilt here from the data codewords
// that gozxing has already error-corrected (Result.GetRawBytes), and the byte
// segments are checked to appear in it, in order.

// maxPayload bounds what one symbol can carry (a 144x144 DataMatrix holds
// 1558 codewords, a version 40 QR 2956 bytes; digit pairs double that).
const maxPayload = 8192

var errPayload = errors.New("payload does not parse")

// checkSegments reports whether every byte segment occurs in p, in order.
func checkSegments(p []byte, segs [][]byte) bool {
	for _, s := range segs {
		i := bytes.Index(p, s)
		if i < 0 {
			return false
		}
		p = p[i+len(s):]
	}
	return true
}

// dmPayload decodes DataMatrix ECC200 data codewords (ISO/IEC 16022:2006
// 5.2) into bytes.
func dmPayload(cw []byte) ([]byte, error) {
	out := make([]byte, 0, len(cw)*2)
	var trailer []byte
	upper := false
	emit := func(b int) {
		if upper {
			b += 128
			upper = false
		}
		out = append(out, byte(b))
	}
	i := 0
	for i < len(cw) && len(out) < maxPayload {
		c := int(cw[i])
		i++
		switch {
		case c == 0:
			return nil, errPayload
		case c <= 128:
			emit(c - 1)
		case c == 129: // pad: end of data
			return append(out, trailer...), nil
		case c <= 229:
			v := c - 130
			emit('0' + v/10)
			emit('0' + v%10)
		case c == 230, c == 239, c == 238: // C40, Text, X12
			var err error
			i, err = dmTriplets(cw, i, c, emit, &upper)
			if err != nil {
				return nil, err
			}
		case c == 231: // Base256
			var err error
			i, err = dmBase256(cw, i, &out)
			if err != nil {
				return nil, err
			}
		case c == 232: // FNC1, transmitted as GS
			emit(29)
		case c == 233: // structured append: 3 codewords of sequence and file id
			i += 3
		case c == 234: // reader programming
		case c == 235:
			upper = true
		case c == 236, c == 237:
			if len(out) != 0 {
				return nil, errPayload
			}
			out = append(out, "[)>\x1e05\x1d"...)
			if c == 237 {
				out[5] = '6'
			}
			trailer = []byte("\x1e\x04")
		case c == 240: // EDIFACT
			i = dmEdifact(cw, i, emit)
		case c == 241: // ECI designator: 1 to 3 codewords, not part of the data
			if i >= len(cw) {
				return nil, errPayload
			}
			switch e := cw[i]; {
			case e <= 127:
				i++
			case e <= 191:
				i += 2
			default:
				i += 3
			}
		case c == 254 && i == len(cw): // some encoders end with an unlatch
		default:
			return nil, errPayload
		}
	}
	if len(out) >= maxPayload {
		return nil, errPayload
	}
	return append(out, trailer...), nil
}

const (
	c40Shift2  = "!\"#$%&'()*+,-./:;<=>?@[\\]^_"
	textShift3 = "`ABCDEFGHIJKLMNOPQRSTUVWXYZ{|}~\x7f"
)

// dmTriplets decodes a C40 (230), Text (239) or X12 (238) segment starting at
// cw[i]; it returns the index after it.
func dmTriplets(cw []byte, i, mode int, emit func(int), upper *bool) (int, error) {
	shift := 0
	for i+1 < len(cw) {
		if cw[i] == 254 {
			return i + 1, nil
		}
		v := int(cw[i])<<8 | int(cw[i+1])
		i += 2
		if v == 0 {
			return i, errPayload
		}
		v--
		for _, x := range [3]int{v / 1600, v / 40 % 40, v % 40} {
			if mode == 238 {
				switch {
				case x == 0:
					emit('\r')
				case x == 1:
					emit('*')
				case x == 2:
					emit('>')
				case x == 3:
					emit(' ')
				case x <= 13:
					emit('0' + x - 4)
				default:
					emit('A' + x - 14)
				}
				continue
			}
			switch shift {
			case 0:
				switch {
				case x < 3:
					shift = x + 1
				case x == 3:
					emit(' ')
				case x <= 13:
					emit('0' + x - 4)
				case mode == 230:
					emit('A' + x - 14)
				default:
					emit('a' + x - 14)
				}
			case 1:
				emit(x)
				shift = 0
			case 2:
				switch {
				case x < len(c40Shift2):
					emit(int(c40Shift2[x]))
				case x == 27:
					emit(29) // FNC1
				case x == 30:
					*upper = true
				default:
					return i, errPayload
				}
				shift = 0
			case 3:
				if mode == 230 {
					emit(x + 96)
				} else if x < len(textShift3) {
					emit(int(textShift3[x]))
				} else {
					return i, errPayload
				}
				shift = 0
			}
		}
	}
	// A single codeword left after a C40/Text/X12 segment is ASCII.
	return i, nil
}

// dmEdifact decodes an EDIFACT segment; it returns the index after it.
func dmEdifact(cw []byte, i int, emit func(int)) int {
	for i+3 <= len(cw) {
		v := int(cw[i])<<16 | int(cw[i+1])<<8 | int(cw[i+2])
		i += 3
		for k := 0; k < 4; k++ {
			x := v >> (18 - 6*k) & 0x3f
			if x == 0x1f { // unlatch: the rest of this codeword is padding
				return i - 3 + (6*(k+1)+7)/8
			}
			if x&0x20 == 0 {
				x |= 0x40
			}
			emit(x)
		}
	}
	return i
}

// dmBase256 decodes a Base256 segment (ISO/IEC 16022 Annex B.2 255-state
// randomisation); it returns the index after it.
func dmBase256(cw []byte, i int, out *[]byte) (int, error) {
	unr := func(pos int) int { // pos is 1-based
		v := int(cw[pos-1]) - (149*pos%255 + 1)
		if v < 0 {
			v += 256
		}
		return v
	}
	if i >= len(cw) {
		return i, errPayload
	}
	d1 := unr(i + 1)
	i++
	n := 0
	switch {
	case d1 == 0:
		n = len(cw) - i
	case d1 < 250:
		n = d1
	default:
		if i >= len(cw) {
			return i, errPayload
		}
		n = 250*(d1-249) + unr(i+1)
		i++
	}
	if n > len(cw)-i {
		return i, errPayload
	}
	for k := 0; k < n; k++ {
		*out = append(*out, byte(unr(i+1)))
		i++
	}
	return i, nil
}
