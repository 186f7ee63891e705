package synth

import (
	"fmt"
	"math"
	"math/rand"
)

// The card back, in millimetres from its top-left corner.
const (
	cardW, cardH = 85.6, 54.0 // ID-1, ISO/IEC 7810
	cornerR      = 3.18       // ID-1 corner radius
	// The seal: at most 12.19 mm square (issue 18), top right; its quiet
	// zone (Params.QuietMM) about 1 mm or less (the card prints close to it).
	sealX, sealY = 69.9, 4.0
	sealSide     = 12.19
	// Print: toner black, and the personal values' ink.
	dotGain = 0.015 // mm a printed module spreads on each side
)

var (
	tonerBlack = rgb{0.035, 0.035, 0.04}
	valueInk   = rgb{0.05, 0.05, 0.06}
	labelInk   = rgb{0.16, 0.2, 0.38}
)

// cardPrint is what is printed on the card: the design (the same on every
// card) and the personal part (values, MRZ, seal).
type cardPrint struct {
	design *texture
	texts  []*text
	rows   [int(cardH) + 1][]*text // texts crossing each millimetre row
	sym    symbol                  // nil: no code, the design shows in the seal's place
	quiet  float64                 // the seal's blank margin, mm
}

// newCardPrint lays out the personal part of a card. Values are 2 mm
// capitals, the MRZ OCR-B-sized (2.4 mm capitals at 2.54 mm pitch, ICAO
// 9303 TD1); without a code two more lines of values fill the seal's place.
func newCardPrint(r *rand.Rand, sym symbol, design *texture, quiet float64) *cardPrint {
	const capV, pitchV = 2.0, 1.56
	words := func(n int) string { return pseudoWords(r, n) }
	pr := &cardPrint{design: design, sym: sym, quiet: quiet}
	add := func(x, y float64, s string) {
		pr.texts = append(pr.texts, newText(x, y, capV, pitchV, s, valueInk, 0.5))
	}
	// Values run up to 41 characters from x = 4 mm (25 from 28 mm): to
	// 0.4 mm from the seal's quiet zone, 1.4 mm from the symbol.
	add(4, 5.4, fmt.Sprintf("%3d %s", 1+r.Intn(180), words(14+r.Intn(24))))
	add(4, 8.3, fmt.Sprintf("%05d %s", 1000+r.Intn(94000), words(6+r.Intn(30))))
	add(4, 14.0, date(r))
	add(28, 14.0, words(10+r.Intn(16)))
	add(4, 22.6, fmt.Sprintf("1,%02d M", 50+r.Intn(45)))
	add(28, 22.6, date(r))
	add(52, 22.6, words(4)+fmt.Sprint(10000+r.Intn(89999)))
	if sym == nil {
		add(sealX-0.4, 6.0, words(8))
		add(sealX-0.4, 9.6, fmt.Sprint(100000+r.Intn(900000)))
		add(sealX-0.4, 13.2, words(9))
	}
	for i, line := range mrzLines(r) {
		pr.texts = append(pr.texts, newText(4.5, 40.0+4.2*float64(i), 2.4, 2.54, line, valueInk, 0.3))
	}
	if sym != nil && quiet < 1 {
		// A tight margin: values end 0.2 mm from it on the left, a caption
		// runs 0.2 mm under it.
		for _, y := range []float64{sealY + 1.0, sealY + 5.5} {
			s := words(6 + r.Intn(4))
			add(sealX-quiet-0.2-float64(len(s))*pitchV, y, s)
		}
		pr.texts = append(pr.texts, newText(sealX, sealY+sealSide+quiet+0.2, 1.2, 0.95, words(12), labelInk, 0.5))
	}
	for _, t := range pr.texts {
		for j := max(0, int(t.y0)); j <= min(int(cardH), int(t.y1)); j++ {
			pr.rows[j] = append(pr.rows[j], t)
		}
	}
	return pr
}

