package vds

// C40 as profiled by BSI TR-03137 Part 1 Annex B (after ISO/IEC 16022):
// values 3 (space), 4-13 ('0'-'9'), 14-39 ('A'-'Z'); a triple (U1,U2,U3)
// becomes I16 = 1600·U1 + 40·U2 + U3 + 1 on two bytes. Two trailing
// characters are padded with the value 0 (Shift 1); one trailing character
// is written 0xFE (unlatch) followed by its DataMatrix ASCII value (ASCII+1).

const c40Unlatch = 0xFE

// c40Value maps a character to its C40 value, '<' counting as a space.
func c40Value(c byte) (int, bool) {
	switch {
	case c == ' ' || c == '<':
		return 3, true
	case c >= '0' && c <= '9':
		return int(c-'0') + 4, true
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 14, true
	}
	return 0, false
}

// c40Char is the inverse of c40Value for 3..39.
func c40Char(v int) (byte, bool) {
	switch {
	case v == 3:
		return ' ', true
	case v >= 4 && v <= 13:
		return byte('0' + v - 4), true
	case v >= 14 && v <= 39:
		return byte('A' + v - 14), true
	}
	return 0, false
}

// C40Len is the encoded length of n characters: two bytes per started triple.
func C40Len(n int) int { return 2 * ((n + 2) / 3) }

// EncodeC40 encodes upper-case letters, digits, spaces and '<' (encoded as
// a space, as the MRZ filler is). Anything else is a BadInput error.
func EncodeC40(s string) ([]byte, error) {
	out := make([]byte, 0, C40Len(len(s)))
	vals := make([]int, len(s))
	for i := 0; i < len(s); i++ {
		v, ok := c40Value(s[i])
		if !ok {
			return nil, newErrf(BadInput, "C40 encoding", "character %d is not in the C40 basic set", i)
		}
		vals[i] = v
	}
	for i := 0; i < len(vals); i += 3 {
		switch rest := len(vals) - i; {
		case rest == 1:
			// Unlatch, then the character in DataMatrix ASCII (ASCII + 1).
			c, _ := c40Char(vals[i])
			out = append(out, c40Unlatch, c+1)
		default:
			u3 := 0 // Shift 1 pads two trailing characters
			if rest >= 3 {
				u3 = vals[i+2]
			}
			i16 := 1600*vals[i] + 40*vals[i+1] + u3 + 1
			out = append(out, byte(i16>>8), byte(i16))
		}
	}
	return out, nil
}

// DecodeC40 decodes C40 bytes. It is strict: an odd length, a value out of
// range, a shift value or an unlatch anywhere but in the last pair, and
// padding anywhere but at the end are Malformed errors. Spaces are returned
// as spaces (callers that hold an MRZ turn them back into '<').
func DecodeC40(b []byte) (string, error) { return decodeC40(b, true) }

// decodeC40 decodes pairs; final tells whether the last pair may carry
// padding (false for the first part of a longer C40 run, as in the header).
func decodeC40(b []byte, final bool) (string, error) {
	const op = "C40 decoding"
	if len(b)%2 != 0 {
		return "", newErrf(Malformed, op, "odd length %d", len(b))
	}
	out := make([]byte, 0, len(b)/2*3)
	for i := 0; i < len(b); i += 2 {
		last := final && i+2 == len(b)
		if b[i] == c40Unlatch {
			c := b[i+1] - 1
			if _, ok := c40Value(c); !last || !ok || c == '<' {
				return "", newErrf(Malformed, op, "unlatch at byte %d", i)
			}
			out = append(out, c)
			continue
		}
		v := int(b[i])<<8 | int(b[i+1])
		if v == 0 || v > 64000 {
			return "", newErrf(Malformed, op, "value %d out of range at byte %d", v, i)
		}
		v--
		u := [3]int{v / 1600, v / 40 % 40, v % 40}
		n := 3
		if last {
			// Shift-1 padding: (c, c, 0), or (c, 0, 0) from lenient encoders.
			for n > 1 && u[n-1] == 0 {
				n--
			}
		}
		for _, x := range u[:n] {
			c, ok := c40Char(x)
			if !ok {
				return "", newErrf(Malformed, op, "shift or padding value %d at byte %d", x, i)
			}
			out = append(out, c)
		}
	}
	return string(out), nil
}
