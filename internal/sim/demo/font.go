package demo

import (
	"image"
	"image/color"
)

// glyphs is a 5×7 bitmap font holding only the letters the DEMO labels use.
var glyphs = map[rune][7]string{
	'A': {".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"},
	'D': {"####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."},
	'E': {"#####", "#....", "#....", "####.", "#....", "#....", "#####"},
	'L': {"#....", "#....", "#....", "#....", "#....", "#....", "#####"},
	'M': {"#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"},
	'N': {"#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#", "#...#"},
	'O': {".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."},
	'P': {"####.", "#...#", "#...#", "####.", "#....", "#....", "#...."},
	'R': {"####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"},
	'S': {".####", "#....", "#....", ".###.", "....#", "....#", "####."},
	'T': {"#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."},
	'-': {".....", ".....", ".....", "#####", ".....", ".....", "....."},
	' ': {".....", ".....", ".....", ".....", ".....", ".....", "....."},
}

const (
	glyphW, glyphH = 5, 7
	glyphAdvance   = glyphW + 1
)

// textWidth is the width in pixels of s drawn at the given scale.
func textWidth(s string, scale int) int {
	n := len([]rune(s))
	if n == 0 {
		return 0
	}
	return (n*glyphAdvance - 1) * scale
}

// drawText draws s with its top-left corner at (x, y), each font pixel a
// scale×scale square, clipped to the image.
func drawText(img *image.RGBA, x, y, scale int, s string, c color.RGBA) {
	b := img.Bounds()
	for _, r := range s {
		g, ok := glyphs[r]
		if !ok {
			g = glyphs[' ']
		}
		for row := 0; row < glyphH; row++ {
			for col := 0; col < glyphW; col++ {
				if g[row][col] != '#' {
					continue
				}
				for dy := 0; dy < scale; dy++ {
					for dx := 0; dx < scale; dx++ {
						px, py := x+col*scale+dx, y+row*scale+dy
						if image.Pt(px, py).In(b) {
							img.SetRGBA(px, py, c)
						}
					}
				}
			}
		}
		x += glyphAdvance * scale
	}
}
