package synth

import (
	"math/rand"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	dmenc "github.com/makiuchi-d/gozxing/datamatrix/encoder"
)

// symbol is a DataMatrix, true for a dark module, rows from the top,
// without quiet zone.
type symbol [][]bool

// makeSymbol draws a payload of n bytes and encodes it; when gozxing's
// writer cannot encode it exactly it draws n+1 bytes, and so on.
func makeSymbol(r *rand.Rand, binary bool, n int) ([]byte, symbol) {
	for ; ; n++ {
		var p []byte
		if binary {
			p = binaryPayload(r, n)
		} else {
			p = textPayload(r, n)
		}
		if s := encodeSquare(p); s != nil {
			return p, s
		}
	}
}

// C40's basic set (ISO/IEC 16022 5.2.5) and base32's alphabet (RFC 4648).
const (
	upperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	base32Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	hexUpper    = "0123456789ABCDEF"
)

// 2D-Doc separators: GS ends a variable-length field, US starts the
// signature.
const (
	gs = 0x1d
	us = 0x1f
)

// textPayload is n bytes shaped like a 2D-Doc (ANTS, version 04): a
// 26-character header ("DC04FR", authority and certificate, two dates in
// hex, document type and perimeter, country), fields of a two-character
// identifier and an uppercase value ended by GS, then US and a base32
// signature (103 characters for a P-256 ECDSA signature; shorter when n
// leaves less room).
func textPayload(r *rand.Rand, n int) []byte {
	p := []byte("DC04FR")
	p = appendRand(r, p, upperDigits, 8)
	p = appendRand(r, p, hexUpper, 8)
	p = append(p, '0', byte('1'+r.Intn(9)), '0', '1', 'F', 'R')
	sig := min(103, max(16, n*2/5))
	for len(p) < n-sig-1 {
		p = append(p, '1'+byte(r.Intn(9)), 'A'+byte(r.Intn(26)))
		v := 3 + r.Intn(20)
		for k := 0; k < v; k++ {
			if k > 0 && r.Intn(7) == 0 {
				p = append(p, ' ')
			} else {
				p = append(p, upperDigits[r.Intn(len(upperDigits))])
			}
		}
		p = append(p, gs)
	}
	if cut := max(0, n-sig-1); len(p) > cut {
		p = p[:cut]
	}
	p = append(p, us)
	p = appendRand(r, p, base32Chars, n-len(p))
	return p[:n]
}

// binaryPayload is n bytes shaped like an ICAO VDS: the magic 0xDC and
// version 0x03, C40-packed country and signer bytes, dates, then
// tag-length-value fields of random bytes, and the signature marker 0xFF
// with a 64-byte signature when n leaves room. Random bytes give 0x00 and
// 0x80-0xFF; both are forced in.
func binaryPayload(r *rand.Rand, n int) []byte {
	p := make([]byte, n)
	r.Read(p)
	if n < 16 {
		return p
	}
	p[0], p[1] = 0xdc, 0x03
	sig := n // where the signature starts
	if n >= 90 {
		sig = n - 66
		p[sig], p[sig+1] = 0xff, 0x40
	}
	for i := 12; i+2 < sig; i += 2 + int(p[i+1]%12) {
		p[i] = byte(1 + r.Intn(12))
		p[i+1] = byte(2 + r.Intn(10))
	}
	p[n-3], p[n-10] = 0x00, 0x80
	return p
}

func appendRand(r *rand.Rand, p []byte, alphabet string, n int) []byte {
	for range n {
		p = append(p, alphabet[r.Intn(len(alphabet))])
	}
	return p
}

// encodeSquare encodes p in a square DataMatrix ECC200 with gozxing's
// writer, or returns nil when the writer fails or would write a wrong
// symbol (Base256Bug).
func encodeSquare(p []byte) symbol {
	msg := latin1(p)
	cw, err := dmenc.EncodeHighLevel(msg, dmenc.SymbolShapeHint_FORCE_SQUARE, nil, nil)
	if err != nil || Base256Bug(cw) {
		return nil
	}
	hints := map[gozxing.EncodeHintType]interface{}{
		gozxing.EncodeHintType_DATA_MATRIX_SHAPE: dmenc.SymbolShapeHint_FORCE_SQUARE,
	}
	m, err := datamatrix.NewDataMatrixWriter().Encode(msg, gozxing.BarcodeFormat_DATA_MATRIX, 0, 0, hints)
	if err != nil || m.GetWidth() != m.GetHeight() {
		return nil
	}
	s := make(symbol, m.GetHeight())
	for y := range s {
		s[y] = make([]bool, m.GetWidth())
		for x := range s[y] {
			s[y][x] = m.Get(x, y)
		}
	}
	return s
}

// latin1 maps each byte to the rune of the same value, which gozxing's
// writer turns back into that byte (it encodes its input as ISO-8859-1).
func latin1(p []byte) string {
	r := make([]rune, len(p))
	for i, b := range p {
		r[i] = rune(b)
	}
	return string(r)
}

// Base256Bug spots a defect of gozxing v0.1.1's DataMatrix encoder
// (datamatrix/encoder/base256_encoder.go): its buffer starts with two
// length bytes where ZXing's has one, so when a Base256 segment ends the
// message and exactly fills the symbol it writes the length 0 ("to the
// end of the symbol", ISO/IEC 16022 5.2.9.1) followed by a spurious 0x00
// data byte, and the overflow then adds pad codewords that belong to the
// segment. Such a symbol carries one byte too many: makeSymbol picks
// another length (the scanner's tests skip such payloads the same way). The codewords after the latch (231) are unrandomised
// with the 255-state algorithm of ISO/IEC 16022 Annex B.2.
func Base256Bug(cw []byte) bool {
	unr := func(pos int) int {
		v := int(cw[pos-1]) - (149*pos%255 + 1)
		if v < 0 {
			v += 256
		}
		return v
	}
	for i := 0; i+2 < len(cw); i++ {
		if cw[i] == 231 && unr(i+2) == 0 && unr(i+3) == 0 {
			return true
		}
	}
	return false
}
