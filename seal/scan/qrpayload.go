package scan

import (
	qrver "github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// bitReader reads big-endian bit fields.
type bitReader struct {
	b   []byte
	pos int // in bits
}

func (r *bitReader) left() int { return len(r.b)*8 - r.pos }

func (r *bitReader) read(n int) (int, bool) {
	if n > r.left() {
		return 0, false
	}
	v := 0
	for k := 0; k < n; k++ {
		v = v<<1 | int(r.b[r.pos>>3]>>(7-r.pos&7)&1)
		r.pos++
	}
	return v, true
}

// qrVersion finds the QR version whose data capacity at ecLevel ("L", "M",
// "Q", "H") is n codewords.
func qrVersion(n int, ecLevel string) int {
	lvl, err := qrver.ErrorCorrectionLevel_ValueOf(ecLevel)
	if err != nil {
		return 0
	}
	for v := 1; v <= 40; v++ {
		ver, err := qrver.Version_GetVersionForNumber(v)
		if err != nil {
			return 0
		}
		if ver.GetTotalCodewords()-ver.GetECBlocksForLevel(lvl).GetTotalECCodewords() == n {
			return v
		}
	}
	return 0
}

const qrAlnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// qrPayload decodes the data codewords of a QR code of the given version
// (ISO/IEC 18004:2015 7.4) into bytes. Kanji and Hanzi characters are
// returned in their two-byte Shift JIS / GB2312 form.
func qrPayload(cw []byte, version int) ([]byte, error) {
	if version < 1 || version > 40 {
		return nil, errPayload
	}
	size := 0 // index into the count-bit tables
	if version >= 27 {
		size = 2
	} else if version >= 10 {
		size = 1
	}
	r := &bitReader{b: cw}
	var out []byte
	fnc1 := false
	for r.left() >= 4 && len(out) < maxPayload {
		mode, _ := r.read(4)
		switch mode {
		case 0: // terminator
			return out, nil
		case 1: // numeric
			n, ok := r.read([3]int{10, 12, 14}[size])
			if !ok {
				return nil, errPayload
			}
			for n > 0 {
				k := min(n, 3)
				v, ok := r.read([4]int{0, 4, 7, 10}[k])
				if !ok || v >= [4]int{1, 10, 100, 1000}[k] {
					return nil, errPayload
				}
				for d := [4]int{1, 1, 10, 100}[k]; d > 0; d /= 10 {
					out = append(out, byte('0'+v/d%10))
				}
				n -= k
			}
		case 2: // alphanumeric
			n, ok := r.read([3]int{9, 11, 13}[size])
			if !ok {
				return nil, errPayload
			}
			start := len(out)
			for n > 0 {
				k := min(n, 2)
				v, ok := r.read([3]int{0, 6, 11}[k])
				if !ok || v >= [3]int{1, 45, 45 * 45}[k] {
					return nil, errPayload
				}
				if k == 2 {
					out = append(out, qrAlnum[v/45])
				}
				out = append(out, qrAlnum[v%45])
				n -= k
			}
			if fnc1 { // "%%" is '%', a lone '%' is GS
				seg := out[start:]
				w := 0
				for j := 0; j < len(seg); j++ {
					if seg[j] == '%' {
						if j+1 < len(seg) && seg[j+1] == '%' {
							j++
						} else {
							seg[w] = 29
							w++
							continue
						}
					}
					seg[w] = seg[j]
					w++
				}
				out = out[:start+w]
			}
		case 4: // byte
			n, ok := r.read([3]int{8, 16, 16}[size])
			if !ok || n*8 > r.left() {
				return nil, errPayload
			}
			for ; n > 0; n-- {
				v, _ := r.read(8)
				out = append(out, byte(v))
			}
		case 8, 13: // Kanji, Hanzi: 13 bits per character
			if mode == 13 {
				if _, ok := r.read(4); !ok { // subset
					return nil, errPayload
				}
			}
			n, ok := r.read([3]int{8, 10, 12}[size])
			if !ok || n*13 > r.left() {
				return nil, errPayload
			}
			for ; n > 0; n-- {
				v, _ := r.read(13)
				a, b := v/0xc0, v%0xc0
				var c int
				if mode == 8 {
					c = a<<8 | b
					if c < 0x1f00 {
						c += 0x8140
					} else {
						c += 0xc140
					}
				} else {
					c = a<<8 | b
					if c < 0xa00 {
						c += 0xa1a1
					} else {
						c += 0xa6a1
					}
				}
				out = append(out, byte(c>>8), byte(c))
			}
		case 7: // ECI designator, not part of the data
			v, ok := r.read(8)
			if !ok {
				return nil, errPayload
			}
			if v&0x80 != 0 {
				extra := 8
				if v&0xc0 == 0xc0 {
					extra = 16
				}
				if _, ok := r.read(extra); !ok {
					return nil, errPayload
				}
			}
		case 3: // structured append header
			if _, ok := r.read(16); !ok {
				return nil, errPayload
			}
		case 5: // FNC1 in first position
			fnc1 = true
		case 9: // FNC1 in second position: an application indicator
			if _, ok := r.read(8); !ok {
				return nil, errPayload
			}
			fnc1 = true
		default:
			return nil, errPayload
		}
	}
	if len(out) >= maxPayload {
		return nil, errPayload
	}
	return out, nil
}