// inCard reports whether (u, v) is on the card (rounded corners).
func inCard(u, v float64) bool {
	if u < 0 || v < 0 || u >= cardW || v >= cardH {
		return false
	}
	if u >= cornerR && u <= cardW-cornerR || v >= cornerR && v <= cardH-cornerR {
		return true
	}
	dx := math.Max(0, math.Max(cornerR-u, u-(cardW-cornerR)))
	dy := math.Max(0, math.Max(cornerR-v, v-(cardH-cornerR)))
	return dx*dx+dy*dy <= cornerR*cornerR
}

// at is the card's reflectance at (u, v), on the card.
func (pr *cardPrint) at(u, v float64) rgb {
	var c rgb
	if pr.sym != nil && u >= sealX-pr.quiet && u < sealX+sealSide+pr.quiet &&
		v >= sealY-pr.quiet && v < sealY+sealSide+pr.quiet {
		c = paper(u, v)
		if pr.dark(u-sealX, v-sealY) {
			c = tonerBlack
		}
	} else {
		c = pr.design.at(u, v)
	}
	for _, t := range pr.rows[int(v)] {
		if k := t.cover(u, v); k > 0 {
			c = c.mix(t.ink, k)
		}
	}
	return c
}

// dark reports whether the symbol is inked at (x, y) from its corner: a
// dark module, or within the dot gain of one.
func (pr *cardPrint) dark(x, y float64) bool {
	n := len(pr.sym)
	m := sealSide / float64(n)
	at := func(x, y float64) bool {
		if x < 0 || y < 0 {
			return false
		}
		i, j := int(x/m), int(y/m)
		return i < n && j < n && pr.sym[j][i]
	}
	return at(x, y) || at(x-dotGain, y) || at(x+dotGain, y) || at(x, y-dotGain) || at(x, y+dotGain)
}

// pseudoWords is n characters of capitals in words, for personal values.
func pseudoWords(r *rand.Rand, n int) string {
	const cons, vows = "BCDFGHJKLMNPRSTVZ", "AEIOUY"
	b := make([]byte, 0, n)
	for len(b) < n {
		if len(b) > 0 && r.Intn(6) == 0 && b[len(b)-1] != ' ' {
			b = append(b, ' ')
			continue
		}
		if len(b)%2 == 0 {
			b = append(b, cons[r.Intn(len(cons))])
		} else {
			b = append(b, vows[r.Intn(len(vows))])
		}
	}
	return string(b[:n])
}

func date(r *rand.Rand) string {
	return fmt.Sprintf("%02d %02d %d", 1+r.Intn(28), 1+r.Intn(12), 2021+r.Intn(15))
}

// mrzLines is a TD1 machine-readable zone (ICAO 9303 part 5): three lines
// of 30 characters with their check digits.
func mrzLines(r *rand.Rand) [3]string {
	doc := appendRand(r, nil, upperDigits, 9)
	l1 := "IDFRA" + string(doc) + string(checkDigit(string(doc))) + fill("", 15)
	birth := fmt.Sprintf("%02d%02d%02d", r.Intn(100), 1+r.Intn(12), 1+r.Intn(28))
	expiry := fmt.Sprintf("%02d%02d%02d", 31+r.Intn(5), 1+r.Intn(12), 1+r.Intn(28))
	k := r.Intn(2)
	sex := "MF"[k : k+1]
	l2 := birth + string(checkDigit(birth)) + sex + expiry + string(checkDigit(expiry)) + "FRA" + fill("", 11)
	l2 += string(checkDigit(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]))
	name := func() string { return pseudoWords(r, 4+r.Intn(6)) }
	l3 := fill(trimSpaces(name())+"<<"+trimSpaces(name())+"<"+trimSpaces(name()), 30)
	return [3]string{l1, l2, l3[:30]}
}

func fill(s string, n int) string {
	for len(s) < n {
		s += "<"
	}
	return s
}

func trimSpaces(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == ' ' {
			b[i] = '<'
		}
	}
	return string(b)
}

// checkDigit is ICAO 9303's check digit: weights 7, 3, 1; digits count
// their value, letters 10-35, the filler 0.
func checkDigit(s string) byte {
	w := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		v := 0
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		}
		sum += v * w[i%3]
	}
	return byte('0' + sum%10)
}
