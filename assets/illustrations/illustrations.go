// Package illustrations holds the pictures of the citizen journey: SVG
// sources drawn for this project (see README.md), rendered by render.sh
// (go generate) to PNG files at the sizes the screens show them (sizes.txt),
// at 1x and 2x. The application embeds the PNGs: it decodes each once and
// never rasterises or scales a picture at run time.
package illustrations

//go:generate ./render.sh

import (
	"bytes"
	"embed"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"strings"
	"sync"
)

// FS holds the rendered PNG files, named <name>-<width>x<height>.png in
// pixels, and sizes.txt.
//
//go:embed *.png sizes.txt
var FS embed.FS

var (
	mu      sync.Mutex
	decoded = map[string]image.Image{}
)

// Sizes lists the pixel sizes name is rendered at, smallest first; none
// for an unknown name.
func Sizes(name string) []image.Point {
	var out []image.Point
	files, _ := fs.Glob(FS, name+"-*.png")
	for _, f := range files {
		var p image.Point
		if _, err := fmt.Sscanf(strings.TrimPrefix(f, name+"-"), "%dx%d.png", &p.X, &p.Y); err == nil {
			out = append(out, p)
		}
	}
	for i := 1; i < len(out); i++ { // a handful: insertion sort by width
		for j := i; j > 0 && out[j].X < out[j-1].X; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Image is name rendered at exactly w×h pixels, decoded once and shared
// (never modify it); nil when there is no such rendering.
func Image(name string, w, h int) image.Image {
	file := fmt.Sprintf("%s-%dx%d.png", name, w, h)
	mu.Lock()
	defer mu.Unlock()
	if img, ok := decoded[file]; ok {
		return img
	}
	data, err := FS.ReadFile(file)
	if err != nil {
		return nil
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	decoded[file] = img
	return img
}

// Best is name rendered for w×h pixels: exactly that size when it exists,
// else the smallest larger one (the painter scales it down), else the
// largest; nil for an unknown name.
func Best(name string, w, h int) image.Image {
	sizes := Sizes(name)
	if len(sizes) == 0 {
		return nil
	}
	pick := sizes[len(sizes)-1]
	for i := len(sizes) - 1; i >= 0; i-- {
		if s := sizes[i]; s.X >= w && s.Y >= h {
			pick = s
		}
		if s := sizes[i]; s.X == w && s.Y == h {
			pick = s
			break
		}
	}
	return Image(name, pick.X, pick.Y)
}
