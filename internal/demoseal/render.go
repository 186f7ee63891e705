package demoseal

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// DataMatrix renders payload as a DataMatrix ECC200 with `module` pixels a
// module and a quiet zone of two modules.
func DataMatrix(payload []byte, module int) (*image.Gray, error) {
	// The writer takes ISO-8859-1 text: one rune per byte keeps bytes
	// 0x80-0xFF intact (string(payload) would read them as UTF-8).
	runes := make([]rune, len(payload))
	for i, b := range payload {
		runes[i] = rune(b)
	}
	m, err := datamatrix.NewDataMatrixWriter().Encode(string(runes), gozxing.BarcodeFormat_DATA_MATRIX, 0, 0, nil)
	if err != nil {
		return nil, fmt.Errorf("demo seal: DataMatrix: %w", err)
	}
	w, h := m.GetWidth(), m.GetHeight()
	const quiet = 2
	img := image.NewGray(image.Rect(0, 0, (w+2*quiet)*module, (h+2*quiet)*module))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if m.Get(x, y) {
				r := image.Rect((x+quiet)*module, (y+quiet)*module, (x+quiet+1)*module, (y+quiet+1)*module)
				draw.Draw(img, r, image.Black, image.Point{}, draw.Src)
			}
		}
	}
	return img, nil
}

// CardBack draws the back of the virtual identity card (ID-1, 85.6 x 54 mm
// at about 300 dpi): a DEMO notice, the MRZ and the seal, top right as on
// the 2021 card.
func CardBack(mrzLines []string, seal image.Image) *image.RGBA {
	const w, h = 1012, 638
	card := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(card, card.Bounds(), &image.Uniform{color.RGBA{0xE8, 0xEE, 0xF5, 0xFF}}, image.Point{}, draw.Src)
	// The text is drawn small with the built-in bitmap font, then enlarged.
	text := func(lines []string, at image.Point, scale int, c color.Color) {
		lw := 0
		for _, l := range lines {
			lw = max(lw, len(l))
		}
		small := image.NewRGBA(image.Rect(0, 0, lw*7+2, len(lines)*14+2))
		d := &font.Drawer{Dst: small, Src: image.NewUniform(c), Face: basicfont.Face7x13}
		for i, l := range lines {
			d.Dot = fixed.P(1, 11+i*14)
			d.DrawString(l)
		}
		r := image.Rect(at.X, at.Y, at.X+small.Bounds().Dx()*scale, at.Y+small.Bounds().Dy()*scale)
		xdraw.NearestNeighbor.Scale(card, r, small, small.Bounds(), draw.Over, nil)
	}
	text([]string{"DEMO - CARTE VIRTUELLE", "VIRTUAL CARD - NOT REAL"}, image.Pt(40, 40), 3, color.RGBA{0xB0, 0x10, 0x20, 0xFF})
	text([]string{"Adresse / Address:", "1 RUE DE LA DEMONSTRATION", "99000 EXEMPLEVILLE"}, image.Pt(40, 170), 2, color.Black)
	sb := seal.Bounds()
	side := 240
	draw.Draw(card, image.Rect(w-40-side, 40, w-40, 40+side), image.White, image.Point{}, draw.Src)
	xdraw.NearestNeighbor.Scale(card, image.Rect(w-40-side, 40, w-40, 40+side), seal, sb, draw.Src, nil)
	// MRZ band.
	draw.Draw(card, image.Rect(0, h-190, w, h), image.White, image.Point{}, draw.Src)
	text(mrzLines, image.Pt(60, h-180), 4, color.Black)
	return card
}
